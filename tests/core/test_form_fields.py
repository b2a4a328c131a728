"""The form fields around the amount parser: what a person types, what the field
keeps, what it shows back to edit, and the message when it refuses."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from finsam.forms import AmountField, DecimalCommaField, LinesField, format_decimal, parse_field_number
from finsam.lib.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS

pytestmark = pytest.mark.core
D = Decimal


@pytest.mark.parametrize(
    "value, text",
    [(None, ""), (D("12.50"), "12,5"), (D("0.0000001"), "0,0000001"), (D(3439000), "3439000"), (D("1E+3"), "1000"), (D("-0.25"), "-0,25")],
)
def test_a_decimal_to_edit(value, text):
    assert format_decimal(value) == text
    assert DecimalCommaField().prepare_value(value) == (text if value is not None else None)


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("1 250 000,50", D("1250000.50")),
        ("12.5", D("12.5")),
        ("−200 000", D(-200000)),
        ("", None),
        ("   ", None),
        (D("7.25"), D("7.25")),
        (5, D(5)),
    ],
)
def test_decimal_comma_field_reads(typed, kept):
    field = DecimalCommaField(required=False, localize=True)

    assert field.clean(typed) == kept


def test_decimal_comma_field_widget():
    assert DecimalCommaField().widget_attrs(forms.TextInput()) == {"inputmode": "decimal", "size": "12"}
    attrs = DecimalCommaField().widget_attrs(forms.TextInput(attrs={"size": "6", "inputmode": "numeric"}))
    assert "size" not in attrs and attrs["inputmode"] == "decimal"


@pytest.mark.parametrize(
    "field, typed, code, message",
    [
        (DecimalCommaField(min_value=D(0)), "-5", "min_value", "Ange ett tal som är minst 0."),
        (AmountField(), "-5", "min_value", "Beloppet får inte vara negativt."),
        (AmountField(), "1,23456", "invalid", "Högst 4 decimaler."),
        (AmountField(), "45 000\n46 000", "invalid", "Två tal i samma cell: skriv ett tal per ruta, utan radbrytning eller tabb."),
        (DecimalCommaField(decimal_places=0), "12,5", "invalid", "Ange ett heltal, utan decimaler."),
    ],
)
def test_refusal_is_the_fields_error(field, typed, code, message):
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)

    assert (refused.value.code, refused.value.messages) == (code, [message])


@pytest.mark.parametrize(
    "field, typed, kept",
    [
        (DecimalCommaField(), "-5", D(-5)),
        (DecimalCommaField(min_value=D(-10)), "−5", D(-5)),
        (AmountField(), "0", D(0)),
        (AmountField(), "1 250 000,50", D("1250000.50")),
    ],
)
def test_negatives_only_where_the_minimum_allows(field, typed, kept):
    assert field.clean(typed) == kept


def test_a_true_or_false_is_no_number():
    with pytest.raises(ValidationError):
        DecimalCommaField().clean(True)


def test_a_field_without_a_minimum_reads_negatives():
    assert parse_field_number(forms.CharField(), "−5", decimals=0) == D(-5)


def test_amount_field_limits():
    field = AmountField()

    assert (field.max_digits, field.decimal_places, field.min_value) == (AMOUNT_MAX_DIGITS, AMOUNT_DECIMAL_PLACES, D(0))
    assert AmountField(decimal_places=0, min_value=D(-100)).clean("-100") == D(-100)
    with pytest.raises(ValidationError) as refused:
        field.clean("1" * (AMOUNT_MAX_DIGITS - AMOUNT_DECIMAL_PLACES + 1))
    assert [error.code for error in refused.value.error_list] == ["max_whole_digits"]


def test_lines_field():
    field = LinesField()

    assert (field.required, str(field.help_text)) == (False, "En per rad.")
    assert field.clean(" Mark \n\n  Borg\n") == ["Mark", "Borg"]
    assert field.clean("") == []
    assert field.clean(["Mark", 2]) == ["Mark", "2"]
    assert field.prepare_value(["Mark", "Borg"]) == "Mark\nBorg"
    assert field.prepare_value("Mark") == "Mark"
    with pytest.raises(ValidationError):
        field.clean("Mark\nBo\x00rg")
    assert LinesField(required=True, help_text="Namn").help_text == "Namn"


def test_the_decimal_field_never_localizes_what_it_shows():
    # The field shows Decimals through its own formatting; anything else is shown as is,
    # even when a caller asks for Django's localization (which would write "1234567,5").
    class Form(forms.Form):
        amount = DecimalCommaField(required=False, localize=True)

    with translation.override("sv"):
        html = str(Form(initial={"amount": 1234567.5})["amount"])

    assert 'value="1234567.5"' in html


POPULATION = "Ange folkmängden som ett heltal."


@pytest.mark.parametrize(
    "typed, message",
    [
        # Text that is no number at all: the field says what it wants.
        ("många", POPULATION),
        ("12 kr", POPULATION),
        # A number written wrongly: the general rule says what is wrong with it.
        ("12,5", "Ange ett heltal, utan decimaler."),
        ("1 25 000", "Mellanslag bara mellan tusental, tre siffror i varje grupp, t.ex. 1 250 000."),
    ],
)
def test_a_field_with_its_own_message_uses_it_for_text_that_is_no_number(typed, message):
    field = DecimalCommaField(decimal_places=0, min_value=D(0), error_messages={"invalid": POPULATION})
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)

    assert (refused.value.code, refused.value.messages) == ("invalid", [message])


def test_a_field_with_the_general_message_keeps_the_rules_own():
    with pytest.raises(ValidationError) as refused:
        DecimalCommaField().clean("många")

    assert refused.value.messages == ["Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50."]
