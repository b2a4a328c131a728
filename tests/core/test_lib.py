"""finsam/lib: numbers the Swedish way (öre, true minus), money and partial dates."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from finsam.lib.formatting import format_amount, format_number, format_percent
from finsam.lib.money import AMOUNT_LIMIT, UNIT_FACTORS, plain
from finsam.lib.partial_dates import parse_partial_date, partial_date_bounds, validate_partial_date

pytestmark = pytest.mark.core
D = Decimal
MINUS = "\u2212"


@pytest.mark.parametrize(
    "value, places, text",
    [
        (None, None, ""),
        (0, None, "0"),
        (D(7), None, "7"),
        (D(999), None, "999"),
        (D(1000), None, "1 000"),
        (D(8054000), None, "8 054 000"),
        (D(123456789012), None, "123 456 789 012"),
        (D(-655500), None, "−655 500"),
        (D(-100), None, "−100"),
        (D(-1000), None, "−1 000"),
        (D("-1.5"), None, "−1,5"),
        (D("1700000.25"), None, "1 700 000,25"),
        (D("1700000.25"), 2, "1 700 000,25"),
        (D("1234.50"), None, "1 234,5"),
        (D("1234.00"), None, "1 234"),
        (D("0.05"), None, "0,05"),
        (D("1E+3"), None, "1 000"),
        (D("12.345"), 2, "12,35"),  # half up
        (D("12.344"), 2, "12,34"),
        (D("-12.345"), 2, "−12,35"),  # half away from zero
        (D("0.5"), 0, "1"),
        (D("-0.5"), 0, "−1"),
        (D("26.2699"), 2, "26,27"),
        (D("9.96"), 1, "10"),
        (D("-0.001"), 2, "0"),  # rounds to zero: no minus on a zero
        (D("-0"), None, "0"),
        (D("1999.999"), 2, "2 000"),
        (1234, None, "1 234"),
    ],
)
def test_format_number(value, places, text):
    assert format_number(value, places) == text


def test_the_minus_is_a_true_minus_and_groups_are_plain_spaces():
    text = format_number(D(-1234567))

    assert text[0] == MINUS
    assert "-" not in text
    assert text == MINUS + "1 234 567"
    assert "\u00a0" not in text


@pytest.mark.parametrize(
    "value, unit, places, text",
    [
        (D("1700000.25"), "SEK", 2, "1 700 000,25 kr"),
        (D("0.01"), "SEK", 2, "0,01 kr"),
        (D("-0.01"), "SEK", 2, "−0,01 kr"),
        (D("12.345"), "SEK", 2, "12,35 kr"),
        (D(4758), "tkr", 2, "4 758 tkr"),
        (D("4758.5"), "tkr", 0, "4 759 tkr"),
        (D(5), "EUR", 2, "5 EUR"),
        (None, "SEK", 2, ""),
    ],
)
def test_format_amount(value, unit, places, text):
    assert format_amount(value, unit, places) == text


def test_format_amount_keeps_ore_by_default_and_rounds_finer_fractions():
    assert format_amount(D("800000.01"), "SEK") == "800 000,01 kr"
    assert format_amount(D("-655500.5"), "SEK") == "−655 500,5 kr"
    assert format_amount(D("12.345"), "SEK") == "12,35 kr"
    assert format_amount(D("1.0049"), "tkr") == "1 tkr"


def test_a_number_with_many_decimals_is_written_out_not_as_an_exponent():
    assert format_number(D("0.0000001")) == "0,0000001"
    assert format_number(D("-0.00000012")) == "−0,00000012"


@pytest.mark.parametrize(
    "value, places, text",
    [
        (D(25), 2, "25 %"),
        (D("26.2699"), 2, "26,27 %"),
        (D(100) / 3, 2, "33,33 %"),
        (D("9.6"), 1, "9,6 %"),
        (D("91.84"), 1, "91,8 %"),
        (D("-2.5"), 1, "−2,5 %"),
        (None, 2, ""),
    ],
)
def test_format_percent(value, places, text):
    assert format_percent(value, places) == text


def test_format_percent_defaults_to_two_places():
    assert format_percent(D(100) / 3) == "33,33 %"


@given(st.decimals(min_value=-10**13, max_value=10**13, places=4, allow_nan=False, allow_infinity=False))
def test_a_formatted_number_reads_back_as_the_same_number(value):
    text = format_number(value)
    back = D(text.replace(" ", "").replace(",", ".").replace(MINUS, "-"))

    assert back == value
    assert text.startswith(MINUS) is (value < 0)
    whole = text.lstrip(MINUS).partition(",")[0]
    groups = whole.split(" ")
    assert all(len(group) == 3 for group in groups[1:]) and 1 <= len(groups[0]) <= 3


# ---------------------------------------------------------------------------
# Money


@pytest.mark.parametrize(
    "amount, text",
    [
        (D("1.5000"), "1.5"),
        (D("1E+3"), "1000"),
        (D("5E+3"), "5000"),
        (D("1000.00"), "1000"),
        (D("0.0100"), "0.01"),
        (D("-2.50"), "-2.5"),
        (D(0), "0"),
        (D("0E-4"), "0"),
        (D("123456789012345678901234567890.123"), "123456789012345678901234567890.123"),
        (D("1E+40"), "1" + "0" * 40),
    ],
)
def test_plain_has_no_exponent_and_no_trailing_zeros(amount, text):
    assert str(plain(amount)) == text
    assert plain(amount) == amount


def test_amount_limit_and_factors():
    assert AMOUNT_LIMIT == D(10) ** 13
    assert UNIT_FACTORS == {"SEK": D(1), "tkr": D(1000)}


# ---------------------------------------------------------------------------
# Partial dates


@pytest.mark.parametrize(
    "text, parts",
    [
        ("2025", (2025, None, None)),
        ("2025-01", (2025, 1, None)),
        ("2025-12", (2025, 12, None)),
        ("2025-12-31", (2025, 12, 31)),
        ("2024-02-29", (2024, 2, 29)),
        ("0001-01-01", (1, 1, 1)),
    ],
)
def test_valid_partial_dates(text, parts):
    assert parse_partial_date(text) == parts
    validate_partial_date(text)


@pytest.mark.parametrize(
    "text",
    ["2025-13", "2025-02-30", "2023-02-29", "2025-04-31", "2025-1", "2025-01-1", "25",
     "20251", "2025-", "2025-01-01\n", "2025/01", " 2025", "٢٠٢٥", "2025-01-01-01", "", "0000"],
)
def test_invalid_partial_dates(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)
    if text:
        with pytest.raises(ValidationError) as refusal:
            validate_partial_date(text)
        assert refusal.value.code == "invalid"
        assert refusal.value.messages == ["Ange datum som ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD."]


def test_a_text_that_is_no_date_is_named_in_the_error():
    with pytest.raises(ValueError, match="'2025/01' is not a date"):
        parse_partial_date("2025/01")


def test_empty_is_not_a_date_but_an_empty_field_is_allowed():
    with pytest.raises(ValueError):
        parse_partial_date(None)
    validate_partial_date("")
    validate_partial_date(None)


DAY = datetime.date


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("2025", DAY(2025, 1, 1), DAY(2025, 12, 31)),
        ("2024-02", DAY(2024, 2, 1), DAY(2024, 2, 29)),
        ("2025-02", DAY(2025, 2, 1), DAY(2025, 2, 28)),
        ("2025-11", DAY(2025, 11, 1), DAY(2025, 11, 30)),
        ("2025-12", DAY(2025, 12, 1), DAY(2025, 12, 31)),
        ("2025-01", DAY(2025, 1, 1), DAY(2025, 1, 31)),
        ("2025-06-15", DAY(2025, 6, 15), DAY(2025, 6, 15)),
    ],
)
def test_partial_date_bounds(text, first, last):
    assert partial_date_bounds(text) == (first, last)
