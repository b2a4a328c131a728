"""Printed totals (STATED_TOTAL) in a whole plan: a printed figure that differs from its
lines is named, and only that one. A printed total that follows from the plan's other
printed figures (income from printed contributions plus other income, a result from
printed income and costs, a closing equity from the year before's printed closing) is
not flagged again.

The plan is `rich_plan()`; its figures, worked out by hand in tests/core/plans.py:

    column   contributions  other income  income         costs          result       closing equity
    u2024    4 000 000      100 000,50    4 100 000,50   3 400 000,25   700 000,25   1 700 000,25
    b2025    4 000 000      200 000       4 200 000      4 100 000      100 000      1 800 000,25
    p2026    4 000 000      none          4 000 000      4 100 000      −100 000     1 700 000,25

The chain runs through u2024, b2025 and p2026. Costs by group in b2025: intervention
3 000 000, reserve 500 000, operations 200 000, administration 400 000.
"""

from decimal import Decimal

import pytest

from budgets.planfile import read_plan_data
from budgets.validation import validate_document
from tests.core.plans import rich_plan

pytestmark = pytest.mark.core
D = Decimal

RIGHT = {
    "u2024": {"contributions": "4000000", "income": "4100000.50", "costs": "3400000.25", "result": "700000.25", "closing_equity": "1700000.25"},
    "b2025": {"contributions": "4000000", "income": "4200000", "costs": "4100000", "result": "100000", "closing_equity": "1800000.25"},
    "p2026": {"contributions": "4000000", "income": "4000000", "costs": "4100000", "result": "-100000", "closing_equity": "1700000.25"},
}


def stated_findings(stated: dict) -> list[tuple]:
    findings = validate_document(read_plan_data(rich_plan(stated=stated)))
    return [(f.column, f.row, f.actual, f.expected) for f in findings if f.code == "STATED_TOTAL"]


def messages(stated: dict) -> list[str]:
    return [f.message for f in validate_document(read_plan_data(rich_plan(stated=stated))) if f.code == "STATED_TOTAL"]


def test_every_printed_total_right_is_no_finding():
    subtotals = {"subtotals": [{"label": "Insatser och reserv", "groups": ["intervention", "reserve"], "amount": "3500000"}]}
    assert stated_findings({**RIGHT, "b2025": {**RIGHT["b2025"], **subtotals}}) == []


def test_wrong_contributions_are_named_and_the_totals_that_follow_from_them_are_not():
    # 4 100 000 printed: income 4 300 000 is 4 100 000 + 200 000 other income, the
    # result 200 000 is 4 300 000 − 4 100 000 and the closing 1 900 000,25 is
    # 1 700 000,25 + 200 000.
    stated = {"b2025": {"contributions": "4100000", "income": "4300000", "costs": "4100000", "result": "200000", "closing_equity": "1900000.25"}}

    assert stated_findings(stated) == [("b2025", "total:contributions", D(4100000), D(4000000))]
    assert messages(stated) == [
        "Budget 2025: medlemsbidragen anges till 4 100 000 kr men raderna summerar till 4 000 000 kr (skillnad 100 000 kr)."
    ]


def test_a_result_follows_from_printed_contributions_and_the_other_income_even_without_a_printed_income():
    # b2025: (4 100 000 + 200 000) − 4 100 000 = 200 000. p2026 has no other income:
    # 4 100 000 − 4 100 000 = 0.
    stated = {"b2025": {"contributions": "4100000", "result": "200000"}, "p2026": {"contributions": "4100000", "result": "0"}}

    assert stated_findings(stated) == [
        ("b2025", "total:contributions", D(4100000), D(4000000)),
        ("p2026", "total:contributions", D(4100000), D(4000000)),
    ]


def test_wrong_income_is_named_and_a_result_from_it_and_the_costs_of_the_lines_is_not():
    stated = {"b2025": {"income": "4300000", "result": "200000"}}

    assert stated_findings(stated) == [("b2025", "total:income", D(4300000), D(4200000))]
    assert messages(stated) == [
        "Budget 2025: intäkterna anges till 4 300 000 kr men raderna summerar till 4 200 000 kr (skillnad 100 000 kr)."
    ]


def test_income_that_is_not_the_printed_contributions_plus_the_other_income_is_named():
    # 4 100 000 + 200 000 is 4 300 000, not 3 900 000.
    stated = {"b2025": {"contributions": "4100000", "income": "3900000"}}

    assert stated_findings(stated) == [
        ("b2025", "total:contributions", D(4100000), D(4000000)),
        ("b2025", "total:income", D(3900000), D(4200000)),
    ]


def test_wrong_costs_are_named_and_a_result_from_the_income_of_the_lines_and_them_is_not():
    # 4 200 000 − 4 000 000 = 200 000; closing 1 700 000,25 + 200 000.
    stated = {"b2025": {"costs": "4000000", "result": "200000", "closing_equity": "1900000.25"}}

    assert stated_findings(stated) == [("b2025", "total:costs", D(4000000), D(4100000))]
    assert messages(stated) == [
        "Budget 2025: kostnaderna anges till 4 000 000 kr men raderna summerar till 4 100 000 kr (skillnad 100 000 kr)."
    ]


