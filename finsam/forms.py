"""Form fields that parse and normalise what people type: Swedish numbers
("3 439 000", "12,5", "1 250 000,50") and lists edited one item per line.
Used by the chief's forms and the accountants' admin alike.

Numbers are read by `finsam.lib.numbers.parse_amount` only, strictly: two cells
pasted into one, a unit after the number or a thousands point is a field error
that says what was wrong, never a number guessed at.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from finsam.lib.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS, plain
from finsam.lib.numbers import NumberRefused, parse_amount

def format_decimal(value: Decimal | None) -> str:
    """A decimal to edit: decimal comma, no thousands separators (12,5 and 3439000).

    Lists show numbers with `finsam.lib.formatting.format_number` instead.
    """
    if value is None:
        return ""
    return format(plain(value), "f").replace(".", ",")


class DecimalCommaField(forms.DecimalField):
    """A decimal typed the Swedish way: decimal comma (or point), spaces between thousands."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Ange ett tal, t.ex. 12 500 eller 12,5."),
        "max_digits": _("Ange högst %(max)s siffror."),
        "max_decimal_places": _("Ange högst %(max)s decimaler."),
        "max_whole_digits": _("Ange högst %(max)s siffror före decimalkommat."),
        "min_value": _("Ange ett tal som är minst %(limit_value)s."),
        "max_value": _("Ange ett tal som är högst %(limit_value)s."),
    }

    def __init__(self, **kwargs):
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "decimal")
        if "size" not in widget.attrs:
            attrs["size"] = "12"
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        return parse_field_number(self, str(value), decimals=self.decimal_places)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_decimal(value)
        return value


def parse_field_number(form_field: forms.Field, text: str, *, decimals: int | None) -> Decimal | None:
    """`parse_amount` for a form field: negatives only below a negative `min_value`,
    and a refusal as the field's error (its own message for a negative number)."""
    if not text.strip():
        return None
    minimum = getattr(form_field, "min_value", None)
    allow_negative = minimum is None or minimum < 0
    try:
        return parse_amount(text, decimals=decimals, allow_negative=allow_negative)
    except NumberRefused as refusal:
        if refusal.code == "negative" and "min_value" in form_field.error_messages:
            message = form_field.error_messages["min_value"] % {"limit_value": minimum}
            raise ValidationError(message, code="min_value") from None
        # Text that is no number at all: a field that says what it wants ("Ange folkmängden
        # som ett heltal") says it better than the general rule with its amount example.
        own = form_field.error_messages.get("invalid")
        if refusal.code == "characters" and own and own != DecimalCommaField.default_error_messages["invalid"]:
            raise ValidationError(own, code="invalid") from None
        raise ValidationError(refusal.message, code="invalid") from None


class AmountField(DecimalCommaField):
    """An amount of a budget line: never negative, since costs carry their sign in the section."""

    default_error_messages = {
        "min_value": _("Beloppet får inte vara negativt."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", AMOUNT_MAX_DIGITS)
        kwargs.setdefault("decimal_places", AMOUNT_DECIMAL_PLACES)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)


class LinesField(forms.CharField):
    """A list of strings edited as a textarea, one per line; blank lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 80})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("En per rad."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return [str(item) for item in value]
        if value in self.empty_values:
            return []
        return [line.strip() for line in str(value).splitlines() if line.strip()]

    def run_validators(self, value):
        # CharField's validators (no NUL character, which PostgreSQL cannot store)
        # judge each line; on the list as a whole they would see its repr instead.
        for line in value:
            super().run_validators(line)
