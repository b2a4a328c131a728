"""The figures of a follow-up, computed from the adopted plan's document and the outcome
to a date: pure functions over plain values, no ORM, no request.

Per line, group and total: the budget year's budget, the outcome to date, the share of
the budget used against the share of the year gone, the forecast for the whole year and
its variance from the budget. The forecast is also run through the plan's own totals and
checks (`budgets.totals`, `budgets.validation`) as the budget year's column, so a forecast
that breaks the split or takes equity below zero gets the same findings as a plan would.

Lines are named by keys that say which section they are in: "member:<member id>" for a
member's contribution, "contribution:<id>" for contributions printed as one total,
"income:<id>" for other income and "cost:<id>" for a cost line.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.planfile import ColumnData, PlanDocument
from budgets.table import GROUP_LABELS
from budgets.totals import COST_GROUPS, PARTIES, PlanTotals, compute_totals, party_of
from budgets.validation import Finding, GuidanceBand, band_for, validate_document
from finsam.lib.formatting import format_amount
from finsam.lib.money import UNIT_FACTORS

HUNDRED = Decimal(100)

INCOME = "income"
COST = "cost"
RESULT = "result"

# Groups a comment can be put on, besides lines: the income groups and the cost groups.
CONTRIBUTIONS_GROUP = "contributions"
OTHER_INCOME_GROUP = "other_income"
GROUP_KEYS = (CONTRIBUTIONS_GROUP, OTHER_INCOME_GROUP, *COST_GROUPS)
INCOME_GROUP_LABELS = {
    CONTRIBUTIONS_GROUP: gettext_noop("Medlemsbidrag"),
    OTHER_INCOME_GROUP: gettext_noop("Övriga intäkter"),
}

GOOD = "good"
BAD = "bad"
EVEN = "even"


def share_of_year(period_end: datetime.date) -> Decimal:
    """The share of the calendar year gone by the end of `period_end` (1 January: 1/365),
    as a fraction; a leap year has 366 days."""
    days_in_year = 366 if calendar.isleap(period_end.year) else 365
    days_elapsed = (period_end - datetime.date(period_end.year, 1, 1)).days + 1
    return Decimal(days_elapsed) / Decimal(days_in_year)


def default_forecast(*, budget: Decimal | None, outcome: Decimal | None, year_share: Decimal) -> Decimal | None:
    """The whole year's amount when the chief has not said otherwise: the outcome to date
    and the rest of the year's budget pro rata.

    A line with no outcome recorded keeps its budget: nothing is known to differ, and a
    line missing from an import must not read as a saving. The rest of the year is
    rounded to whole units (kronor, or thousands in a plan in tkr): a forecast is an
    estimate, and öre from a day count would only make the split check see rounding."""
    if outcome is None:
        return budget
    rest = (budget or Decimal(0)) * (1 - year_share)
    return outcome + rest.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def effect_on_result(side: str, variance: Decimal) -> Decimal:
    """How a variance moves the result: more income or less cost is better."""
    return -variance if side == COST else variance


def tone(side: str, variance: Decimal | None) -> str | None:
    """"good", "bad" or "even" for a variance as the board reads it (None: no variance)."""
    if variance is None:
        return None
    effect = effect_on_result(side, variance)
    return GOOD if effect > 0 else BAD if effect < 0 else EVEN


def _sum(values) -> Decimal | None:
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


@dataclass
class FigureRow:
    key: str
    label: str
    # "line", "group" (a group's subtotal), "total" or "result"
    kind: str
    side: str
    budget: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    overridden: bool = False
    group: str | None = None
    intervention: str | None = None

    @property
    def used_share(self) -> Decimal | None:
        """The outcome to date in percent of the budget (none for the result, whose budget may be below zero)."""
        if self.side == RESULT or self.outcome is None or not self.budget:
            return None
        return self.outcome / self.budget * HUNDRED

    @property
    def variance(self) -> Decimal | None:
        if self.forecast is None:
            return None
        return self.forecast - (self.budget or Decimal(0))

    @property
    def variance_percent(self) -> Decimal | None:
        variance = self.variance
        if variance is None or not self.budget:
            return None
        return variance / abs(self.budget) * HUNDRED

    @property
    def tone(self) -> str | None:
        return tone(self.side, self.variance)

    @property
    def anchor(self) -> str:
        """The row's part of an HTML id: "cost:enter" -> "cost-enter"."""
        return self.key.replace(":", "-").replace("_", "-")


