from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from finsam.views import bad_request, health

admin.site.site_header = _("Finsam Plan – administration")
admin.site.site_title = _("Finsam Plan – administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("halsa/", health, name="health"),
    path("konto/logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # An invited person sets a password through Django's password-reset machinery.
    path(
        "konto/valj-losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_set.html", success_url=reverse_lazy("password_set_done")
        ),
        name="password_set",
    ),
    path(
        "konto/losenord-valt/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_set_done.html"),
        name="password_set_done",
    ),
    path("forbund/", include("federations.urls")),
    path("nationell-oversikt/", include("national.urls")),
    path("", include("budgets.urls")),
    path("plan/<int:pk>/", include("budgets.edit_urls")),
    path("plan/<int:pk>/insatser/", include("interventions.urls")),
    path("plan/<int:pk>/", include("reports.urls")),
    path("plan/<int:pk>/uppfoljning/", include("followup.urls")),
    path("plan/<int:pk>/andringar/", include("compare.urls")),
    path("", include("board.urls")),
]

handler400 = bad_request
