"""Totals of a plan and its equity chain, computed once from the plan document.

Every consumer (the plan page, the PDF, the admin, the exporter, the
validator) reads its numbers from `compute_totals` (through the selector
`budgets.selectors.plan_overview` for a stored plan), so that none can disagree.
Everything is exact Decimal arithmetic in the plan's unit; percentages are
unrounded until shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from budgets.planfile import ColumnData, CostData, PlanDocument

PARTIES = ("state", "region", "municipality")
# The statutory split (5 § Finsam): the state half, regions and municipalities a quarter each.
STATUTORY_SHARES = {"state": Decimal("0.5"), "region": Decimal("0.25"), "municipality": Decimal("0.25")}
COST_GROUPS = ("intervention", "reserve", "operations", "administration", "unspecified")
# The equity chain uses, per year, the most informed column.
COLUMN_KIND_RANK = {"actual": 0, "forecast": 1, "budget": 2, "plan": 3}
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def party_of(kind: str) -> str:
    """The statutory party a member pays for; Arbetsförmedlingen's part goes through the state."""
    if kind in ("forsakringskassan", "arbetsformedlingen", "state"):
        return "state"
    return kind


def _sum(values) -> Decimal | None:
    """Sum of the amounts present; None when there are none (an empty cell, not zero)."""
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


def _share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return part / whole * HUNDRED


@dataclass
class ColumnTotals:
    column: ColumnData
    contributions_by_member: dict[str, Decimal]
    contributions_by_party: dict[str, Decimal | None]
    contributions: Decimal | None
    party_shares: dict[str, Decimal | None]
    other_income: Decimal | None
    income: Decimal | None
    costs_by_group: dict[str, Decimal | None]
    costs: Decimal | None
    result: Decimal | None
    # Shares of costs in percent; None where a cost line is not broken down.
    admin_share: Decimal | None
    non_admin_share: Decimal | None
    # Contributions printed only as a total of all members (no line per member).
    contributions_unattributed: Decimal | None = None
    # What the cost lines linked to each intervention add up to ({intervention id: amount}),
    # for the interventions with an amount in the column.
    costs_by_intervention: dict[str, Decimal] = field(default_factory=dict)
    # Equity at the start and end of the column's year, by this column's result.
    opening_equity: Decimal | None = None
    closing_equity: Decimal | None = None
    in_chain: bool = False

    @property
    def id(self) -> str:
        return self.column.id

    @property
    def year(self) -> int:
        return self.column.year


@dataclass
class ChainYear:
    """One year of the equity chain, through its most informed column."""

    year: int
    column: str
    opening: Decimal
    result: Decimal
    closing: Decimal
    contributions: Decimal | None


@dataclass
class PlanTotals:
    unit: str
    columns: list[ColumnTotals]
    chain: list[ChainYear]

    def column(self, column_id: str) -> ColumnTotals:
        return self._by_id[column_id]

    def __post_init__(self):
        self._by_id = {totals.id: totals for totals in self.columns}

    @property
    def chain_by_year(self) -> dict[int, ChainYear]:
        return {link.year: link for link in self.chain}


def chain_columns(columns: list[ColumnData]) -> dict[int, ColumnData]:
    """For each year, the most informed column: actual, else forecast, else budget, else plan."""
    best: dict[int, ColumnData] = {}
    for column in columns:
        current = best.get(column.year)
        if current is None or COLUMN_KIND_RANK[column.kind] < COLUMN_KIND_RANK[current.kind]:
            best[column.year] = column
    return best


