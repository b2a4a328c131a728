"""Benchmark: server time of the budget grid's live update (the unsaved grid posted,
totals and findings answered, nothing stored) and of its save.

For the largest seed plan and a synthetic plan with 100 interventions and 10
columns, in a fresh database, beside a trivial view (the health check) measured in
the same run. Target: the live update under 100 ms for both. The live request posts what
the page's script sends (the grid without its empty cells); the save posts the whole
form. The request body is encoded once, before the clock starts: what is timed is
the server's work (parsing the post included). Run from the project folder:

    .venv/bin/python bench/grid_live.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/grid_live.py
"""

import re
import sys
import time
from urllib.parse import urlencode
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.django_setup  # noqa: E402, F401 (starts Django)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.timing import measure as measure_call  # noqa: E402
from bench.timing import trivial_view  # noqa: E402
from budgets.planfile import read_plan_file  # noqa: E402
from budgets.services import plan_import, plan_new_revision  # noqa: E402
from budgets.synthetic import synthetic_plan_document  # noqa: E402
from tests.forms import form_pairs, page_forms  # noqa: E402

EMPTY_CELL = re.compile(r"(amount|granted|share)-")

ROUNDS = 20


def grid_post(html: str) -> dict[str, list[str]]:
    """What the grid's form posts as shown."""
    form = next(form for form in page_forms(html) if form.get("id") == "budget-grid")
    data: dict[str, list[str]] = {}
    for name, value in form_pairs(form):
        data.setdefault(name, []).append(value)
    return data


def live_post(data: dict[str, list[str]]) -> dict[str, list[str]]:
    """What the page's script posts for the live update: the grid without its empty cells."""
    return {name: values for name, values in data.items() if not (EMPTY_CELL.match(name) and values == [""])}


def post(client, url, data):
    # As htmx and the browser send it: urlencoded, not multipart.
    return client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


def measure(client, plan, label, trivial):
    page = client.get(f"/plan/{plan.pk}/budget/")
    assert page.status_code == 200
    data = grid_post(page.content.decode())
    cells = [name for name in data if name.startswith("amount-")]
    url = f"/plan/{plan.pk}/budget/summor/"
    # One body per round, each with another cell typed ("1 000 000", "1 001 000", ...).
    bodies = []
    for round_number in range(ROUNDS + 1):
        data[cells[round_number % len(cells)]] = [f"{1000 + round_number:,} 000".replace(",", " ")]
        bodies.append(urlencode(live_post(data), doseq=True))
    bodies = iter(bodies)

    def live():
        response = client.post(url, next(bodies), content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200, (response.status_code, response.content.decode()[:3000])

    timing = measure_call(live, ROUNDS)
    queries = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        post(client, url, live_post(data))

    def plan_page():
        assert client.get(f"/plan/{plan.pk}/").status_code == 200

    # The plan page of the same plan, measured alongside.
    page_timing = measure_call(plan_page, ROUNDS // 2)
    started = time.perf_counter()
    saved = post(client, f"/plan/{plan.pk}/budget/", data)
    save_ms = (time.perf_counter() - started) * 1000
    assert saved.status_code == 302, (saved.status_code, re.findall(r"invalid-feedback[^>]*>([^<]*)|error-summary.{0,800}", saved.content.decode(), re.S)[:5])
    print(f"{label}\n  live update {timing} = {timing.ratio(trivial)} the trivial view; {len(queries)} queries "
          f"({len(cells)} amount cells; {sum(len(values) for values in live_post(data).values())} fields posted, "
          f"{sum(len(values) for values in data.values())} in the form)\n"
          f"  plan page   {page_timing} = {page_timing.ratio(trivial)} the trivial view\n"
          f"  save {save_ms:.1f} ms")


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    seeds = Path(__file__).resolve().parents[1] / "demo" / "plans"
    user = get_user_model().objects.create_superuser("bench", password="bench")
    largest = plan_import(document=read_plan_file((seeds / "sodra-vatterbygden-2025.json").read_bytes()))
    synthetic = plan_import(document=synthetic_plan_document(interventions=100, columns=10))
    # Adopted plans are not edited: measure their drafts (a new revision of each).
    largest, synthetic = (
        plan if not plan.is_adopted else plan_new_revision(plan=plan, acting_user=user) for plan in (largest, synthetic)
    )
    client = Client()
    client.force_login(user)
    print(f"database: {connection.vendor}; {ROUNDS} live requests each, in-process (no network)")
    trivial = trivial_view(client)
    print(f"trivial view (health check): {trivial}")
    measure(client, largest, "Södra Vätterbygden 2025 (largest seed)", trivial)
    measure(client, synthetic, "synthetic: 100 interventions x 10 columns", trivial)
    print(f"trivial view again: {trivial_view(client)}")


if __name__ == "__main__":
    main()
