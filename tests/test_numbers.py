"""Reading typed numbers (`finsam.lib.numbers.parse_amount`) and the form fields that use it."""

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from finsam.forms import AmountField, DecimalCommaField
from finsam.lib.formatting import format_number
from finsam.lib.numbers import GROUP_SEPARATORS, REFUSAL_CODES, NumberRefused, parse_amount

pytestmark = pytest.mark.core

NBSP, NNBSP, MINUS = "\u00a0", "\u202f", "\u2212"


@pytest.mark.parametrize(
    ("text", "decimals", "allow_negative", "expected"),
    [
        ("0", 2, False, "0"),
        ("3439000", 2, False, "3439000"),
        ("3 439 000", 2, False, "3439000"),
        (f"3{NBSP}439{NBSP}000", 2, False, "3439000"),
        (f"3{NNBSP}439{NNBSP}000", 2, False, "3439000"),
        (f"3 439{NBSP}000", 2, False, "3439000"),
        ("12,5", 2, False, "12.5"),
        ("12.5", 2, False, "12.5"),
        ("12,50", 2, False, "12.50"),
        ("1 250 000,50", 2, False, "1250000.50"),
        ("0,1234", 4, False, "0.1234"),
        ("999", 0, False, "999"),
        ("  45 000 ", 2, False, "45000"),
        ("45 000\n", 2, False, "45000"),
        ("\t45 000", 2, False, "45000"),
        ("-200 000", 2, True, "-200000"),
        (f"{MINUS}200 000", 2, True, "-200000"),
        (f"{MINUS}655 500,5", 2, True, "-655500.5"),
        ("007", 2, False, "7"),
        ("12,123456789", None, False, "12.123456789"),
    ],
)
def test_a_number_written_as_the_app_writes_it_is_read_exactly(text, decimals, allow_negative, expected):
    value = parse_amount(text, decimals=decimals, allow_negative=allow_negative)
    assert value == Decimal(expected)
    assert str(value) == expected


@pytest.mark.parametrize(
    ("text", "decimals", "allow_negative", "code", "message"),
    [
        ("", 2, False, "empty", "Ange ett tal"),
        ("   ", 2, False, "empty", "Ange ett tal"),
        ("45 000\n46 000", 2, False, "two_numbers", "Två tal i samma cell"),
        ("45 000\r\n46 000", 2, False, "two_numbers", "Två tal i samma cell"),
        ("45 000\t46 000", 2, False, "two_numbers", "Två tal i samma cell"),
        ("45000\n46000", 2, False, "two_numbers", "Två tal i samma cell"),
        ("1\n000", 2, False, "two_numbers", "Två tal i samma cell"),
        ("45 000 46 000", 2, False, "grouping", "tre siffror i varje grupp"),
        ("1 25 000", 2, False, "grouping", "tre siffror i varje grupp"),
        ("1 2500", 2, False, "grouping", "tre siffror i varje grupp"),
        ("1250 000", 2, False, "grouping", "tre siffror i varje grupp"),
        ("1  000", 2, False, "spacing", "Ett mellanslag mellan tusentalen"),
        ("1\u2009000", 2, False, "spacing", "Ett mellanslag mellan tusentalen"),
        ("1 000 ,5", 2, False, "spacing", "Inget mellanslag vid decimalkommat"),
        ("- 5", 2, True, "spacing", "Inget mellanslag efter minustecknet"),
        ("1,25 mkr", 2, False, "characters", "Bara siffror, mellanslag mellan tusental och decimalkomma"),
        ("12 kr", 2, False, "characters", "Bara siffror"),
        ("1e5", 2, False, "characters", "Bara siffror"),
        ("١٢", 2, False, "characters", "Bara siffror"),
        ("5-", 2, True, "characters", "Bara siffror"),
        ("--5", 2, True, "characters", "Bara siffror"),
        ("45 000;46 000", 2, False, "characters", "Bara siffror"),
        ("1.250.000", 2, False, "decimal_marks", "Bara ett decimaltecken"),
        ("1,250,000", 2, False, "decimal_marks", "Bara ett decimaltecken"),
        ("1.250,50", 2, False, "decimal_marks", "Bara ett decimaltecken"),
        ("12,", 2, False, "no_decimals", "Skriv decimalerna efter kommat"),
        ("12.", 2, False, "no_decimals", "Skriv decimalerna efter kommat"),
        (",5", 2, False, "no_whole", "Skriv en siffra före decimalkommat"),
        ("+5", 2, False, "plus", "utan plustecken"),
        ("-5", 2, False, "negative", "får inte vara negativt"),
        (f"{MINUS}5", 2, False, "negative", "får inte vara negativt"),
        ("12,345", 2, False, "decimals", "Högst 2 decimaler"),
        ("0,12345", 4, False, "decimals", "Högst 4 decimaler"),
        ("1,5", 1, False, None, None),
        ("1,55", 1, False, "decimals", "Högst 1 decimal."),
        ("1,5", 0, False, "decimals", "Ange ett heltal"),
    ],
)
def test_anything_else_is_refused_with_what_was_wrong(text, decimals, allow_negative, code, message):
    if code is None:
        parse_amount(text, decimals=decimals, allow_negative=allow_negative)
        return
    with pytest.raises(NumberRefused) as refusal:
        parse_amount(text, decimals=decimals, allow_negative=allow_negative)
    assert refusal.value.code == code
    assert refusal.value.code in REFUSAL_CODES
    assert message in str(refusal.value.message)


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", " ")


