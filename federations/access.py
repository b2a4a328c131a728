"""Who may see and change which plans.

A federation's chief edits its plans; its board members read them once adopted,
and a draft once the chief has sent it to the board (or to the members'
consultation); a member contact reads a draft sent to the consultation and the
adopted plans; accountants (staff) read every plan and correct data in the admin;
superusers may do everything. Anyone else is told the plan does not exist, and so
is a board member about a draft not yet sent.

Who holds which role is decided by administrators only: superusers and the
members of the group ADMINISTRATORS_GROUP. A Django permission on Role is not
enough, so that an accountant whose group was given every permission of the
federations app still cannot make itself the chief of a federation.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from board.models import SendingKind
from budgets.models import Plan
from federations.models import Federation, Role

READ = "read"
WRITE = "write"
# Commenting a plan: its board members and member contacts, while it may be read and is a draft.
COMMENT = "comment"


def get_plan_for_follow_up(request, pk: int, *, write: bool = False, queryset=None) -> Plan:
    """An adopted plan whose year the user may follow up: its chief records outcome,
    forecasts and comments (`write`); its board members and accountants read them.

    Raises Http404 as `get_plan_for_user` does, and for a plan that is not adopted
    (a draft has no year to follow up); PermissionDenied (403) for a reader who writes.
    The adopted plan itself stays unchanged: a follow-up only refers to it.
    """
    queryset = queryset if queryset is not None else Plan.objects.select_related("federation")
    plan = get_object_or_404(queryset.prefetch_related("federation__roles"), pk=pk)
    permission = federation_permission(request.user, plan.federation)
    if permission is None:
        raise Http404(_("Planen finns inte."))
    if not plan.is_adopted:
        raise Http404(_("Bara en fastställd plan följs upp."))
    if write and permission != WRITE:
        raise PermissionDenied(_("Du kan läsa uppföljningen men inte ändra den."))
    plan.permission = permission
    return plan


def get_federation_for_user(request, slug: str, *, manage: bool = False) -> Federation:
    """The federation if the user may work with it: its chief may start and import plans,
    an administrator may also manage its people (`manage`).

    Raises Http404 for a federation the user has nothing to do with and
    PermissionDenied (403) for its board members, and for its chief when `manage`.
    """
    federation = get_object_or_404(Federation.objects.prefetch_related("roles"), slug=slug)
    if is_administrator(request.user):
        return federation
    permission = federation_permission(request.user, federation)
    if permission is None:
        raise Http404(_("Förbundet finns inte."))
    if manage or permission != WRITE:
        raise PermissionDenied(_("Bara en administratör kan ändra vilka som har roller i förbundet."))
    return federation


# Members of this group manage federations and people's roles in them, as superusers do;
# accountants (staff) never do.
ADMINISTRATORS_GROUP = "Administratörer"


def is_administrator(user) -> bool:
    """Whether the user may decide who edits which federation (roles, accounts, groups)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=ADMINISTRATORS_GROUP).exists()


# Members of this group (Nationella rådet, Försäkringskassan's follow-up) read the national
# overview of every federation that shows its plans there; administrators do too.
NATIONAL_GROUP = "Nationell nivå"


def is_national_reader(user) -> bool:
    """Whether the user may read the national overview."""
    if not (user.is_authenticated and user.is_active):
        return False
    return is_administrator(user) or user.groups.filter(name=NATIONAL_GROUP).exists()


def federations_for_user(user) -> QuerySet[Federation]:
    if not user.is_authenticated:
        return Federation.objects.none()
    if user.is_superuser or user.is_staff:
        return Federation.objects.all()
    return Federation.objects.filter(roles__user=user).distinct()


