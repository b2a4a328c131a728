"""Benchmark: export of the budget grid as Excel, and reading it back.

For the largest seed plan and a synthetic plan with 100 interventions and 10
columns, in a fresh database. Run from the project folder:

    .venv/bin/python bench/excel.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.django_setup  # noqa: E402, F401 (starts Django)

from django.core.management import call_command  # noqa: E402

from budgets.excel import plan_workbook  # noqa: E402
from budgets.excel_import import compare, read_workbook  # noqa: E402
from budgets.planfile import read_plan_file  # noqa: E402
from budgets.selectors import plan_queryset  # noqa: E402
from budgets.services import plan_import  # noqa: E402
from budgets.synthetic import synthetic_plan_document  # noqa: E402

ROUNDS = 10


def timed(function) -> tuple[list[float], object]:
    function()  # warm up
    timings, result = [], None
    for _ in range(ROUNDS):
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, result


def measure(plan, label):
    plan = plan_queryset().get(pk=plan.pk)
    export, raw = timed(lambda: plan_workbook(plan))
    reading, changes = timed(lambda: compare(plan, read_workbook(raw)))
    assert changes.is_empty
    print(
        f"{label:<44} export median {statistics.median(export):6.1f} ms (max {max(export):6.1f})  "
        f"read back median {statistics.median(reading):6.1f} ms  {len(raw) // 1024} kB, "
        f"{plan.lines.count()} lines x {plan.columns.count()} columns"
    )


def main():
    call_command("migrate", verbosity=0)
    seeds = Path(__file__).resolve().parents[1] / "demo" / "plans"
    largest = plan_import(document=read_plan_file((seeds / "sodra-vatterbygden-2025.json").read_bytes()))
    synthetic = plan_import(document=synthetic_plan_document(interventions=100, columns=10))
    print(f"{ROUNDS} rounds each, in-process")
    measure(largest, "Södra Vätterbygden 2025 (largest seed)")
    measure(synthetic, "synthetic: 100 interventions x 10 columns")


if __name__ == "__main__":
    main()
