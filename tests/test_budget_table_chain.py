"""The budget table says which column of a year carries the equity chain, and marks the
equity of the other columns as comparison only (pure, no database)."""

import pytest

from budgets.planfile import read_plan_file
from budgets.table import budget_table
from budgets.totals import compute_totals
from budgets.validation import validate_document

from .conftest import SEED_PLAN_DIR

pytestmark = pytest.mark.core


def table_of(name: str):
    document = read_plan_file((SEED_PLAN_DIR / f"{name}.json").read_bytes())
    totals = compute_totals(document)
    return budget_table(document, totals, validate_document(document, totals=totals))


def test_the_forecast_carries_2024_and_the_budget_2024_is_comparison_only():
    table = table_of("sodra-vatterbygden-2025")
    marked = dict(zip([column.id for column in table.columns], table.drives_chain))
    # Two columns for 2024: the forecast carries the chain; a year with one column needs no mark.
    assert marked == {"b2024": False, "f2024": True, "b2025": False, "p2026": False, "p2027": False}

    closing = next(row for row in table.rows if row.key == "total:closing_equity")
    by_column = {cell.column: cell for cell in closing.cells}
    assert by_column["b2024"].comparison_only and "jämförelse" in by_column["b2024"].html
    assert not by_column["f2024"].comparison_only and "jämförelse" not in by_column["f2024"].html
    assert "1 760 500" in by_column["f2024"].html


def test_a_plan_with_one_column_a_year_marks_nothing():
    table = table_of("hoglandet-2023")
    assert not any(table.drives_chain)
    assert not any(cell.comparison_only for row in table.rows for cell in row.cells if cell.value is not None)
