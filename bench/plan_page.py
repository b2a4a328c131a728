"""Benchmark: server time and queries of the plan page.

For the largest seed plan and a synthetic plan with 100 interventions and 10
columns, in a fresh database. Run from the project folder:

    .venv/bin/python bench/plan_page.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/plan_page.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("FINSAM_TESTING", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from budgets.synthetic import synthetic_plan_document  # noqa: E402
from budgets.planfile import read_plan_file  # noqa: E402
from budgets.services import plan_import  # noqa: E402

ROUNDS = 20


def measure(client, plan, label):
    url = f"/plan/{plan.pk}/"
    client.get(url)  # warm up templates and caches
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    amounts = sum(len(line.amounts) for line in plan_lines(plan))
    print(f"{label:<44} median {statistics.median(timings):6.1f} ms  max {max(timings):6.1f} ms  "
          f"{len(queries):3d} queries  ({plan.interventions.count()} interventions, {plan.columns.count()} columns, "
          f"{amounts} amounts)")


def plan_lines(plan):
    from budgets.selectors import plan_document, plan_queryset

    document = plan_document(plan_queryset().get(pk=plan.pk))
    return document.contributions + (document.income or []) + document.costs


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    seeds = Path(__file__).resolve().parents[1] / "demo" / "plans"
    largest = plan_import(document=read_plan_file((seeds / "sodra-vatterbygden-2025.json").read_bytes()))
    smallest = plan_import(document=read_plan_file((seeds / "sydostra-skane-2021.json").read_bytes()))
    synthetic = plan_import(document=synthetic_plan_document(interventions=100, columns=10))
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("bench", password="bench"))
    print(f"database: {connection.vendor}; {ROUNDS} requests each, in-process (no network)")
    measure(client, smallest, "Sydöstra Skåne 2021 (smallest seed)")
    measure(client, largest, "Södra Vätterbygden 2025 (largest seed)")
    measure(client, synthetic, "synthetic: 100 interventions x 10 columns")


if __name__ == "__main__":
    main()
