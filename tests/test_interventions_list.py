"""The interventions list: a sortable table, filtered by kind and status through the query string."""

import re

from django.urls import reverse

from interventions.models import Intervention
from tests.test_edit_access import (  # noqa: F401 (fixtures)
    chief,
    draft_a,
    edit_world,
    seed,
    sign_in,
    text_of,
    world,
)


def names_in_table(response) -> list[str]:
    table = re.search(r'<table[^>]*id="interventions-table".*?</table>', response.content.decode(), flags=re.S).group(0)
    return re.findall(r'<td[^>]*>\s*<a href="/plan/\d+/insatser/\d+/">([^<]+)</a>', table)


def names(plan, **filters):
    return sorted(Intervention.objects.filter(plan=plan, **filters).values_list("name", flat=True))


def test_the_list_shows_every_intervention_with_a_link_to_its_form(sign_in, seed):
    sjuharad = seed["sjuharad"]
    response = sign_in("chief_sjuharad").get(reverse("interventions:list", args=[sjuharad.pk]))
    assert response.status_code == 200
    assert sorted(names_in_table(response)) == names(sjuharad)
    first = Intervention.objects.filter(plan=sjuharad).order_by("name").first()
    assert reverse("interventions:edit", args=[sjuharad.pk, first.pk]) in response.content.decode()


def test_filtering_by_kind_and_by_status(sign_in, seed):
    sjuharad = seed["sjuharad"]
    client = sign_in("chief_sjuharad")
    url = reverse("interventions:list", args=[sjuharad.pk])

    structural = client.get(url, {"kind": "structural"})
    assert sorted(names_in_table(structural)) == names(sjuharad, kind="structural")
    assert len(names_in_table(structural)) == 3

    planned = client.get(url, {"status": "planned"})
    assert names_in_table(planned) == names(sjuharad, status="planned")
    assert len(names_in_table(planned)) == 1

    both = client.get(url, {"kind": "individual", "status": "planned"})
    assert names_in_table(both) == []
    assert "Inga insatser matchar urvalet." in text_of(both)


def test_an_unknown_filter_value_shows_an_error_and_every_intervention(sign_in, seed):
    sjuharad = seed["sjuharad"]
    response = sign_in("chief_sjuharad").get(reverse("interventions:list", args=[sjuharad.pk]), {"kind": "project"})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ." in text_of(response)
    assert sorted(names_in_table(response)) == names(sjuharad)


def test_sorting_by_name_both_ways_and_keeping_the_filter(sign_in, seed):
    sjuharad = seed["sjuharad"]
    client = sign_in("chief_sjuharad")
    url = reverse("interventions:list", args=[sjuharad.pk])
    descending = client.get(url, {"sort": "-name"})
    assert names_in_table(descending) == sorted(names(sjuharad), reverse=True)
    ascending = client.get(url, {"sort": "name", "kind": "structural"})
    assert names_in_table(ascending) == names(sjuharad, kind="structural")
    # The filter form keeps the sort order.
    assert '<input type="hidden" name="sort" value="name">' in ascending.content.decode()


def test_the_list_shows_each_interventions_cost_in_the_budget_column(chief, draft_a):
    response = chief.get(reverse("interventions:list", args=[draft_a.pk]))
    text = text_of(response)
    assert "Kostnad Budget 2025" in text
    assert "Enter Individinriktad – Pågående Nej, projekt – – – – 3 439 000" in text
