"""The income and cost lines page: add, edit, group, link to an intervention, move and remove lines."""

from decimal import Decimal

from django.urls import reverse

from budgets.models import BudgetLine, LineAmount
from tests.forms import form_values
from tests.test_edit_access import (  # noqa: F401 (fixtures)
    STALE_TEXT,
    chief,
    draft_a,
    edit_world,
    finding_codes,
    post,
    seed,
    sign_in,
    text_of,
    version_of,
    world,
)


def amount_of(plan, section, slug, column_slug):
    amount = LineAmount.objects.filter(
        line__plan=plan, line__section=section, line__slug=slug, column__slug=column_slug
    ).first()
    return amount.amount if amount else None


def cost_slugs(plan, group):
    return list(
        BudgetLine.objects.filter(plan=plan, section="cost", cost_group=group).order_by("order", "pk").values_list("slug", flat=True)
    )


def grid(client, plan, section_slug):
    page = client.get(reverse("edit:lines", args=[plan.pk]))
    return form_values(page, reverse("edit:lines_save", args=[plan.pk, section_slug]))


def key(plan, slug, name, section="cost"):
    line = BudgetLine.objects.get(plan=plan, section=section, slug=slug)
    return f"r{line.pk}-{name}"


def amount_key(plan, slug, column_slug, section="cost"):
    column = plan.columns.get(slug=column_slug)
    return key(plan, slug, f"amount-{column.pk}", section)


def test_the_page_groups_the_costs_and_shows_their_amounts(chief, draft_a):
    response = chief.get(reverse("edit:lines", args=[draft_a.pk]))
    assert response.status_code == 200
    values = grid(chief, draft_a, "kostnader")
    assert values[key(draft_a, "enter", "label")] == "Enter"
    assert values[amount_key(draft_a, "enter", "b2025")] == "3439000"
    assert values[key(draft_a, "enter", "intervention")] == str(draft_a.interventions.get(slug="enter").pk)
    text = text_of(response)
    assert text.index("Insatser") < text.index("Enter") < text.index("Administration") < text.index("Kansli")


