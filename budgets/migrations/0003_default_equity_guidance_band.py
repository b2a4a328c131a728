"""One default band for the national guidance on equity: 20 % of the year's contributions.

The national council's exact bands are not published in a form we could
verify, so the ceiling is data that accountants edit in the admin.
"""

import datetime
from decimal import Decimal

from django.db import migrations

DEFAULT_BAND = {
    "valid_from": datetime.date(2013, 1, 1),
    "contributions_from": Decimal(0),
    "contributions_to": None,
    "ceiling_percent": Decimal(20),
    "note": "Standardvärde; justera efter Nationella rådets vägledning.",
}


def add_default_band(apps, schema_editor):
    EquityGuidanceBand = apps.get_model("budgets", "EquityGuidanceBand")
    if not EquityGuidanceBand.objects.exists():
        EquityGuidanceBand.objects.create(**DEFAULT_BAND)


def remove_default_band(apps, schema_editor):
    EquityGuidanceBand = apps.get_model("budgets", "EquityGuidanceBand")
    EquityGuidanceBand.objects.filter(**DEFAULT_BAND).delete()


class Migration(migrations.Migration):
    dependencies = [("budgets", "0002_initial")]

    operations = [migrations.RunPython(add_default_band, remove_default_band)]
