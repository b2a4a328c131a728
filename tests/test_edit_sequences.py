"""Any sequence of edits through the chief's pages keeps the plan's totals exact.

Hypothesis draws up to eight edits of Höglandet's draft plan (`plan_b`), each posted
to the real page as a browser would (amounts typed the Swedish way, whole kronor or
with öre): a member's contribution, a cost line's amount, a new cost line, a line
removed, the municipalities filled in from the key, a new column. After every step
the totals the plan page shows (`plan_overview(...).totals`) must equal sums worked
out here from the stored amounts with Decimal arithmetic, and every stored amount
must be a Decimal with at most four decimals. Each sequence runs in a savepoint that
is rolled back, so each starts from the seed plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from html import unescape

from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import keys
from budgets.models import BudgetLine, Column, LineAmount, Plan
from budgets.selectors import plan_overview, plan_queryset
from finsam.lib.formatting import format_number

# The equity chain takes, for each year, its most informed column.
COLUMN_RANK = {"actual": 0, "forecast": 1, "budget": 2, "plan": 3}
FOUR_DECIMALS = Decimal("0.0001")


def swedish(amount: Decimal | None, separator: str) -> str:
    """An amount as a Swede types it: 1 250 000,50 (empty for no amount)."""
    if amount is None:
        return ""
    whole, _, fraction = format(amount, "f").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = separator.join(groups)
    return f"{text},{fraction}" if fraction else text


kronor = st.integers(min_value=0, max_value=10**9).map(Decimal)
with_ore = st.builds(lambda whole, ore: whole + Decimal(ore) / 100, kronor, st.integers(min_value=1, max_value=99))
amounts = st.one_of(kronor, with_ore, st.none())
separators = st.sampled_from([" ", "", "\u00a0", "\u202f"])


@dataclass
class SetContribution:
    member: int
    column: int
    amount: Decimal | None
    separator: str


@dataclass
class SetCost:
    line: int
    column: int
    amount: Decimal | None
    separator: str


@dataclass
class AddCostLine:
    label: str
    group: str


@dataclass
class DeleteLine:
    line: int


@dataclass
class FillFromKey:
    column: int
    key: str
    total: Decimal | None


@dataclass
class AddColumn:
    kind: str
    year_offset: int


indexes = st.integers(min_value=0, max_value=50)
operations = st.one_of(
    st.builds(SetContribution, indexes, indexes, amounts, separators),
    st.builds(SetCost, indexes, indexes, amounts, separators),
    st.builds(
        AddCostLine,
        st.sampled_from(["Ny insats", "Lokalhyra", "Ny insats", "<b>fet</b>", "Öre & kronor"]),
        st.sampled_from(BudgetLine.CostGroup.values),
    ),
    st.builds(DeleteLine, indexes),
    st.builds(FillFromKey, indexes, st.sampled_from(keys.KEYS), st.one_of(st.none(), kronor)),
    st.builds(AddColumn, st.sampled_from(Column.Kind.values), st.integers(min_value=-3, max_value=2)),
)


def _columns(plan) -> list[Column]:
    return list(Column.objects.filter(plan=plan).order_by("order", "pk"))


def _cost_lines(plan) -> list[BudgetLine]:
    return list(BudgetLine.objects.filter(plan=plan, section=BudgetLine.Section.COST).order_by("order", "pk"))


def _stored(line, column) -> Decimal | None:
    return LineAmount.objects.filter(line=line, column=column).values_list("amount", flat=True).first()


def perform(client, plan: Plan, operation) -> None:
    """Post the operation as the page's form would, and check the answer and what it stored."""
    plan.refresh_from_db()
    version = {"version": str(plan.version)}
    columns = _columns(plan)
    if isinstance(operation, SetContribution):
        member = list(plan.members.order_by("order", "pk"))[operation.member % plan.members.count()]
        column = columns[operation.column % len(columns)]
        response = client.post(
            reverse("edit:contributions", args=[plan.pk]),
            {**version, f"r{member.pk}-amount-{column.pk}": swedish(operation.amount, operation.separator)},
        )
        assert response.status_code == 302
        line = BudgetLine.objects.filter(plan=plan, member=member).first()
        assert (_stored(line, column) if line else None) == operation.amount
    elif isinstance(operation, SetCost):
        lines = _cost_lines(plan)
        if not lines:
            return
        line, column = lines[operation.line % len(lines)], columns[operation.column % len(columns)]
        response = client.post(
            reverse("edit:lines_save", args=[plan.pk, "kostnader"]),
            {**version, f"r{line.pk}-amount-{column.pk}": swedish(operation.amount, operation.separator)},
        )
        assert response.status_code == 302
        assert _stored(line, column) == operation.amount
    elif isinstance(operation, AddCostLine):
        before = len(_cost_lines(plan))
        response = client.post(
            reverse("edit:line_create", args=[plan.pk, "kostnader"]),
            {**version, "label": operation.label, "group": operation.group, "intervention": ""},
        )
        assert response.status_code == 302
        assert len(_cost_lines(plan)) == before + 1
    elif isinstance(operation, DeleteLine):
        lines = _cost_lines(plan)
        if not lines:
            return
        line = lines[operation.line % len(lines)]
        response = client.post(reverse("edit:line_delete", args=[plan.pk, line.pk]), version)
        assert response.status_code == 302
        assert not BudgetLine.objects.filter(pk=line.pk).exists()
    elif isinstance(operation, FillFromKey):
        column = columns[operation.column % len(columns)]
        response = client.post(
            reverse("edit:contributions_key", args=[plan.pk]),
            {**version, "column": str(column.pk), "key": operation.key, "total": swedish(operation.total, " ")},
        )
        # Refused when the key lacks shares or populations, or nobody else pays in the column.
        assert response.status_code in (302, 400)
        if response.status_code == 302 and operation.total is not None:
            filled = LineAmount.objects.filter(
                column=column, line__section=BudgetLine.Section.CONTRIBUTION, line__member__kind="municipality"
            ).values_list("amount", flat=True)
            assert sum(filled, Decimal(0)) == operation.total
    else:
        year = plan.year + operation.year_offset
        response = client.post(
            reverse("edit:columns", args=[plan.pk]), {**version, "kind": operation.kind, "year": str(year), "label": ""}
        )
        exists = any(column.year == year and column.kind == operation.kind for column in columns)
        assert response.status_code == (400 if exists else 302)


