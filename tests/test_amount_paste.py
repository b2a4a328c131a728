"""Two cells pasted into one amount field: a field error that says so, and nothing saved.

Reading every white space away once turned `45 000⏎46 000` into 4 500 046 000 kr,
saved with "Kostnaderna är sparade".
"""

import pytest
from django.urls import reverse

from budgets.models import LineAmount
from tests.forms import form_values
from tests.test_edit_access import (  # noqa: F401 (fixtures)
    chief,
    draft_a,
    edit_world,
    sign_in,
    text_of,
    version_of,
    world,
)

PASTED = ["45 000\n46 000", "45 000\r\n46 000", "45 000\t46 000", "1,25 mkr", "1.250.000", "12,", "+5", "1 25 000", "1  000"]


def stored_amounts(plan) -> dict:
    """Every amount of the plan, by (line, column)."""
    return {
        (amount.line_id, amount.column_id): amount.amount
        for amount in LineAmount.objects.filter(line__plan=plan)
    }


def cost_cell(plan) -> tuple[str, LineAmount]:
    amount = (
        LineAmount.objects.filter(line__plan=plan, line__section="cost", line__slug="enter", column__slug="b2025")
        .select_related("line", "column")
        .get()
    )
    return f"r{amount.line_id}-amount-{amount.column_id}", amount


@pytest.mark.parametrize("typed", PASTED)
def test_a_pasted_or_malformed_cost_is_a_field_error_and_no_amount_changes(chief, draft_a, typed):
    url = reverse("edit:lines_save", args=[draft_a.pk, "kostnader"])
    data = form_values(chief.get(reverse("edit:lines", args=[draft_a.pk])), url)
    name, amount = cost_cell(draft_a)
    before, version = stored_amounts(draft_a), version_of(draft_a)
    data[name] = typed

    response = chief.post(url, data)

    assert response.status_code == 400
    text = text_of(response)
    assert "Kostnaderna är sparade" not in text
    assert stored_amounts(draft_a) == before
    assert version_of(draft_a) == version
    # The error stands at the cell, which shows what was typed.
    html = response.content.decode()
    field = html[html.index(f'name="{name}"') - 300 : html.index(f'name="{name}"') + 600]
    assert "is-invalid" in field


def test_two_numbers_in_a_cost_cell_are_named_as_such(chief, draft_a):
    url = reverse("edit:lines_save", args=[draft_a.pk, "kostnader"])
    data = form_values(chief.get(reverse("edit:lines", args=[draft_a.pk])), url)
    name, amount = cost_cell(draft_a)
    data[name] = "45 000\n46 000"

    response = chief.post(url, data)

    assert "Två tal i samma cell" in text_of(response)
    amount.refresh_from_db()
    assert amount.amount == 3439000


def test_two_numbers_in_a_contribution_cell_are_refused_too(chief, draft_a):
    url = reverse("edit:contributions", args=[draft_a.pk])
    data = form_values(chief.get(url), url)
    member = draft_a.members.get(slug="habo")
    column = draft_a.columns.get(slug="b2025")
    before = stored_amounts(draft_a)
    data[f"r{member.pk}-amount-{column.pk}"] = "45 000\n46 000"

    response = chief.post(url, data)

    assert response.status_code == 400
    assert "Två tal i samma cell" in text_of(response)
    assert stored_amounts(draft_a) == before


def test_an_amount_typed_as_the_app_prints_it_is_saved(chief, draft_a):
    url = reverse("edit:lines_save", args=[draft_a.pk, "kostnader"])
    data = form_values(chief.get(reverse("edit:lines", args=[draft_a.pk])), url)
    name, amount = cost_cell(draft_a)
    data[name] = "3\u00a0500\u202f000,50"

    response = chief.post(url, data)

    assert response.status_code == 302
    amount.refresh_from_db()
    assert str(amount.amount.normalize()) == "3500000.5"
