"""The plan as a document: an HTML preview and the PDF download."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from budgets.selectors import plan_queryset
from federations.access import get_plan_for_user
from reports.pdf import pdf_filename
from reports.services import plan_pdf, plan_preview_html

logger = logging.getLogger(__name__)

# The service is busy or broken for the moment; the user may try again later.
UNAVAILABLE = 503


@login_required
def plan_pdf_download(request, pk):
    # Only the plan row at first: a kept PDF is served without loading the rest.
    plan = get_plan_for_user(request, pk)
    try:
        pdf = plan_pdf(plan=plan)
    except Exception:
        logger.exception("rendering the PDF of plan %s failed", plan.pk)
        return _unavailable(request, plan)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = pdf_filename(plan.federation.slug, plan.year, plan.revision)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(pdf))
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
        return _unavailable(request, plan)
    return HttpResponse(html)


def _unavailable(request, plan):
    return render(request, "reports/unavailable.html", {"plan": plan}, status=UNAVAILABLE)
