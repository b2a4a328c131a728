"""Sizes a real plan never reaches, so that no plan can tie up the server.

The largest of the seed plans have 5 columns, 23 lines, 11 members, 9
interventions and chapters of under 1 000 characters. Beyond these limits a
save is refused with a field error; the request limits in the settings
(DATA_UPLOAD_MAX_NUMBER_FIELDS) are sized so that every editing page still
posts at these maxima.
"""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

CHAPTER_BODY_MAX_CHARS = 50_000
# A vision, a target group: a paragraph or a few.
SHORT_TEXT_MAX_CHARS = 5_000
# An intervention's description may run to a page or two.
DESCRIPTION_MAX_CHARS = 20_000
LIST_ITEMS_MAX = 50
LIST_ITEM_MAX_CHARS = 1_000

COLUMNS_MAX = 15
# A column looks back at most this many years before the budget year (actuals, forecasts).
COLUMN_YEARS_BEFORE = 5

# The most rows of each kind one plan holds, by model label.
PLAN_PARTS_MAX = {
    "budgets.Column": COLUMNS_MAX,
    "budgets.BudgetLine": 200,
    "budgets.Chapter": 30,
    "budgets.Meeting": 100,
    "budgets.Activity": 100,
    "federations.Member": 50,
    "interventions.Intervention": 120,
}

PLAN_PARTS_MESSAGES = {
    "budgets.Column": _("En plan kan ha högst %(limit)s kolumner."),
    "budgets.BudgetLine": _("En plan kan ha högst %(limit)s budgetrader."),
    "budgets.Chapter": _("En plan kan ha högst %(limit)s kapitel."),
    "budgets.Meeting": _("En plan kan ha högst %(limit)s möten."),
    "budgets.Activity": _("En plan kan ha högst %(limit)s aktiviteter."),
    "federations.Member": _("En plan kan ha högst %(limit)s medlemmar."),
    "interventions.Intervention": _("En plan kan ha högst %(limit)s insatser."),
}


def plan_parts_message(label: str) -> str:
    limit = PLAN_PARTS_MAX[label]
    return PLAN_PARTS_MESSAGES[label] % {"limit": limit}


def refuse_beyond_plan_parts(instance) -> None:
    """Refuse a new row when its plan holds the most rows of its kind already (call from `clean`)."""
    label = instance._meta.label
    if instance.pk is not None or getattr(instance, "plan_id", None) is None:
        return
    stored = type(instance)._default_manager.filter(plan_id=instance.plan_id).count()
    if stored >= PLAN_PARTS_MAX[label]:
        raise ValidationError(plan_parts_message(label), code="too_many")


@deconstructible
class TextListValidator:
    """A list of short texts (goals, indicators): at most LIST_ITEMS_MAX, each at most LIST_ITEM_MAX_CHARS."""

    def __call__(self, value):
        if not isinstance(value, list):
            return
        if len(value) > LIST_ITEMS_MAX:
            raise ValidationError(
                _("Högst %(limit)s rader (nu %(count)s)."), code="too_many", params={"limit": LIST_ITEMS_MAX, "count": len(value)}
            )
        for item in value:
            if len(str(item)) > LIST_ITEM_MAX_CHARS:
                raise ValidationError(
                    _("En rad får vara högst %(limit)s tecken (en är %(count)s)."),
                    code="too_long",
                    params={"limit": LIST_ITEM_MAX_CHARS, "count": len(str(item))},
                )

    def __eq__(self, other):
        return isinstance(other, TextListValidator)


validate_text_list = TextListValidator()
