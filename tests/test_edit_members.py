"""The members page: add, change and remove members; key shares keep the decimals they are typed with."""

from decimal import Decimal

from django.urls import reverse

from budgets.selectors import plan_document, plan_queryset
from federations.models import Member
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


def test_the_list_shows_the_members(chief, draft_a):
    response = chief.get(reverse("edit:members", args=[draft_a.pk]))
    text = text_of(response)
    assert "Region Jönköpings län Region" in text
    assert "Habo kommun Kommun" in text


def test_adding_a_municipality_with_population_and_key_share(chief, draft_a):
    response = post(
        chief,
        reverse("edit:members", args=[draft_a.pk]),
        {"name": "Aneby kommun", "kind": "municipality", "population": "6 800", "key_share": "0,50"},
        plan=draft_a,
    )
    assert response.status_code == 302
    member = Member.objects.get(plan=draft_a, name="Aneby kommun")
    assert member.slug == "aneby-kommun"
    assert member.population == 6800
    assert member.key_share == Decimal("0.5")
    assert member.key_share_places == 2
    assert list(Member.objects.filter(plan=draft_a))[-1] == member
    # The key is checked to the two decimals typed.
    document = plan_document(plan_queryset().get(pk=draft_a.pk))
    assert str(next(m for m in document.members if m.id == "aneby-kommun").key_share) == "0.50"

    response = chief.get(response["Location"])
    assert "Aneby kommun är tillagd som medlem." in text_of(response)
    edit = chief.get(reverse("edit:member", args=[draft_a.pk, member.pk]))
    assert form_values(edit, reverse("edit:member", args=[draft_a.pk, member.pk]))["key_share"] == "0,50"


def test_changing_a_member(chief, draft_a):
    habo = draft_a.members.get(slug="habo")
    url = reverse("edit:member", args=[draft_a.pk, habo.pk])
    data = form_values(chief.get(url), url)
    data.update({"name": "Habo", "population": "12 612", "key_share": "0,074"})
    response = chief.post(url, data)
    assert response.status_code == 302
    habo.refresh_from_db()
    assert (habo.name, habo.population, habo.key_share, habo.key_share_places) == ("Habo", 12612, Decimal("0.074"), 3)


def test_invalid_member_input_is_a_field_error(chief, draft_a):
    version = version_of(draft_a)
    response = post(
        chief,
        reverse("edit:members", args=[draft_a.pk]),
        {"name": "", "kind": "region", "population": "många", "key_share": "16 %"},
        plan=draft_a,
    )
    assert response.status_code == 400
    text = text_of(response)
    assert "Detta fält måste fyllas i." in text
    assert "Ange folkmängden som ett heltal, t.ex. 12 500." in text
    assert "Ange andelen som bråktal med decimalkomma, t.ex. 0,16." in text
    assert version_of(draft_a) == version

    response = post(
        chief,
        reverse("edit:members", args=[draft_a.pk]),
        {"name": "Region Östergötland", "kind": "region", "key_share": "0,5"},
        plan=draft_a,
    )
    assert response.status_code == 400
    assert "Bara kommuner har en andel i kommunernas fördelningsnyckel." in text_of(response)
    assert not Member.objects.filter(plan=draft_a, name="Region Östergötland").exists()


def test_a_member_with_contributions_cannot_be_removed(chief, draft_a):
    habo = draft_a.members.get(slug="habo")
    url = reverse("edit:member_delete", args=[draft_a.pk, habo.pk])
    page = chief.get(url)
    assert "Kan inte tas bort ännu:" in text_of(page)
    assert "Medlemmen har medlemsbidrag i 5 kolumner." in text_of(page)
    assert 'class="btn btn-danger"' not in page.content.decode()

    version = version_of(draft_a)
    response = post(chief, url, plan=draft_a)
    assert response.status_code == 302
    assert Member.objects.filter(pk=habo.pk).exists()
    assert version_of(draft_a) == version
    assert "Medlemmen har medlemsbidrag i 5 kolumner." in text_of(chief.get(response["Location"]))


def test_a_member_that_is_an_intervention_party_cannot_be_removed(chief, draft_a):
    fk = draft_a.members.get(slug="fk")
    enter = draft_a.interventions.get(slug="enter")
    enter.parties.add(fk)
    page = chief.get(reverse("edit:member_delete", args=[draft_a.pk, fk.pk]))
    assert "Medlemmen är part i Enter." in text_of(page)


def test_removing_an_unused_member_after_confirmation(chief, draft_a):
    fk = draft_a.members.get(slug="fk")
    url = reverse("edit:member_delete", args=[draft_a.pk, fk.pk])
    page = chief.get(url)
    assert "Ta bort Försäkringskassan ur planen?" in text_of(page)
    response = post(chief, url, plan=draft_a)
    assert response.status_code == 302
    assert not Member.objects.filter(pk=fk.pk).exists()
    page = chief.get(response["Location"])
    assert "Försäkringskassan är borttagen ur planen." in text_of(page)
    # A federation without Försäkringskassan breaks the law: the check says so at once.
    assert "MEMBERS" in finding_codes(page)


def test_a_stale_member_form_shows_the_current_values(chief, draft_a):
    habo = draft_a.members.get(slug="habo")
    url = reverse("edit:member", args=[draft_a.pk, habo.pk])
    stale = form_values(chief.get(url), url)
    assert chief.post(url, dict(stale, name="Habo K")).status_code == 302
    response = chief.post(url, dict(stale, name="Habo X"))
    assert response.status_code == 409
    assert STALE_TEXT in text_of(response)
    assert form_values(response, url)["name"] == "Habo K"
    habo.refresh_from_db()
    assert habo.name == "Habo K"


def test_a_second_member_with_the_same_name_is_refused(chief, draft_a):
    version = version_of(draft_a)
    response = post(
        chief, reverse("edit:members", args=[draft_a.pk]), {"name": "habo kommun", "kind": "municipality"}, plan=draft_a
    )
    assert response.status_code == 400
    assert "Inget är sparat. Planen har redan en medlem som heter habo kommun." in text_of(response)
    assert version_of(draft_a) == version
    assert Member.objects.filter(plan=draft_a, name__iexact="habo kommun").count() == 1
