"""export_all and import_all: every plan out and back in, identically."""

import filecmp
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from budgets.models import BudgetLine, LineAmount, Plan
from budgets.locking import unlock_for_replacement
from budgets.services import plan_new_revision
from federations.models import Federation
from interventions.models import Intervention


def run(*arguments) -> str:
    out = StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


def empty_the_database():
    """As after a disaster: no plans, adopted or not, and no federations."""
    unlock_for_replacement(Plan.objects.all())
    Plan.objects.all().delete()
    Federation.objects.all().delete()


def test_a_backup_restores_into_an_empty_database_identically(db, tmp_path):
    run("loaddemo")
    adopted = Plan.objects.get(federation__slug="sodra-vatterbygden")
    plan_new_revision(plan=adopted, acting_user=None)
    counts = (Plan.objects.count(), BudgetLine.objects.count(), LineAmount.objects.count(), Intervention.objects.count())

    assert run("export_all", str(tmp_path / "first")) == f"wrote 6 plans to {tmp_path / 'first'}\n"
    empty_the_database()
    assert run("import_all", str(tmp_path / "first")) == f"restored 6 plans from {tmp_path / 'first'}\n"
    run("export_all", str(tmp_path / "second"))

    comparison = filecmp.dircmp(tmp_path / "first", tmp_path / "second")
    assert sorted(comparison.common_files) == sorted(path.name for path in (tmp_path / "first").iterdir())
    assert comparison.left_only == comparison.right_only == []
    _match, mismatch, errors = filecmp.cmpfiles(tmp_path / "first", tmp_path / "second", comparison.common_files, shallow=False)
    assert mismatch == [] and errors == []
    assert (Plan.objects.count(), BudgetLine.objects.count(), LineAmount.objects.count(), Intervention.objects.count()) == counts
    assert sorted(Plan.objects.filter(federation__slug="sodra-vatterbygden").values_list("revision", "status")) == [
        (1, "adopted"),
        (2, "draft"),
    ]


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
