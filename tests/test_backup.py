"""export_all and import_all: every plan out and back in, identically.

Identically means every stored value of every row of every plan model, compared
row by row (rows are matched by what identifies them in the plan, not by their
database ids), not only the number of rows.
"""

import copy
import filecmp
import json
import re
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from budgets.locking import unlock_for_replacement
from budgets.models import LineAmount, Plan
from budgets.planfile import _to_json, read_plan_data, read_plan_file
from budgets.services import plan_import
from federations.models import Federation
from interventions.models import Category, Intervention, InterventionFunding, Marking

EVERY_KEY_PLAN = Path(__file__).resolve().parent / "plans" / "every-key.json"

# The models that hold plans and what they refer to; Role (people) and the equity
# guidance bands (reference data) are not in a plan file.
PLAN_MODELS = [
    ("federations", "Federation"),
    ("federations", "Member"),
    ("budgets", "Plan"),
    ("budgets", "Chapter"),
    ("budgets", "Column"),
    ("budgets", "BudgetLine"),
    ("budgets", "LineAmount"),
    ("budgets", "StatedTotal"),
    ("budgets", "StatedSubtotal"),
    ("budgets", "Meeting"),
    ("budgets", "Activity"),
    ("interventions", "Category"),
    ("interventions", "Marking"),
    ("interventions", "Intervention"),
    ("interventions", "InterventionMarking"),
    ("interventions", "MunicipalAllocation"),
    ("interventions", "InterventionFunding"),
]
# Bookkeeping, not plan data: when a row was written, and the edit counter that
# guards against overwriting someone's change (a restored plan starts afresh). And the
# federation's choice to be shown in the national overview, which, like people's roles,
# is a setting of the installation kept in the database, not in a plan file.
NOT_PLAN_DATA = {
    ("budgets", "Plan"): {"version", "created_at", "updated_at"},
    ("federations", "Federation"): {"in_national_view"},
}

# What identifies a row that others refer to, instead of its database id.
NATURAL_KEYS = {
    "Federation": lambda row: (row.slug,),
    "Plan": lambda row: (row.federation.slug, row.year, row.revision),
    "Member": lambda row: (*natural_key(row.plan), row.slug),
    "Column": lambda row: (*natural_key(row.plan), row.slug),
    "BudgetLine": lambda row: (*natural_key(row.plan), row.section, row.slug),
    "Intervention": lambda row: (*natural_key(row.plan), row.slug),
    "Category": lambda row: (row.name,),
    "Marking": lambda row: (row.name,),
}


def natural_key(row) -> tuple:
    return (type(row).__name__, *NATURAL_KEYS[type(row).__name__](row))


def stored_rows() -> dict[str, list]:
    """Every plan model's rows as sorted lists of (field, value) pairs, references as natural keys."""
    snapshot = {}
    for app_label, model_name in PLAN_MODELS:
        model = apps.get_model(app_label, model_name)
        skipped = NOT_PLAN_DATA.get((app_label, model_name), set())
        rows = []
        for row in model.objects.all():
            values = []
            for field in model._meta.concrete_fields:
                if field.primary_key or field.name in skipped:
                    continue
                if isinstance(field, models.ForeignKey):
                    related = getattr(row, field.name)
                    values.append((field.name, natural_key(related) if related is not None else None))
                elif (app_label, model_name, field.name) == ("budgets", "Plan", "adopted_copy"):
                    values.append((field.name, copy_by_name(row.adopted_copy)))
                else:
                    values.append((field.name, getattr(row, field.attname)))
            for field in model._meta.many_to_many:
                values.append((field.name, sorted(natural_key(item) for item in getattr(row, field.name).all())))
            rows.append(values)
        snapshot[model_name] = sorted(rows, key=repr)
    return snapshot


def copy_by_name(kept: dict | None) -> dict | None:
    """An adopted plan's copy of shared data with its categories and markings keyed by
    their names instead of their database ids."""
    if kept is None:
        return None
    categories = dict(Category.objects.values_list("pk", "name"))
    markings = dict(Marking.objects.values_list("pk", "name"))
    return {
        **kept,
        "categories": {categories[int(pk)]: name for pk, name in kept["categories"].items()},
        "markings": {markings[int(pk)]: name for pk, name in kept["markings"].items()},
    }


