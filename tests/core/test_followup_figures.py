"""The follow-up's figures: share of the year, default forecast, overrides, variance signs,
the equity forecast and the plan's checks run on the forecast."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgets.planfile import read_plan_data
from budgets.validation import GuidanceBand
from followup.figures import BAD, EVEN, GOOD, NoBudgetYear, default_forecast, follow_up_figures, share_of_year, summary_sentences, tone
from tests.core.plans import rich_plan

pytestmark = pytest.mark.core

D = Decimal
APRIL = datetime.date(2025, 4, 30)


@pytest.mark.parametrize(
    "period_end, days, days_in_year",
    [
        (datetime.date(2025, 1, 1), 1, 365),
        (datetime.date(2025, 4, 30), 120, 365),
        (datetime.date(2025, 8, 31), 243, 365),
        (datetime.date(2025, 12, 31), 365, 365),
        (datetime.date(2024, 2, 29), 60, 366),
        (datetime.date(2024, 4, 30), 121, 366),
        (datetime.date(2024, 8, 31), 244, 366),
        (datetime.date(2024, 12, 31), 366, 366),
    ],
)
def test_the_share_of_the_year_gone_counts_days_with_leap_years(period_end, days, days_in_year):
    assert share_of_year(period_end) == D(days) / D(days_in_year)


@pytest.mark.parametrize(
    "period_end, budget, outcome, expected",
    [
        # 245 days of 365 left after 30 April: 1 000 kr a day of a 365 000 budget.
        (datetime.date(2025, 4, 30), D(365000), D(100000), D(345000)),
        # A leap year: 245 days of 366 left after 30 April.
        (datetime.date(2024, 4, 30), D(366000), D(100000), D(345000)),
        (datetime.date(2025, 8, 31), D(365000), D(250000), D(372000)),
        (datetime.date(2024, 8, 31), D(366000), D(250000), D(372000)),
        # The whole year: the forecast is the outcome.
        (datetime.date(2025, 12, 31), D(365000), D(380000), D(380000)),
        (datetime.date(2024, 12, 31), D(366000), D(1), D(1)),
        # The rest rounded half up to whole kronor: 200 000 x 245/365 = 134 246,575...
        (datetime.date(2025, 4, 30), D(200000), D(0), D(134247)),
        (datetime.date(2025, 4, 30), D(200000), D("10.50"), D("134257.50")),
        # No outcome recorded: the budget stands.
        (datetime.date(2025, 4, 30), D(365000), None, D(365000)),
        # No budget: the outcome is all there is.
        (datetime.date(2025, 4, 30), None, D(5000), D(5000)),
    ],
)
def test_the_default_forecast_is_the_outcome_and_the_rest_of_the_budget_pro_rata(period_end, budget, outcome, expected):
    forecast = default_forecast(budget=budget, outcome=outcome, year_share=share_of_year(period_end))
    assert forecast == expected


def test_a_plan_in_thousands_rounds_the_rest_of_the_year_to_whole_thousands():
    forecast = default_forecast(budget=D(2000), outcome=D(0), year_share=share_of_year(APRIL))
    # 2 000 x 245/365 = 1 342,47
    assert forecast == D(1342)


@pytest.mark.parametrize(
    "side, variance, expected",
    [
        ("income", D(10), GOOD),
        ("income", D(-10), BAD),
        ("cost", D(10), BAD),
        ("cost", D(-10), GOOD),
        ("result", D(10), GOOD),
        ("result", D(-10), BAD),
        ("cost", D(0), EVEN),
        ("income", None, None),
    ],
)
def test_a_variance_reads_right_for_income_and_costs(side, variance, expected):
    assert tone(side, variance) == expected


def plan(**amounts):
    """rich_plan() with budget 2025 amounts that divide by 365; `amounts` override by line id."""
    data = rich_plan()
    budget = {"insats": 3650000, "reserv": 365000, "drift": 182500, "kansli": 365000}
    budget.update(amounts)
    for line in data["costs"]:
        line["amounts"]["b2025"] = budget[line["id"]]
    data["income"][0]["amounts"]["b2025"] = 73000
    return read_plan_data(data)


OUTCOMES = {"cost:insats": D(1000000), "cost:kansli": D(200000), "income:esf": D(0), "member:fk": D(2000000)}
OVERRIDES = {"member:fk": D(2000000), "cost:drift": D(250000)}


def figures(outcomes=OUTCOMES, forecasts=OVERRIDES, bands=(), period_end=APRIL, document=None):
    return follow_up_figures(
        document or plan(), period_end=period_end, outcomes=outcomes, forecasts=forecasts, bands=bands
    )


@pytest.mark.parametrize(
    "key, budget, outcome, forecast, variance, overridden, reading",
    [
        ("cost:insats", D(3650000), D(1000000), D(3450000), D(-200000), False, GOOD),
        ("cost:kansli", D(365000), D(200000), D(445000), D(80000), False, BAD),
        ("cost:drift", D(182500), None, D(250000), D(67500), True, BAD),
        ("cost:reserv", D(365000), None, D(365000), D(0), False, EVEN),
        ("income:esf", D(73000), D(0), D(49000), D(-24000), False, BAD),
        ("member:fk", D(2000000), D(2000000), D(2000000), D(0), True, EVEN),
        ("group:intervention", D(3650000), D(1000000), D(3450000), D(-200000), False, GOOD),
        ("group:contributions", D(4000000), D(2000000), D(4000000), D(0), False, EVEN),
        ("total:income", D(4073000), D(2000000), D(4049000), D(-24000), False, BAD),
        ("total:costs", D(4562500), D(1200000), D(4510000), D(-52500), False, GOOD),
        ("total:result", D(-489500), D(800000), D(-461000), D(28500), False, GOOD),
    ],
)
def test_each_line_group_and_total_has_its_budget_outcome_forecast_and_variance(
    key, budget, outcome, forecast, variance, overridden, reading
):
    row = figures().row(key)
    assert (row.budget, row.outcome, row.forecast, row.variance, row.overridden, row.tone) == (
        budget, outcome, forecast, variance, overridden, reading
    )


def test_the_share_used_and_the_variance_percent_are_of_the_budget():
    row = figures().row("cost:kansli")
    assert row.used_share == D(200000) / D(365000) * 100
    assert row.variance_percent == D(80000) / D(365000) * 100
    assert figures().year_share == D(120) / D(365) * 100


def test_the_whole_year_forecast_is_the_outcome():
    result = figures(forecasts={}, period_end=datetime.date(2025, 12, 31))
    assert result.row("cost:insats").forecast == D(1000000)
    assert result.row("cost:reserv").forecast == D(365000)


def test_the_equity_forecast_runs_the_chain_with_the_forecast_in_place_of_the_budget():
    equity = figures().equity
    # The chain reaches 2025 with 1 700 000,25 (through the actual for 2024).
    assert (equity.opening, equity.result, equity.closing) == (D("1700000.25"), D(-461000), D("1239000.25"))
    assert equity.budget_closing == D("1210500.25")


BAND = GuidanceBand(
    valid_from=datetime.date(2020, 1, 1),
    valid_until=None,
    contributions_from=D(0),
    contributions_to=None,
    ceiling_percent=D(20),
)


def test_the_equity_forecast_is_held_against_the_ceiling_and_the_checks_say_so():
    result = figures(bands=[BAND])
    assert result.equity.ceiling == D(800000)
    assert result.equity.above_ceiling
    assert [(finding.code, finding.column) for finding in result.findings] == [("EQUITY_CEILING", "b2025")]


def test_a_forecast_without_problems_has_no_findings():
    assert figures().findings == []


def test_a_forecast_that_breaks_the_split_gets_the_split_finding():
    result = figures(forecasts={"member:fk": D(1000000)})
    assert "SPLIT" in [finding.code for finding in result.findings]


def test_a_forecast_below_zero_equity_gets_the_negative_equity_finding():
    result = figures(forecasts={"member:fk": D(2000000), "cost:reserv": D(3000000)})
    # Income 4 049 000; costs 3 450 000 + 3 000 000 + 182 500 + 445 000.
    assert result.equity.closing == D("-1328499.75")
    assert "NEGATIVE_EQUITY" in [finding.code for finding in result.findings]


def test_the_summary_says_the_result_and_equity_forecast_in_two_sentences():
    assert summary_sentences(figures(bands=[BAND])) == [
        "Årets resultat 2025 beräknas bli \u2212461 000 kr, 28 500 kr bättre än budgeterade \u2212489 500 kr.",
        "Eget kapital vid utgången av 2025 beräknas till 1 239 000 kr, över riktlinjens tak på 800 000 kr.",
    ]


def test_the_summary_says_worse_when_the_result_falls_short():
    sentences = summary_sentences(figures(forecasts={"member:fk": D(2000000), "cost:drift": D(300000)}))
    assert sentences[0] == "Årets resultat 2025 beräknas bli \u2212511 000 kr, 21 500 kr sämre än budgeterade \u2212489 500 kr."
    assert sentences[1] == "Eget kapital vid utgången av 2025 beräknas till 1 189 000 kr."


def test_the_intervention_figures_sum_the_lines_that_name_it():
    (steget,) = figures().interventions
    assert (steget.budget, steget.outcome, steget.forecast) == (D(3650000), D(1000000), D(3450000))


def test_a_plan_without_a_column_for_its_year_has_nothing_to_follow_up():
    data = rich_plan()
    data["plan"]["year"] = 2027
    data["plan"]["last_year"] = 2027
    with pytest.raises(NoBudgetYear):
        follow_up_figures(read_plan_data(data), period_end=datetime.date(2027, 4, 30), outcomes={})


LINE_KEYS = ["member:fk", "member:region", "member:norr", "member:soder", "income:esf", "cost:insats", "cost:reserv", "cost:drift", "cost:kansli"]
amounts = st.dictionaries(st.sampled_from(LINE_KEYS), st.integers(min_value=0, max_value=10**8).map(Decimal), max_size=9)


@given(outcomes=amounts, forecasts=amounts, day=st.integers(min_value=0, max_value=364))
def test_totals_add_up_and_the_equity_forecast_follows_the_result(outcomes, forecasts, day):
    period_end = datetime.date(2025, 1, 1) + datetime.timedelta(days=day)
    result = follow_up_figures(plan(), period_end=period_end, outcomes=outcomes, forecasts=forecasts)
    lines = [row for row in result.rows if row.kind == "line"]
    income = sum(row.forecast for row in lines if row.side == "income")
    costs = sum(row.forecast for row in lines if row.side == "cost")
    assert result.row("total:income").forecast == income
    assert result.row("total:costs").forecast == costs
    assert result.result.forecast == income - costs
    assert result.equity.closing == result.equity.opening + income - costs
    for row in lines:
        if row.key in forecasts:
            assert row.forecast == forecasts[row.key]
        elif row.key not in outcomes:
            assert row.forecast == row.budget
