"""Sizes a real plan never reaches are refused on every path, and every editing page of
the largest plan allowed still posts within the request limits."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from budgets.models import Chapter, Column, Plan
from budgets.planfile import read_plan_data
from budgets.services import plan_import
from budgets.synthetic import synthetic_plan_data
from finsam.lib.limits import CHAPTER_BODY_MAX_CHARS, COLUMNS_MAX, PLAN_PARTS_MAX
from interventions.models import Intervention
from tests.forms import form_pairs
from tests.forms import page_forms as lxml_forms


def page_forms(response) -> list[dict]:
    """The page's forms: id, action and the (name, value) pairs each sends as shown."""
    return [
        {"id": form.get("id"), "action": form.get("action"), "fields": form_pairs(form)} for form in lxml_forms(response)
    ]


def largest_form(response) -> dict:
    return max(page_forms(response), key=lambda form: len(form["fields"]))


def post_form(client, page_url, form):
    data = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    return client.post(form["action"] or page_url, data)


# --- The largest plan allowed --------------------------------------------------


def largest_plan_data() -> dict:
    """A plan at every limit: 15 columns, 50 members, 200 lines, 120 interventions,
    30 chapters, 100 meetings and 100 activities."""
    data = synthetic_plan_data(interventions=PLAN_PARTS_MAX["interventions.Intervention"], columns=10, year=2025)
    extra_columns = [(2020, "actual"), (2021, "actual"), (2023, "budget"), (2024, "budget"), (2025, "forecast")]
    data["columns"] += [{"id": f"x{year}{kind[0]}", "year": year, "kind": kind} for year, kind in extra_columns]
    column_ids = [column["id"] for column in data["columns"]]
    assert len(column_ids) == COLUMNS_MAX
    for line in data["contributions"] + data["income"] + data["costs"]:
        line["amounts"] = {column: line["amounts"].get(column, 100_000) for column in column_ids}
    while len(data["members"]) < PLAN_PARTS_MAX["federations.Member"]:
        number = len(data["members"])
        data["members"].append({"id": f"kommun-x{number}", "name": f"Kommun {number}", "kind": "municipality"})
        data["contributions"].append({"member": f"kommun-x{number}", "amounts": {column: 1_000 for column in column_ids}})
    while len(data["contributions"]) + len(data["income"]) + len(data["costs"]) < PLAN_PARTS_MAX["budgets.BudgetLine"]:
        number = len(data["costs"])
        data["costs"].append(
            {"id": f"drift-{number}", "label": f"Drift {number}", "group": "operations", "amounts": {c: 1_000 for c in column_ids}}
        )
    sections = data["plan"]["sections"]
    data["plan"]["sections"] = [
        {"heading": f"Kapitel {number}", "body": sections[number % len(sections)]["body"]}
        for number in range(PLAN_PARTS_MAX["budgets.Chapter"])
    ]
    data["meetings"] = [
        {"date": f"2025-{number % 12 + 1:02d}-01", "body": "board", "topic": f"Möte {number}"}
        for number in range(PLAN_PARTS_MAX["budgets.Meeting"])
    ]
    data["activities"] = [
        {"name": f"Aktivitet {number}", "when": "Våren", "responsible": "Förbundschef", "follow_up": "Styrelsen"}
        for number in range(PLAN_PARTS_MAX["budgets.Activity"])
    ]
    return data


