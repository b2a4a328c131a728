"""The intervention form: every field saved, markings in the order chosen, granted amounts per column."""

import re
from decimal import Decimal

from django.urls import reverse

from budgets.models import BudgetLine
from interventions.models import Category, Intervention, InterventionFunding, Marking
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


def marking(name):
    return str(Marking.objects.get(name=name).pk)


def marking_names(intervention):
    return [link.marking.name for link in intervention.interventionmarking_set.order_by("order")]


def member(plan, slug):
    return plan.members.get(slug=slug)


def column(plan, slug):
    return plan.columns.get(slug=slug)


def test_a_new_intervention_with_every_field(chief, draft_a):
    url = reverse("interventions:create", args=[draft_a.pk])
    page = chief.get(url)
    assert page.status_code == 200
    data = form_values(page, url)
    data.update(
        {
            "name": "Unga i jobb",
            "kind": "structural",
            "status": "planned",
            "category": str(Category.objects.get(name="Metodutveckling").pk),
            "long_term": "false",
            "markings": [marking("Unga FUNK PRIO"), marking("LTS PRIO")],
            "owner": str(member(draft_a, "jonkoping").pk),
            "parties": [str(member(draft_a, slug).pk) for slug in ("state", "region", "habo", "jonkoping")],
            "start": "2025-03",
            "end": "2026",
            "participants_women": "12",
            "participants_men": "18",
            "participants_total": "",
            "target_group": "Unga 16–29 år utan sysselsättning",
            "description": "Samverkan kring unga.",
            "goals": "Fler i arbete\n\nFler i studier\n",
            "indicators": "Andel i arbete efter 6 månader",
            "utilization": "0,9",
            f"granted_{column(draft_a, 'b2025').pk}": "1 000 000",
            f"utilization_{column(draft_a, 'b2025').pk}": "0,85",
            f"granted_{column(draft_a, 'p2026').pk}": "1 250 000,50",
            f"allocation_{member(draft_a, 'habo').pk}": "10",
            f"allocation_{member(draft_a, 'jonkoping').pk}": "72,5",
        }
    )
    response = chief.post(url, data)
    assert response.status_code == 302

    intervention = Intervention.objects.get(plan=draft_a, name="Unga i jobb")
    assert intervention.slug == "unga-i-jobb"
    assert (intervention.kind, intervention.status, intervention.long_term) == ("structural", "planned", False)
    assert intervention.category.name == "Metodutveckling"
    assert intervention.owner.slug == "jonkoping"
    assert sorted(m.slug for m in intervention.parties.all()) == ["habo", "jonkoping", "region", "state"]
    assert (intervention.start, intervention.end) == ("2025-03", "2026")
    assert (intervention.participants_women, intervention.participants_men, intervention.participants_total) == (12, 18, 30)
    assert intervention.target_group == "Unga 16–29 år utan sysselsättning"
    assert intervention.goals == ["Fler i arbete", "Fler i studier"]
    assert intervention.indicators == ["Andel i arbete efter 6 månader"]
    assert intervention.utilization == Decimal("0.9")
    # The markings shown first (in the list's order) are kept in that order.
    assert marking_names(intervention) == ["LTS PRIO", "Unga FUNK PRIO"]
    funding = {row.column.slug: (row.granted, row.utilization) for row in intervention.funding.select_related("column")}
    assert funding == {"b2025": (Decimal(1000000), Decimal("0.85")), "p2026": (Decimal("1250000.50"), None)}
    allocations = {row.member.slug: row.weight for row in intervention.allocations.select_related("member")}
    assert allocations == {"habo": Decimal(10), "jonkoping": Decimal("72.5")}
    assert "Insatsen Unga i jobb är tillagd." in text_of(chief.get(response["Location"]))

    # The form shows what was saved.
    edit_url = reverse("interventions:edit", args=[draft_a.pk, intervention.pk])
    shown = form_values(chief.get(edit_url), edit_url)
    assert shown[f"granted_{column(draft_a, 'p2026').pk}"] == "1250000,5"
    assert shown[f"utilization_{column(draft_a, 'b2025').pk}"] == "0,85"
    assert shown["goals"] == "Fler i arbete\nFler i studier"
    assert shown["participants_total"] == "30"


def test_markings_keep_the_order_they_were_chosen_in(sign_in, seed):
    sjuharad = seed["sjuharad"]
    client = sign_in("chief_sjuharad")
    puls = Intervention.objects.get(plan=sjuharad, slug="puls")
    assert marking_names(puls) == ["ESF ÄG", "Unga FUNK PRIO", "Unga AE PRIO"]
    url = reverse("interventions:edit", args=[sjuharad.pk, puls.pk])
    page = client.get(url)
    html = page.content.decode()
    # The chosen markings are listed first, in their order.
    shown = [re.search(rf">\s*{re.escape(name)}\s*<", html).start() for name in ("ESF ÄG", "Unga FUNK PRIO", "Unga AE PRIO", "ESF MF")]
    assert shown == sorted(shown)

    data = form_values(page, url)
    data["markings"] = [marking("Unga AE PRIO"), marking("LTS PRIO"), marking("ESF ÄG")]
    assert client.post(url, data).status_code == 302
    assert marking_names(puls) == ["ESF ÄG", "Unga AE PRIO", "LTS PRIO"]


