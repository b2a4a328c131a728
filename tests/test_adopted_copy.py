"""An adopted plan reads the same forever, whatever happens later to the data it
shares with other plans: the federation's profile, the names of the national
categories and markings, and the equity guidance. Drafts follow such changes.

Södra Vätterbygden 2025 gets a revision 2 with a category and two markings on an
intervention; its chief adopts it on the plan page and starts revision 3, a draft.
Then each shared thing is changed the way people change it (the admin, the chief's
profile page of the draft), and the adopted plan's page, findings and freshly
rendered PDF are compared with what they were before.
"""

import datetime
import importlib
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from budgets.models import EquityGuidanceBand, Plan
from budgets.selectors import adopted_copy_of, plan_findings, plan_queryset
from interventions.models import Category, InterventionMarking, Marking
from reports.models import RenderedPlan

OLD_NAME = "Samordningsförbundet Södra Vätterbygden"
OLD_SHORT_NAME = "Södra Vätterbygden"
OLD_VISION = "Egenförsörjning och livskvalitet för individen – alla kan tillhöra och tillföra"
OLD_WEBSITE = "www.finsamjonkopingslan.se/sodravatterbygden"
NEW_NAME = "Samordningsförbundet Vätterbygden Syd"
NEW_SHORT_NAME = "Vätterbygden Syd"
NEW_VISION = "Ett arbetsliv för alla i hela bygden"
NEW_WEBSITE = "https://vatterbygden-syd.example.se"
CATEGORY = "Förberedande insatser"
MARKINGS = ["Unga AE PRIO", "ESF ÄG"]


def text_of(response) -> str:
    """The page's text as a reader sees it: tags gone, white space folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def pdf_text(client, plan) -> str:
    """The text of the plan's PDF, rendered now (not the copy kept of an adopted plan's)."""
    RenderedPlan.objects.filter(plan_id=plan.pk).delete()
    response = client.get(reverse("reports:pdf", args=[plan.pk]))
    assert response.status_code == 200
    # A kept PDF is streamed from storage.
    reader = PdfReader(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def findings_of(plan) -> list[tuple]:
    return [
        (finding.code, finding.severity, finding.column, finding.year, finding.message)
        for finding in plan_findings(plan_queryset().get(pk=plan.pk))
    ]


def what_it_shows(client, plan) -> dict:
    """The plan's page, its findings and its PDF, as its chief sees them."""
    page = text_of(client.get(reverse("budgets:plan", args=[plan.pk])))
    assert "Anna Chef" in page
    return {
        "page": page,
        "findings": findings_of(plan),
        "pdf": pdf_text(client, plan),
    }


def unchanged_form_data(form) -> dict:
    """What a browser posts back from a form nobody changed."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        key = form.add_prefix(name)
        data[key] = [str(item) for item in value] if isinstance(value, (list, tuple)) else str(value)
    return data


def admin_change(client, obj, **changes):
    """Change `obj` on its admin change page, as an accountant would."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = unchanged_form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        data.update(unchanged_form_data(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(unchanged_form_data(form))
    data.update(changes)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "errornote" not in response.content.decode(), text_of(response)


@pytest.fixture
def world(client_for, personas):
    """Revision 2 of Södra Vätterbygden 2025 adopted by its chief, and revision 3, a draft."""
    chief = client_for("chief_a")
    first = personas["plan_a"]
    response = chief.post(reverse("budgets:revise", args=[first.pk]), follow=True)
    assert response.status_code == 200
    second = Plan.objects.get(federation=first.federation, year=first.year, revision=2)
    intervention = second.interventions.order_by("order").first()
    intervention.category = Category.objects.get_or_create(name=CATEGORY)[0]
    intervention.save()
    for order, name in enumerate(MARKINGS):
        InterventionMarking.objects.create(
            intervention=intervention, marking=Marking.objects.get_or_create(name=name)[0], order=order
        )
    second.refresh_from_db()
    response = chief.post(
        reverse("budgets:adopt", args=[second.pk]),
        {"adopted_on": "2025-02-20", "reference": "SVB 2025/7", "version": second.version, "confirmed": "yes"},
        follow=True,
    )
    assert "Planen är fastställd" in text_of(response)
    chief.post(reverse("budgets:revise", args=[second.pk]), follow=True)
    third = Plan.objects.get(federation=first.federation, year=first.year, revision=3)
    return {
        "chief": chief,
        "adopted": Plan.objects.get(pk=second.pk),
        "draft": third,
        "intervention": intervention.name,
    }


