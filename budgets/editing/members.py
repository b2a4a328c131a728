"""The plan's members: the list with a form to add one, a member's own page, and removing one."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.layout import Div
from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.editing.base import (
    Deletion,
    EditRefused,
    FractionField,
    CountField,
    delete_row,
    edit_view,
    next_order,
    plan_record_change,
    render_edit_page,
    save_row,
    submit_edit,
    unique_slug,
)
from budgets.editing.forms import crispy_helper
from budgets.models import BudgetLine, LineAmount, Plan
from federations.models import Member
from finsam.forms import format_decimal
from interventions.models import Intervention

# ---------------------------------------------------------------------------
# The form


def format_as_typed(value: Decimal | None, places: int | None) -> str:
    """A key share as it was typed: 0,50 keeps its two decimals."""
    if value is None:
        return ""
    if places is None:
        return format_decimal(value)
    return format(value.quantize(Decimal(1).scaleb(-places)), "f").replace(".", ",")


class MemberForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Slag"), choices=Member.Kind.choices)
    population = CountField(
        label=gettext_lazy("Folkmängd"), min_value=0, max_value=10_000_000, required=False,
        help_text=gettext_lazy("Används när kommunerna fördelar efter folkmängd."),
        error_messages={"invalid": gettext_lazy("Ange folkmängden som ett heltal, t.ex. 12 500.")},
    )
    key_share = FractionField(
        label=gettext_lazy("Andel av kommunernas fjärdedel"),
        places=6,
        help_text=gettext_lazy("Som bråktal med decimalkomma, t.ex. 0,16 för 16 %. Bara för kommuner."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_share"].error_messages["invalid"] = gettext_lazy("Ange andelen som bråktal med decimalkomma, t.ex. 0,16.")
        self.helper = crispy_helper(
            Div(Div("name", css_class="col-md-6"), Div("kind", css_class="col-md-6"), css_class="row"),
            Div(Div("population", css_class="col-md-6"), Div("key_share", css_class="col-md-6"), css_class="row"),
        )

    @classmethod
    def initial_for(cls, member: Member) -> dict:
        return {
            "name": member.name,
            "kind": member.kind,
            "population": member.population,
            "key_share": format_as_typed(member.key_share, member.key_share_places),
        }

    def clean(self):
        cleaned_data = super().clean()
        share = cleaned_data.get("key_share")
        if share is not None and cleaned_data.get("kind") not in (None, Member.Kind.MUNICIPALITY):
            self.add_error("key_share", gettext_lazy("Bara kommuner har en andel i kommunernas fördelningsnyckel."))
        # The key is checked to the precision it is typed with: "0,50" has two decimals.
        cleaned_data["key_share_places"] = max(0, -share.as_tuple().exponent) if share is not None else None
        return cleaned_data


# ---------------------------------------------------------------------------
# Services


MEMBER_FIELDS = ("name", "kind", "population", "key_share", "key_share_places")


def _refuse_duplicate_member(plan: Plan, name: str, member: Member | None = None) -> None:
    others = plan.members.filter(name__iexact=name.strip())
    if member is not None:
        others = others.exclude(pk=member.pk)
    if others.exists():
        raise EditRefused(_("Planen har redan en medlem som heter %(name)s.") % {"name": name})


@transaction.atomic
def member_create(*, plan: Plan, values: dict, acting_user, seen_version: int | None) -> Member:
    plan_record_change(plan=plan, seen_version=seen_version)
    _refuse_duplicate_member(plan, values["name"])
    member = Member(
        plan=plan,
        slug=unique_slug(values["name"], plan.members.values_list("slug", flat=True), fallback="medlem", max_length=60),
        order=next_order(plan.members.all()),
        **{name: values[name] for name in MEMBER_FIELDS},
    )
    save_row(member, acting_user)
    return member


@transaction.atomic
def member_update(*, plan: Plan, member: Member, values: dict, acting_user, seen_version: int | None) -> Member:
    plan_record_change(plan=plan, seen_version=seen_version)
    _refuse_duplicate_member(plan, values["name"], member)
    for name in MEMBER_FIELDS:
        setattr(member, name, values[name])
    save_row(member, acting_user)
    return member


def member_dependencies(member: Member) -> list[str]:
    """Why the member cannot be removed as things stand, in Swedish; empty when it can."""
    reasons = []
    columns = (
        LineAmount.objects.filter(line__member=member, line__section=BudgetLine.Section.CONTRIBUTION)
        .values_list("column_id", flat=True)
        .distinct()
        .count()
    )
    if columns:
        reasons.append(
            _("Medlemmen har medlemsbidrag i %(count)s kolumner. Töm bidragen under Medlemsbidrag.")
            % {"count": columns}
        )
    party_of = list(member.interventions.values_list("name", flat=True))
    if party_of:
        reasons.append(
            _("Medlemmen är part i %(names)s. Ta bort den som part under Insatser.") % {"names": ", ".join(party_of)}
        )
    owner_of = list(member.owned_interventions.values_list("name", flat=True))
    if owner_of:
        reasons.append(
            _("Medlemmen äger %(names)s. Välj en annan ägare under Insatser.") % {"names": ", ".join(owner_of)}
        )
    allocated = list(
        Intervention.objects.filter(allocations__member=member).values_list("name", flat=True).distinct()
    )
    if allocated:
        reasons.append(
            _("Medlemmen har en andel i fördelningen av %(names)s. Töm andelen under Insatser.")
            % {"names": ", ".join(allocated)}
        )
    return reasons


@transaction.atomic
def member_delete(*, plan: Plan, member: Member, acting_user, seen_version: int | None) -> None:
    """Remove a member that has no contributions and takes no part in any intervention.

    Refused otherwise (EditRefused): a cascade would silently drop money from
    the budget or parties from interventions.
    """
    plan_record_change(plan=plan, seen_version=seen_version)
    reasons = member_dependencies(member)
    if reasons:
        raise EditRefused(" ".join(reasons))
    for line in member.contributions.all():
        delete_row(line, acting_user)
    delete_row(member, acting_user)


# ---------------------------------------------------------------------------
# Pages


def _members_page(request, plan, *, status=200, stale=False, form=None):
    return render_edit_page(
        request,
        plan,
        "budgets/edit/members.html",
        {"members": plan.members.all(), "form": form or MemberForm(initial={"kind": "municipality"})},
        section="members",
        status=status,
        stale=stale,
    )


@edit_view("GET", "POST")
def members(request, plan):
    if request.method == "POST":
        return submit_edit(
            request,
            plan,
            form=MemberForm(request.POST),
            write=lambda data, seen: member_create(
                plan=plan, values=data, acting_user=request.user, seen_version=seen
            ),
            success=lambda member: _("%(name)s är tillagd som medlem.") % {"name": member.name},
            redirect_to=reverse("edit:members", args=[plan.pk]),
            page=lambda plan, **kwargs: _members_page(request, plan, **kwargs),
        )
    return _members_page(request, plan)


@edit_view("GET", "POST")
def member_edit(request, plan, member_pk):
    member = get_object_or_404(plan.members.all(), pk=member_pk)

    def page(plan, status=200, stale=False, form=None):
        current = get_object_or_404(plan.members.all(), pk=member_pk)
        form = form or MemberForm(initial=MemberForm.initial_for(current))
        return render_edit_page(
            request,
            plan,
            "budgets/edit/member.html",
            {"member": current, "form": form},
            section="members",
            status=status,
            stale=stale,
        )

    if request.method == "POST":
        return submit_edit(
            request,
            plan,
            form=MemberForm(request.POST),
            write=lambda data, seen: member_update(
                plan=plan, member=member, values=data, acting_user=request.user, seen_version=seen
            ),
            success=lambda member: _("%(name)s är sparad.") % {"name": member.name},
            redirect_to=reverse("edit:members", args=[plan.pk]),
            page=page,
        )
    return page(plan)


def _members_url(plan, member=None) -> str:
    return reverse("edit:members", args=[plan.pk])


DELETION = Deletion(
    section="members",
    pk_url_kwarg="member_pk",
    find=lambda plan, pk: get_object_or_404(plan.members.all(), pk=pk),
    name=lambda member: member.name,
    title=gettext_lazy("Ta bort medlem"),
    question=lambda member: _("Ta bort %(name)s ur planen?") % {"name": member.name},
    delete=lambda *, obj, **kwargs: member_delete(member=obj, **kwargs),
    done=gettext_lazy("%(name)s är borttagen ur planen."),
    back=_members_url,
    blocked=member_dependencies,
)
