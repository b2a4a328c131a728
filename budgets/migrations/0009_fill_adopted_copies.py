"""Give every plan adopted before `Plan.adopted_copy` existed its copy of the shared data.

The copy is taken from the shared data as it is when the migration runs, which is the
best that is known of how it was at adoption. The lookups are written out here rather
than imported from the app, so that this migration keeps working as the app changes:
the guidance band of a year is the one the year's contributions fall in, in the year's
most informed column (actual, else forecast, else budget, else plan), as the validator
looks it up.
"""

import datetime
from decimal import Decimal

from django.db import migrations
from django.db.models import Sum

KIND_RANK = {"actual": 0, "forecast": 1, "budget": 2, "plan": 3}
UNIT_FACTORS = {"SEK": Decimal(1), "tkr": Decimal(1000)}
PROFILE_FIELDS = ("name", "short_name", "org_number", "founded", "vision", "website")


def _band_for(bands, year, contributions_sek):
    first_day, last_day = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    candidates = [
        band
        for band in bands
        if band.valid_from <= last_day
        and (band.valid_until is None or band.valid_until >= first_day)
        and band.contributions_from <= contributions_sek
        and (band.contributions_to is None or contributions_sek < band.contributions_to)
    ]
    return max(candidates, key=lambda band: band.valid_from, default=None)


def _band_copy(band):
    return {
        "ceiling_percent": str(band.ceiling_percent),
        "contributions_from": str(band.contributions_from),
        "contributions_to": str(band.contributions_to) if band.contributions_to is not None else None,
        "valid_from": band.valid_from.isoformat(),
        "valid_until": band.valid_until.isoformat() if band.valid_until is not None else None,
    }


def fill_adopted_copies(apps, schema_editor):
    Plan = apps.get_model("budgets", "Plan")
    Column = apps.get_model("budgets", "Column")
    LineAmount = apps.get_model("budgets", "LineAmount")
    EquityGuidanceBand = apps.get_model("budgets", "EquityGuidanceBand")
    Intervention = apps.get_model("interventions", "Intervention")
    InterventionMarking = apps.get_model("interventions", "InterventionMarking")

    bands = list(EquityGuidanceBand.objects.all())
    for plan in Plan.objects.filter(status="adopted", adopted_copy__isnull=True).select_related("federation"):
        best = {}
        for column in Column.objects.filter(plan=plan).order_by("order", "pk"):
            current = best.get(column.year)
            if current is None or KIND_RANK[column.kind] < KIND_RANK[current.kind]:
                best[column.year] = column
        guidance = {}
        for year, column in sorted(best.items()):
            contributions = LineAmount.objects.filter(
                column=column, line__plan=plan, line__section="contribution"
            ).aggregate(total=Sum("amount"))["total"]
            band = _band_for(bands, year, contributions * UNIT_FACTORS[plan.unit]) if contributions else None
            guidance[str(year)] = _band_copy(band) if band is not None else None
        copy = {
            "federation": {name: getattr(plan.federation, name) for name in PROFILE_FIELDS},
            "categories": {
                str(pk): name
                for pk, name in Intervention.objects.filter(plan=plan, category__isnull=False).values_list(
                    "category__pk", "category__name"
                )
            },
            "markings": {
                str(pk): name
                for pk, name in InterventionMarking.objects.filter(intervention__plan=plan).values_list(
                    "marking__pk", "marking__name"
                )
            },
            "guidance": guidance,
        }
        # An update, not a save: nothing else of an adopted plan may change.
        Plan.objects.filter(pk=plan.pk).update(adopted_copy=copy)


def clear_adopted_copies(apps, schema_editor):
    apps.get_model("budgets", "Plan").objects.update(adopted_copy=None)


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0008_plan_adopted_copy"),
        ("federations", "0003_swedish_constraint_messages_and_labels"),
        ("interventions", "0004_intervention_funding"),
    ]

    operations = [migrations.RunPython(fill_adopted_copies, clear_adopted_copies)]