def compute_totals(document: PlanDocument) -> PlanTotals:
    """Totals per column and the equity chain of a plan document."""
    member_party = {member.id: party_of(member.kind) for member in document.members}
    columns = []
    for column in document.columns:
        by_member = {
            line.member: line.amounts[column.id]
            for line in document.contributions
            if column.id in line.amounts and line.member is not None
        }
        # Contributions printed only as a total of all members belong to no party.
        unattributed = _sum(
            line.amounts.get(column.id) for line in document.contributions if line.member is None
        )
        by_party = {
            party: _sum(amount for member, amount in by_member.items() if member_party[member] == party)
            for party in PARTIES
        }
        contributions = _sum([*by_member.values(), unattributed])
        other_income = _sum(line.amounts.get(column.id) for line in document.income or [])
        income = _sum([contributions, other_income])
        costs_by_group, costs_by_intervention = _cost_sums(document.costs, column.id)
        costs = _sum(costs_by_group.values())
        result = income - costs if income is not None and costs is not None else None
        broken_down = costs_by_group["unspecified"] is None and bool(costs)
        administration = costs_by_group["administration"] or Decimal(0)
        columns.append(
            ColumnTotals(
                column=column,
                contributions_by_member=by_member,
                contributions_by_party=by_party,
                contributions=contributions,
                party_shares={
                    party: None if unattributed is not None else _share(by_party[party] or Decimal(0), contributions)
                    for party in PARTIES
                },
                contributions_unattributed=unattributed,
                other_income=other_income,
                income=income,
                costs_by_group=costs_by_group,
                costs=costs,
                costs_by_intervention=costs_by_intervention,
                result=result,
                admin_share=_share(administration, costs) if broken_down else None,
                non_admin_share=_share(costs - administration, costs) if broken_down else None,
            )
        )
    totals = PlanTotals(unit=document.plan.unit, columns=columns, chain=_equity_chain(document, columns))

    opening_by_year = {link.year: link.opening for link in totals.chain}
    chain_ids = {link.column for link in totals.chain}
    for column_totals in columns:
        opening = opening_by_year.get(column_totals.year)
        column_totals.in_chain = column_totals.id in chain_ids
        column_totals.opening_equity = opening
        if opening is not None and column_totals.result is not None:
            column_totals.closing_equity = opening + column_totals.result
    return totals


def _cost_sums(lines: list[CostData], column_id: str) -> tuple[dict[str, Decimal | None], dict[str, Decimal]]:
    """What a column's cost lines add up to per group (None for a group without an amount)
    and per intervention they are linked to, in one pass over the lines: a plan with a
    line per intervention has many."""
    by_group: dict[str, Decimal] = {}
    by_intervention: dict[str, Decimal] = {}
    for line in lines:
        amount = line.amounts.get(column_id)
        if amount is None:
            continue
        by_group[line.group] = by_group.get(line.group, ZERO) + amount
        if line.intervention is not None:
            by_intervention[line.intervention] = by_intervention.get(line.intervention, ZERO) + amount
    return {group: by_group.get(group) for group in COST_GROUPS}, by_intervention


def _equity_chain(document: PlanDocument, columns: list[ColumnTotals]) -> list[ChainYear]:
    """Closing equity year by year from the opening equity, through each year's most
    informed column; it stops at a year without a column or without a result."""
    opening = document.equity.opening if document.equity else None
    if opening is None:
        return []
    by_id = {totals.id: totals for totals in columns}
    best = chain_columns(document.columns)
    chain = []
    equity = opening.amount
    year = opening.year
    while year in best:
        totals = by_id[best[year].id]
        if totals.result is None:
            break
        chain.append(
            ChainYear(
                year=year,
                column=totals.id,
                opening=equity,
                result=totals.result,
                closing=equity + totals.result,
                contributions=totals.contributions,
            )
        )
        equity += totals.result
        year += 1
    return chain


# The decimals a plan's amounts are typed and counted with: öre in a plan in
# kronor, kronor in a plan in thousands of kronor.
UNIT_PLACES = {"SEK": 2, "tkr": 3}


def unit_places(unit: str) -> int:
    return UNIT_PLACES.get(unit, 2)


@dataclass(frozen=True)
class Funding:
    """What the board grants an intervention in one column and the share the budget counts
    (None: the intervention's own share, or the whole grant when it has none)."""

    granted: Decimal
    utilization: Decimal | None = None


def intervention_cost_per_column(
    funding: dict[str, Funding], *, default_utilization: Decimal | None, unit: str
) -> dict[str, Decimal]:
    """An intervention's cost in the budget per column: the granted amount times the
    counted share, rounded half up to the decimals of the plan's unit.

    The one place this product is taken: the grid, the validator and the
    intervention's page read it from here.
    """
    quantum = Decimal(1).scaleb(-unit_places(unit))
    costs = {}
    for column_id, grant in funding.items():
        share = grant.utilization if grant.utilization is not None else default_utilization
        cost = grant.granted if share is None else grant.granted * share
        costs[column_id] = cost.quantize(quantum, rounding=ROUND_HALF_UP)
    return costs
