"""Benchmark: render the plan document as PDF.

Stores the five seed plans and a synthetic plan (100 interventions, 10 columns) in a
fresh database, then renders each in a process of its own, as the download view
does (from the database, with charts), and prints the time of the first render in
that process and of a second one, the pages, and the peak memory of the process
(resident set, WeasyPrint's and matplotlib's native memory included). Beside each time,
in brackets, the processor time the render took: on a machine shared with other work the
wall-clock times vary from run to run, the processor times much less. Last it
times downloads of an adopted plan's kept PDF through the Django test client (tasks run
at once here; a render in a worker's child process is timed per plan too).
Run from the project folder:

    .venv/bin/python bench/pdf.py
"""

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench.django_setup  # noqa: E402, F401 (starts Django)

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
    """In a process of its own: render a stored plan twice and print one line of figures."""
    from budgets.selectors import current_plan
    from reports.pdf import document_pdf, render_document
    from reports.services import plan_report

    # The libraries load on first use; a server pays that once, not per download.
    import matplotlib.figure  # noqa: F401
    import weasyprint  # noqa: F401

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
    # As the task worker renders: the plan loaded here, the render in a child process
    # (fonts and charts inherited), the worker's own memory unchanged afterwards.
    from django.test import override_settings

    from reports.services import render_in_worker

    before = current_rss_mb()
    with override_settings(PDF_RENDER_IN_CHILD=True):
        started, started_cpu = time.perf_counter(), processor_seconds()
        render_in_worker(plan_report(current_plan(slug, year)))
        in_worker, in_worker_cpu = time.perf_counter() - started, processor_seconds() - started_cpu
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"{slug:20} {year}  {pages:4} pages  {len(pdf) / 1024:5.0f} KiB  "
        f"first {first:6.2f} s ({first_cpu:5.2f})  again {again:6.2f} s ({again_cpu:5.2f})  "
        f"in a worker's child {in_worker:6.2f} s ({in_worker_cpu:5.2f}, peak {child_peak:4.0f} MB)  "
        f"peak memory {peak:5.0f} MB (of which libraries {baseline:4.0f} MB); "
        f"worker {before:4.0f} MB before, {current_rss_mb():4.0f} MB after the child's render"
    )


def processor_seconds() -> float:
    """Processor time of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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
    main()
