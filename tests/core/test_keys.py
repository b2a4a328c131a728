"""The municipal key helper: weights, the clean refusal when a key cannot be used,
rounding, and ties. More tables and properties are in tests/test_edit_keys.py."""

from decimal import Decimal

import pytest

from budgets import keys
from budgets.keys import (
    KeyIncomplete,
    KeyMember,
    default_key,
    fill_from_key,
    key_weights,
    municipal_total_default,
    round_to_step,
    split_by_weights,
)

pytestmark = pytest.mark.core
D = Decimal

NORR = KeyMember(id="norr", name="Norrby", population=6000, key_share=D("0.60"))
SODER = KeyMember(id="soder", name="Söderby", population=4000, key_share=D("0.40"))


@pytest.mark.parametrize(
    "key, weights",
    [
        (keys.FIXED, {"norr": D("0.60"), "soder": D("0.40")}),
        (keys.POPULATION, {"norr": D(6000), "soder": D(4000)}),
        (keys.EQUAL, {"norr": D(1), "soder": D(1)}),
    ],
)
def test_key_weights(key, weights):
    assert key_weights([NORR, SODER], key) == weights


@pytest.mark.parametrize(
    "key, members",
    [
        (keys.FIXED, [KeyMember("a", "A", key_share=D(0)), KeyMember("b", "B", key_share=D("0.000"))]),
        (keys.POPULATION, [KeyMember("a", "A", population=0), KeyMember("b", "B", population=0)]),
        (keys.FIXED, [KeyMember("a", "A", key_share=D(0))]),
    ],
)
def test_all_weights_zero_is_a_clean_refusal_in_swedish(key, members):
    with pytest.raises(KeyIncomplete) as refusal:
        fill_from_key(members=members, key=key, total=D(1000))

    assert str(refusal.value) == "Nyckelns andelar är noll för alla kommuner."


def test_one_zero_weight_among_others_is_used():
    members = [KeyMember("a", "A", key_share=D(0)), KeyMember("b", "B", key_share=D("0.5"))]

    assert fill_from_key(members=members, key=keys.FIXED, total=D(1000)) == {"a": D(0), "b": D(1000)}


@pytest.mark.parametrize(
    "key, members, message",
    [
        (
            keys.FIXED,
            [NORR, KeyMember("x", "Mittby"), KeyMember("y", "Västby")],
            "Andel i fördelningsnyckeln saknas för Mittby, Västby. Ange den under Medlemmar.",
        ),
        (
            keys.POPULATION,
            [KeyMember("x", "Mittby", key_share=D(1)), SODER, KeyMember("y", "Västby")],
            "Folkmängd saknas för Mittby, Västby. Ange den under Medlemmar.",
        ),
    ],
)
def test_missing_data_names_every_municipality_that_lacks_it(key, members, message):
    with pytest.raises(KeyIncomplete) as refusal:
        key_weights(members, key)

    assert str(refusal.value) == message


def test_no_municipalities_is_a_clean_refusal():
    with pytest.raises(KeyIncomplete) as refusal:
        key_weights([], keys.EQUAL)

    assert str(refusal.value) == "Planen har inga kommuner att fördela på."


@pytest.mark.parametrize(
    "total, weights, step, message",
    [
        (D(-1), {"a": D(1)}, D(1), "total must not be negative"),
        (D(10), {"a": D(1)}, D(0), "step must be positive"),
        (D("10.5"), {"a": D(1)}, D(1), "total 10.5 is not a multiple of 1"),
        (D(10), {"a": D(-1), "b": D(2)}, D(1), "weights must not be negative"),
        (D(10), {"a": D(0)}, D(1), "weights must not all be zero"),
    ],
)
def test_what_split_by_weights_refuses_it_says(total, weights, step, message):
    with pytest.raises(ValueError) as error:
        split_by_weights(total, weights, step)

    assert str(error.value) == message