def assert_same_rows(before: dict, after: dict) -> None:
    for model_name in before:
        assert len(after[model_name]) == len(before[model_name]), model_name
        for old, new in zip(before[model_name], after[model_name]):
            assert new == old, model_name


def run(*arguments) -> str:
    out = StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


def empty_the_database():
    """As after a disaster: no plans, adopted or not, and no federations."""
    unlock_for_replacement(Plan.objects.all())
    Plan.objects.all().delete()
    Federation.objects.all().delete()


def every_key_data() -> dict:
    return json.loads(EVERY_KEY_PLAN.read_text(encoding="utf-8"))


def contributions_as_one_total(data: dict) -> dict:
    """The plan with its contributions printed only as a total of all members."""
    data = copy.deepcopy(data)
    data["federation"]["name"] = "Samordningsförbundet Bara Summan"
    data["federation"]["short_name"] = "Bara Summan"
    data["plan"].pop("revision")
    data["plan"].pop("revises")
    total = {}
    for line in data["contributions"]:
        for column, amount in line["amounts"].items():
            total[column] = total.get(column, Decimal(0)) + Decimal(str(amount))
    data["contributions"] = [{"id": "medlemsbidrag", "label": "Medlemsbidrag", "amounts": _to_json(total)}]
    return data


def test_a_backup_restores_into_an_empty_database_identically(db, tmp_path):
    run("loaddemo")
    # The demo data has a new revision of Södra Vätterbygden's adopted plan, a draft.
    assert Plan.objects.filter(federation__slug="sodra-vatterbygden", revision=2, status="draft").count() == 1
    plan_import(document=read_plan_file(EVERY_KEY_PLAN.read_bytes()))
    plan_import(document=read_plan_data(contributions_as_one_total(every_key_data())))
    # Granted amounts per column on a seed plan too, with and without a counted share.
    enter = Intervention.objects.get(plan__federation__slug="sodra-vatterbygden", plan__revision=2, slug="enter")
    columns = {column.slug: column for column in enter.plan.columns.all()}
    InterventionFunding.objects.create(intervention=enter, column=columns["b2025"], granted=Decimal("3821111"), utilization=Decimal("0.9"))
    InterventionFunding.objects.create(intervention=enter, column=columns["p2026"], granted=Decimal("3900000.5"))
    before = stored_rows()
    assert len(before["InterventionFunding"]) == 6
    assert len(before["StatedSubtotal"]) == 6

    assert run("export_all", str(tmp_path / "first")) == f"wrote 8 plans to {tmp_path / 'first'}\n"
    empty_the_database()
    assert stored_rows()["Plan"] == []
    assert run("import_all", str(tmp_path / "first")) == f"restored 8 plans from {tmp_path / 'first'}\n"
    run("export_all", str(tmp_path / "second"))

    assert_same_rows(before, stored_rows())

    comparison = filecmp.dircmp(tmp_path / "first", tmp_path / "second")
    assert sorted(comparison.common_files) == sorted(path.name for path in (tmp_path / "first").iterdir())
    assert comparison.left_only == comparison.right_only == []
    _match, mismatch, errors = filecmp.cmpfiles(tmp_path / "first", tmp_path / "second", comparison.common_files, shallow=False)
    assert mismatch == [] and errors == []
    assert sorted(Plan.objects.filter(federation__slug="sodra-vatterbygden").values_list("revision", "revises", "status")) == [
        (1, None, "adopted"),
        (2, 1, "draft"),
    ]


def test_the_row_comparison_sees_a_changed_value(db):
    # The comparison above must be able to fail: one öre, one share, one precision differ.
    plan_import(document=read_plan_file(EVERY_KEY_PLAN.read_bytes()))
    before = stored_rows()
    amount = LineAmount.objects.get(line__slug="esf", column__slug="b2026")
    LineAmount.objects.filter(pk=amount.pk).update(places=None)
    with pytest.raises(AssertionError, match="LineAmount"):
        assert_same_rows(before, stored_rows())
    LineAmount.objects.filter(pk=amount.pk).update(places=2)
    InterventionFunding.objects.filter(column__slug="b2026").update(utilization=Decimal("0.8"))
    with pytest.raises(AssertionError, match="InterventionFunding"):
        assert_same_rows(before, stored_rows())


