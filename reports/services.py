"""The plan's PDF for a stored plan: rendered by the task worker (`reports.tasks`), never in
a web request, and kept in storage per plan version, drafts too. A repeat download of an
unchanged plan is served from storage; a changed plan (its `version` raised) is rendered
once more, and its older PDFs are removed when the new one is ready."""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from budgets.models import Plan
from budgets.selectors import plan_overview, plan_queryset
from reports.models import RenderedPlan
from reports.pdf import PlanReport, late_charts, render_html, render_pdf, report_for_overview
from reports.weasy import PRINT_STYLESHEETS, ChildFigures, html_to_pdf, render_in_child

logger = logging.getLogger(__name__)

# A render asked for this long ago and still not done was lost (a worker stopped); the next
# look at it asks the worker again.
LOST_AFTER_RENDER_LIMITS = 3


class RenderFailed(Exception):
    """The render stopped: an error in the renderer, its time limit, or its process died."""


def plan_report(plan: Plan) -> PlanReport:
    """The report of a stored plan; pass a plan from `plan_queryset()` to keep the query count fixed."""
    from board.selectors import sending_stamp

    overview = plan_overview(plan)
    return report_for_overview(
        overview,
        bands=overview.shared.bands,
        revision=plan.revision,
        stamp=sending_stamp(plan),
    )


# ---------------------------------------------------------------------------
# The web side: ask for the PDF, never render it


def request_pdf(plan: Plan, *, retry: bool = False) -> RenderedPlan:
    """The PDF of the plan's current version: ready, being rendered, or failed.

    Asks the task worker for it when nobody has yet; again after a failure with `retry`,
    and when an earlier request was lost. With the immediate backend (tests) the render
    has happened when this returns."""
    now = timezone.now()
    rendered, created = RenderedPlan.objects.get_or_create(
        plan_id=plan.pk, plan_version=plan.version, defaults={"requested_at": now}
    )
    if created:
        _enqueue(rendered)
    else:
        lost_before = now - timedelta(seconds=settings.PDF_RENDER_SECONDS * LOST_AFTER_RENDER_LIMITS)
        again = (rendered.status == RenderedPlan.Status.FAILED and retry) or (
            rendered.status == RenderedPlan.Status.PENDING and rendered.requested_at < lost_before
        )
        # Only the request that changes the row asks the worker, however many ask at once.
        if again and RenderedPlan.objects.filter(
            pk=rendered.pk, status=rendered.status, requested_at=rendered.requested_at
        ).update(status=RenderedPlan.Status.PENDING, requested_at=now):
            _enqueue(rendered)
    rendered.refresh_from_db()
    return rendered


def _enqueue(rendered: RenderedPlan) -> None:
    from reports.tasks import render_plan_pdf

    render_plan_pdf.enqueue(rendered.pk)


# ---------------------------------------------------------------------------
# The worker side


def render_kept_pdf(rendered_id: int) -> None:
    """Render one requested PDF and keep it in storage; on failure mark it failed, so the
    page says so and offers to try again."""
    rendered = RenderedPlan.objects.filter(pk=rendered_id).first()
    if rendered is None or rendered.status == RenderedPlan.Status.READY:
        return
    plan = plan_queryset().filter(pk=rendered.plan_id).first()
    if plan is None:
        return
    if plan.version != rendered.plan_version:
        # Changed since it was asked for: the next download asks for the new version.
        rendered.delete()
        return
    started = time.monotonic()
    try:
        pdf = render_in_worker(plan_report(plan))
    except Exception:
        logger.exception("rendering the PDF of plan %s version %s failed", plan.pk, plan.version)
        RenderedPlan.objects.filter(pk=rendered.pk).update(status=RenderedPlan.Status.FAILED)
        return
    seconds = time.monotonic() - started
    rendered.pdf.save(f"plan-{plan.pk}-version-{plan.version}.pdf", ContentFile(pdf), save=False)
    rendered.status = RenderedPlan.Status.READY
    rendered.rendered_at = timezone.now()
    rendered.render_seconds = seconds
    rendered.save()
    logger.info("rendered the PDF of plan %s version %s in %.2f s", plan.pk, plan.version, seconds)
    _forget_older(rendered)


def _forget_older(rendered: RenderedPlan) -> None:
    for older in RenderedPlan.objects.filter(plan_id=rendered.plan_id, plan_version__lt=rendered.plan_version):
        if older.pdf:
            older.pdf.delete(save=False)
        older.delete()


