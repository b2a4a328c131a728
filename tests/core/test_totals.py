"""Totals per column, worked out by hand for a plan with other income, reserve lines
and öre (tests/core/plans.py), and properties that hold for every plan."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgets.planfile import read_plan_data
from budgets.totals import Funding, compute_totals, intervention_cost_per_column, party_of, unit_places
from tests.core.plans import ALL, RICH, RICH_RESERVE, rich_plan

pytestmark = pytest.mark.core
D = Decimal


@pytest.fixture(scope="module")
def totals():
    return compute_totals(read_plan_data(rich_plan()))


@pytest.mark.parametrize("column", ALL)
def test_income_costs_and_result_per_column(totals, column):
    income, costs, result, administration = RICH[column]
    column_totals = totals.column(column)

    assert column_totals.contributions == D(4000000)
    assert column_totals.income == income
    assert column_totals.costs == costs
    assert column_totals.result == result
    assert column_totals.costs_by_group["administration"] == administration
    assert column_totals.costs_by_group["reserve"] == RICH_RESERVE[column]
    assert column_totals.costs_by_group["operations"] == D(200000)
    assert column_totals.costs_by_group["unspecified"] is None


@pytest.mark.parametrize(
    "column, other_income", [("u2024", D("100000.50")), ("f2024", D(50000)), ("b2025", D(200000)), ("b2024", None)]
)
def test_other_income_is_income_but_not_contributions(totals, column, other_income):
    column_totals = totals.column(column)

    assert column_totals.other_income == other_income
    assert column_totals.income == D(4000000) + (other_income or 0)


@pytest.mark.parametrize("column", ALL)
def test_party_amounts_and_shares_are_of_the_contributions_not_of_all_income(totals, column):
    # b2025 has 200 000 of other income: the state's half is still 50 %, not 47,6 %.
    column_totals = totals.column(column)

    assert column_totals.contributions_by_party == {"state": D(2000000), "region": D(1000000), "municipality": D(1000000)}
    assert column_totals.party_shares == {"state": D(50), "region": D(25), "municipality": D(25)}
    assert column_totals.contributions_by_member == {
        "fk": D(2000000), "region": D(1000000), "norr": D(600000), "soder": D(400000)
    }


@pytest.mark.parametrize("column", ALL)
def test_the_share_that_is_not_administration_includes_reserve_and_operations(totals, column):
    _income, costs, _result, administration = RICH[column]
    column_totals = totals.column(column)

    assert column_totals.admin_share == administration / costs * 100
    assert column_totals.non_admin_share == (costs - administration) / costs * 100
    assert column_totals.admin_share + column_totals.non_admin_share == D(100)


def test_the_shares_of_one_column_in_figures(totals):
    # b2025: administration 400 000 of 4 100 000 = 9,76 %; the rest 90,24 %, of which
    # 500 000 is the reserve (without it the rest would be 78,05 %).
    column_totals = totals.column("b2025")

    assert round(column_totals.admin_share, 2) == D("9.76")
    assert round(column_totals.non_admin_share, 2) == D("90.24")


def test_costs_not_broken_down_give_no_shares():
    data = rich_plan()
    data["costs"].append({"id": "ovrigt", "label": "Övrigt", "group": "unspecified", "amounts": {"b2025": 1}})
    totals = compute_totals(read_plan_data(data))

    assert totals.column("b2025").admin_share is None
    assert totals.column("b2025").non_admin_share is None
    assert totals.column("b2025").costs == D(4100001)
    assert totals.column("p2026").admin_share == D(400000) / D(4100000) * 100


def test_no_administration_lines_is_no_administration():
    data = rich_plan()
    data["costs"] = [line for line in data["costs"] if line["group"] != "administration"]
    column_totals = compute_totals(read_plan_data(data)).column("b2025")

    assert column_totals.costs == D(3700000)
    assert column_totals.costs_by_group["administration"] is None
    assert column_totals.admin_share == D(0)
    assert column_totals.non_admin_share == D(100)


def test_a_column_without_lines_has_unknown_totals_not_zero():
    data = rich_plan()
    data["columns"].append({"id": "p2027", "year": 2027, "kind": "plan"})
    data["plan"]["last_year"] = 2027
    totals = compute_totals(read_plan_data(data))
    column_totals = totals.column("p2027")

    assert column_totals.contributions is None
    assert column_totals.income is None
    assert column_totals.costs is None
    assert column_totals.result is None
    assert column_totals.party_shares == {"state": None, "region": None, "municipality": None}
    assert column_totals.admin_share is None
    assert column_totals.closing_equity is None


def test_a_column_with_income_but_no_costs_has_no_result():
    data = rich_plan()
    for line in data["costs"]:
        line["amounts"].pop("p2026", None)
    totals = compute_totals(read_plan_data(data))

    assert totals.column("p2026").income == D(4000000)
    assert totals.column("p2026").costs is None
    assert totals.column("p2026").result is None


def test_a_zero_line_is_a_figure_and_counts():
    data = rich_plan()
    data["contributions"].append({"member": "af", "amounts": {"b2025": 0}})
    totals = compute_totals(read_plan_data(data))

    assert totals.column("b2025").contributions_by_member["af"] == D(0)
    assert totals.column("b2025").contributions_by_party["state"] == D(2000000)


def test_one_group_paying_nothing_has_a_zero_share_not_none():
    data = rich_plan()
    data["contributions"] = [line for line in data["contributions"] if line["member"] != "region"]
    totals = compute_totals(read_plan_data(data))

    assert totals.column("b2025").contributions_by_party["region"] is None
    assert totals.column("b2025").party_shares["region"] == D(0)
    assert totals.column("b2025").party_shares["state"] == D(2000000) / D(3000000) * 100


@pytest.mark.parametrize(
    "kind, party",
    [("forsakringskassan", "state"), ("arbetsformedlingen", "state"), ("state", "state"),
     ("region", "region"), ("municipality", "municipality")],
)
def test_party_of(kind, party):
    assert party_of(kind) == party


# ---------------------------------------------------------------------------
# Properties

# Amounts in öre, so every generated amount is a valid SEK line amount.
ore = st.integers(min_value=0, max_value=10**11)


def _sek(units: int) -> str:
    return str(Decimal(units).scaleb(-2))


@settings(deadline=None)
@given(
    contributions=st.lists(ore, min_size=4, max_size=4),
    other=st.one_of(st.none(), ore),
    costs=st.lists(ore, min_size=4, max_size=4),
)
def test_result_is_income_minus_costs_and_shares_add_up(contributions, other, costs):
    data = rich_plan(
        columns=[{"id": "b2025", "year": 2025, "kind": "budget"}],
        equity=None,
        interventions=None,
    )
    for line, units in zip(data["contributions"], contributions):
        line["amounts"] = {"b2025": _sek(units)}
    data["income"] = [] if other is None else [{"id": "esf", "label": "ESF", "kind": "other", "amounts": {"b2025": _sek(other)}}]
    for line, units in zip(data["costs"], costs):
        line["amounts"] = {"b2025": _sek(units)}
    data["costs"][0].pop("intervention")
    column_totals = compute_totals(read_plan_data(data)).column("b2025")

    contribution_sum = Fraction(sum(contributions), 100)
    income = contribution_sum + Fraction(other or 0, 100)
    cost_sum = Fraction(sum(costs), 100)
    assert Fraction(column_totals.contributions) == contribution_sum
    assert Fraction(column_totals.income) == income
    assert Fraction(column_totals.costs) == cost_sum
    assert Fraction(column_totals.result) == income - cost_sum
    state, region, norr, soder = contributions
    assert Fraction(column_totals.contributions_by_party["municipality"]) == Fraction(norr + soder, 100)
    if sum(contributions):
        assert Fraction(column_totals.party_shares["state"]) == pytest.approx(Fraction(100 * state, sum(contributions)))
        assert sum(column_totals.party_shares.values()) == pytest.approx(D(100), abs=D("1E-20"))
    if sum(costs):
        # Costs are intervention, reserve, operations, administration in that order.
        assert column_totals.non_admin_share == pytest.approx(D(100) * D(sum(costs[:3])) / D(sum(costs)), abs=D("1E-20"))
        assert column_totals.admin_share + column_totals.non_admin_share == pytest.approx(D(100), abs=D("1E-20"))


def test_contributions_printed_only_as_a_total_count_but_have_no_party_shares():
    # A plan that prints all members' contributions as one line, 4 000 000 in each column.
    data = rich_plan()
    data["contributions"] = [{"id": "bidrag", "label": "Medlemsbidrag", "amounts": {column: 4000000 for column in ALL}}]
    column = compute_totals(read_plan_data(data)).column("b2025")

    assert column.contributions == D(4000000)
    assert column.contributions_unattributed == D(4000000)
    assert column.income == D(4200000)
    assert column.party_shares == {"state": None, "region": None, "municipality": None}


def test_an_interventions_cost_is_the_sum_of_every_line_linked_to_it():
    data = rich_plan()
    data["costs"].append(
        {"id": "insats-2", "label": "Steget, lokaler", "group": "intervention", "intervention": "steget", "amounts": {"b2025": "250000.50"}}
    )
    column = compute_totals(read_plan_data(data)).column("b2025")

    # 3 000 000 on the first line and 250 000,50 on the second.
    assert column.costs_by_intervention == {"steget": D("3250000.50")}


def test_the_decimals_of_a_unit():
    # Kronor to the öre; thousands of kronor to the krona; anything else as kronor.
    assert [unit_places(unit) for unit in ("SEK", "tkr", "EUR")] == [2, 3, 2]


@pytest.mark.parametrize(
    "funding, default, unit, costs",
    [
        # Granted times its own counted share, rounded half up to the unit's decimals.
        ({"b2025": Funding(D("1111111"), D("0.9"))}, None, "SEK", {"b2025": D("999999.90")}),
        ({"b2025": Funding(D("1000.005"), D("0.5"))}, None, "SEK", {"b2025": D("500.00")}),
        ({"b2025": Funding(D("1000.01"), D("0.5"))}, None, "SEK", {"b2025": D("500.01")}),
        ({"b2025": Funding(D("1000.001"), D("0.5"))}, None, "tkr", {"b2025": D("500.001")}),
        ({"b2025": Funding(D("1000.0005"), D("0.5"))}, None, "tkr", {"b2025": D("500.000")}),
        ({"b2025": Funding(D("1000.001"), D("1"))}, None, "tkr", {"b2025": D("1000.001")}),
        # No share of its own: the intervention's; none at all: the whole grant.
        ({"b2025": Funding(D("2000000"))}, D("0.75"), "SEK", {"b2025": D("1500000.00")}),
        ({"b2025": Funding(D("2000000"), D("0.5"))}, D("0.75"), "SEK", {"b2025": D("1000000.00")}),
        ({"b2025": Funding(D("2000000"))}, None, "SEK", {"b2025": D("2000000.00")}),
        # Each column on its own.
        (
            {"b2025": Funding(D("100"), D("0.5")), "p2026": Funding(D("300"))},
            D("0.1"),
            "SEK",
            {"b2025": D("50.00"), "p2026": D("30.00")},
        ),
        ({}, D("0.5"), "SEK", {}),
    ],
)
def test_an_interventions_cost_per_column(funding, default, unit, costs):
    result = intervention_cost_per_column(funding, default_utilization=default, unit=unit)
    assert result == costs
    # The decimals are the unit's, not only the value.
    assert [value.as_tuple().exponent for value in result.values()] == [-unit_places(unit)] * len(costs)