def test_parties_and_funding_can_be_emptied(chief, draft_a):
    enter = Intervention.objects.get(plan=draft_a, slug="enter")
    InterventionFunding.objects.create(intervention=enter, column=column(draft_a, "b2025"), granted=3821111)
    enter.parties.set([member(draft_a, "habo"), member(draft_a, "region")])
    url = reverse("interventions:edit", args=[draft_a.pk, enter.pk])
    data = form_values(chief.get(url), url)
    assert data[f"granted_{column(draft_a, 'b2025').pk}"] == "3821111"
    data["parties"] = [str(member(draft_a, "habo").pk)]
    data[f"granted_{column(draft_a, 'b2025').pk}"] = ""
    response = chief.post(url, data)
    assert response.status_code == 302
    assert list(enter.parties.values_list("slug", flat=True)) == ["habo"]
    assert not enter.funding.exists()
    # One party is too few: the check warns at once.
    assert "INTERVENTION_PARTIES" in finding_codes(chief.get(response["Location"]))


def test_the_form_shows_the_cost_lines_linked_to_the_intervention(chief, draft_a):
    enter = Intervention.objects.get(plan=draft_a, slug="enter")
    InterventionFunding.objects.create(
        intervention=enter, column=column(draft_a, "b2025"), granted=3821111, utilization=Decimal("0.9")
    )
    response = chief.get(reverse("interventions:edit", args=[draft_a.pk, enter.pk]))
    text = text_of(response)
    assert "Kostnadsrader i budgeten" in text
    assert "Enter 3 197 000 3 175 601 3 439 000 3 526 000 3 615 000" in text
    # 90 % of 3 821 111 is what the budget counts on.
    assert "Beviljat × räknad andel 3 439 000" in text


def test_invalid_input_is_refused_field_by_field(chief, draft_a):
    enter = Intervention.objects.get(plan=draft_a, slug="enter")
    version = version_of(draft_a)
    url = reverse("interventions:edit", args=[draft_a.pk, enter.pk])
    data = form_values(chief.get(url), url)
    data.update(
        {
            "name": "",
            "start": "2025-06",
            "end": "2025-02",
            "participants_women": "5",
            "participants_men": "5",
            "participants_total": "12",
            "utilization": "1,5",
            f"utilization_{column(draft_a, 'b2025').pk}": "0,9",
            f"granted_{column(draft_a, 'p2026').pk}": "mycket",
        }
    )
    response = chief.post(url, data)
    assert response.status_code == 400
    text = text_of(response)
    assert "Detta fält måste fyllas i." in text
    assert "Slutet kan inte ligga före starten." in text
    assert "Totalt ska vara kvinnor plus män, 10." in text
    assert "Ange ett bråktal mellan 0 och 1 med decimalkomma, t.ex. 0,9." in text
    assert "Ange det beviljade beloppet, eller töm andelen." in text
    assert "Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50." in text
    assert 'aria-describedby="id_end_helptext id_end_error"' in response.content.decode()
    enter.refresh_from_db()
    assert enter.name == "Enter" and enter.start == ""
    assert version_of(draft_a) == version


def test_removing_an_intervention_keeps_its_cost_lines(chief, draft_a):
    enter = Intervention.objects.get(plan=draft_a, slug="enter")
    url = reverse("interventions:delete", args=[draft_a.pk, enter.pk])
    page = chief.get(url)
    assert "Kostnadsraderna Enter finns kvar i budgeten men kopplas bort från insatsen." in text_of(page)
    response = post(chief, url, plan=draft_a)
    assert response.status_code == 302
    assert not Intervention.objects.filter(pk=enter.pk).exists()
    line = BudgetLine.objects.get(plan=draft_a, section="cost", slug="enter")
    assert line.intervention is None
    assert "Insatsen Enter är borttagen." in text_of(chief.get(response["Location"]))


def test_a_stale_intervention_form_is_refused(chief, draft_a):
    enter = Intervention.objects.get(plan=draft_a, slug="enter")
    url = reverse("interventions:edit", args=[draft_a.pk, enter.pk])
    stale = form_values(chief.get(url), url)
    assert chief.post(url, dict(stale, name="Enter 2025")).status_code == 302
    response = chief.post(url, dict(stale, name="Enter X"))
    assert response.status_code == 409
    assert STALE_TEXT in text_of(response)
    assert form_values(response, url)["name"] == "Enter 2025"
    enter.refresh_from_db()
    assert enter.name == "Enter 2025"
