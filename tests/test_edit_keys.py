"""The municipal key helper's arithmetic: amounts from a key add up exactly to the total."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgets import keys
from budgets.keys import KeyIncomplete, KeyMember, default_key, fill_from_key, municipal_total_default, split_by_weights

pytestmark = pytest.mark.core


@pytest.mark.parametrize(
    "total, weights, step, expected",
    [
        # Härnösand/Timrå: equal parts of 933 tkr; the odd unit goes to the first.
        (Decimal(933), {"harnosand": 1, "timra": 1}, Decimal(1), {"harnosand": 467, "timra": 466}),
        # Södra Vätterbygden 2025: the municipalities' quarter in four equal parts.
        (Decimal(2797500), {"a": 1, "b": 1, "c": 1, "d": 1}, Decimal(1), {"a": 699375, "b": 699375, "c": 699375, "d": 699375}),
        # Sjuhärad's key of 5 000 tkr: whole numbers with no remainder.
        (
            Decimal(5000),
            {"bollebygd": Decimal("0.04"), "boras": Decimal("0.5"), "herrljunga": Decimal("0.04"), "mark": Decimal("0.16"),
             "svenljunga": Decimal("0.05"), "tranemo": Decimal("0.05"), "ulricehamn": Decimal("0.11"), "vargarda": Decimal("0.05")},
            Decimal(1),
            {"bollebygd": 200, "boras": 2500, "herrljunga": 200, "mark": 800, "svenljunga": 250, "tranemo": 250,
             "ulricehamn": 550, "vargarda": 250},
        ),
        # Three equal parts of 10: one unit over, to the first.
        (Decimal(10), {"a": 1, "b": 1, "c": 1}, Decimal(1), {"a": 4, "b": 3, "c": 3}),
        # The unit left over goes where rounding down lost most (2/3 of a unit), not to the largest line.
        (Decimal(10), {"big": 6, "small": Decimal("3.5")}, Decimal(1), {"big": 6, "small": 4}),
        # Seven lines of 10: three units over, one each to the first three; none moves by more than one.
        (Decimal(10), dict.fromkeys("abcdefg", 1), Decimal(1), {"a": 2, "b": 2, "c": 2, "d": 1, "e": 1, "f": 1, "g": 1}),
        # A zero weight gets nothing.
        (Decimal(100), {"a": 1, "b": 0}, Decimal(1), {"a": 100, "b": 0}),
        # Populations; hundreds as the step.
        (Decimal(120000), {"a": 12500, "b": 140000, "c": 7300}, Decimal(100), {"a": 9400, "b": 105100, "c": 5500}),
        (Decimal(0), {"a": 1, "b": 2}, Decimal(1), {"a": 0, "b": 0}),
    ],
)
def test_split_by_weights(total, weights, step, expected):
    result = split_by_weights(total, {key: Decimal(weight) for key, weight in weights.items()}, step)
    assert result == {key: Decimal(value) for key, value in expected.items()}
    assert sum(result.values()) == total


@pytest.mark.parametrize(
    "total, weights, step",
    [
        (Decimal("10.5"), {"a": 1}, Decimal(1)),  # not a whole number of units
        (Decimal(-1), {"a": 1}, Decimal(1)),
        (Decimal(10), {"a": 0, "b": 0}, Decimal(1)),
        (Decimal(10), {"a": -1, "b": 2}, Decimal(1)),
    ],
)
def test_split_by_weights_refuses_what_cannot_be_split(total, weights, step):
    with pytest.raises(ValueError):
        split_by_weights(total, {key: Decimal(weight) for key, weight in weights.items()}, step)


weights_strategy = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=2_000_000).map(Decimal),
        st.decimals(min_value=0, max_value=1, places=6, allow_nan=False, allow_infinity=False),
    ),
    min_size=1,
    max_size=20,
).filter(lambda weights: sum(weights) > 0)


@given(
    total_units=st.integers(min_value=0, max_value=10**11),
    weights=weights_strategy,
    step=st.sampled_from([Decimal(1), Decimal(1000), Decimal("0.01")]),
)
def test_the_amounts_add_up_exactly_and_each_is_within_one_unit_of_its_share(total_units, weights, step):
    total = total_units * step
    by_line = dict(enumerate(weights))
    result = split_by_weights(total, by_line, step)

    assert sum(result.values()) == total
    weight_sum = sum(Fraction(weight) for weight in weights)
    for line, amount in result.items():
        exact = Fraction(total) * Fraction(by_line[line]) / weight_sum
        assert abs(Fraction(amount) - exact) < Fraction(step)
        assert amount >= 0
        assert (Fraction(amount) / Fraction(step)).denominator == 1


@given(others=st.integers(min_value=0, max_value=10**12).map(Decimal))
def test_the_default_total_makes_the_municipalities_a_quarter_within_half_a_unit(others):
    municipalities = municipal_total_default(others)
    assert municipalities == municipalities.to_integral_value()
    # A quarter of the whole is a third of the others' three quarters.
    assert abs(municipalities - others / 3) <= Decimal("0.5")


def test_the_default_total_for_sodra_vatterbygden_2025_is_the_regions_amount():
    # State 5 595 000 and region 2 797 500: the municipalities pay what the region pays.
    assert municipal_total_default(Decimal(5595000) + Decimal(2797500)) == Decimal(2797500)


HABO = KeyMember(id="habo", name="Habo", population=12500, key_share=Decimal("0.0737"))
JONKOPING = KeyMember(id="jonkoping", name="Jönköping", population=143000, key_share=Decimal("0.8000"))
MULLSJO = KeyMember(id="mullsjo", name="Mullsjö", population=7300, key_share=None)


def test_fill_from_key_by_population():
    assert fill_from_key(members=[HABO, JONKOPING], key=keys.POPULATION, total=Decimal(155500)) == {
        "habo": Decimal(12500),
        "jonkoping": Decimal(143000),
    }


def test_fill_from_key_in_equal_parts_needs_no_data():
    assert fill_from_key(members=[HABO, MULLSJO], key=keys.EQUAL, total=Decimal(3)) == {
        "habo": Decimal(2),
        "mullsjo": Decimal(1),
    }


def test_fixed_shares_that_do_not_add_up_to_one_are_used_in_proportion():
    result = fill_from_key(members=[HABO, JONKOPING], key=keys.FIXED, total=Decimal(1000))
    assert sum(result.values()) == 1000
    assert result == {"habo": Decimal(84), "jonkoping": Decimal(916)}


def test_a_key_without_its_data_names_the_municipalities_that_lack_it():
    with pytest.raises(KeyIncomplete, match="Mullsjö"):
        fill_from_key(members=[HABO, MULLSJO], key=keys.FIXED, total=Decimal(100))
    with pytest.raises(KeyIncomplete):
        fill_from_key(members=[], key=keys.EQUAL, total=Decimal(100))


@pytest.mark.parametrize(
    "preferred, members, expected",
    [
        (keys.POPULATION, [HABO, JONKOPING], keys.POPULATION),
        # Sjuhärad says "population" but prints fixed shares only: the plan's own key is
        # still the one offered; filling then names the municipalities without population.
        (keys.POPULATION, [KeyMember("a", "A", None, Decimal("0.5")), KeyMember("b", "B", None, Decimal("0.5"))], keys.POPULATION),
        (keys.EQUAL, [HABO, JONKOPING], keys.EQUAL),
        # A plan of fixed amounts, or one that does not say: the first key the members have data for.
        ("amounts", [HABO, MULLSJO], keys.POPULATION),
        ("", [KeyMember("a", "A"), KeyMember("b", "B")], keys.EQUAL),
    ],
)
def test_the_key_offered_is_the_plans_own_else_one_the_members_have_data_for(preferred, members, expected):
    assert default_key(preferred, members) == expected