def test_adding_an_income_line_and_typing_its_amount_the_swedish_way(chief, draft_a):
    response = post(
        chief,
        reverse("edit:line_create", args=[draft_a.pk, "intakter"]),
        {"label": "ESF Iris", "group": "external"},
        plan=draft_a,
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#intakter")
    line = BudgetLine.objects.get(plan=draft_a, section="income", slug="esf-iris")
    assert line.income_kind == "external"

    values = grid(chief, draft_a, "intakter")
    values[amount_key(draft_a, "esf-iris", "b2025", "income")] = "1 250 000,50"
    response = chief.post(reverse("edit:lines_save", args=[draft_a.pk, "intakter"]), values)
    assert response.status_code == 302
    assert amount_of(draft_a, "income", "esf-iris", "b2025") == Decimal("1250000.50")
    plan_page = chief.get(reverse("budgets:plan", args=[draft_a.pk]))
    assert "ESF Iris" in text_of(plan_page)


def test_editing_a_cost_line_label_group_intervention_and_amounts(chief, draft_a):
    values = grid(chief, draft_a, "kostnader")
    fia = draft_a.interventions.get(slug="fia")
    values[key(draft_a, "genomlysning", "label")] = "Genomlysning av insatserna"
    values[key(draft_a, "genomlysning", "cost_group")] = "intervention"
    values[key(draft_a, "genomlysning", "intervention")] = str(fia.pk)
    values[amount_key(draft_a, "genomlysning", "p2026")] = "25 000"
    values[amount_key(draft_a, "kansli", "b2025")] = ""
    response = chief.post(reverse("edit:lines_save", args=[draft_a.pk, "kostnader"]), values)
    assert response.status_code == 302

    line = BudgetLine.objects.get(plan=draft_a, section="cost", slug="genomlysning")
    assert (line.label, line.cost_group, line.intervention_id) == ("Genomlysning av insatserna", "intervention", fia.pk)
    assert cost_slugs(draft_a, "intervention")[-1] == "genomlysning"
    assert amount_of(draft_a, "cost", "genomlysning", "p2026") == Decimal(25000)
    assert amount_of(draft_a, "cost", "kansli", "b2025") is None
    assert "Kostnaderna är sparade." in text_of(chief.get(response["Location"]))


def test_invalid_amounts_and_an_empty_label_are_field_errors(chief, draft_a):
    version = version_of(draft_a)
    values = grid(chief, draft_a, "kostnader")
    values[amount_key(draft_a, "enter", "b2025")] = "3,439,000"
    values[key(draft_a, "nova", "label")] = ""
    values[key(draft_a, "fia", "cost_group")] = "lunch"
    response = chief.post(reverse("edit:lines_save", args=[draft_a.pk, "kostnader"]), values)
    assert response.status_code == 400
    text = text_of(response)
    assert "Bara ett decimaltecken: skriv tusental med mellanslag, t.ex. 1 250 000,50." in text
    assert "Detta fält måste fyllas i." in text
    assert "Välj ett giltigt alternativ." in text
    assert version_of(draft_a) == version
    assert amount_of(draft_a, "cost", "enter", "b2025") == Decimal(3439000)


def test_moving_a_cost_line_within_its_group(chief, draft_a):
    administration = cost_slugs(draft_a, "administration")
    assert administration == ["kansli", "information", "styrelse", "revision", "ekonomihantering"]
    revision = BudgetLine.objects.get(plan=draft_a, section="cost", slug="revision")
    response = post(chief, reverse("edit:line_move", args=[draft_a.pk, revision.pk]), {"direction": "up"}, plan=draft_a)
    assert response.status_code == 302
    assert cost_slugs(draft_a, "administration") == ["kansli", "information", "revision", "styrelse", "ekonomihantering"]
    # The budget table shows the new order.
    text = text_of(chief.get(reverse("budgets:plan", args=[draft_a.pk])))
    assert text.index("Revision 55 000") < text.index("Styrelse 35 000")


def test_removing_a_line_after_confirmation_changes_the_totals(chief, draft_a):
    line = BudgetLine.objects.get(plan=draft_a, section="cost", slug="genomlysning")
    url = reverse("edit:line_delete", args=[draft_a.pk, line.pk])
    page = chief.get(url)
    assert "Ta bort raden Genomlysning insatserna?" in text_of(page)
    assert "Radens 1 belopp tas bort med den." in text_of(page)
    response = post(chief, url, plan=draft_a)
    assert response.status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    assert not LineAmount.objects.filter(line_id=line.pk).exists()


def test_contribution_lines_are_not_edited_or_removed_here(chief, draft_a):
    habo = BudgetLine.objects.get(plan=draft_a, section="contribution", member__slug="habo")
    assert chief.get(reverse("edit:line_delete", args=[draft_a.pk, habo.pk])).status_code == 404
    response = post(chief, reverse("edit:line_move", args=[draft_a.pk, habo.pk]), {"direction": "up"}, plan=draft_a)
    assert response.status_code == 404
    assert post(chief, reverse("edit:lines_save", args=[draft_a.pk, "bidrag"]), plan=draft_a).status_code == 404


def test_a_stale_grid_is_refused_with_the_stored_amounts_shown(chief, draft_a):
    stale = grid(chief, draft_a, "kostnader")
    fresh = dict(stale)
    fresh[amount_key(draft_a, "enter", "b2025")] = "3 500 000"
    assert chief.post(reverse("edit:lines_save", args=[draft_a.pk, "kostnader"]), fresh).status_code == 302

    stale[amount_key(draft_a, "enter", "b2025")] = "1"
    response = chief.post(reverse("edit:lines_save", args=[draft_a.pk, "kostnader"]), stale)
    assert response.status_code == 409
    assert STALE_TEXT in text_of(response)
    assert amount_of(draft_a, "cost", "enter", "b2025") == Decimal(3500000)
    assert form_values(response, reverse("edit:lines_save", args=[draft_a.pk, "kostnader"]))[
        amount_key(draft_a, "enter", "b2025")
    ] == "3500000"


def test_raising_costs_below_zero_equity_shows_the_error_on_the_page(chief, draft_a):
    values = grid(chief, draft_a, "kostnader")
    values[amount_key(draft_a, "nya-insatser", "p2027")] = "5 000 000"
    response = chief.post(reverse("edit:lines_save", args=[draft_a.pk, "kostnader"]), values)
    assert "NEGATIVE_EQUITY" in finding_codes(chief.get(response["Location"]))


def test_a_post_of_one_line_leaves_the_other_lines_as_they_are(chief, draft_a):
    response = post(
        chief,
        reverse("edit:lines_save", args=[draft_a.pk, "kostnader"]),
        {amount_key(draft_a, "fia", "b2025"): "640 000"},
        plan=draft_a,
    )
    assert response.status_code == 302
    assert amount_of(draft_a, "cost", "fia", "b2025") == Decimal(640000)
    assert BudgetLine.objects.get(plan=draft_a, section="cost", slug="fia").label == "FIA"
    assert amount_of(draft_a, "cost", "enter", "b2025") == Decimal(3439000)
