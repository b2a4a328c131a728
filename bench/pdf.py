"""Benchmark: render the plan document as PDF.

Stores the five seed plans and a synthetic plan (100 interventions, 10 columns) in a
fresh database, then, for each plan in a process of its own:

- renders it as the task worker does (`reports.services.render_in_worker`): the report
  and its HTML made in the worker, the PDF in a render process forked from the render
  server, the charts drawn in the worker meanwhile; printed are the whole time in the
  worker, the render process's own time and peak memory, and the worker's memory before
  and after;
- renders it in that process, from the database with charts, twice (the first render
  makes the fonts and charts), with the pages and the process's peak memory (resident
  set, WeasyPrint's and matplotlib's native memory included), for comparison.

Beside each time, in brackets, the processor time: on a machine shared with other work
the wall-clock times vary from run to run, the processor times much less. Last it times
downloads of an adopted plan's kept PDF through the Django test client (tasks run at
once here).
Run from the project folder:

    .venv/bin/python bench/pdf.py
"""

import os
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEEDS = [
    ("sodra-vatterbygden", 2025),
    ("sjuharad", 2022),
    ("hoglandet", 2023),
    ("harnosand-timra", 2017),
    ("sydostra-skane", 2021),
]
SYNTHETIC = ("mellanlanet", 2025)
DOWNLOADS = 50


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def render_one(slug: str, year: int) -> None:
    """In a process of its own: render a stored plan as the worker does, then twice in this
    process, and print one line of figures."""
    from django.test import override_settings

    from budgets.selectors import current_plan
    from reports.pdf import late_charts, render_document, render_html
    from reports.services import isolated_render, plan_report, render_in_worker
    from reports.weasy import document_pdf

    # The libraries load on first use; a server pays that once, not per download.
    import matplotlib.figure  # noqa: F401
    import weasyprint  # noqa: F401

    # As the task worker renders a plan changed since its last render (render_in_worker): the
    # report and its HTML made in the worker, the layout in a render process forked from the
    # render server, the charts drawn in the worker meanwhile and handed over. The worker
    # starts the server once (here by a small render first, outside the timing, as are the
    # charting library's first steps).
    with override_settings(PDF_RENDER_IN_CHILD=True):
        isolated_render("<p>start</p>")
        from reports import charts

        labels = {"title": "-", "closing_label": "-", "ceiling_label": "-", "floor_label": "-"}
        charts.svg_data_uri(charts.equity_chart([charts.EquityYear(2025, Decimal(1), None)], floor=None, unit="kr", **labels))
        before = current_rss_mb()
        started, started_cpu = time.perf_counter(), time.process_time()
        report = plan_report(current_plan(slug, year))
        sources, drawings = late_charts(report)
        rendered = isolated_render(render_html(report, charts=sources), late=drawings)
        in_worker, in_worker_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        assert rendered.pdf[:5] == b"%PDF-"
        # The same through the worker's entry point.
        assert render_in_worker(report)[:5] == b"%PDF-"
    after = current_rss_mb()
    child = rendered.figures

    baseline = peak_rss_mb()
    started, started_cpu = time.perf_counter(), time.process_time()
    document = render_document(plan_report(current_plan(slug, year)))
    pdf = document_pdf(document)
    first, first_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    pages, peak = len(document.pages), peak_rss_mb()
    del document
    started, started_cpu = time.perf_counter(), time.process_time()
    document_pdf(render_document(plan_report(current_plan(slug, year))))
    again, again_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    print(
        f"{slug:20} {year}  {pages:4} pages  {len(pdf) / 1024:5.0f} KiB  "
        f"first {first:6.2f} s ({first_cpu:5.2f})  again {again:6.2f} s ({again_cpu:5.2f})  "
        f"peak memory {peak:5.0f} MB (of which libraries {baseline:4.0f} MB) | "
        f"in the worker {in_worker:6.2f} s (worker {in_worker_cpu:4.2f} + render process "
        f"{child.processor_seconds:5.2f}), render process {child.seconds:5.2f} s, peak {child.peak_mb:4.0f} MB; "
        f"worker {before:4.0f} MB before, {after:4.0f} MB after"
    )


def build() -> None:
    from django.core.management import call_command

    from budgets.planfile import read_plan_file
    from budgets.services import plan_import
    from budgets.synthetic import synthetic_plan_document

    call_command("migrate", verbosity=0)
    for path in sorted((ROOT / "demo" / "plans").glob("*.json")):
        plan_import(document=read_plan_file(path.read_bytes()))
    plan_import(document=synthetic_plan_document(interventions=100, columns=10, year=SYNTHETIC[1]))


def time_kept_downloads() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from budgets.selectors import current_plan
    from reports.models import RenderedPlan

    setup_test_environment()
    plan = current_plan("sodra-vatterbygden", 2025)
    user = get_user_model().objects.create_user("bench-reader", is_staff=True)
    client = Client()
    client.force_login(user)
    url = reverse("reports:pdf", args=[plan.pk])

    started = time.perf_counter()
    first = client.get(url, secure=True)
    render_seconds = time.perf_counter() - started
    assert first.status_code == 200, (first.status_code, first.headers)
    assert RenderedPlan.objects.filter(plan=plan).exists()
    first_pdf = b"".join(first.streaming_content)

    times = []
    for _download in range(DOWNLOADS):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        times.append((time.perf_counter() - started) * 1000)
        assert b"".join(response.streaming_content) == first_pdf
    print(
        f"kept PDF of an adopted plan ({len(first_pdf) / 1024:.0f} KiB): first download renders in "
        f"{render_seconds:.2f} s; then {DOWNLOADS} downloads: median {statistics.median(times):.1f} ms, "
        f"slowest {max(times):.1f} ms"
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        render_one(sys.argv[2], int(sys.argv[3]))
        return
    build()
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")
    for slug, year in SEEDS + [SYNTHETIC]:
        subprocess.run([sys.executable, __file__, "--one", slug, str(year)], check=True, env=os.environ.copy())
    time_kept_downloads()


if __name__ == "__main__":
    # Started here, not at import: a render process imports this file again (as every
    # process multiprocessing starts does), and needs no Django.
    import bench.django_setup  # noqa: F401

    main()