@pytest.fixture(scope="module")
def largest_plan_id(django_db_setup, django_db_blocker):
    """The largest plan, imported once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield plan_import(document=read_plan_data(largest_plan_data())).pk
        transaction.set_rollback(True)


@pytest.fixture
def largest_plan(largest_plan_id, db):
    return Plan.objects.get(pk=largest_plan_id)


@pytest.fixture
def chief_client(largest_plan, django_user_model):
    from federations.models import Role

    chief = django_user_model.objects.create_user("chief_large", password="x")
    Role.objects.create(user=chief, federation=largest_plan.federation, kind=Role.Kind.CHIEF)
    client = Client()
    client.force_login(chief)
    return client


def test_the_admin_plan_page_of_the_largest_plan_saves(largest_plan, admin_client, settings):
    url = reverse("admin:budgets_plan_change", args=[largest_plan.pk])
    page = admin_client.get(url)
    form = next(form for form in page_forms(page) if form["id"] == "plan_form")
    print("admin plan page fields:", len(form["fields"]))
    assert len(form["fields"]) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS

    response = post_form(admin_client, url, form)

    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize(
    "page",
    ["edit:grid", "edit:contributions", "edit:lines", "edit:activities", "edit:meetings", "intervention"],
)
def test_every_editing_grid_of_the_largest_plan_saves(largest_plan, chief_client, settings, page):
    if page == "intervention":
        intervention = largest_plan.interventions.order_by("order").first()
        url = reverse("interventions:edit", args=[largest_plan.pk, intervention.pk])
    else:
        url = reverse(page, args=[largest_plan.pk])
    response = chief_client.get(url)
    assert response.status_code == 200
    form = largest_form(response)
    print(page, "fields:", len(form["fields"]))
    assert len(form["fields"]) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS

    response = post_form(chief_client, url, form)

    assert response.status_code == 302, response.content.decode()[:2000]


# --- Refused beyond the limits, on every path -----------------------------------


@pytest.fixture
def draft(personas):
    """Höglandet 2023, a draft, and its chief's client."""
    client = Client()
    client.force_login(personas["chief_b"])
    return personas["plan_b"], client


def test_a_chapter_beyond_the_limit_is_refused_with_a_field_error(draft):
    plan, client = draft
    url = reverse("edit:chapters", args=[plan.pk])
    before = plan.chapters.count()

    response = client.post(url, {"new-heading": "Lång", "new-body": "x" * (CHAPTER_BODY_MAX_CHARS + 1), "version": plan.version})

    assert response.status_code == 400
    assert f"Säkerställ att detta värde har som mest {CHAPTER_BODY_MAX_CHARS} tecken" in response.content.decode()
    assert plan.chapters.count() == before
    response = client.post(url, {"new-heading": "Precis", "new-body": "x" * CHAPTER_BODY_MAX_CHARS, "version": plan.version})
    assert response.status_code == 302
    assert len(plan.chapters.get(heading="Precis").body) == CHAPTER_BODY_MAX_CHARS


def test_a_sixteenth_column_is_refused(draft):
    plan, client = draft
    url = reverse("edit:columns", args=[plan.pk])
    year = plan.year - 5
    while plan.columns.count() < COLUMNS_MAX:
        plan.refresh_from_db()
        response = client.post(url, {"kind": "actual", "year": year, "label": "", "version": plan.version})
        assert response.status_code == 302
        year += 1
        if year > plan.last_year:
            break
    plan.refresh_from_db()
    while plan.columns.count() < COLUMNS_MAX:
        Column.objects.create(plan=plan, slug=f"extra{plan.columns.count()}", year=plan.year, kind="plan")
    plan.refresh_from_db()

    response = client.post(url, {"kind": "forecast", "year": plan.year, "label": "", "version": plan.version})

    assert response.status_code == 400
    assert "En plan kan ha högst 15 kolumner." in response.content.decode()
    assert plan.columns.count() == COLUMNS_MAX


def test_a_column_year_far_before_the_plan_is_refused(draft):
    plan, client = draft
    before = plan.columns.count()

    response = client.post(
        reverse("edit:columns", args=[plan.pk]), {"kind": "actual", "year": plan.year - 6, "label": "", "version": plan.version}
    )

    assert response.status_code == 400
    assert f"tidigast {plan.year - 5}" in response.content.decode()
    assert plan.columns.count() == before


