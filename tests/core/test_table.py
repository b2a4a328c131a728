"""The budget table's row keys, which pages mark their cells with and findings are
anchored to: one row per key, and the figures of the comparison columns in place."""

from decimal import Decimal

import pytest

from budgets.planfile import read_plan_data
from budgets.table import budget_table
from budgets.totals import compute_totals
from tests.core.plans import RICH_CLOSING, rich_plan

pytestmark = pytest.mark.core
D = Decimal


def table_of(data):
    document = read_plan_data(data)
    return budget_table(document, compute_totals(document), [])


def test_an_income_line_and_a_cost_line_with_the_same_id_are_two_rows():
    # Sydöstra Skåne has both an income line and a cost line "esf-iris".
    data = rich_plan()
    data["costs"].append({"id": "esf", "label": "ESF, kostnader", "group": "operations", "amounts": {"b2025": 1}})
    table = table_of(data)
    keys = [row.key for row in table.rows if row.cells]

    assert len(keys) == len(set(keys))
    by_key = {row.key: row for row in table.rows}
    assert [cell.value for cell in by_key["income:esf"].cells] == [None, D(50000), D("100000.50"), D(200000), None]
    assert [cell.value for cell in by_key["line:esf"].cells] == [None, None, None, D(1), None]


def test_every_column_shows_its_own_closing_equity():
    table = table_of(rich_plan())
    closing = next(row for row in table.rows if row.key == "total:closing_equity")

    assert {cell.column: cell.value for cell in closing.cells} == RICH_CLOSING
    assert [cell.text for cell in closing.cells] == ["900 000", "1 250 000", "1 700 000,25", "1 800 000,25", "1 700 000,25"]
