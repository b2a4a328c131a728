"""The limits no real plan reaches (finsam/lib/limits.py): the refusals word for word and
exactly at the limit. The stored rows are counted through a stand-in manager, as the
models' `clean` counts them."""

import pytest
from django.core.exceptions import ValidationError

from finsam.lib.limits import (
    LIST_ITEM_MAX_CHARS,
    LIST_ITEMS_MAX,
    PLAN_PARTS_MAX,
    TextListValidator,
    plan_parts_message,
    refuse_beyond_plan_parts,
    validate_text_list,
)

pytestmark = pytest.mark.core


@pytest.mark.parametrize(
    "label, message",
    [
        ("budgets.Column", "En plan kan ha högst 15 kolumner."),
        ("budgets.BudgetLine", "En plan kan ha högst 200 budgetrader."),
        ("budgets.Chapter", "En plan kan ha högst 30 kapitel."),
        ("budgets.Meeting", "En plan kan ha högst 100 möten."),
        ("budgets.Activity", "En plan kan ha högst 100 aktiviteter."),
        ("federations.Member", "En plan kan ha högst 50 medlemmar."),
        ("interventions.Intervention", "En plan kan ha högst 120 insatser."),
    ],
)
def test_the_message_of_each_limit(label, message):
    assert str(plan_parts_message(label)) == message


def row_of(label: str, *, stored: int, pk=None, plan_id=7):
    """A row of the model `label` for plan `plan_id`, whose plan holds `stored` such rows."""

    class Rows:
        def filter(self, **lookup):
            assert lookup == {"plan_id": plan_id}
            return self

        def count(self):
            return stored

    meta = type("Meta", (), {"label": label})
    model = type("Model", (), {"_meta": meta, "_default_manager": Rows()})
    row = model()
    row.pk, row.plan_id = pk, plan_id
    return row


@pytest.mark.parametrize("label", list(PLAN_PARTS_MAX))
def test_a_new_row_is_refused_once_its_plan_holds_the_most(label):
    limit = PLAN_PARTS_MAX[label]
    refuse_beyond_plan_parts(row_of(label, stored=limit - 1))
    with pytest.raises(ValidationError) as refused:
        refuse_beyond_plan_parts(row_of(label, stored=limit))

    assert (refused.value.code, refused.value.messages) == ("too_many", [str(plan_parts_message(label))])


def test_a_stored_row_and_a_row_without_a_plan_are_not_counted():
    refuse_beyond_plan_parts(row_of("budgets.Chapter", stored=99, pk=3))
    refuse_beyond_plan_parts(row_of("budgets.Chapter", stored=99, plan_id=None))


def refusal(value) -> tuple[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        validate_text_list(value)
    return refused.value.code, refused.value.messages


def test_a_list_of_texts_at_and_beyond_its_limits():
    assert (LIST_ITEMS_MAX, LIST_ITEM_MAX_CHARS) == (50, 1000)
    validate_text_list(["mål"] * 50)
    validate_text_list(["x" * 1000, 12])
    validate_text_list("not a list")
    assert refusal(["mål"] * 51) == ("too_many", ["Högst 50 rader (nu 51)."])
    assert refusal(["kort", "x" * 1001]) == ("too_long", ["En rad får vara högst 1000 tecken (en är 1001)."])
    # Any item is measured as text.
    assert refusal([10**1000]) == ("too_long", ["En rad får vara högst 1000 tecken (en är 1001)."])


def test_every_text_list_validator_is_the_same():
    assert TextListValidator() == validate_text_list
    assert TextListValidator() != "TextListValidator"