def test_the_admin_refuses_a_long_chapter_and_a_sixteenth_column(personas, admin_client):
    plan = personas["plan_b"]
    response = admin_client.post(
        reverse("admin:budgets_chapter_add"),
        {"plan": plan.pk, "heading": "Lång", "body": "x" * (CHAPTER_BODY_MAX_CHARS + 1), "order": 0},
    )
    assert response.status_code == 200
    assert f"Säkerställ att detta värde har som mest {CHAPTER_BODY_MAX_CHARS} tecken" in response.content.decode()
    assert not Chapter.objects.filter(heading="Lång").exists()

    response = admin_client.post(
        reverse("admin:budgets_column_add"), {"plan": plan.pk, "slug": "gammal", "year": plan.year - 6, "kind": "actual", "order": 0}
    )
    assert response.status_code == 200
    assert not Column.objects.filter(plan=plan, slug="gammal").exists()

    url = reverse("admin:budgets_plan_change", args=[plan.pk])
    page = admin_client.get(url)
    form = next(form for form in page_forms(page) if form["id"] == "plan_form")
    data = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    stored = plan.columns.count()
    new = COLUMNS_MAX - stored + 1
    data["columns-TOTAL_FORMS"] = [str(stored + new)]
    for index in range(stored, stored + new):
        data |= {
            f"columns-{index}-slug": [f"ny{index}"],
            f"columns-{index}-year": [str(plan.year)],
            f"columns-{index}-kind": ["plan"],
            f"columns-{index}-order": [str(index)],
            f"columns-{index}-plan": [str(plan.pk)],
        }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "En plan kan ha högst 15 kolumner." in response.content.decode()
    assert plan.columns.count() == stored


def test_a_plan_file_beyond_the_limits_is_not_imported(db, tmp_path):
    # Another year than the largest plan's, which may be stored for this module.
    data = synthetic_plan_data(interventions=2, columns=4, year=2024)
    data["plan"]["sections"][0]["body"] = "x" * (CHAPTER_BODY_MAX_CHARS + 1)
    data["columns"] += [{"id": f"extra{number}", "year": 2024, "kind": "plan"} for number in range(COLUMNS_MAX)]
    data["columns"].append({"id": "gammal", "year": 2018, "kind": "actual"})
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError) as refusal:
        call_command("import_plan", str(path), stdout=StringIO())

    message = str(refusal.value)
    assert "En plan kan ha högst 15 kolumner." in message
    assert "Kolumnen gammal: året 2018 ska ligga mellan 2019" in message
    assert f"högst {CHAPTER_BODY_MAX_CHARS} får plats" in message
    assert not Plan.objects.filter(year=2024).exists()


def test_an_intervention_text_beyond_the_limit_is_refused(draft):
    plan, client = draft
    intervention = plan.interventions.order_by("order").first()
    url = reverse("interventions:edit", args=[plan.pk, intervention.pk])
    form = largest_form(client.get(url))
    data = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    data["description"] = ["x" * 20_001]

    response = client.post(url, data)

    assert response.status_code == 400
    intervention.refresh_from_db()
    assert len(intervention.description) < 20_001
    assert Intervention.objects.filter(pk=intervention.pk).exists()


def test_a_plan_stored_beyond_the_limits_is_not_revised_into_a_500(personas, client_for):
    # Plans stored before the limits existed may exceed them; revising one says why it cannot.
    plan = personas["plan_a"]
    year = plan.year
    Column.objects.bulk_create(
        Column(plan=plan, slug=f"gammal{number}", year=year - 5, kind="actual", order=100 + number)
        for number in range(COLUMNS_MAX)
    )

    response = client_for("chief_a").post(reverse("budgets:revise", args=[plan.pk]), follow=True)

    assert response.status_code == 200
    assert "En plan kan ha högst 15 kolumner." in response.content.decode()
    assert not Plan.objects.filter(federation=plan.federation, year=year, revision=2).exists()
