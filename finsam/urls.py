from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from finsam.views import bad_request, health

admin.site.site_header = _("Finsam Plan – administration")
admin.site.site_title = _("Finsam Plan – administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("halsa/", health, name="health"),
    path("konto/logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("budgets.urls")),
    path("plan/<int:pk>/", include("budgets.edit_urls")),
    path("plan/<int:pk>/insatser/", include("interventions.urls")),
    path("plan/<int:pk>/", include("reports.urls")),
]

handler400 = bad_request