def test_errors_in_several_columns_are_all_named_in_column_order():
    stated = {
        "u2024": {"contributions": "3900000"},
        "b2025": {"costs": "4000000"},
        "p2026": {"subtotals": [{"label": "Insatser och reserv", "groups": ["intervention", "reserve"], "amount": "3600000"}]},
    }

    assert stated_findings(stated) == [
        ("u2024", "total:contributions", D(3900000), D(4000000)),
        ("b2025", "total:costs", D(4000000), D(4100000)),
        ("p2026", "total:subtotal", D(3600000), D(3500000)),
    ]
    assert messages(stated)[2] == (
        "Plan 2026: Insatser och reserv anges till 3 600 000 kr men raderna summerar till 3 500 000 kr (skillnad 100 000 kr)."
    )


def test_a_subtotal_of_a_group_without_lines_is_zero():
    stated = {"b2025": {"subtotals": [{"label": "Övrigt", "groups": ["unspecified"], "amount": "0"}]}}
    assert stated_findings(stated) == []
    stated["b2025"]["subtotals"][0]["amount"] = "1"
    assert stated_findings(stated) == [("b2025", "total:subtotal", D(1), D(0))]


def test_a_wrong_result_and_a_wrong_closing_equity_are_named():
    stated = {"b2025": {"result": "150000", "closing_equity": "1850000"}}

    assert stated_findings(stated) == [
        ("b2025", "total:result", D(150000), D(100000)),
        # 1 700 000,25 + 150 000 is 1 850 000,25: the printed result does not explain it either.
        ("b2025", "total:closing_equity", D(1850000), D("1800000.25")),
    ]
    assert messages(stated) == [
        "Budget 2025: resultatet anges till 150 000 kr men intäkter minus kostnader ger 100 000 kr (skillnad 50 000 kr).",
        "Budget 2025: eget kapital vid årets slut anges till 1 850 000 kr men ingående eget kapital plus resultatet ger "
        "1 800 000,25 kr (skillnad 49 999,75 kr).",
    ]


def test_a_closing_equity_that_follows_from_the_year_befores_printed_closing_is_not_flagged():
    # u2024's printed closing is 100 000 too high; b2025's printed closing carries it on:
    # 1 800 000,25 + 100 000.
    stated = {"u2024": {"closing_equity": "1800000.25"}, "b2025": {"closing_equity": "1900000.25"}}

    assert stated_findings(stated) == [("u2024", "total:closing_equity", D("1800000.25"), D("1700000.25"))]


def test_a_closing_equity_two_years_on_from_a_printed_one_is_judged_on_its_own():
    # p2026 follows b2025, not u2024: 1 800 000,25 (u2024 printed) − 100 000 is no excuse.
    stated = {"u2024": {"closing_equity": "1800000.25"}, "p2026": {"closing_equity": "1700000.25"}}
    assert stated_findings(stated) == [("u2024", "total:closing_equity", D("1800000.25"), D("1700000.25"))]
    stated["p2026"]["closing_equity"] = "1800000.25"
    assert stated_findings(stated) == [
        ("u2024", "total:closing_equity", D("1800000.25"), D("1700000.25")),
        ("p2026", "total:closing_equity", D("1800000.25"), D("1700000.25")),
    ]


def findings_in_2027(stated: dict, *, contributions=None, administration=None) -> list[tuple]:
    """A plan year 2027 added to the rich plan with only the lines given."""
    data = rich_plan(stated={"p2027": stated})
    data["columns"].append({"id": "p2027", "year": 2027, "kind": "plan"})
    if contributions is not None:
        data["contributions"][0]["amounts"]["p2027"] = contributions
    if administration is not None:
        data["costs"][3]["amounts"]["p2027"] = administration
    return [
        (f.column, f.row, f.actual, f.expected)
        for f in validate_document(read_plan_data(data))
        if f.code == "STATED_TOTAL"
    ]


def test_a_column_without_costs_and_a_result_from_its_printed_income():
    # Only the state has paid in for 2027, 2 000 000; administration is budgeted at 0 and
    # there are no other costs. The printed income is 100 000 too high; the printed result
    # follows from it.
    stated = {"contributions": "2000000", "income": "2100000", "result": "2100000"}
    assert findings_in_2027(stated, contributions=2000000, administration=0) == [
        ("p2027", "total:income", D(2100000), D(2000000))
    ]
    assert findings_in_2027({"costs": "0"}, contributions=2000000) == []


def test_a_column_with_only_costs_and_a_result_from_its_printed_costs():
    # Administration of 400 000 in 2027 and the state's contribution budgeted at 0;
    # 500 000 printed as the costs.
    stated = {"costs": "500000", "result": "-500000"}
    assert findings_in_2027(stated, contributions=0, administration=400000) == [
        ("p2027", "total:costs", D(500000), D(400000))
    ]
    assert findings_in_2027({"contributions": "0"}, administration=400000) == []
    assert findings_in_2027({"income": "0"}, administration=400000) == []
