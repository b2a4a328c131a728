"""Benchmark: the national overview for 75 federations (as many as Sweden has), each
with an adopted plan of 20 interventions and 5 columns, in a fresh database.

Prints the first view's time (which computes and keeps every plan's figures), then the
median of later views, their query count, and the ratio to a trivial view measured in
the same run. Target: under 300 ms for 75 federations, a constant query count.

    .venv/bin/python bench/national.py [--federations 75]
"""

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.django_setup  # noqa: E402, F401 (starts Django)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from budgets.planfile import read_plan_data  # noqa: E402
from budgets.services import plan_adopt, plan_import  # noqa: E402
from budgets.synthetic import synthetic_plan_data  # noqa: E402
from federations.models import Federation  # noqa: E402

ROUNDS = 20


def timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--federations", type=int, default=75)
    options = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_superuser("bench", password="bench")
    started = time.perf_counter()
    for number in range(1, options.federations + 1):
        data = synthetic_plan_data(interventions=20, columns=5)
        data["federation"] |= {"name": f"Samordningsförbundet nummer {number}", "short_name": f"Nummer {number}"}
        data["members"][2]["name"] = f"Region {number % 21 + 1}"
        plan = plan_import(document=read_plan_data(data))
        plan_adopt(plan=plan, adopted_on=date(2024, 11, 20), reference="§ 1", acting_user=user)
    Federation.objects.update(in_national_view=True)
    print(f"{options.federations} federations with an adopted plan made in {time.perf_counter() - started:.0f} s "
          f"({connection.vendor})")
    client = Client()
    client.force_login(user)
    first = timed(client, "/nationell-oversikt/")
    views = [timed(client, "/nationell-oversikt/") for _ in range(ROUNDS)]
    trivial = [timed(client, "/halsa/") for _ in range(ROUNDS)]
    queries = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        client.get("/nationell-oversikt/")
    csv = [timed(client, "/nationell-oversikt/?format=csv") for _ in range(ROUNDS // 4)]
    print(f"first view (computes and keeps each plan's figures): {first:7.0f} ms")
    print(f"later views: median {statistics.median(views):6.1f} ms, max {max(views):6.1f} ms, "
          f"{len(queries)} queries; {statistics.median(views) / statistics.median(trivial):.0f}x a trivial view "
          f"({statistics.median(trivial):.1f} ms)")
    print(f"CSV download: median {statistics.median(csv):6.1f} ms")


if __name__ == "__main__":
    main()