def render_in_worker(report: PlanReport) -> bytes:
    """The plan's PDF bytes, laid out and written in a render process (`isolated_render`)
    from the HTML made here; the charts are drawn here while the render process reads the
    document, and then handed to it (`late_charts`)."""
    if not settings.PDF_RENDER_IN_CHILD:
        return render_pdf(report)
    sources, drawings = late_charts(report)
    return render_isolated(render_html(report, charts=sources), late=drawings)


# The render server: a process of WeasyPrint alone, started once per worker process, that
# forks each render's process (multiprocessing's "forkserver").
RENDER_SERVER_PRELOAD = ["reports.render_server"]

# Late resources: name -> a function making (content, media type).
LateResources = dict[str, Callable[[], tuple[bytes, str]]]


def render_isolated(
    html: str, stylesheets: tuple[str, ...] = PRINT_STYLESHEETS, render=html_to_pdf, late: LateResources | None = None
) -> bytes:
    """The PDF of a print document's HTML, rendered in a process of its own (`isolated_render`)."""
    return isolated_render(html, stylesheets, render, late).pdf


@dataclass(frozen=True)
class IsolatedRender:
    pdf: bytes
    # What the render process measured of itself.
    figures: ChildFigures


def isolated_render(
    html: str, stylesheets: tuple[str, ...] = PRINT_STYLESHEETS, render=html_to_pdf, late: LateResources | None = None
) -> IsolatedRender:
    """`render(html, stylesheets)` (a module-level function, by default the PDF) computed in a
    render process that is stopped after the time limit.

    The process is forked from the render server, which holds WeasyPrint, the fonts and the
    stylesheets ready and nothing else: no Django, no charting library, none of the worker's
    own objects. It touches no database, and ends after the render, so the worker's memory
    stays at its size however large the document was, and the render's own memory is the
    server's small size plus the document's.

    The `late` resources (`late:<name>` in the HTML) are made here once the render process
    has started, then handed to it: it reads and styles the document meanwhile, and waits
    for one only when it places its image. The time limit counts from the process's start,
    their making included.

    As with every process multiprocessing starts this way, the render process imports the
    calling program's main module again (without running it as `__main__`): `manage.py` and
    the benchmarks start their work only under `if __name__ == "__main__"`."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(RENDER_SERVER_PRELOAD)
    receiver, sender = context.Pipe(duplex=False)
    late_receiver, late_sender = context.Pipe(duplex=False) if late else (None, None)
    child = context.Process(
        target=render_in_child, args=(render, html, stylesheets, sender, late_receiver), daemon=True
    )
    child.start()
    deadline = time.monotonic() + settings.PDF_RENDER_SECONDS
    sender.close()
    handing_over = None
    try:
        if late:
            late_receiver.close()
            # Handed over from a thread: a render process that stops reading must not keep
            # this one from its time limit.
            made = [(name, *make()) for name, make in late.items()]
            handing_over = threading.Thread(target=_hand_over, args=(made, late_sender), daemon=True)
            handing_over.start()
        if not receiver.poll(max(0.0, deadline - time.monotonic())):
            raise RenderFailed(f"the render took longer than {settings.PDF_RENDER_SECONDS} s and was stopped")
        try:
            message = receiver.recv()
        except EOFError:
            child.join()
            raise RenderFailed(f"the render's process ended with exit code {child.exitcode}") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
        if late_sender is not None and handing_over is None:
            late_sender.close()
        if handing_over is not None:
            handing_over.join()
    if message[0] != "ok":
        raise RenderFailed(message[1])
    _status, pdf, figures = message
    logger.info(
        "rendered a PDF of %d KiB in a render process: %.2f s, peak memory %.0f MB",
        len(pdf) // 1024,
        figures.seconds,
        figures.peak_mb,
    )
    return IsolatedRender(pdf, figures)


def _hand_over(resources: list[tuple[str, bytes, str]], sender) -> None:
    """Send the late resources to the render process, then close; a render process that has
    ended (its pipe broken) gets nothing more."""
    try:
        for resource in resources:
            sender.send(resource)
    except OSError:
        pass
    finally:
        sender.close()


def plan_preview_html(*, plan: Plan, plan_url: str, pdf_url: str) -> str:
    """The print document as a web page, with a link back and a download link."""
    return render_html(plan_report(plan), preview=True, extra={"plan_url": plan_url, "pdf_url": pdf_url})
