import datetime

from django.urls import path, register_converter

from followup import views

app_name = "followup"


class IsoDateConverter:
    """A date in a URL as 2025-04-30; anything else is no match (404)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(value) from None

    def to_url(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


class ExportFormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IsoDateConverter, "isodate")
register_converter(ExportFormatConverter, "exportformat")

urlpatterns = [
    path("<isodate:period_end>/", views.follow_up_detail, name="detail"),
    path("<isodate:period_end>/delarsrapport.pdf", views.follow_up_report_pdf, name="report_pdf"),
    path("<isodate:period_end>/skickad-till-styrelsen/", views.follow_up_report_sent, name="report_sent"),
    path(
        "<isodate:period_end>/forsakringskassan.<exportformat:file_format>",
        views.follow_up_fk_export,
        name="fk_export",
    ),
]
