"""The columns page: add a column, move it, remove it with its amounts after confirmation."""

from django.urls import reverse

from budgets.models import Column, LineAmount
from interventions.models import InterventionFunding
from tests.test_edit_access import (  # noqa: F401 (fixtures)
    STALE_TEXT,
    chief,
    draft_a,
    edit_world,
    post,
    seed,
    sign_in,
    text_of,
    version_of,
    world,
)


def slugs(plan):
    return list(Column.objects.filter(plan=plan).values_list("slug", flat=True))


def test_the_page_lists_the_columns_in_order(chief, draft_a):
    response = chief.get(reverse("edit:columns", args=[draft_a.pk]))
    text = text_of(response)
    assert text.index("Budget 2024") < text.index("Prognos 2024") < text.index("Budget 2025") < text.index("Plan 2027")


def test_adding_a_column_gives_it_a_label_and_places_it_after_its_year(chief, draft_a):
    response = post(chief, reverse("edit:columns", args=[draft_a.pk]), {"kind": "actual", "year": "2024", "label": ""}, plan=draft_a)
    assert response.status_code == 302
    column = Column.objects.get(plan=draft_a, slug="u2024")
    assert column.label == "Utfall 2024"
    assert slugs(draft_a) == ["b2024", "f2024", "u2024", "b2025", "p2026", "p2027"]
    assert "Kolumnen Utfall 2024 är tillagd." in text_of(chief.get(response["Location"]))
    # The new column is on the contributions page at once.
    contributions = chief.get(reverse("edit:contributions", args=[draft_a.pk]))
    assert "Utfall 2024" in text_of(contributions)


def test_a_column_past_the_plans_last_year_or_a_duplicate_is_refused(chief, draft_a):
    version = version_of(draft_a)
    response = post(chief, reverse("edit:columns", args=[draft_a.pk]), {"kind": "plan", "year": "2028"}, plan=draft_a)
    assert response.status_code == 400
    assert "Planen sträcker sig till 2027." in text_of(response)

    response = post(chief, reverse("edit:columns", args=[draft_a.pk]), {"kind": "budget", "year": "2025"}, plan=draft_a)
    assert response.status_code == 400
    assert "Det finns redan en kolumn Budget 2025." in text_of(response)

    response = post(chief, reverse("edit:columns", args=[draft_a.pk]), {"kind": "budget", "year": "tjugo"}, plan=draft_a)
    assert response.status_code == 400
    assert "Fyll i ett heltal." in text_of(response)
    assert version_of(draft_a) == version
    assert len(slugs(draft_a)) == 5


def test_moving_columns_up_and_down(chief, draft_a):
    p2026 = draft_a.columns.get(slug="p2026")
    response = post(chief, reverse("edit:column_move", args=[draft_a.pk, p2026.pk]), {"direction": "up"}, plan=draft_a)
    assert response.status_code == 302
    assert slugs(draft_a) == ["b2024", "f2024", "p2026", "b2025", "p2027"]
    post(chief, reverse("edit:column_move", args=[draft_a.pk, p2026.pk]), {"direction": "down"}, plan=draft_a)
    assert slugs(draft_a) == ["b2024", "f2024", "b2025", "p2026", "p2027"]
    # The last column cannot go further down.
    last = draft_a.columns.get(slug="p2027")
    post(chief, reverse("edit:column_move", args=[draft_a.pk, last.pk]), {"direction": "down"}, plan=draft_a)
    assert slugs(draft_a) == ["b2024", "f2024", "b2025", "p2026", "p2027"]


def test_removing_a_column_asks_first_then_takes_its_amounts(chief, draft_a):
    column = draft_a.columns.get(slug="b2024")
    intervention = draft_a.interventions.get(slug="enter")
    InterventionFunding.objects.create(intervention=intervention, column=column, granted=3500000)
    url = reverse("edit:column_delete", args=[draft_a.pk, column.pk])

    page = chief.get(url)
    text = text_of(page)
    assert "Ta bort kolumnen Budget 2024?" in text
    assert "Kolumnens 20 belopp tas bort med den." in text
    assert "Insatsernas beviljade belopp i kolumnen tas bort." in text
    assert Column.objects.filter(pk=column.pk).exists()

    response = post(chief, url, plan=draft_a)
    assert response.status_code == 302
    assert not Column.objects.filter(pk=column.pk).exists()
    assert not LineAmount.objects.filter(column_id=column.pk).exists()
    assert not InterventionFunding.objects.filter(column_id=column.pk).exists()
    assert slugs(draft_a) == ["f2024", "b2025", "p2026", "p2027"]
    assert "Kolumnen Budget 2024 är borttagen." in text_of(chief.get(response["Location"]))


def test_a_stale_move_is_refused(chief, draft_a):
    column = draft_a.columns.get(slug="p2026")
    response = post(
        chief,
        reverse("edit:column_move", args=[draft_a.pk, column.pk]),
        {"direction": "up"},
        plan=draft_a,
        version=version_of(draft_a) - 1,
    )
    assert response.status_code == 409
    assert STALE_TEXT in text_of(response)
    assert slugs(draft_a) == ["b2024", "f2024", "b2025", "p2026", "p2027"]
