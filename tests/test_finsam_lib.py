"""The pure helpers of finsam/lib: Swedish number formatting, money and partial dates."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from finsam.lib.formatting import format_amount, format_number, format_percent
from finsam.lib.money import AMOUNT_LIMIT, plain
from finsam.lib.partial_dates import parse_partial_date, partial_date_bounds, validate_partial_date

pytestmark = pytest.mark.core

MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal(8054000), None, "8 054 000"),
        (Decimal(999), None, "999"),
        (Decimal(1000), None, "1 000"),
        (Decimal(0), None, "0"),
        (Decimal("-655500"), None, f"{MINUS}655 500"),
        (Decimal("-1.5"), None, f"{MINUS}1,5"),
        (Decimal("1250000.50"), None, "1 250 000,5"),
        (Decimal("1250000.50"), 2, "1 250 000,5"),
        (Decimal("0.125"), 2, "0,13"),
        (Decimal("-0.125"), 2, f"{MINUS}0,13"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("1999.996"), 2, "2 000"),
        (Decimal("12.3400"), None, "12,34"),
        (Decimal("1E+3"), None, "1 000"),
        (12, None, "12"),
        (None, None, ""),
    ],
)
def test_numbers_are_printed_the_swedish_way(value, places, expected):
    assert format_number(value, places) == expected


def test_a_negative_that_rounds_to_zero_prints_without_a_sign():
    assert format_number(Decimal("-0.001"), 2) == "0"


def test_amounts_carry_their_unit_and_keep_oere():
    assert format_amount(Decimal("8054000"), "SEK") == "8 054 000 kr"
    assert format_amount(Decimal("4758"), "tkr") == "4 758 tkr"
    assert format_amount(Decimal("10.25"), "SEK") == "10,25 kr"
    assert format_amount(None, "SEK") == ""


def test_percentages_have_a_space_before_the_sign():
    assert format_percent(Decimal("26.2749")) == "26,27 %"
    assert format_percent(Decimal("25")) == "25 %"
    assert format_percent(Decimal("9.64"), 1) == "9,6 %"
    assert format_percent(None) == ""


@given(st.decimals(min_value=-(10**13), max_value=10**13, places=4, allow_nan=False, allow_infinity=False))
def test_a_printed_number_has_groups_of_three_and_at_most_one_decimal_comma(value):
    text = format_number(value)
    whole, _, fraction = text.lstrip(MINUS).partition(",")
    groups = whole.split(" ")
    assert 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])
    assert "".join(groups).isdigit() and (fraction == "" or fraction.isdigit())
    assert text.startswith(MINUS) == (value < 0)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1.5000"), "1.5"),
        (Decimal("1E+3"), "1000"),
        (Decimal("100"), "100"),
        (Decimal("-0.0100"), "-0.01"),
        (Decimal("1234567890123456789012345678901.5"), "1234567890123456789012345678901.5"),
        (Decimal("9" * 40), "9" * 40),
    ],
)
def test_plain_drops_trailing_zeros_and_exponents_without_rounding(amount, expected):
    assert str(plain(amount)) == expected


def test_the_amount_limit_is_ten_to_the_thirteenth():
    assert AMOUNT_LIMIT == Decimal(10) ** 13


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025", (2025, None, None)), ("2025-03", (2025, 3, None)), ("2024-02-29", (2024, 2, 29)), ("2025-12-31", (2025, 12, 31))],
)
def test_partial_dates_are_read(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2025-13", "2025-00", "2025-02-30", "2025-02-29", "2025-04-31", "2025-01-00", "25", "2025-1", "2025-01-1",
     "2025/01", "2025-01-01\n", " 2025", "２０２５", "", "2025-01-01T00"],
)
def test_impossible_or_malformed_partial_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


@pytest.mark.parametrize("text", ["2025-13", "2025-02-30"])
def test_the_form_validator_refuses_them_in_swedish(text):
    with pytest.raises(ValidationError) as refusal:
        validate_partial_date(text)
    assert refusal.value.messages == ["Ange datum som ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD."]


def test_an_empty_partial_date_is_no_date():
    validate_partial_date("")


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2025", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2025-02", datetime.date(2025, 2, 1), datetime.date(2025, 2, 28)),
        ("2025-12", datetime.date(2025, 12, 1), datetime.date(2025, 12, 31)),
        ("2025-06-15", datetime.date(2025, 6, 15), datetime.date(2025, 6, 15)),
    ],
)
def test_a_partial_date_covers_its_whole_year_or_month(text, first, last):
    assert partial_date_bounds(text) == (first, last)