whole_numbers = st.integers(min_value=0, max_value=10**12)
numbers = whole_numbers.map(_grouped) | whole_numbers.map(str)
# Anything without a digit (a digit would only make a longer number).
joiners = st.text(min_size=1, max_size=4).filter(lambda joiner: not any(character in "0123456789" for character in joiner))


@given(first=numbers, joiner=joiners, second=numbers)
@example(first="45 000", joiner="\n", second="46 000")
@example(first="45 000", joiner="\t", second="46 000")
@example(first="1", joiner="  ", second="000")
@example(first="1", joiner="\u2009", second="000")
@example(first="1", joiner=".", second="250.000")
@example(first="1", joiner=" mkr ", second="5")
def test_any_two_numbers_joined_by_anything_but_one_group_separator_are_refused(first, joiner, second):
    if joiner in GROUP_SEPARATORS:
        return  # "1" and "000" joined by one space is the number 1 000.
    if joiner in (",", ".") and " " not in second:
        return  # "12" and "5" joined by a decimal mark is the number 12,5.
    with pytest.raises(NumberRefused):
        parse_amount(first + joiner + second, decimals=None, allow_negative=True)


@given(first=numbers, second=numbers)
def test_two_grouped_numbers_are_refused_even_with_one_separator_between(first, second):
    if len(second.split(" ")[0]) == 3:
        return  # "45" and "000 000" is 45 000 000: nothing shows it was two.
    with pytest.raises(NumberRefused):
        parse_amount(f"{first} {second}", decimals=None, allow_negative=True)


@given(
    value=st.decimals(min_value=-(10**13) + 1, max_value=10**13 - 1, places=4, allow_nan=False, allow_infinity=False)
)
def test_every_number_the_app_prints_is_read_back_as_the_same_number(value):
    printed = format_number(value)
    assert parse_amount(printed, decimals=4, allow_negative=True) == value


class TestTheFormFields:
    def test_an_amount_field_reads_a_grouped_amount(self):
        assert AmountField().clean("3 439 000,5") == Decimal("3439000.5")

    def test_an_amount_field_refuses_two_pasted_cells_with_the_reason(self):
        field = AmountField()
        with pytest.raises(Exception) as refusal:
            field.clean("45 000\n46 000")
        assert "Två tal i samma cell" in str(refusal.value.messages)

    def test_an_amount_field_refuses_a_negative_amount_with_its_own_message(self):
        with pytest.raises(Exception) as refusal:
            AmountField().clean(f"{MINUS}5")
        assert refusal.value.messages == ["Beloppet får inte vara negativt."]

    def test_a_field_without_a_lower_limit_takes_the_true_minus_the_app_prints(self):
        assert DecimalCommaField(required=False).clean(f"{MINUS}200 000") == Decimal(-200000)

    def test_an_amount_field_allows_four_decimals_as_the_database_keeps(self):
        assert AmountField().clean("0,1234") == Decimal("0.1234")
        with pytest.raises(Exception) as refusal:
            AmountField().clean("0,12345")
        assert refusal.value.messages == ["Högst 4 decimaler."]

    def test_an_empty_optional_field_is_no_amount(self):
        assert AmountField(required=False).clean("  ") is None