def federation_permission(user, federation: Federation) -> str | None:
    """WRITE, READ or None for a user and a federation (its adopted plans, its follow-ups).
    A member contact has no standing in the federation as such: see `plan_permission`."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return WRITE
    kinds = {role.kind for role in federation.roles.all() if role.user_id == user.pk}
    if Role.Kind.CHIEF in kinds:
        return WRITE
    if Role.Kind.BOARD in kinds or user.is_staff:
        return READ
    return None


def _role_kinds(user, federation: Federation) -> set[str]:
    return {role.kind for role in federation.roles.all() if role.user_id == user.pk}


def _sent_kinds(plan: Plan) -> set[str]:
    return {sending.kind for sending in plan.sendings.all()}


def plan_permission(user, plan: Plan) -> str | None:
    """WRITE, READ or None for a user and one plan: a draft is read by the board only once
    sent to it (or to the members' consultation), by member contacts only once sent to
    the consultation. Prefetch `federation__roles` and `sendings` for a list of plans."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return WRITE
    kinds = _role_kinds(user, plan.federation)
    if Role.Kind.CHIEF in kinds:
        return WRITE
    if user.is_staff:
        return READ
    if Role.Kind.BOARD in kinds and (plan.is_adopted or _sent_kinds(plan)):
        return READ
    if Role.Kind.MEMBER_CONTACT in kinds and (
        plan.is_adopted or SendingKind.CONSULTATION in _sent_kinds(plan)
    ):
        return READ
    return None


def may_comment(user, plan: Plan) -> bool:
    """Whether the user may start a comment on the plan: a draft its board was sent (its
    board members) or its consultation was sent (its member contacts)."""
    if plan.is_adopted or not user.is_authenticated:
        return False
    kinds = _role_kinds(user, plan.federation)
    sent = _sent_kinds(plan)
    return (Role.Kind.BOARD in kinds and bool(sent)) or (
        Role.Kind.MEMBER_CONTACT in kinds and SendingKind.CONSULTATION in sent
    )


def readable_plans(user, plans) -> list[Plan]:
    """The plans of `plans` the user may read (see `plan_permission`)."""
    return [plan for plan in plans if plan_permission(user, plan) is not None]


def get_plan_for_comment(request, pk: int, *, action: str = READ) -> Plan:
    """The plan whose comments the user reads (READ), comments (COMMENT: a board member
    or a member contact of a sent draft) or answers, resolves and reopens (WRITE: its chief).

    Raises Http404 as `get_plan_for_user` does; PermissionDenied (403) for a reader who may
    not do the action, and for any change to the comments of an adopted plan, which are
    kept read-only with it."""
    plan = get_plan_for_user(request, pk)
    if action == READ:
        return plan
    if plan.is_adopted:
        raise PermissionDenied(_("Planen är fastställd; kommentarerna sparas som de är och kan inte ändras."))
    if action == COMMENT and not may_comment(request.user, plan):
        raise PermissionDenied(_("Du kan läsa kommentarerna men inte skriva nya."))
    if action == WRITE and plan.permission != WRITE:
        raise PermissionDenied(_("Bara förbundschefen svarar på, löser och öppnar kommentarer."))
    return plan


def get_plan_for_sending(request, pk: int) -> Plan:
    """A draft its chief may send to the board or the members' consultation."""
    return get_plan_for_user(request, pk, write=True)


def get_plan_for_user(request, pk: int, *, write: bool = False, queryset=None) -> Plan:
    """The plan if the user may see it (and change it, with `write`).

    Raises Http404 for a plan of a federation the user has nothing to do with,
    so that its existence is not revealed, and PermissionDenied (403) for a
    reader who tries to write or for a change to an adopted plan.
    """
    queryset = queryset if queryset is not None else Plan.objects.select_related("federation")
    plan = get_object_or_404(queryset.prefetch_related("federation__roles", "sendings"), pk=pk)
    permission = plan_permission(request.user, plan)
    if permission is None:
        raise Http404(_("Planen finns inte."))
    if write:
        if permission != WRITE:
            raise PermissionDenied(_("Du kan läsa planen men inte ändra den."))
        if plan.is_adopted:
            raise PermissionDenied(
                _("Planen är fastställd och kan inte ändras. Gör en ny revision för att ändra den.")
            )
    plan.permission = permission
    return plan
