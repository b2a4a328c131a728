"""Next year's plan from this year's: a pure transformation of the plan document."""

from __future__ import annotations

from decimal import Decimal

from budgets.planfile import ColumnData, EquityData, OpeningEquity, PlanDocument
from budgets.totals import PlanTotals, chain_columns

KIND_LABELS = {"actual": "Utfall", "forecast": "Prognos", "budget": "Budget", "plan": "Plan"}
COLUMN_PREFIXES = {"actual": "u", "forecast": "f", "budget": "b", "plan": "p"}


def rolled_columns(document: PlanDocument, *, with_actual: bool = False) -> list[tuple[ColumnData, str]]:
    """Next year's columns, each with the id of this year's column it starts from.

    The old budget year becomes the forecast column (the actual column `with_actual`,
    when the year's outcome is known), the next year the budget, later years the plan,
    and a new last outlook year starts from the old last year's column.
    """
    old_year, old_last = document.plan.year, document.plan.last_year
    new_year, new_last = old_year + 1, old_last + 1
    best = chain_columns(document.columns)
    columns = []
    for year in range(old_year, new_last + 1):
        source = best.get(min(year, old_last))
        if source is None:
            continue
        kind = ("actual" if with_actual else "forecast") if year == old_year else "budget" if year == new_year else "plan"
        new_id = f"{COLUMN_PREFIXES[kind]}{year}"
        columns.append((ColumnData(id=new_id, year=year, kind=kind, label=f"{KIND_LABELS[kind]} {year}"), source.id))
    return columns


def roll_forward_document(
    document: PlanDocument, totals: PlanTotals, *, actual: dict[str, Decimal] | None = None
) -> PlanDocument:
    """The plan for the year after `document.plan.year`.

    Members, goals, chapters, lines and the interventions that have not ended
    are kept. The columns move a year: the old budget year becomes the
    forecast column (its amounts a starting point for the forecast), the next
    year the budget, later years the plan, and a new last outlook year starts
    from the old last year's amounts. Opening equity is the chain's equity at
    the start of the old budget year. Stated totals, meetings and activities
    belong to the old document and are left behind.

    With `actual`, the old budget year's whole-year outcome by line key (the keys
    of `followup.figures.line_keys`, from the follow-up to 31 December), that
    year's column is the actual instead of the forecast, holding the outcome, so
    that the equity chain runs through what happened. A line without an outcome
    has no amount there; granted amounts are not carried into an actual.
    """
    from followup.figures import line_keys

    old_year, old_last = document.plan.year, document.plan.last_year
    new_year, new_last = old_year + 1, old_last + 1
    rolled = rolled_columns(document, with_actual=actual is not None)
    columns = [column for column, _source in rolled]
    column_map = {column.id: source for column, source in rolled}  # new column id -> old column id

    actual_id = f"{COLUMN_PREFIXES['actual']}{old_year}"

    def moved(amounts: dict, key: str | None = None) -> dict:
        result = {new_id: amounts[old_id] for new_id, old_id in column_map.items() if old_id in amounts}
        if actual is not None:
            result.pop(actual_id, None)
            if key is not None and actual.get(key) is not None:
                result[actual_id] = actual[key]
            # In the plan's column order.
            result = {column.id: result[column.id] for column in columns if column.id in result}
        return result

    kept_interventions = [
        intervention for intervention in document.interventions or [] if intervention.status != "ended"
    ]
    kept_ids = {intervention.id for intervention in kept_interventions}
    opening = totals.chain_by_year.get(old_year)

    data = document.model_copy(deep=True)
    data.plan.year = new_year
    data.plan.last_year = new_last
    data.plan.title = None
    data.plan.reference = None
    data.plan.status = "draft"
    data.plan.adopted_on = None
    # A draft reads shared data as it is now; the copy belongs to the adopted plan.
    data.adopted_copy = None
    data.columns = columns
    keys = {id(line): key for key, _side, line in line_keys(data)}
    for line in data.contributions:
        line.amounts = moved(line.amounts, keys[id(line)])
    for line in data.income or []:
        line.amounts = moved(line.amounts, keys[id(line)])
    data.costs = [line for line in data.costs if line.intervention is None or line.intervention in kept_ids]
    for line in data.costs:
        line.amounts = moved(line.amounts, keys[id(line)])
    data.interventions = [item for item in data.interventions or [] if item.id in kept_ids]
    for intervention in data.interventions:
        # Granted amounts move with their columns, like the lines' amounts.
        funding = moved(intervention.funding or {})
        funding.pop(actual_id, None)
        intervention.funding = funding or None
    data.plan.revision = None
    data.plan.revises = None
    data.equity = EquityData(
        opening=OpeningEquity(year=old_year, amount=opening.opening) if opening is not None else None
    )
    data.stated = {}
    data.meetings = []
    data.activities = []
    return data
