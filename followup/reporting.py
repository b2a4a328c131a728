"""The tertial report's PDF: rendered by the task worker, never in a web request, and kept
on the follow-up (`FollowUp.report_pdf`) for the version it was rendered for. A changed
follow-up (its `version` raised) is rendered once more when the report is next asked for;
once the chief marks the report sent to the board, the PDF of that moment is kept and
never rendered again."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.models import FollowUp, ReportStatus
from reports.services import LOST_AFTER_RENDER_LIMITS, render_isolated

logger = logging.getLogger(__name__)


class NotReadyToSend(Exception):
    """The report of the follow-up as it is now is not rendered yet."""


def report_state(follow_up: FollowUp) -> str:
    """READY, PENDING or FAILED for the report of the follow-up as it is now (or as sent)."""
    if follow_up.sent_to_board_on and follow_up.report_pdf:
        return ReportStatus.READY
    if follow_up.report_version != follow_up.version:
        return ReportStatus.PENDING
    return follow_up.report_status or ReportStatus.PENDING


def request_report(follow_up: FollowUp, *, retry: bool = False) -> FollowUp:
    """The follow-up with its report's state; asks the worker to render the report of the
    current version when nobody has yet, again after a failure with `retry`, and when an
    earlier request was lost. With the immediate backend (tests) the render has happened
    when this returns."""
    if follow_up.sent_to_board_on and follow_up.report_pdf:
        return follow_up
    current = follow_up.report_version == follow_up.version
    if current and follow_up.report_status == ReportStatus.READY:
        return follow_up
    lost_before = timezone.now() - timedelta(seconds=settings.PDF_RENDER_SECONDS * LOST_AFTER_RENDER_LIMITS)
    asked_lately = (
        current
        and follow_up.report_status == ReportStatus.PENDING
        and follow_up.report_requested_at is not None
        and follow_up.report_requested_at >= lost_before
    )
    failed = current and follow_up.report_status == ReportStatus.FAILED
    if asked_lately or (failed and not retry):
        return follow_up
    # Only the request that changes the row asks the worker, however many ask at once.
    asked = FollowUp.objects.filter(
        pk=follow_up.pk,
        version=follow_up.version,
        report_version=follow_up.report_version,
        report_status=follow_up.report_status,
        report_requested_at=follow_up.report_requested_at,
    ).update(report_version=follow_up.version, report_status=ReportStatus.PENDING, report_requested_at=timezone.now())
    if asked:
        from followup.tasks import render_follow_up_report

        render_follow_up_report.enqueue(follow_up.pk, follow_up.version)
    follow_up.refresh_from_db()
    return follow_up


def render_kept_report(follow_up_id: int, version: int) -> None:
    """In the worker: render the report of that version and keep it; on failure mark it
    failed, so the page says so and offers to try again."""
    from followup import report
    from followup.selectors import follow_up_overview

    follow_up = FollowUp.objects.select_related("plan").filter(pk=follow_up_id).first()
    if (
        follow_up is None
        or follow_up.version != version
        or follow_up.report_version != version
        or follow_up.report_status != ReportStatus.PENDING
    ):
        return  # changed or sent since it was asked for: the next look asks again
    overview = follow_up_overview(follow_up)
    try:
        if settings.PDF_RENDER_IN_CHILD:
            pdf = render_isolated(report.report_html(overview), report.REPORT_STYLESHEETS)
        else:
            pdf = report.report_pdf(overview)
    except Exception:
        logger.exception("rendering the tertial report of follow-up %s version %s failed", follow_up_id, version)
        FollowUp.objects.filter(pk=follow_up_id, report_version=version).update(report_status=ReportStatus.FAILED)
        return
    name = default_storage.save(
        f"followup/delarsrapport-{follow_up.plan_id}-{follow_up.period_end.isoformat()}-v{version}.pdf",
        ContentFile(pdf),
    )
    previous = follow_up.report_pdf.name
    kept = FollowUp.objects.filter(
        pk=follow_up_id, version=version, report_version=version, sent_to_board_on__isnull=True
    ).update(report_pdf=name, report_status=ReportStatus.READY)
    if not kept:
        default_storage.delete(name)
    elif previous and previous != name:
        default_storage.delete(previous)


@transaction.atomic
def follow_up_mark_sent(*, follow_up: FollowUp, sent_on) -> FollowUp:
    """Keep the tertial report as sent to the board on `sent_on`: the PDF of the follow-up
    as it is now, which must be rendered already; from then on the report is that PDF."""
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if report_state(locked) != ReportStatus.READY or not locked.report_pdf:
        raise NotReadyToSend(_("Rapporten skapas. Markera den som skickad när den är klar."))
    locked.sent_to_board_on = sent_on
    locked.version += 1
    # The kept report is the one sent; it belongs to the new version too.
    locked.report_version = locked.version
    locked.full_clean()
    locked.save()
    return locked
