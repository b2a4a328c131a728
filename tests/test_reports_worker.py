"""The PDF is rendered by the task worker, never in a web request: with the database
queue, a download answers a page that says the document is being made; the worker
renders it, and the next download is served from storage. A render runs in a child
process with a time limit."""

import os
import time
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.management import call_command
from django.tasks import task_backends
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.connection import Local
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from reports import pdf, services, weasy
from reports.models import RenderedPlan
from tests import render_children

FAKE_PDF = b"%PDF-1.7 rendered by the worker"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker(monkeypatch):
    """The worker until the queue is empty, in the test's transaction: it would otherwise
    close the connection, which it finds inside a transaction it did not open."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", batch=True, startup_delay=False, interval=0)


def _forget_task_backends():
    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture
def database_queue():
    """Tasks queued in the database, as in production, instead of run at once."""
    with override_settings(TASKS=DATABASE_QUEUE):
        _forget_task_backends()
        yield
    _forget_task_backends()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def pdf_url(plan):
    return reverse("reports:pdf", args=[plan.pk])


def status_url(plan):
    return reverse("reports:pdf_status", args=[plan.pk])


def test_a_web_request_never_renders_a_pdf(client_for, personas, database_queue, monkeypatch):
    plan = personas["plan_b"]  # a draft
    client = client_for("chief_b")
    with monkeypatch.context() as web:
        web.setattr(services, "render_pdf", _forbidden)
        web.setattr(pdf, "render_document", _forbidden)
        web.setattr(weasy, "layout", _forbidden)
        web.setattr(services, "isolated_render", _forbidden)

        waiting = client.get(pdf_url(plan))
        still_waiting = client.get(status_url(plan))

    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert "Dokumentet skapas" in page
    assert f'hx-get="{status_url(plan)}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "Dokumentet skapas" in still_waiting.content.decode()
    # Asked for once, however often the page looks.
    assert DBTaskResult.objects.count() == 1
    assert RenderedPlan.objects.get(plan=plan).status == RenderedPlan.Status.PENDING

    monkeypatch.setattr(services, "render_pdf", lambda report: FAKE_PDF)
    run_worker(monkeypatch)

    with monkeypatch.context() as web:
        web.setattr(services, "render_pdf", _forbidden)
        web.setattr(pdf, "render_document", _forbidden)
        web.setattr(weasy, "layout", _forbidden)
        web.setattr(services, "isolated_render", _forbidden)
        ready = client.get(status_url(plan))
        download = client.get(pdf_url(plan))

    assert "Dokumentet är klart" in ready.content.decode()
    assert 'hx-get' not in ready.content.decode()
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert body(download) == FAKE_PDF
    assert RenderedPlan.objects.get(plan=plan).status == RenderedPlan.Status.READY


def _forbidden(*args, **kwargs):
    raise AssertionError("a web request rendered a PDF")


def test_a_failed_render_in_the_worker_shows_a_retry_button_in_the_waiting_page(
    client_for, personas, database_queue, monkeypatch
):
    plan = personas["plan_b"]
    client = client_for("chief_b")
    client.get(pdf_url(plan))
    monkeypatch.setattr(services, "render_pdf", lambda report: 1 / 0)
    run_worker(monkeypatch)

    status = client.get(status_url(plan)).content.decode()

    assert "Dokumentet kunde inte skapas just nu" in status
    assert "Försök igen</button>" in status
    assert "hx-get" not in status


def test_a_render_asked_for_long_ago_and_never_done_is_asked_for_again(client_for, personas, monkeypatch):
    plan = personas["plan_b"]
    monkeypatch.setattr(services, "render_pdf", lambda report: FAKE_PDF)
    RenderedPlan.objects.create(plan=plan, plan_version=plan.version, requested_at=timezone.now() - timedelta(days=1))

    response = client_for("chief_b").get(pdf_url(plan))

    assert body(response) == FAKE_PDF


def test_a_render_asked_for_a_moment_ago_is_not_asked_for_twice(client_for, personas, monkeypatch):
    plan = personas["plan_b"]
    monkeypatch.setattr(services, "render_pdf", _forbidden)
    RenderedPlan.objects.create(plan=plan, plan_version=plan.version, requested_at=timezone.now())

    response = client_for("chief_b").get(pdf_url(plan))

    assert response.status_code == 202


# ---------------------------------------------------------------------------
# The child process


def test_the_render_runs_in_a_process_of_its_own_without_django(settings):
    settings.PDF_RENDER_IN_CHILD = True

    result = services.isolated_render("<p>x</p>", render=render_children.process_id)
    modules = services.render_isolated("<p>x</p>", render=render_children.loaded_modules).decode().split()

    assert int(result.pdf) != os.getpid()
    # Forked from the render server, which had the fonts and stylesheets ready and loaded
    # neither Django nor the charts.
    assert result.figures.prepared
    assert "weasyprint" in modules
    assert "django" not in modules
    assert "matplotlib" not in modules


def test_the_worker_renders_a_plan_in_its_render_process_with_its_charts_handed_over_late(personas, settings):
    plan = personas["plan_b"]
    report = services.plan_report(plan)
    in_one_process = pdf.render_pdf(report)
    settings.PDF_RENDER_IN_CHILD = True

    rendered = services.render_in_worker(report)

    # The charts were drawn while the render process read the document, and handed over.
    assert services.render_html(report).count("data:image/svg+xml") == 3
    assert pdf.render_html(report, charts=pdf.late_charts(report)[0]).count('src="late:') == 2
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(rendered)).pages).split())
    assert plan.federation_profile.name in text
    assert "Kostnader per grupp, 2023" in text
    assert "Riktlinjens tak" in text
    # The same document as rendered in one process from data URIs, byte for byte.
    assert rendered == in_one_process


def test_a_chart_that_cannot_be_drawn_fails_the_render(personas, settings, monkeypatch):
    settings.PDF_RENDER_IN_CHILD = True
    monkeypatch.setattr("reports.charts.equity_chart", lambda *args, **kwargs: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        services.render_in_worker(services.plan_report(personas["plan_b"]))


def test_the_render_process_waits_for_a_late_resource(settings):
    settings.PDF_RENDER_IN_CHILD = True
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text y="9">sent late</text></svg>'

    def slow_chart():
        time.sleep(1)
        return svg, "image/svg+xml"

    html = '<html lang="sv"><head><title>t</title></head><body><p>före</p><img src="late:chart" alt="x"></body></html>'
    rendered = services.render_isolated(html, late={"chart": slow_chart})

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(rendered)).pages)
    assert "före" in text
    assert "sent late" in text


def test_a_render_that_takes_too_long_is_stopped(settings):
    settings.PDF_RENDER_IN_CHILD = True
    settings.PDF_RENDER_SECONDS = 1
    started = time.monotonic()

    with pytest.raises(services.RenderFailed, match="longer than 1 s"):
        services.render_isolated("<p>x</p>", render=render_children.sleeps)

    assert time.monotonic() - started < 10


def test_an_error_in_the_render_process_is_reported_to_the_worker(settings):
    settings.PDF_RENDER_IN_CHILD = True

    with pytest.raises(services.RenderFailed, match="ZeroDivisionError"):
        services.render_isolated("<p>x</p>", render=render_children.divides_by_zero)


def test_a_render_process_that_dies_is_reported_with_its_exit_code(settings):
    settings.PDF_RENDER_IN_CHILD = True

    with pytest.raises(services.RenderFailed, match="exit code 3"):
        services.render_isolated("<p>x</p>", render=render_children.dies)
