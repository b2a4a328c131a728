"""What changed between two versions of a federation's plan.

Both plans are reached through `federations.access.get_plan_for_user`: an outsider is
told neither exists, and a plan of another federation named as the one to compare with
is not found either."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from budgets.selectors import plan_queryset
from compare.diff import ADDED, CHANGED, REMOVED
from compare.models import RenderedChanges
from compare.selectors import default_base, plan_comparison, plan_versions, version_label
from compare.services import changes_filename, request_changes_pdf
from federations.access import get_plan_for_user, readable_plans

# The query parameter that names the version to compare with.
BASE_PARAMETER = "mot"
# The appendix is being made; the page says so.
ACCEPTED = 202
# The renderer failed; the page offers to try again.
UNAVAILABLE = 503
# How often the waiting page asks whether the appendix is ready.
POLL_SECONDS = 2


def _base_pk(request) -> int | None:
    value = request.GET.get(BASE_PARAMETER)
    if value in (None, ""):
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404(_("Den plan du vill jämföra med finns inte."))
    return int(value)


def _plans(request, pk):
    """The plan, the other versions of its federation's plan, and the one to compare with
    (named by `mot`, else the natural one; None when there is none)."""
    plan = get_plan_for_user(request, pk, queryset=plan_queryset())
    # Only the versions the user may read: a board member is not told of a draft not sent.
    versions = readable_plans(request.user, plan_versions(plan))
    base_pk = _base_pk(request)
    if base_pk is None:
        return plan, versions, default_base(plan, versions)
    base = get_plan_for_user(request, base_pk, queryset=plan_queryset())
    if base.federation_id != plan.federation_id:
        raise Http404(_("Den plan du vill jämföra med finns inte."))
    return plan, versions, base


@login_required
def plan_changes(request, pk):
    plan, versions, base = _plans(request, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    comparison = plan_comparison(plan, base) if base is not None else None
    return render(
        request,
        "compare/changes.html",
        {
            "plan": plan,
            "plan_label": version_label(plan),
            "base": base,
            "base_label": version_label(base) if base is not None else "",
            "versions": [(other, version_label(other)) for other in versions],
            "comparison": comparison,
            "ADDED": ADDED,
            "CHANGED": CHANGED,
            "REMOVED": REMOVED,
        },
    )


def _appendix_plans(request, pk):
    plan, _versions, base = _plans(request, pk)
    if base is None:
        raise Http404(_("Förbundet har ingen annan version av planen att jämföra med."))
    return plan, base


def _status_context(plan, base, rendered):
    query = f"?{BASE_PARAMETER}={base.pk}"
    return {
        "plan": plan,
        "base_label": version_label(base),
        "rendered": rendered,
        "poll_seconds": POLL_SECONDS,
        "pdf_url": reverse("compare:pdf", args=[plan.pk]) + query,
        "status_url": reverse("compare:pdf_status", args=[plan.pk]) + query,
        "changes_url": reverse("compare:changes", args=[plan.pk]) + query,
    }


@login_required
def plan_changes_pdf(request, pk):
    """The appendix as a PDF: served when kept, else asked of the worker with a page that
    says it is being made. A POST asks again after a failure."""
    plan, base = _appendix_plans(request, pk)
    if request.method == "POST":
        request_changes_pdf(plan, base, retry=True)
        return redirect(_status_context(plan, base, None)["pdf_url"])
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    rendered = request_changes_pdf(plan, base)
    if rendered.status == RenderedChanges.Status.READY:
        response = FileResponse(
            rendered.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=changes_filename(plan, base),
        )
        patch_cache_control(response, private=True, no_cache=True)
        return response
    status = ACCEPTED if rendered.status == RenderedChanges.Status.PENDING else UNAVAILABLE
    return render(request, "compare/pdf_waiting.html", _status_context(plan, base, rendered), status=status)


@login_required
def plan_changes_pdf_status(request, pk):
    """The waiting page's status box, asked for every few seconds by htmx."""
    plan, base = _appendix_plans(request, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    rendered = request_changes_pdf(plan, base)
    return render(request, "compare/_pdf_status.html", _status_context(plan, base, rendered))
