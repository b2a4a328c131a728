"""Reads for the comparison of two versions of a federation's plan."""

from __future__ import annotations

from django.utils.translation import gettext as _

from budgets.models import Plan
from budgets.selectors import plan_documents, plan_queryset
from compare.diff import PlanComparison, compare_documents


def plan_versions(plan: Plan) -> list[Plan]:
    """The other plans of the plan's federation, newest year and revision first, with what
    `federations.access.readable_plans` needs to leave out those the user may not read
    (a board member does not read a draft before it is sent to the board)."""
    return list(
        plan_queryset()
        .filter(federation_id=plan.federation_id)
        .exclude(pk=plan.pk)
        .prefetch_related("federation__roles", "sendings")
        .order_by("-year", "-revision")
    )


def default_base(plan: Plan, versions: list[Plan]) -> Plan | None:
    """What a plan is most naturally compared with: the revision it was made from, else the
    newest earlier revision of its year, else the newest revision of the year before
    (the plan it was rolled forward from)."""
    same_year = [other for other in versions if other.year == plan.year and other.revision < plan.revision]
    for other in same_year:
        if plan.revises is not None and other.revision == plan.revises:
            return other
    if same_year:
        return same_year[0]
    last_year = [other for other in versions if other.year == plan.year - 1]
    return last_year[0] if last_year else None


def version_label(plan: Plan) -> str:
    """"2025, revision 2 (fastställd 2025-11-20)", "2026 (utkast)"."""
    label = str(plan.year)
    if plan.revision > 1:
        label = _("%(year)s, revision %(revision)s") % {"year": plan.year, "revision": plan.revision}
    if plan.is_adopted:
        adopted = plan.adopted_on.isoformat() if plan.adopted_on else ""
        return _("%(label)s (fastställd %(date)s)") % {"label": label, "date": adopted} if adopted else _(
            "%(label)s (fastställd)"
        ) % {"label": label}
    return _("%(label)s (utkast)") % {"label": label}


def plan_comparison(plan: Plan, base: Plan) -> PlanComparison:
    """What changed from `base` to `plan`, both from `plan_queryset()`; the query count is fixed."""
    base_document, document = plan_documents([base, plan])
    return compare_documents(base_document, document)
