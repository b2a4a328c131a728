"""The plan's PDF for a stored plan: drafts are rendered every time, an adopted plan
once, then served from `RenderedPlan`."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from budgets.models import Plan
from budgets.selectors import plan_overview, plan_queryset
from reports.models import RenderedPlan
from reports.pdf import PlanReport, render_html, render_pdf, report_for_overview


def plan_report(plan: Plan) -> PlanReport:
    """The report of a stored plan; pass a plan from `plan_queryset()` to keep the query count fixed."""
    overview = plan_overview(plan)
    return report_for_overview(overview, bands=overview.shared.bands, revision=plan.revision)


def stored_pdf(plan: Plan) -> bytes | None:
    """The kept PDF of an adopted plan, if there is one for its current version."""
    if not plan.is_adopted:
        return None
    pdf = (
        RenderedPlan.objects.filter(plan_id=plan.pk, plan_version=plan.version)
        .values_list("pdf", flat=True)
        .first()
    )
    return bytes(pdf) if pdf is not None else None


def plan_pdf(*, plan: Plan) -> bytes:
    """The plan as PDF bytes. An adopted plan is rendered once and kept; a draft is
    rendered fresh, since it may change at any moment."""
    pdf = stored_pdf(plan)
    if pdf is not None:
        return pdf
    if not plan.is_adopted:
        return render_pdf(plan_report(plan_queryset().get(pk=plan.pk)))
    # One render per adopted plan: when many board members open a newly adopted plan at
    # once, the first renders under the plan's row lock and the others wait and get its copy,
    # instead of each rendering the same pages. (SQLite has no row locks; it serialises the
    # writes that keep the copy, and a second copy is harmless.)
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).exists()
        pdf = stored_pdf(plan)
        if pdf is None:
            pdf = render_pdf(plan_report(plan_queryset().get(pk=plan.pk)))
            _keep(plan, pdf)
    return pdf


def _keep(plan: Plan, pdf: bytes) -> None:
    try:
        with transaction.atomic():
            RenderedPlan.objects.update_or_create(plan=plan, defaults={"pdf": pdf, "plan_version": plan.version})
    except IntegrityError:
        # Another request kept the same plan's PDF at the same moment; either copy will do.
        pass


def plan_preview_html(*, plan: Plan, plan_url: str, pdf_url: str) -> str:
    """The print document as a web page, with a link back and a download link."""
    return render_html(plan_report(plan), preview=True, extra={"plan_url": plan_url, "pdf_url": pdf_url})
