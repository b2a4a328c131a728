import datetime

from django.urls import path, register_converter

from followup import recording_views, views

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
    # Recording: the plan's follow-ups, outcome typed or imported, the account mapping, participants.
    path("", recording_views.follow_up_list, name="list"),
    path("konton/", recording_views.mapping, name="mapping"),
    path("konton/kontokopplingar.csv", recording_views.mapping_csv_view, name="mapping_csv"),
    path("konton/las-in/", recording_views.mapping_upload, name="mapping_upload"),
    path("<isodate:period_end>/utfall/", recording_views.outcome, name="outcome"),
    path("<isodate:period_end>/las-in/", recording_views.outcome_import, name="import"),
    path("<isodate:period_end>/las-in/koppla/", recording_views.outcome_import_map, name="import_map"),
    path("<isodate:period_end>/las-in/spara/", recording_views.outcome_import_save, name="import_save"),
    path("<isodate:period_end>/deltagare/", recording_views.participants, name="participants"),
    # The follow-up page, the tertial report and the year-end export.
    path("<isodate:period_end>/", views.follow_up_detail, name="detail"),
    path("<isodate:period_end>/delarsrapport.pdf", views.follow_up_report_pdf, name="report_pdf"),
    path("<isodate:period_end>/delarsrapport/status/", views.follow_up_report_status, name="report_status"),
    path("<isodate:period_end>/delarsrapport/forsok-igen/", views.follow_up_report_retry, name="report_retry"),
    path("<isodate:period_end>/skickad-till-styrelsen/", views.follow_up_report_sent, name="report_sent"),
    path(
        "<isodate:period_end>/forsakringskassan.<exportformat:file_format>",
        views.follow_up_fk_export,
        name="fk_export",
    ),
]
