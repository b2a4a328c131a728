from django.urls import path

from compare import views

app_name = "compare"

urlpatterns = [
    path("", views.plan_changes, name="changes"),
    path("bilaga.pdf", views.plan_changes_pdf, name="pdf"),
    path("bilaga/status/", views.plan_changes_pdf_status, name="pdf_status"),
]
