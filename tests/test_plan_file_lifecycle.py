"""What a new revision and next year's plan take along of the second edition's data:
granted amounts per column, the revision they revise, printed precision."""

from decimal import Decimal
from pathlib import Path

from budgets.models import LineAmount
from budgets.planfile import read_plan_file
from budgets.services import plan_import, plan_new_revision, plan_roll_forward

EVERY_KEY_PLAN = Path(__file__).resolve().parent / "plans" / "every-key.json"


def funding_of(plan) -> dict:
    return {
        (row.intervention.slug, row.column.slug): (row.granted, row.utilization)
        for row in plan.interventions.get().funding.select_related("intervention", "column")
    }


def test_a_new_revision_keeps_the_funding_and_says_what_it_revises(db):
    adopted = plan_import(document=read_plan_file(EVERY_KEY_PLAN.read_bytes()))
    assert (adopted.revision, adopted.revises, adopted.status) == (2, 1, "adopted")

    revision = plan_new_revision(plan=adopted, acting_user=None)

    assert (revision.revision, revision.revises, revision.status) == (3, 2, "draft")
    assert funding_of(revision) == funding_of(adopted) == {
        ("steget", "b2026"): (Decimal(3000000), Decimal("0.9")),
        ("steget", "p2027"): (Decimal("3000000.5"), None),
    }
    esf = LineAmount.objects.get(line__plan=revision, line__slug="esf", column__slug="b2026")
    assert esf.printed == Decimal("125000.10") and str(esf.printed) == "125000.10"


def test_next_years_plan_moves_the_funding_with_its_columns(db):
    plan = plan_import(document=read_plan_file(EVERY_KEY_PLAN.read_bytes()))

    next_year = plan_roll_forward(plan=plan, acting_user=None)

    # Budget 2026 becomes the forecast 2026, Plan 2027 the budget 2027 and the new Plan 2028.
    assert (next_year.year, next_year.revision, next_year.revises) == (2027, 1, None)
    assert funding_of(next_year) == {
        ("steget", "f2026"): (Decimal(3000000), Decimal("0.9")),
        ("steget", "b2027"): (Decimal("3000000.5"), None),
        ("steget", "p2028"): (Decimal("3000000.5"), None),
    }