def test_the_row_comparison_sees_a_changed_adopted_copy(db):
    plan = plan_import(document=read_plan_file(EVERY_KEY_PLAN.read_bytes()))
    before = stored_rows()
    kept = Plan.objects.get(pk=plan.pk).adopted_copy
    marking = Marking.objects.get(name="LTS PRIO")
    assert kept["markings"][str(marking.pk)] == "Långtidssjukskrivna PRIO"
    kept["markings"][str(marking.pk)] = "LTS PRIO"
    Plan.objects.filter(pk=plan.pk).update(adopted_copy=kept)
    with pytest.raises(AssertionError, match="Plan"):
        assert_same_rows(before, stored_rows())


def pdf_text(client, plan) -> str:
    response = client.get(reverse("reports:pdf", args=[plan.pk]))
    assert response.status_code == 200
    # A kept PDF is streamed from storage.
    reader = PdfReader(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_an_adopted_plan_restored_from_a_backup_shows_the_names_it_was_adopted_with(db, tmp_path, django_user_model):
    plan_import(document=read_plan_file(EVERY_KEY_PLAN.read_bytes()))
    # Renamed after the plan was adopted: the backup names them as they are now.
    Category.objects.filter(name="Förberedande insatser").update(name="Förrehabilitering")
    Marking.objects.filter(name="Unga AE PRIO").update(name="Unga i arbete")
    run("export_all", str(tmp_path))
    backup = json.loads((tmp_path / "alla-nycklar-2026-r2.json").read_text(encoding="utf-8"))
    assert backup["interventions"][0]["sus_category"] == "Förrehabilitering"
    assert backup["adopted_copy"]["categories"] == {"Förrehabilitering": "Förberedande insatser"}
    assert backup["adopted_copy"]["markings"] == {"LTS PRIO": "Långtidssjukskrivna PRIO", "Unga i arbete": "Unga AE PRIO"}

    empty_the_database()
    Category.objects.all().delete()
    Marking.objects.all().delete()
    run("import_all", str(tmp_path))

    restored = Plan.objects.get(federation__slug="alla-nycklar")
    category = Category.objects.get(name="Förrehabilitering")
    assert restored.adopted_copy["categories"] == {str(category.pk): "Förberedande insatser"}
    assert restored.adopted_copy["federation"]["vision"] == "En tidigare vision, som den löd när planen fastställdes"
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "secret-admin"))
    pdf = pdf_text(client, restored)
    assert "Kategori Förberedande insatser" in pdf and "Förrehabilitering" not in pdf
    assert "Märkningar Unga AE PRIO, Långtidssjukskrivna PRIO" in pdf and "Unga i arbete" not in pdf
    page = client.get(reverse("budgets:plan", args=[restored.pk])).content.decode()
    assert "Alla Nycklar: verksamhetsplan 2026" in page


def test_import_all_refuses_a_database_with_plans(db, tmp_path):
    run("loaddemo")
    run("export_all", str(tmp_path))
    with pytest.raises(CommandError, match="the database has plans already"):
        run("import_all", str(tmp_path))


def test_import_all_is_all_or_nothing(db, tmp_path):
    run("loaddemo")
    run("export_all", str(tmp_path))
    empty_the_database()
    broken = tmp_path / "sjuharad-2022-r1.json"
    broken.write_text(broken.read_text(encoding="utf-8").replace('"unit": "tkr"', '"unit": "euro"'), encoding="utf-8")

    with pytest.raises(CommandError) as refusal:
        run("import_all", str(tmp_path))

    assert "sjuharad-2022-r1.json: plan.unit:" in str(refusal.value)
    assert "Nothing was imported." in str(refusal.value)
    assert Plan.objects.count() == 0