@dataclass
class EquityForecast:
    year: int
    opening: Decimal
    result: Decimal
    closing: Decimal
    # The closing equity the adopted budget gave (None where its chain does not reach the year).
    budget_closing: Decimal | None
    ceiling: Decimal | None
    ceiling_percent: Decimal | None
    floor: Decimal | None

    @property
    def above_ceiling(self) -> bool:
        return self.ceiling is not None and self.closing > self.ceiling

    @property
    def below_floor(self) -> bool:
        return self.floor is not None and self.closing < self.floor


@dataclass
class ParticipantRow:
    intervention: str
    name: str
    planned_women: int | None
    planned_men: int | None
    women: int | None
    men: int | None


@dataclass
class InterventionRow:
    """An intervention's budget, outcome and forecast: the sums of the cost lines naming it."""

    intervention: str
    name: str
    budget: Decimal | None
    outcome: Decimal | None
    forecast: Decimal | None
    participants: ParticipantRow


@dataclass
class FollowUpFigures:
    period_end: datetime.date
    year: int
    unit: str
    budget_column: str
    # The share of the year gone, in percent.
    year_share: Decimal
    rows: list[FigureRow]
    equity: EquityForecast | None
    findings: list[Finding]
    participants: list[ParticipantRow]
    interventions: list[InterventionRow]
    forecast_totals: PlanTotals
    groups: list[FigureRow] = field(default_factory=list)

    def row(self, key: str) -> FigureRow:
        return next(row for row in self.rows if row.key == key)

    @property
    def result(self) -> FigureRow:
        return self.row("total:result")


class NoBudgetYear(ValueError):
    """The plan has no column for its budget year, so there is nothing to follow up."""


def budget_year_column(document: PlanDocument) -> ColumnData:
    """The column the follow-up compares with: the budget year's budget column, else the
    year's most informed column."""
    year = document.plan.year
    columns = [column for column in document.columns if column.year == year]
    if not columns:
        raise NoBudgetYear(f"the plan has no column for its budget year {year}")
    for column in columns:
        if column.kind == "budget":
            return column
    rank = {"actual": 0, "forecast": 1, "budget": 2, "plan": 3}
    return min(columns, key=lambda column: rank[column.kind])


def line_keys(document: PlanDocument) -> list[tuple[str, str, object]]:
    """(key, section side, document line) of every line, in the plan's order."""
    keys = []
    member_by_id = {member.id: member for member in document.members}
    member_lines = [line for line in document.contributions if line.member is not None]
    # Members by party, as the plan page lists them.
    for party in PARTIES:
        for line in member_lines:
            if party_of(member_by_id[line.member].kind) == party:
                keys.append((f"member:{line.member}", INCOME, line))
    for line in document.contributions:
        if line.member is None:
            keys.append((f"contribution:{line.id}", INCOME, line))
    for line in document.income or []:
        keys.append((f"income:{line.id}", INCOME, line))
    for group in COST_GROUPS:
        for line in document.costs:
            if line.group == group:
                keys.append((f"cost:{line.id}", COST, line))
    return keys


def forecast_document(document: PlanDocument, *, column: ColumnData, forecasts: dict[str, Decimal | None]) -> PlanDocument:
    """The plan with the forecast as its budget year: the year's columns give way to one
    forecast column (with the budget column's id) holding `forecasts` by line key. Printed
    totals are left out: they are the adopted document's, not the forecast's."""
    data = document.model_copy(deep=True)
    year_column = ColumnData(id=column.id, year=column.year, kind="forecast", label=_("Prognos %(year)s") % {"year": column.year})
    data.columns = [year_column if item.id == column.id else item for item in data.columns if item.year != column.year or item.id == column.id]
    lines = {key: line for key, _side, line in line_keys(data)}
    for key, line in lines.items():
        amount = forecasts.get(key)
        if amount is None:
            line.amounts.pop(column.id, None)
        else:
            line.amounts[column.id] = amount
    data.stated = None
    return data


