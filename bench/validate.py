"""Benchmark: validate every federation's plan, as a national overview would,
and one plan as it grows.

First it validates made-up plans of 100, 300 and 1 000 interventions (10 columns,
a cost line per intervention, each intervention's cost checked against its lines)
and prints the time per plan and per intervention: validation is linear in the
plan's size, so the time per intervention stays level.
Then it builds 75 federations, each with a plan of 10 columns and 40 budget lines
(400 amounts), in a fresh database, and prints the time to load and validate all
of them and the number of queries per plan. Run from the project folder:

    .venv/bin/python bench/validate.py             # a temporary SQLite file
    .venv/bin/python bench/validate.py --sizes     # only the growing plan, no database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/validate.py
"""

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.django_setup  # noqa: E402, F401 (starts Django)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from budgets.models import BudgetLine, Column, LineAmount, Plan  # noqa: E402
from budgets.planfile import read_plan_data  # noqa: E402
from budgets.synthetic import synthetic_plan_data  # noqa: E402
from budgets.selectors import guidance_bands, plan_document, plan_documents, plan_queryset  # noqa: E402
from budgets.validation import validate_document  # noqa: E402
from federations.models import Federation, Member  # noqa: E402
from interventions.models import Intervention  # noqa: E402

FEDERATIONS = 75
COLUMNS = 10
LINES = 40
MUNICIPALITIES = 6


def build():
    """75 plans in bulk: 9 contribution lines, 1 income line and 30 cost lines each."""
    for number in range(FEDERATIONS):
        federation = Federation.objects.create(slug=f"bench-{number}", name=f"Samordningsförbundet Bench {number}")
        plan = Plan.objects.create(
            federation=federation, year=2025, last_year=2027, unit="SEK",
            equity_opening_year=2020, equity_opening_amount=Decimal("1500000"), admin_share_max=Decimal(15),
        )
        kinds = ["forsakringskassan", "arbetsformedlingen", "region"] + ["municipality"] * MUNICIPALITIES
        members = Member.objects.bulk_create(
            Member(plan=plan, slug=f"m{i}", name=f"Medlem {i}", kind=kind, order=i) for i, kind in enumerate(kinds)
        )
        columns = Column.objects.bulk_create(
            Column(plan=plan, slug=f"c{year}", year=year, kind="budget" if year < 2026 else "plan", order=i)
            for i, year in enumerate(range(2020, 2020 + COLUMNS))
        )
        interventions = Intervention.objects.bulk_create(
            Intervention(plan=plan, slug=f"i{i}", name=f"Insats {i}", kind="individual", start="2020", end="2029")
            for i in range(10)
        )
        lines = [
            BudgetLine(plan=plan, section="contribution", slug=member.slug, member=member, order=i)
            for i, member in enumerate(members)
        ]
        lines.append(BudgetLine(plan=plan, section="income", slug="esf", label="ESF", income_kind="external"))
        for i in range(LINES - len(lines)):
            group = "administration" if i % 6 == 0 else "intervention"
            lines.append(
                BudgetLine(
                    plan=plan, section="cost", slug=f"k{i}", label=f"Kostnad {i}", cost_group=group, order=i,
                    intervention=interventions[i % 10] if group == "intervention" else None,
                )
            )
        lines = BudgetLine.objects.bulk_create(lines)
        contribution_amounts = {"forsakringskassan": Decimal(2000000), "arbetsformedlingen": Decimal(0),
                                "region": Decimal(1000000), "municipality": Decimal(1000000) / MUNICIPALITIES}
        amounts = []
        for line in lines:
            for column in columns:
                if line.section == "contribution":
                    amount = contribution_amounts[line.member.kind].quantize(Decimal("0.01"))
                else:
                    amount = Decimal(130000 + 17 * column.order)
                amounts.append(LineAmount(line=line, column=column, amount=amount))
        LineAmount.objects.bulk_create(amounts)


SIZES = (100, 300, 1000)
ROUNDS = 5


def linked_costs(document) -> dict[str, dict[str, Decimal]]:
    """What each intervention costs per column when its grant matches its cost lines: the
    cost check then runs for every intervention and column, and finds nothing."""
    costs: dict[str, dict[str, Decimal]] = {}
    for line in document.costs:
        if line.intervention is not None:
            by_column = costs.setdefault(line.intervention, {})
            for column, amount in line.amounts.items():
                by_column[column] = by_column.get(column, Decimal(0)) + amount
    return costs


def by_size():
    """Validation time of one plan with 100, 300 and 1 000 interventions (median of five),
    with every intervention's cost checked against its lines. Target: linear, 1 000
    interventions under 40 ms."""
    per_intervention = {}
    for size in SIZES:
        document = read_plan_data(synthetic_plan_data(interventions=size, columns=COLUMNS))
        costs = linked_costs(document)
        timings = []
        for _round in range(ROUNDS):
            started = time.process_time()
            findings = validate_document(document, intervention_costs=costs)
            timings.append(time.process_time() - started)
        elapsed = statistics.median(timings)
        per_intervention[size] = elapsed / size
        print(
            f"{size:>5} interventions, {len(document.costs)} cost lines x {len(document.columns)} columns: "
            f"validated in {elapsed * 1000:.1f} ms CPU ({elapsed / size * 1e6:.0f} µs per intervention), "
            f"{len(findings)} findings"
        )
    print(f"time per intervention at {SIZES[-1]} / at {SIZES[0]}: {per_intervention[SIZES[-1]] / per_intervention[SIZES[0]]:.2f} "
          "(1.0 is linear)")


def main():
    by_size()
    if "--sizes" in sys.argv[1:]:
        return
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build()
    print(f"built {FEDERATIONS} plans x {COLUMNS} columns x {LINES} lines in {time.perf_counter() - started:.1f} s")

    bands = guidance_bands()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        plans = list(plan_queryset().filter(federation__slug__startswith="bench-"))
        documents = plan_documents(plans)
    load_queries = len(queries)
    finding_count = sum(len(validate_document(document, bands=bands)) for document in documents)
    elapsed = time.perf_counter() - started

    one = Plan.objects.filter(federation__slug="bench-0")
    with CaptureQueriesContext(connection) as queries:
        validate_document(plan_document(plan_queryset().get(pk=one.get().pk)), bands=bands)
    single = len(queries)

    print(f"database: {connection.vendor}")
    print(f"loaded and validated {len(plans)} plans in {elapsed:.3f} s ({elapsed / len(plans) * 1000:.1f} ms per plan), "
          f"{finding_count} findings")
    print(f"queries: {load_queries} to load all plans together; "
          f"{single} for one plan loaded and validated on its own")

if __name__ == "__main__":
    main()