@pytest.fixture
def accountant_admin(personas):
    """An administrator of the shared data (a superuser), signed in on a client of its own."""
    client = Client()
    client.force_login(personas["superuser"])
    return client


# ---------------------------------------------------------------------------
# What adoption keeps


def test_adoption_keeps_a_copy_of_the_shared_data_the_plan_shows(world):
    adopted = world["adopted"]
    category = Category.objects.get(name=CATEGORY)
    markings = {name: Marking.objects.get(name=name) for name in MARKINGS}
    assert adopted.adopted_copy["federation"] == {
        "name": OLD_NAME,
        "short_name": OLD_SHORT_NAME,
        "org_number": "",
        "founded": "",
        "vision": OLD_VISION,
        "website": OLD_WEBSITE,
    }
    assert adopted.adopted_copy["categories"] == {str(category.pk): CATEGORY}
    assert adopted.adopted_copy["markings"] == {str(markings[name].pk): name for name in MARKINGS}
    band = {
        "ceiling_percent": "20.000",
        "contributions_from": "0.00",
        "contributions_to": None,
        "valid_from": "2013-01-01",
        "valid_until": None,
    }
    assert adopted.adopted_copy["guidance"] == {"2024": band, "2025": band, "2026": band, "2027": band}


def test_drafts_keep_no_copy(world):
    assert world["draft"].adopted_copy is None
    assert Plan.objects.get(pk=world["draft"].pk).status == Plan.Status.DRAFT


def test_an_adopted_plan_file_is_imported_with_its_copy(personas):
    imported = Plan.objects.get(pk=personas["plan_a"].pk)
    assert imported.is_adopted
    assert imported.adopted_copy["federation"]["name"] == OLD_NAME
    assert imported.adopted_copy["federation"]["vision"] == OLD_VISION
    assert imported.adopted_copy["guidance"]["2025"]["ceiling_percent"] == "20.000"


def test_the_migration_gives_plans_adopted_earlier_the_copy_adoption_would_have_taken(world, seed_plans):
    path = next((Path(__file__).parents[1] / "budgets" / "migrations").glob("*_fill_adopted_copies.py"))
    migration = importlib.import_module(f"budgets.migrations.{path.stem}")
    Plan.objects.update(adopted_copy=None)

    migration.fill_adopted_copies(apps, None)

    adopted = list(plan_queryset().filter(status=Plan.Status.ADOPTED))
    assert len(adopted) == 3  # Härnösand/Timrå 2017, Södra Vätterbygden 2025 revisions 1 and 2
    for plan in adopted:
        assert plan.adopted_copy == adopted_copy_of(plan), plan
    assert Plan.objects.get(pk=world["adopted"].pk).adopted_copy["categories"] == {
        str(Category.objects.get(name=CATEGORY).pk): CATEGORY
    }
    assert set(Plan.objects.exclude(status=Plan.Status.ADOPTED).values_list("adopted_copy", flat=True)) == {None}


# ---------------------------------------------------------------------------
# Changes after adoption


def test_renaming_the_federation_in_the_admin_leaves_the_adopted_plan_as_adopted(world, accountant_admin):
    chief, adopted, draft = world["chief"], world["adopted"], world["draft"]
    before = what_it_shows(chief, adopted)
    assert OLD_VISION in before["pdf"] and OLD_WEBSITE in before["pdf"]

    admin_change(
        accountant_admin,
        adopted.federation,
        name=NEW_NAME,
        short_name=NEW_SHORT_NAME,
        vision=NEW_VISION,
        website=NEW_WEBSITE,
    )

    assert what_it_shows(chief, adopted) == before
    history = text_of(chief.get(reverse("budgets:history", args=[adopted.pk])))
    assert f"{OLD_SHORT_NAME} 2025 (revision 2)" in history and NEW_SHORT_NAME not in history
    assert "Utkast → Fastställd" in history and "delade uppgifter" not in history
    draft_page = text_of(chief.get(reverse("budgets:plan", args=[draft.pk])))
    assert f"{NEW_SHORT_NAME}: verksamhetsplan 2025" in draft_page and OLD_SHORT_NAME not in draft_page
    draft_pdf = pdf_text(chief, draft)
    assert NEW_VISION in draft_pdf and NEW_WEBSITE in draft_pdf and NEW_NAME in draft_pdf
    assert OLD_VISION not in draft_pdf
    start = text_of(chief.get(reverse("budgets:start")))
    # The plans listed by year (the form for a new plan names the federation as it is now).
    assert start.count(f"{OLD_SHORT_NAME} 2025") == 2  # revisions 1 and 2, both adopted
    assert start.count(f"{NEW_SHORT_NAME} 2025") == 1  # revision 3, the draft