def follow_up_figures(
    document: PlanDocument,
    *,
    period_end: datetime.date,
    outcomes: dict[str, Decimal],
    forecasts: dict[str, Decimal] | None = None,
    participants: dict[str, tuple[int | None, int | None]] | None = None,
    bands: list[GuidanceBand] | tuple = (),
) -> FollowUpFigures:
    """Every figure of a follow-up of `document`'s budget year to `period_end`.

    `outcomes` and `forecasts` (the chief's overrides) are keyed by line key;
    `participants` by intervention id, as (women, men) to date."""
    forecasts = forecasts or {}
    participants = participants or {}
    unit = document.plan.unit
    column = budget_year_column(document)
    year_share = share_of_year(period_end)

    line_rows: list[FigureRow] = []
    for key, side, line in line_keys(document):
        budget = line.amounts.get(column.id)
        outcome = outcomes.get(key)
        overridden = key in forecasts
        forecast = forecasts[key] if overridden else default_forecast(
            budget=budget, outcome=outcome, year_share=year_share
        )
        if key.startswith("member:"):
            member = next(item for item in document.members if item.id == line.member)
            label, group = member.name, CONTRIBUTIONS_GROUP
        elif key.startswith("contribution:"):
            label, group = line.label, CONTRIBUTIONS_GROUP
        elif key.startswith("income:"):
            label, group = line.label, OTHER_INCOME_GROUP
        else:
            label, group = line.label, line.group
        line_rows.append(
            FigureRow(
                key=key,
                label=label,
                kind="line",
                side=side,
                budget=budget,
                outcome=outcome,
                forecast=forecast,
                overridden=overridden,
                group=group,
                intervention=getattr(line, "intervention", None),
            )
        )

    def summed(key, label, kind, side, rows, group=None) -> FigureRow:
        return FigureRow(
            key=key,
            label=label,
            kind=kind,
            side=side,
            budget=_sum(row.budget for row in rows),
            outcome=_sum(row.outcome for row in rows),
            forecast=_sum(row.forecast for row in rows),
            group=group,
        )

    rows: list[FigureRow] = []
    groups: list[FigureRow] = []
    for side in (INCOME, COST):
        for group in GROUP_KEYS:
            members = [row for row in line_rows if row.group == group and row.side == side]
            if not members:
                continue
            label = _(INCOME_GROUP_LABELS[group]) if group in INCOME_GROUP_LABELS else _(GROUP_LABELS[group])
            subtotal = summed(f"group:{group}", label, "group", side, members, group=group)
            rows += members
            rows.append(subtotal)
            groups.append(subtotal)
        if side == INCOME:
            income = summed("total:income", _("Summa intäkter"), "total", INCOME, [r for r in line_rows if r.side == INCOME])
            rows.append(income)
    costs = summed("total:costs", _("Summa kostnader"), "total", COST, [row for row in line_rows if row.side == COST])
    rows.append(costs)

    def difference(first, second):
        # A result needs both sides: costs recorded without income are no result to date.
        if first is None or second is None:
            return None
        return first - second

    rows.append(
        FigureRow(
            key="total:result",
            label=_("Årets resultat"),
            kind="result",
            side=RESULT,
            budget=difference(income.budget, costs.budget),
            outcome=difference(income.outcome, costs.outcome),
            forecast=difference(income.forecast, costs.forecast),
        )
    )

    forecast_doc = forecast_document(document, column=column, forecasts={row.key: row.forecast for row in line_rows})
    forecast_totals = compute_totals(forecast_doc)
    findings = [
        finding
        for finding in validate_document(forecast_doc, bands=bands, totals=forecast_totals)
        if finding.column == column.id
    ]
    equity = _equity_forecast(document, forecast_doc, forecast_totals, column=column, bands=bands)

    participant_rows = []
    intervention_rows = []
    for intervention in document.interventions or []:
        planned = intervention.participants
        women, men = participants.get(intervention.id, (None, None))
        participant_row = ParticipantRow(
            intervention=intervention.id,
            name=intervention.name,
            planned_women=planned.women if planned else None,
            planned_men=planned.men if planned else None,
            women=women,
            men=men,
        )
        participant_rows.append(participant_row)
        lines = [row for row in line_rows if row.intervention == intervention.id]
        intervention_rows.append(
            InterventionRow(
                intervention=intervention.id,
                name=intervention.name,
                budget=_sum(row.budget for row in lines),
                outcome=_sum(row.outcome for row in lines),
                forecast=_sum(row.forecast for row in lines),
                participants=participant_row,
            )
        )

    return FollowUpFigures(
        period_end=period_end,
        year=document.plan.year,
        unit=unit,
        budget_column=column.id,
        year_share=year_share * HUNDRED,
        rows=rows,
        equity=equity,
        findings=findings,
        participants=participant_rows,
        interventions=intervention_rows,
        forecast_totals=forecast_totals,
        groups=groups,
    )