def expected_totals(plan_pk: int) -> tuple[dict, list]:
    """Per column (contributions, costs, result) and the equity chain as [(year, closing)],
    summed here from the stored amounts."""
    plan = Plan.objects.get(pk=plan_pk)
    columns = _columns(plan)
    cells = {column.pk: {section: [] for section in BudgetLine.Section.values} for column in columns}
    for column_id, section, amount in LineAmount.objects.filter(line__plan=plan).values_list(
        "column_id", "line__section", "amount"
    ):
        assert type(amount) is Decimal, repr(amount)
        assert amount == amount.quantize(FOUR_DECIMALS), amount
        cells[column_id][section].append(amount)

    def total(values):
        # No amount at all is an empty cell, not zero.
        return sum(values, Decimal(0)) if values else None

    per_column = {}
    for column in columns:
        contributions = total(cells[column.pk][BudgetLine.Section.CONTRIBUTION])
        other_income = total(cells[column.pk][BudgetLine.Section.INCOME])
        income = total([value for value in (contributions, other_income) if value is not None])
        costs = total(cells[column.pk][BudgetLine.Section.COST])
        result = income - costs if income is not None and costs is not None else None
        per_column[column.slug] = (contributions, costs, result)

    chain = []
    if plan.equity_opening_year is not None:
        best = {}
        for column in columns:
            if column.year not in best or COLUMN_RANK[column.kind] < COLUMN_RANK[best[column.year].kind]:
                best[column.year] = column
        equity, year = plan.equity_opening_amount, plan.equity_opening_year
        while year in best and per_column[best[year].slug][2] is not None:
            equity += per_column[best[year].slug][2]
            chain.append((year, equity))
            year += 1
    return per_column, chain


def assert_totals_exact(plan_pk: int) -> None:
    per_column, chain = expected_totals(plan_pk)
    totals = plan_overview(plan_queryset().get(pk=plan_pk)).totals
    shown = {column.id: (column.contributions, column.costs, column.result) for column in totals.columns}
    assert shown == per_column
    assert [(link.year, link.closing) for link in totals.chain] == chain
    for value in [*(value for triple in shown.values() for value in triple), *(closing for _year, closing in chain)]:
        assert value is None or type(value) is Decimal, repr(value)


def test_any_sequence_of_edits_keeps_the_totals_exact(personas, client_for):
    plan = personas["plan_b"]
    client = client_for("chief_b")
    assert_totals_exact(plan.pk)

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(operations, min_size=1, max_size=8))
    def edit(steps):
        with transaction.atomic():
            for operation in steps:
                perform(client, plan, operation)
                assert_totals_exact(plan.pk)
            # The plan page shows the same results.
            page = client.get(reverse("budgets:plan", args=[plan.pk]))
            assert page.status_code == 200
            text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page.content.decode())))
            for _contributions, _costs, result in expected_totals(plan.pk)[0].values():
                if result is not None:
                    assert format_number(result, 2) in text
            transaction.set_rollback(True)

    edit()
