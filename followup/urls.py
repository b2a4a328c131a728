"""The follow-up of an adopted plan's year, under /plan/<pk>/uppfoljning/."""

from django.urls import path, register_converter

from followup import views
from followup.detail_placeholder import detail


class IsoDateConverter:
    """A period end in a URL: 2026-04-30 (the view checks that it is a real date)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "followup"

urlpatterns = [
    path("", views.follow_up_list, name="list"),
    path("konton/", views.mapping, name="mapping"),
    path("konton/kontokopplingar.csv", views.mapping_csv_view, name="mapping_csv"),
    path("konton/las-in/", views.mapping_upload, name="mapping_upload"),
    path("<isodate:period>/", detail, name="detail"),
    path("<isodate:period>/utfall/", views.outcome, name="outcome"),
    path("<isodate:period>/las-in/", views.outcome_import, name="import"),
    path("<isodate:period>/las-in/koppla/", views.outcome_import_map, name="import_map"),
    path("<isodate:period>/las-in/spara/", views.outcome_import_save, name="import_save"),
    path("<isodate:period>/deltagare/", views.participants, name="participants"),
]
