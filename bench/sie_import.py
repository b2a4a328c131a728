"""Benchmark: import a year's books as a SIE 4 file of 50 000 transactions.

Builds a file like a federation's export from its accounting system (25 000
vouchers of two transactions over the year, 30 result accounts, a third of the
costs on a cost-centre object, Swedish letters in the account names, CP437), then
reads it, maps it to the Södra Vätterbygden seed plan's lines and stores the
outcome to 31 August, and prints the time and the peak memory of each step.
Targets: under 2 s and under 200 MB for the whole import. Run from the project folder:

    .venv/bin/python bench/sie_import.py                 # a temporary SQLite file
    .venv/bin/python bench/sie_import.py --transactions 200000
"""

import argparse
import random
import resource
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.django_setup  # noqa: E402, F401 (starts Django)

from django.core.management import call_command  # noqa: E402

from budgets.planfile import read_plan_file  # noqa: E402
from budgets.services import plan_import  # noqa: E402
from followup import services  # noqa: E402
from followup.outcome_files import outcome_from_sie  # noqa: E402
from followup.sie import read_sie  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
COST_ACCOUNTS = [str(account) for account in range(4010, 4010 + 10)] + [str(account) for account in range(5010, 5010 + 14)]
INCOME_ACCOUNTS = ["3911", "3912", "3913", "3914", "3915", "3916"]


def build_sie(transactions: int, year: int, seed: int = 1) -> bytes:
    generator = random.Random(seed)
    lines = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", f"#RAR 0 {year}0101 {year}1231"]
    for account in COST_ACCOUNTS + INCOME_ACCOUNTS:
        lines.append(f'#KONTO {account} "Konto {account} för övrigt på kontoret"')
    lines.append('#KONTO 1930 "Företagskonto"')
    lines.append('#OBJEKT 1 "100" "Enter - kostnadsställe"')
    start = date(year, 1, 1)
    for number in range(transactions // 2):
        day = (start + timedelta(days=generator.randrange(365))).strftime("%Y%m%d")
        if number % 10 == 0:
            account, amount = generator.choice(INCOME_ACCOUNTS), -generator.randrange(100_000, 5_000_000)
        else:
            account, amount = generator.choice(COST_ACCOUNTS), generator.randrange(100, 5_000_000)
        objects = '{1 "100"}' if number % 3 == 0 and account in COST_ACCOUNTS else "{}"
        kronor = f"{amount // 100}.{abs(amount) % 100:02d}" if amount >= 0 else f"-{-amount // 100}.{-amount % 100:02d}"
        counter = f"{-amount // 100}.{-amount % 100:02d}" if amount < 0 else f"-{amount // 100}.{amount % 100:02d}"
        lines.append(f'#VER A {number + 1} {day} "Verifikation {number + 1} - åäö"')
        lines.append("{")
        lines.append(f'#TRANS {account} {objects} {kronor} {day} "Rad"')
        lines.append(f"#TRANS 1930 {{}} {counter}")
        lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437")


def timed(label, function):
    """Wall time without tracing (tracemalloc slows every allocation tenfold), then
    the peak of traced memory in a second run of the same step."""
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:40} {elapsed:7.3f} s   peak {peak / 1024 / 1024:7.1f} MB")
    return result, elapsed, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transactions", type=int, default=50_000)
    arguments = parser.parse_args()

    call_command("migrate", verbosity=0)
    plan = plan_import(document=read_plan_file((PROJECT / "demo" / "plans" / "sodra-vatterbygden-2025.json").read_bytes()))
    cost_lines = list(plan.lines.filter(section="cost"))
    member_lines = list(plan.lines.filter(section="contribution"))
    changes = {account: cost_lines[index % len(cost_lines)] for index, account in enumerate(COST_ACCOUNTS)}
    changes.update({account: member_lines[index % len(member_lines)] for index, account in enumerate(INCOME_ACCOUNTS)})
    changes["objekt:1:100"] = plan.lines.get(slug="enter")
    services.account_mappings_update(federation=plan.federation, changes=changes)
    follow_up = services.open_follow_up(plan=plan, period_end=date(plan.year, 8, 31))

    raw = build_sie(arguments.transactions, plan.year)
    print(f"SIE file: {arguments.transactions} transactions, {len(raw) / 1024 / 1024:.1f} MB")

    def whole_import():
        books = read_sie(raw, period_start=date(plan.year, 1, 1), period_end=follow_up.period_end)
        result = outcome_from_sie(plan, books, services.account_mappings(plan.federation))
        assert not result.unmapped, result.unmapped
        services.outcome_replace(follow_up=follow_up, amounts=result.amounts, source="sie", seen_version=None)
        return books

    timed("read only (read_sie)", lambda: read_sie(raw, period_start=date(plan.year, 1, 1), period_end=follow_up.period_end))
    books, elapsed, peak = timed("read, map and store (whole import)", whole_import)
    print(f"transactions in the period: {books.transactions_in_period} of {books.transactions}")
    verdict = "within" if elapsed < 2 and peak < 200 * 1024 * 1024 else "OUTSIDE"
    print(f"{verdict} the targets (under 2 s, under 200 MB); process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
