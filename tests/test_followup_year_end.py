"""The year's end feeds the next plan: the whole-year outcome becomes the year's actual
column when next year's plan is rolled forward, and the equity chain runs through it."""

import datetime
from decimal import Decimal

from budgets.models import LineAmount
from budgets.selectors import plan_overview
from budgets.services import plan_roll_forward
from followup.models import FollowUp, Outcome


def record_year(plan, *, changes: dict[str, Decimal]):
    """A follow-up to 31 December with every line's outcome at its budget, but for `changes` (by line id)."""
    follow_up = FollowUp.objects.create(plan=plan, period_end=datetime.date(plan.year, 12, 31))
    for amount in LineAmount.objects.filter(line__plan=plan, column__slug=f"b{plan.year}").select_related("line"):
        Outcome.objects.create(follow_up=follow_up, line=amount.line, amount=changes.get(amount.line.slug, amount.amount))
    return follow_up


def test_the_whole_year_outcome_becomes_the_actual_column_of_next_years_plan(personas):
    plan = personas["plan_a"]
    # Enter cost 439 000 less than its budget of 3 439 000.
    record_year(plan, changes={"enter": Decimal(3000000)})
    next_year = plan_roll_forward(plan=plan, acting_user=personas["chief_a"])
    columns = {column.slug: column.kind for column in next_year.columns.all()}
    assert columns["u2025"] == "actual"
    assert "f2025" not in columns
    amounts = {
        row.line.slug: row.amount for row in LineAmount.objects.filter(line__plan=next_year, column__slug="u2025").select_related("line")
    }
    assert amounts["enter"] == Decimal(3000000)
    assert amounts["kansli"] == Decimal(870000)
    totals = plan_overview(next_year).totals
    link = totals.chain_by_year[2025]
    # The chain runs through the actual: 1 760 500 at the start of 2025, the budget's
    # result −655 500 improved by 439 000.
    assert (link.column, link.opening, link.result, link.closing) == ("u2025", Decimal(1760500), Decimal(-216500), Decimal(1544000))
    assert totals.chain_by_year[2026].opening == Decimal(1544000)


def test_without_a_year_end_follow_up_the_year_stays_a_forecast(personas):
    plan = personas["plan_a"]
    FollowUp.objects.create(plan=plan, period_end=datetime.date(2025, 8, 31))
    next_year = plan_roll_forward(plan=plan, acting_user=personas["chief_a"])
    columns = {column.slug: column.kind for column in next_year.columns.all()}
    assert columns["f2025"] == "forecast"
    assert "u2025" not in columns