def _equity_forecast(
    document: PlanDocument, forecast_doc: PlanDocument, forecast_totals: PlanTotals, *, column: ColumnData, bands
) -> EquityForecast | None:
    link = forecast_totals.chain_by_year.get(column.year)
    if link is None:
        return None
    unit = document.plan.unit
    budget_link = compute_totals(document).chain_by_year.get(column.year)
    ceiling = ceiling_percent = None
    if link.contributions:
        band = band_for(bands, column.year, link.contributions * UNIT_FACTORS[unit])
        if band is not None:
            ceiling_percent = band.ceiling_percent
            ceiling = link.contributions * band.ceiling_percent / HUNDRED
    goals = document.federation.goals
    return EquityForecast(
        year=column.year,
        opening=link.opening,
        result=link.result,
        closing=link.closing,
        budget_closing=budget_link.closing if budget_link is not None else None,
        ceiling=ceiling,
        ceiling_percent=ceiling_percent,
        floor=goals.equity_floor if goals is not None else None,
    )


def summary_sentences(figures: FollowUpFigures) -> list[str]:
    """Two sentences for the board, made from the numbers: the result forecast against the
    budget, and the equity forecast against the guidance ceiling (and the floor)."""
    unit = figures.unit
    result = figures.result

    def amount(value):
        return format_amount(value, unit, 0)

    sentences = []
    if result.forecast is not None:
        variance = result.variance
        values = {
            "year": figures.year,
            "forecast": amount(result.forecast),
            "budget": amount(result.budget or Decimal(0)),
            "difference": amount(abs(variance)),
        }
        if variance > 0:
            text = _("Årets resultat %(year)s beräknas bli %(forecast)s, %(difference)s bättre än budgeterade %(budget)s.")
        elif variance < 0:
            text = _("Årets resultat %(year)s beräknas bli %(forecast)s, %(difference)s sämre än budgeterade %(budget)s.")
        else:
            text = _("Årets resultat %(year)s beräknas bli %(forecast)s, som budgeterat.")
        sentences.append(text % values)
    equity = figures.equity
    if equity is not None:
        values = {"year": equity.year, "closing": amount(equity.closing)}
        if equity.ceiling is not None:
            values["ceiling"] = amount(equity.ceiling)
            if equity.above_ceiling:
                text = _("Eget kapital vid utgången av %(year)s beräknas till %(closing)s, över riktlinjens tak på %(ceiling)s")
            else:
                text = _("Eget kapital vid utgången av %(year)s beräknas till %(closing)s, inom riktlinjens tak på %(ceiling)s")
        else:
            text = _("Eget kapital vid utgången av %(year)s beräknas till %(closing)s")
        text = text % values
        if equity.floor is not None:
            floor = {"floor": amount(equity.floor)}
            text += (
                _(" och under förbundets golv på %(floor)s") % floor
                if equity.below_floor
                else _(" och över förbundets golv på %(floor)s") % floor
            )
        sentences.append(text + ".")
    return sentences
