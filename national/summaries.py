"""The national overview's figures: each opted-in federation's latest adopted plan,
its budget year in kronor, side by side, and the country's totals.

The figures of an adopted plan are computed once with the plan's own totals and rules
(`budgets.selectors.plan_overview`) and kept (`PlanSummary`); the overview itself then
reads every federation in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budgets.models import Plan, PlanStatus
from budgets.selectors import plan_overview, plan_queryset
from budgets.totals import PARTIES
from budgets.validation import band_for
from finsam.lib.money import UNIT_FACTORS
from national.models import PlanSummary

# Raise when what `summary_figures` computes changes: kept figures are then computed again.
FORMULA = 1
HUNDRED = Decimal(100)

AMOUNTS = ("state", "region", "municipality", "contributions", "costs", "administration", "result", "equity", "ceiling")
COUNTS = ("errors", "warnings", "individual", "structural", "women", "men")


def _kronor(value: Decimal | None, factor: Decimal) -> str | None:
    return None if value is None else str(value * factor)


def summary_figures(plan: Plan) -> dict:
    """The budget year's figures of an adopted plan, amounts in kronor (as strings)."""
    overview = plan_overview(plan)
    document, totals = overview.document, overview.totals
    factor = UNIT_FACTORS[document.plan.unit]
    budget = next(
        (column for column in totals.columns if column.column.kind == "budget" and column.column.year == plan.year), None
    )
    link = next((link for link in totals.chain if link.year == plan.year), None)
    band = None
    if link is not None and link.contributions:
        band = band_for(overview.shared.bands, plan.year, link.contributions * factor)
    interventions = document.interventions or []
    participants = [intervention.participants for intervention in interventions if intervention.participants]

    def count(values):
        present = [value for value in values if value is not None]
        return sum(present) if present else None

    return {
        "region_name": next((member.name for member in document.members if member.kind == "region"), ""),
        **{party: _kronor(budget.contributions_by_party.get(party) if budget else None, factor) for party in PARTIES},
        "contributions": _kronor(budget.contributions if budget else None, factor),
        "costs": _kronor(budget.costs if budget else None, factor),
        "administration": _kronor(budget.costs_by_group.get("administration") if budget else None, factor),
        "admin_share": None if budget is None or budget.admin_share is None else str(budget.admin_share),
        "result": _kronor(budget.result if budget else None, factor),
        "equity": _kronor(link.closing if link else None, factor),
        "ceiling_percent": None if band is None else str(band.ceiling_percent),
        "ceiling": None if band is None else _kronor(link.contributions * band.ceiling_percent / HUNDRED, factor),
        "errors": len(overview.errors),
        "warnings": len(overview.warnings),
        "individual": sum(1 for intervention in interventions if intervention.kind == "individual"),
        "structural": sum(1 for intervention in interventions if intervention.kind == "structural"),
        "women": count(item.women for item in participants),
        "men": count(item.men for item in participants),
    }


@dataclass
class Row:
    """One federation's line of the overview (or the country's, `is_total`)."""

    name: str
    slug: str
    region: str
    year: int | None
    revision: int | None
    figures: dict
    is_total: bool = False

    def figure(self, key: str):
        return self.figures.get(key)

    @property
    def equity_percent(self) -> Decimal | None:
        """Equity at the year end as a share of the year's contributions, in percent."""
        equity, contributions = self.figures.get("equity"), self.figures.get("contributions")
        if equity is None or not contributions:
            return None
        return equity / contributions * HUNDRED

    @property
    def above_ceiling(self) -> bool:
        equity, ceiling = self.figures.get("equity"), self.figures.get("ceiling")
        return equity is not None and ceiling is not None and equity > ceiling


def _typed(figures: dict) -> dict:
    typed = dict(figures)
    for key in (*AMOUNTS, "admin_share", "ceiling_percent"):
        typed[key] = None if figures.get(key) is None else Decimal(figures[key])
    return typed


def latest_adopted_plans():
    """Each opted-in federation's latest adopted plan (latest year, then latest revision),
    with its kept figures where there are any: one query."""
    plans = (
        Plan.objects.filter(status=PlanStatus.ADOPTED, federation__in_national_view=True)
        .select_related("federation", "national_summary")
        .only(
            "id", "year", "revision", "status", "federation__name", "federation__short_name", "federation__slug",
            "national_summary__formula", "national_summary__figures",
        )
        .order_by("federation_id", "-year", "-revision")
    )
    latest = {}
    for plan in plans:
        latest.setdefault(plan.federation_id, plan)
    return list(latest.values())


def keep_figures(plan_id: int) -> dict:
    """Compute an adopted plan's figures and keep them."""
    figures = summary_figures(plan_queryset().get(pk=plan_id))
    PlanSummary.objects.update_or_create(plan_id=plan_id, defaults={"formula": FORMULA, "figures": figures})
    return figures


def _kept_figures(plan: Plan) -> dict:
    summary = getattr(plan, "national_summary", None)
    if summary is not None and summary.formula == FORMULA:
        return summary.figures
    return keep_figures(plan.pk)


def national_rows() -> list[Row]:
    """The overview's rows, one per opted-in federation with an adopted plan, by name."""
    rows = []
    for plan in latest_adopted_plans():
        figures = _typed(_kept_figures(plan))
        federation = plan.federation
        rows.append(
            Row(
                name=federation.short_name or federation.name,
                slug=federation.slug,
                region=figures.pop("region_name"),
                year=plan.year,
                revision=plan.revision,
                figures=figures,
            )
        )
    return sorted(rows, key=lambda row: row.name.casefold())


def country_total(rows: list[Row]) -> Row:
    """The rows summed: amounts and counts; the administration's share of all costs; the
    ceiling summed over the federations that have one."""

    def total(key):
        present = [row.figure(key) for row in rows if row.figure(key) is not None]
        return sum(present) if present else None

    figures = {key: total(key) for key in (*AMOUNTS, *COUNTS)}
    costs, administration = figures["costs"], figures["administration"]
    figures["admin_share"] = administration / costs * HUNDRED if costs and administration is not None else None
    figures["ceiling_percent"] = None
    return Row(name="", slug="", region="", year=None, revision=None, figures=figures, is_total=True)
