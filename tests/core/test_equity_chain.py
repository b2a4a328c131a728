"""The equity chain: year by year through each year's most informed column (actual,
else forecast, else budget, else plan), and every column's own closing equity."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgets.planfile import read_plan_data
from budgets.totals import chain_columns, compute_totals
from tests.core.plans import RICH_CHAIN, RICH_CLOSING, RICH_COLUMNS, rich_plan

pytestmark = pytest.mark.core
D = Decimal


def chain_of(data):
    return [(link.year, link.column, link.opening, link.result, link.closing) for link in compute_totals(read_plan_data(data)).chain]


def test_the_chain_through_the_actual_then_budget_then_plan():
    assert chain_of(rich_plan()) == RICH_CHAIN


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_the_actual_wins_over_forecast_and_budget_of_the_same_year_in_any_order(order):
    columns_2024 = [RICH_COLUMNS[index] for index in order]
    data = rich_plan(columns=columns_2024 + RICH_COLUMNS[3:])

    assert chain_of(data) == RICH_CHAIN


@pytest.mark.parametrize("order", [("f2024", "b2024"), ("b2024", "f2024")])
def test_without_an_actual_the_forecast_wins_over_the_budget(order):
    by_id = {column["id"]: column for column in RICH_COLUMNS}
    data = rich_plan(columns=[by_id[column] for column in order] + RICH_COLUMNS[3:])
    for line in data["contributions"] + data["income"] + data["costs"]:
        line["amounts"].pop("u2024", None)

    # 2024 through the forecast: 1 000 000 + 250 000; then +100 000 and −100 000.
    assert chain_of(data) == [
        (2024, "f2024", D(1000000), D(250000), D(1250000)),
        (2025, "b2025", D(1250000), D(100000), D(1350000)),
        (2026, "p2026", D(1350000), D(-100000), D(1250000)),
    ]


@pytest.mark.parametrize(
    "kinds, winner",
    [
        (("plan", "budget"), "budget"),
        (("budget", "plan"), "budget"),
        (("plan", "forecast"), "forecast"),
        (("forecast", "actual"), "actual"),
        (("plan", "actual"), "actual"),
        (("budget", "forecast", "actual", "plan"), "actual"),
    ],
)
def test_chain_columns_ranks(kinds, winner):
    data = rich_plan(columns=[{"id": f"{kind[0]}2025", "year": 2025, "kind": kind} for kind in kinds])
    for section in ("contributions", "income", "costs"):
        data[section] = [] if section != "costs" else [
            {"id": "kansli", "label": "Kansli", "group": "administration", "amounts": {}}
        ]
    data["interventions"] = None
    best = chain_columns(read_plan_data(data).columns)

    assert list(best) == [2025]
    assert best[2025].kind == winner


def test_of_two_columns_of_the_same_kind_and_year_the_first_is_in_the_chain():
    # A revised budget beside the original: the chain stays with the column placed first.
    data = rich_plan(columns=[RICH_COLUMNS[0], {"id": "b2024r", "year": 2024, "kind": "budget", "label": "Budget 2024 rev"}])
    for line in data["contributions"] + data["costs"]:
        line["amounts"] = {"b2024": 1000, "b2024r": 1000}
    data["costs"][0]["amounts"]["b2024r"] = 2000
    data["costs"][0].pop("intervention")
    data.update(income=None, interventions=None, plan={"year": 2024, "last_year": 2024, "unit": "SEK"})

    assert chain_of(data) == [(2024, "b2024", D(1000000), D(0), D(1000000))]


@pytest.mark.parametrize("column, closing", RICH_CLOSING.items())
def test_every_column_keeps_its_own_closing_equity(column, closing):
    # Budget 2024 and Prognos 2024 beside Utfall 2024 start from the same opening
    # and end at their own closing equity; only the actual is in the chain.
    totals = compute_totals(read_plan_data(rich_plan()))
    column_totals = totals.column(column)

    assert column_totals.closing_equity == closing
    assert column_totals.opening_equity == closing - column_totals.result
    assert column_totals.in_chain is (column in ("u2024", "b2025", "p2026"))


@pytest.mark.parametrize(
    "change, expected",
    [
        # No opening equity: no chain at all.
        ({"equity": None}, []),
        ({"equity": {}}, []),
        # An opening year with no column: no chain.
        ({"equity": {"opening": {"year": 2023, "amount": 5}}}, []),
        # Opening in 2025: the chain starts there, from that amount.
        (
            {"equity": {"opening": {"year": 2025, "amount": "10.10"}}},
            [(2025, "b2025", D("10.10"), D(100000), D("100010.10")), (2026, "p2026", D("100010.10"), D(-100000), D("10.10"))],
        ),
    ],
)
def test_where_the_chain_starts(change, expected):
    assert chain_of(rich_plan(**change)) == expected


def test_the_chain_stops_at_a_year_without_a_column():
    data = rich_plan(columns=RICH_COLUMNS[:3] + [RICH_COLUMNS[4]])
    for line in data["contributions"] + data["income"] + data["costs"]:
        line["amounts"].pop("b2025", None)

    assert chain_of(data) == RICH_CHAIN[:1]
    totals = compute_totals(read_plan_data(data))
    assert totals.column("p2026").opening_equity is None
    assert totals.column("p2026").closing_equity is None


def test_the_chain_stops_at_a_year_without_a_result():
    data = rich_plan()
    for line in data["costs"]:
        line["amounts"].pop("b2025", None)

    assert chain_of(data) == RICH_CHAIN[:1]
    assert compute_totals(read_plan_data(data)).column("p2026").closing_equity is None


def test_chain_by_year_and_contributions():
    totals = compute_totals(read_plan_data(rich_plan()))

    assert sorted(totals.chain_by_year) == [2024, 2025, 2026]
    assert totals.chain_by_year[2025].column == "b2025"
    assert totals.chain_by_year[2025].contributions == D(4000000)
    assert totals.unit == "SEK"


@settings(deadline=None)
@given(
    opening=st.integers(min_value=-10**9, max_value=10**9),
    results=st.lists(st.integers(min_value=-10**8, max_value=10**8), min_size=1, max_size=6),
)
def test_closing_equity_is_the_opening_plus_the_results_so_far(opening, results):
    # One plan column a year; the result is income minus costs in öre.
    years = list(range(2025, 2025 + len(results)))
    data = rich_plan(
        plan={"year": 2025, "last_year": years[-1], "unit": "SEK"},
        columns=[{"id": f"p{year}", "year": year, "kind": "plan"} for year in years],
        contributions=[],
        income=[{
            "id": "ovrigt", "label": "Övrigt", "kind": "other",
            "amounts": {f"p{year}": str(D(max(result, 0)).scaleb(-2)) for year, result in zip(years, results)},
        }],
        costs=[{
            "id": "kansli", "label": "Kansli", "group": "administration",
            "amounts": {f"p{year}": str(D(max(-result, 0)).scaleb(-2)) for year, result in zip(years, results)},
        }],
        equity={"opening": {"year": 2025, "amount": str(D(opening).scaleb(-2))}},
        interventions=None,
    )
    chain = compute_totals(read_plan_data(data)).chain

    assert [link.year for link in chain] == years
    running = D(opening).scaleb(-2)
    for link, result in zip(chain, results):
        assert link.opening == running
        running += D(result).scaleb(-2)
        assert link.closing == running