def test_fill_from_key_in_steps_of_a_thousand():
    assert fill_from_key(members=[NORR, SODER], key=keys.EQUAL, total=D(3000), step=D(1000)) == {
        "norr": D(2000), "soder": D(1000)
    }


def test_an_unknown_key_is_a_programming_error_not_a_refusal():
    with pytest.raises(ValueError) as error:
        key_weights([NORR], "amounts")
    assert not isinstance(error.value, KeyIncomplete)
    assert str(error.value) == "unknown key 'amounts'"


@pytest.mark.parametrize(
    "amount, step, rounded",
    [
        (D("0.5"), D(1), D(1)),
        (D("0.49"), D(1), D(0)),
        (D("2.5"), D(1), D(3)),
        (D(1500), D(1000), D(2000)),
        (D(1499), D(1000), D(1000)),
        (D("0.005"), D("0.01"), D("0.01")),
    ],
)
def test_round_to_step_half_up(amount, step, rounded):
    assert round_to_step(amount, step) == rounded


@pytest.mark.parametrize(
    "others, step, total",
    [(D(3000000), D(1), D(1000000)), (D(4), D(1), D(1)), (D(5), D(1), D(2)), (D(3000), D(1000), D(1000)), (D(4500), D(1000), D(2000))],
)
def test_municipal_total_default_is_a_third_of_the_others(others, step, total):
    assert municipal_total_default(others, step) == total


@pytest.mark.parametrize(
    "total, weights, expected",
    [
        # 11 by 1 : 2 : 2 is 2,2 / 4,4 / 4,4: the unit left over goes to a line that lost 0,4,
        # the earlier of the two.
        (D(11), {"small": D(1), "big": D(2), "other": D(2)}, {"small": D(2), "big": D(5), "other": D(4)}),
        # 2 by 1 : 3 is 0,5 / 1,5: equal losses, the unit goes to the larger weight even if later.
        (D(2), {"a": D(1), "b": D(3)}, {"a": D(0), "b": D(2)}),
        (D(2), {"b": D(3), "a": D(1)}, {"b": D(2), "a": D(0)}),
        # Equal weights and losses: the earlier line.
        (D(5), {"a": D(1), "b": D(1)}, {"a": D(3), "b": D(2)}),
        (D(5), {"b": D(1), "a": D(1)}, {"b": D(3), "a": D(2)}),
        # 10 by 6 : 3,5 is 6,3 / 3,7: the unit to the larger loss (the smaller weight).
        (D(10), {"big": D(6), "small": D("3.5")}, {"big": D(6), "small": D(4)}),
    ],
)
def test_the_units_left_over_go_to_the_largest_losses_then_larger_weights_then_earlier_lines(total, weights, expected):
    assert split_by_weights(total, weights) == expected


def test_ore_step():
    assert split_by_weights(D("0.03"), {"a": D(1), "b": D(1)}, D("0.01")) == {"a": D("0.02"), "b": D("0.01")}


@pytest.mark.parametrize("step", [D(0), D(-1)])
def test_a_step_that_is_not_positive_is_refused(step):
    with pytest.raises(ValueError):
        split_by_weights(D(10), {"a": D(1)}, step)


@pytest.mark.parametrize(
    "preferred, members, expected",
    [
        (keys.FIXED, [NORR, SODER], keys.FIXED),
        (keys.EQUAL, [NORR, SODER], keys.EQUAL),
        (None, [NORR, SODER], keys.FIXED),
        # The plan's own key is offered even when the members lack its data: filling says which.
        (keys.FIXED, [], keys.FIXED),
        (keys.POPULATION, [], keys.POPULATION),
        (keys.FIXED, [NORR, KeyMember("x", "X", population=1)], keys.FIXED),
        (None, [], keys.EQUAL),
        (None, [NORR, KeyMember("x", "X", population=1)], keys.POPULATION),
    ],
)
def test_default_key(preferred, members, expected):
    assert default_key(preferred, members) == expected
