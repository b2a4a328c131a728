"""Benchmark: the comparison of two versions of a plan, as a computation and as the page.

The largest seed (Södra Vätterbygden 2025), and a synthetic plan with 100 interventions
over 10 columns, each against next year's plan rolled forward from it, with a few amounts,
two chapters and an intervention changed so that there is something to show. Target:
under 200 ms for the page of the seed. Run from the project folder:

    .venv/bin/python bench/compare.py
"""

import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.django_setup  # noqa: E402, F401 (starts Django)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.timing import measure, trivial_view  # noqa: E402
from budgets.models import Chapter, LineAmount  # noqa: E402
from budgets.planfile import read_plan_file  # noqa: E402
from budgets.selectors import plan_queryset  # noqa: E402
from budgets.services import plan_import, plan_roll_forward  # noqa: E402
from budgets.synthetic import synthetic_plan_document  # noqa: E402
from compare.selectors import plan_comparison  # noqa: E402
from interventions.models import Intervention  # noqa: E402

ROUNDS = 20


def edited_successor(plan, user):
    successor = plan_roll_forward(plan=plan, acting_user=user)
    budget = f"b{plan.year + 1}"
    for line in successor.lines.filter(section="cost").order_by("order", "pk")[:3]:
        LineAmount.objects.filter(line=line, column__slug=budget).update(amount=Decimal(650_000))
    for chapter in Chapter.objects.filter(plan=successor)[:2]:
        chapter.body = chapter.body.replace("och", "samt", 3) + "\n\nEtt nytt stycke om året som kommer."
        chapter.save()
    first = Intervention.objects.filter(plan=successor).order_by("order", "pk").first()
    Intervention.objects.filter(pk=first.pk).update(name=f"{first.name} (förlängd)", status="active")
    return successor


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    seeds = Path(__file__).resolve().parents[1] / "demo" / "plans"
    user = get_user_model().objects.create_superuser("bench", password="bench")
    largest = plan_import(document=read_plan_file((seeds / "sodra-vatterbygden-2025.json").read_bytes()))
    synthetic = plan_import(document=synthetic_plan_document(interventions=100, columns=10))
    client = Client()
    client.force_login(user)
    print(f"database: {connection.vendor}; {ROUNDS} rounds each, in-process (no network)")
    trivial = trivial_view(client)
    print(f"{'trivial view (health check)':<44} {trivial}")
    for label, original in (
        ("Södra Vätterbygden 2025 (largest seed)", largest),
        ("synthetic: 100 interventions x 10 columns", synthetic),
    ):
        successor = edited_successor(original, user)
        base, plan = plan_queryset().get(pk=original.pk), plan_queryset().get(pk=successor.pk)
        comparison = plan_comparison(plan, base)
        print(
            f"{label} against next year's plan: {len(comparison.lines)} lines, {len(comparison.totals)} sums, "
            f"{len(comparison.chapters)} chapters, {len(comparison.interventions)} interventions changed"
        )
        print(f"{'  comparison (documents + diff)':<44} {measure(lambda: plan_comparison(plan, base), ROUNDS)}")
        url = f"/plan/{successor.pk}/andringar/?mot={original.pk}"

        def page():
            assert client.get(url).status_code == 200

        timing = measure(page, ROUNDS)
        with CaptureQueriesContext(connection) as queries:
            page()
        print(f"{'  the page':<44} {timing}  = {timing.ratio(trivial)} the trivial view; {len(queries)} queries")
        print(f"  target: page under 200 ms: {'met' if timing.wall_ms < 200 else 'NOT met'} (median {timing.wall_ms:.1f} ms)")


if __name__ == "__main__":
    main()
