from django.urls import path

from budgets import creation_views
from federations import views

app_name = "federations"

urlpatterns = [
    path("", views.federation_list, name="list"),
    path("<slug:slug>/", views.federation_detail, name="detail"),
    path("<slug:slug>/roller/", views.role_create, name="role_create"),
    path("<slug:slug>/nationell-oversikt/", views.national_setting, name="national_setting"),
    path("<slug:slug>/roller/<int:role_pk>/ta-bort/", views.role_delete, name="role_delete"),
    path("<slug:slug>/ny-plan/", creation_views.plan_new, name="plan_new"),
    path("<slug:slug>/importera-planfil/", creation_views.plan_file_upload, name="plan_file_upload"),
    path("<slug:slug>/importera-planfil/spara/", creation_views.plan_file_store, name="plan_file_store"),
]
