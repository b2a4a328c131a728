"""The appendix "Ändringar sedan …" as a PDF: like the plan's PDF (`reports.services`),
rendered by the task worker, never in a web request, and kept per pair of plan versions."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from budgets.models import Plan
from budgets.selectors import plan_queryset
from compare.diff import ADDED, CHANGED, REMOVED
from compare.models import RenderedChanges
from compare.selectors import plan_comparison, version_label
from reports.pdf import LANGUAGE
from reports.weasy import html_to_pdf
from reports.services import LOST_AFTER_RENDER_LIMITS, render_isolated

logger = logging.getLogger(__name__)


def changes_filename(plan: Plan, base: Plan) -> str:
    """andringar-sodra-vatterbygden-2026-sedan-2025.pdf (…-revision-2… for later revisions)."""

    def name(one: Plan) -> str:
        return f"{one.year}-revision-{one.revision}" if one.revision > 1 else str(one.year)

    return f"andringar-{plan.federation.slug}-{name(plan)}-sedan-{name(base)}.pdf"


# ---------------------------------------------------------------------------
# The web side: ask for the appendix, never render it


def request_changes_pdf(plan: Plan, base: Plan, *, retry: bool = False) -> RenderedChanges:
    """The appendix of the plans' current versions: ready, being rendered, or failed.
    Asks the worker as `reports.services.request_pdf` does."""
    now = timezone.now()
    rendered, created = RenderedChanges.objects.get_or_create(
        plan_id=plan.pk,
        plan_version=plan.version,
        base_id=base.pk,
        base_version=base.version,
        defaults={"requested_at": now},
    )
    if created:
        _enqueue(rendered)
    else:
        lost_before = now - timedelta(seconds=settings.PDF_RENDER_SECONDS * LOST_AFTER_RENDER_LIMITS)
        again = (rendered.status == RenderedChanges.Status.FAILED and retry) or (
            rendered.status == RenderedChanges.Status.PENDING and rendered.requested_at < lost_before
        )
        if again and RenderedChanges.objects.filter(
            pk=rendered.pk, status=rendered.status, requested_at=rendered.requested_at
        ).update(status=RenderedChanges.Status.PENDING, requested_at=now):
            _enqueue(rendered)
    rendered.refresh_from_db()
    return rendered


def _enqueue(rendered: RenderedChanges) -> None:
    from compare.tasks import render_changes_pdf

    render_changes_pdf.enqueue(rendered.pk)


# ---------------------------------------------------------------------------
# The worker side


def changes_html(plan: Plan, base: Plan) -> str:
    """The appendix as the print document's HTML, with the plan PDF's stylesheet."""
    with translation.override(LANGUAGE):
        comparison = plan_comparison(plan, base)
        return render_to_string(
            "compare/pdf/changes.html",
            {
                "plan": plan,
                "plan_label": version_label(plan),
                "base_label": version_label(base),
                "federation_name": plan.federation_profile.name,
                "comparison": comparison,
                "ADDED": ADDED,
                "CHANGED": CHANGED,
                "REMOVED": REMOVED,
            },
        )


def render_changes(html: str) -> bytes:
    """The appendix as PDF bytes, rendered in this process (the worker renders it in a
    process of its own)."""
    return html_to_pdf(html)


def render_kept_changes(rendered_id: int) -> None:
    """Render one requested appendix and keep it; on failure mark it failed."""
    rendered = RenderedChanges.objects.filter(pk=rendered_id).first()
    if rendered is None or rendered.status == RenderedChanges.Status.READY:
        return
    plans = {plan.pk: plan for plan in plan_queryset().filter(pk__in=[rendered.plan_id, rendered.base_id])}
    plan, base = plans.get(rendered.plan_id), plans.get(rendered.base_id)
    if plan is None or base is None:
        return
    if plan.version != rendered.plan_version or base.version != rendered.base_version:
        # Changed since it was asked for: the next download asks for the new versions.
        rendered.delete()
        return
    try:
        html = changes_html(plan, base)
        pdf = render_isolated(html) if settings.PDF_RENDER_IN_CHILD else render_changes(html)
    except Exception:
        logger.exception("rendering the changes of plan %s since plan %s failed", plan.pk, base.pk)
        RenderedChanges.objects.filter(pk=rendered.pk).update(status=RenderedChanges.Status.FAILED)
        return
    rendered.pdf.save(
        f"changes-{plan.pk}-{plan.version}-since-{base.pk}-{base.version}.pdf", ContentFile(pdf), save=False
    )
    rendered.status = RenderedChanges.Status.READY
    rendered.rendered_at = timezone.now()
    rendered.save()
    for older in RenderedChanges.objects.filter(plan_id=plan.pk, base_id=base.pk).exclude(pk=rendered.pk):
        if older.pdf:
            older.pdf.delete(save=False)
        older.delete()
