"""The plan as a document: an HTML preview and the PDF download.

The download never renders: it serves the PDF kept for the plan's version, or asks the task
worker for it and answers a page that says the document is being made and updates itself."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from budgets.selectors import plan_queryset
from federations.access import get_plan_for_user
from reports.models import RenderedPlan
from reports.pdf import pdf_filename
from reports.services import plan_preview_html, request_pdf

logger = logging.getLogger(__name__)

# The service is busy or broken for the moment; the user may try again later.
UNAVAILABLE = 503
# The document is being made; the page says so.
ACCEPTED = 202
# How often the waiting page asks whether the document is ready.
POLL_SECONDS = 2


@login_required
def plan_pdf_download(request, pk):
    # Only the plan row: a kept PDF is served without loading the rest.
    plan = get_plan_for_user(request, pk)
    rendered = request_pdf(plan)
    if rendered.status == RenderedPlan.Status.READY:
        return _pdf_response(plan, rendered)
    status = ACCEPTED if rendered.status == RenderedPlan.Status.PENDING else UNAVAILABLE
    return render(request, "reports/pdf_waiting.html", _status_context(plan, rendered), status=status)


@login_required
def plan_pdf_status(request, pk):
    """The waiting page's status box, asked for every few seconds by htmx."""
    plan = get_plan_for_user(request, pk)
    rendered = request_pdf(plan)
    return render(request, "reports/_pdf_status.html", _status_context(plan, rendered))


@login_required
def plan_pdf_retry(request, pk):
    plan = get_plan_for_user(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    request_pdf(plan, retry=True)
    return redirect("reports:pdf", pk=plan.pk)


def _status_context(plan, rendered):
    return {"plan": plan, "rendered": rendered, "poll_seconds": POLL_SECONDS}


def _pdf_response(plan, rendered):
    response = FileResponse(
        rendered.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=pdf_filename(plan.federation.slug, plan.year, plan.revision),
    )
    # A draft changes; the browser asks again rather than showing a copy it kept.
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
def plan_preview(request, pk):
    plan = get_plan_for_user(request, pk, queryset=plan_queryset())
    try:
        html = plan_preview_html(
            plan=plan,
            plan_url=reverse("budgets:plan", args=[plan.pk]),
            pdf_url=reverse("reports:pdf", args=[plan.pk]),
        )
    except Exception:
        logger.exception("rendering the preview of plan %s failed", plan.pk)
        return render(request, "reports/unavailable.html", {"plan": plan}, status=UNAVAILABLE)
    return HttpResponse(html)
