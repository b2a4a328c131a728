"""Benchmark: server time and queries of the plan page.

For the smallest and largest seed plans and synthetic plans with 100 and 300
interventions over 10 columns, in a fresh database, beside a trivial view (the
health check) measured in the same run. Targets: the 100-intervention plan under
50 ms and under 100x the trivial view, the 300-intervention plan under 120 ms.
Run from the project folder:

    .venv/bin/python bench/plan_page.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/plan_page.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.django_setup  # noqa: E402, F401 (starts Django)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.timing import measure, trivial_view  # noqa: E402
from budgets.models import LineAmount  # noqa: E402
from budgets.planfile import read_plan_file  # noqa: E402
from budgets.services import plan_import  # noqa: E402
from budgets.synthetic import synthetic_plan_document  # noqa: E402
from finsam.lib.limits import PLAN_PARTS_MAX  # noqa: E402

ROUNDS = 20


def measure_page(client, plan, label, trivial):
    url = f"/plan/{plan.pk}/"

    def call():
        assert client.get(url).status_code == 200

    timing = measure(call, ROUNDS)
    with CaptureQueriesContext(connection) as queries:
        call()
    amounts = LineAmount.objects.filter(line__plan=plan).count()
    print(f"{label:<44} {timing}  = {timing.ratio(trivial)} the trivial view; {len(queries):3d} queries  "
          f"({plan.interventions.count()} interventions, {plan.columns.count()} columns, {amounts} amounts)")


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    seeds = Path(__file__).resolve().parents[1] / "demo" / "plans"
    largest = plan_import(document=read_plan_file((seeds / "sodra-vatterbygden-2025.json").read_bytes()))
    smallest = plan_import(document=read_plan_file((seeds / "sydostra-skane-2021.json").read_bytes()))
    synthetic = plan_import(document=synthetic_plan_document(interventions=100, columns=10))
    # 300 interventions is beyond what the app lets a plan hold (120): lifted here, to show
    # how the page grows with a plan's size.
    PLAN_PARTS_MAX.update({"interventions.Intervention": 300, "budgets.BudgetLine": 400})
    synthetic_300 = plan_import(document=synthetic_plan_document(interventions=300, columns=10, year=2024))
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("bench", password="bench"))
    print(f"database: {connection.vendor}; {ROUNDS} requests each, in-process (no network)")
    trivial = trivial_view(client)
    print(f"{'trivial view (health check)':<44} {trivial}")
    measure_page(client, smallest, "Sydöstra Skåne 2021 (smallest seed)", trivial)
    measure_page(client, largest, "Södra Vätterbygden 2025 (largest seed)", trivial)
    measure_page(client, synthetic, "synthetic: 100 interventions x 10 columns", trivial)
    measure_page(client, synthetic_300, "synthetic: 300 interventions x 10 columns", trivial)
    # Once more at the end: the load of a shared machine changes during a run.
    print(f"{'trivial view again':<44} {trivial_view(client)}")


if __name__ == "__main__":
    main()
