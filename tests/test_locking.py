"""An adopted plan cannot be changed through any path."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from budgets.locking import AdoptedPlanLocked
from budgets.models import BudgetLine, Chapter, LineAmount, Plan
from budgets.services import plan_new_revision
from interventions.models import Intervention


@contextmanager
def refused():
    """Expect the lock to refuse; the savepoint keeps the test's transaction usable afterwards."""
    with pytest.raises(AdoptedPlanLocked), transaction.atomic():
        yield


@pytest.fixture
def adopted(seed_plans):
    plan = seed_plans["sodra-vatterbygden"]
    assert plan.status == "adopted"
    return plan


def test_its_amounts_lines_and_chapters_cannot_be_saved_or_deleted(adopted):
    amount = LineAmount.objects.filter(line__plan=adopted).first()
    amount.amount = Decimal(1)
    with refused():
        amount.save()
    with refused():
        BudgetLine.objects.filter(plan=adopted).first().delete()
    with refused():
        Chapter.objects.create(plan=adopted, heading="Nytt kapitel")
    assert LineAmount.objects.get(pk=amount.pk).amount != Decimal(1)


def test_its_interventions_and_their_parties_cannot_change(adopted):
    intervention = Intervention.objects.filter(plan=adopted).first()
    with refused():
        intervention.parties.add(adopted.members.first())
    intervention.name = "Nytt namn"
    with refused():
        intervention.save()


def test_the_plan_itself_cannot_be_changed_or_deleted(adopted):
    adopted.title = "Ny titel"
    with refused():
        adopted.save()
    with refused():
        adopted.delete()
    assert Plan.objects.filter(pk=adopted.pk, status="adopted").exists()


def test_a_row_cannot_be_moved_out_of_an_adopted_plan(adopted, seed_plans):
    chapter = Chapter.objects.filter(plan=adopted).first()
    chapter.plan = seed_plans["hoglandet"]
    with refused():
        chapter.save()


def test_a_new_revision_is_the_way_to_change_it(adopted):
    revision = plan_new_revision(plan=adopted, acting_user=None)
    chapter = revision.chapters.first()
    chapter.heading = "Ändrad rubrik"
    chapter.save()
    assert Chapter.objects.filter(plan=revision, heading="Ändrad rubrik").exists()
    assert not Chapter.objects.filter(plan=adopted, heading="Ändrad rubrik").exists()


def test_an_operator_can_replace_it_from_a_plan_file(adopted, seed_plan_paths):
    path = [path for path in seed_plan_paths if path.name.startswith("sodra")][0]
    call_command("import_plan", str(path), "--replace")
    replaced = Plan.objects.get(federation=adopted.federation, year=2025)
    assert replaced.pk != adopted.pk and replaced.status == "adopted"
