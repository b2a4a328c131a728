"""What changed between two versions of a federation's plan.

Both plans are reached through `federations.access.get_plan_for_user`: an outsider is
told neither exists, and a plan of another federation named as the one to compare with
is not found either."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _

from budgets.selectors import plan_queryset
from compare.diff import ADDED, CHANGED, REMOVED
from compare.selectors import default_base, plan_comparison, plan_versions, version_label
from federations.access import get_plan_for_user

# The query parameter that names the version to compare with.
BASE_PARAMETER = "mot"


def _base_pk(request) -> int | None:
    value = request.GET.get(BASE_PARAMETER)
    if value in (None, ""):
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404(_("Den plan du vill jämföra med finns inte."))
    return int(value)


@login_required
def plan_changes(request, pk):
    plan = get_plan_for_user(request, pk, queryset=plan_queryset())
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    versions = plan_versions(plan)
    base_pk = _base_pk(request)
    if base_pk is None:
        base = default_base(plan, versions)
    else:
        base = get_plan_for_user(request, base_pk, queryset=plan_queryset())
        if base.federation_id != plan.federation_id:
            raise Http404(_("Den plan du vill jämföra med finns inte."))
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
