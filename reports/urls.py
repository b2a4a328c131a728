from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("forhandsvisning/", views.plan_preview, name="preview"),
    path("pdf/", views.plan_pdf_download, name="pdf"),
    path("pdf/status/", views.plan_pdf_status, name="pdf_status"),
    path("pdf/forsok-igen/", views.plan_pdf_retry, name="pdf_retry"),
]