def test_editing_the_profile_of_a_new_revision_leaves_the_adopted_plan_as_adopted(world):
    chief, adopted, draft = world["chief"], world["adopted"], world["draft"]
    before = what_it_shows(chief, adopted)
    url = reverse("edit:profile", args=[draft.pk])
    data = unchanged_form_data(chief.get(url).context["form"])
    data.update(
        {"name": NEW_NAME, "short_name": NEW_SHORT_NAME, "vision": NEW_VISION, "website": NEW_WEBSITE, "version": draft.version}
    )
    response = chief.post(url, data, follow=True)
    assert "Förbundets och planens uppgifter är sparade." in text_of(response)

    assert what_it_shows(chief, adopted) == before
    draft_pdf = pdf_text(chief, draft)
    assert NEW_VISION in draft_pdf and NEW_WEBSITE in draft_pdf
    assert f"{NEW_SHORT_NAME}: verksamhetsplan 2025" in text_of(chief.get(reverse("budgets:plan", args=[draft.pk])))


def test_renaming_a_category_and_a_marking_leaves_the_adopted_plan_as_adopted(world, accountant_admin):
    chief, adopted, draft = world["chief"], world["adopted"], world["draft"]
    before = what_it_shows(chief, adopted)
    assert f"Kategori {CATEGORY}" in before["pdf"]
    assert f"Märkningar {MARKINGS[0]}, {MARKINGS[1]}" in before["pdf"]

    admin_change(accountant_admin, Category.objects.get(name=CATEGORY), name="Förrehabilitering")
    admin_change(accountant_admin, Marking.objects.get(name=MARKINGS[0]), name="Unga i arbete")

    assert what_it_shows(chief, adopted) == before
    draft_pdf = pdf_text(chief, draft)
    assert "Kategori Förrehabilitering" in draft_pdf and f"Kategori {CATEGORY}" not in draft_pdf
    assert f"Märkningar Unga i arbete, {MARKINGS[1]}" in draft_pdf
    draft_list = text_of(chief.get(reverse("interventions:list", args=[draft.pk])))
    assert "Förrehabilitering" in draft_list


def test_a_lower_guidance_ceiling_warns_on_drafts_but_not_on_the_adopted_plan(world, accountant_admin):
    # 2024 closes with 1 760 500 kr of equity on 11 148 000 kr of contributions: 15.8 %,
    # under the ceiling of 20 % the plan was adopted with, over a ceiling of 10 %.
    chief, adopted, draft = world["chief"], world["adopted"], world["draft"]
    before = what_it_shows(chief, adopted)
    assert [finding for finding in before["findings"] if finding[0] == "EQUITY_CEILING"] == []
    assert [finding for finding in findings_of(draft) if finding[0] == "EQUITY_CEILING"] == []

    admin_change(accountant_admin, EquityGuidanceBand.objects.get(), ceiling_percent="10")

    assert what_it_shows(chief, adopted) == before
    ceiling = [(code, year) for code, _severity, _column, year, _message in findings_of(draft) if code == "EQUITY_CEILING"]
    assert ceiling == [("EQUITY_CEILING", 2024)]
    assert "1 114 800" in pdf_text(chief, draft)  # the 2024 ceiling: 10 % of 11 148 000


def test_a_new_band_for_a_later_year_does_not_reach_the_adopted_plan(world):
    chief, adopted, draft = world["chief"], world["adopted"], world["draft"]
    before = what_it_shows(chief, adopted)

    EquityGuidanceBand.objects.create(valid_from=datetime.date(2024, 1, 1), ceiling_percent=5)

    assert what_it_shows(chief, adopted) == before
    years = sorted(year for code, _severity, _column, year, _message in findings_of(draft) if code == "EQUITY_CEILING")
    assert years == [2024, 2025, 2026]
