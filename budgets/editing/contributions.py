"""The members' contributions per column, with the party subtotals and the municipal-key
helper that fills in the municipalities' part of one column."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets import keys
from budgets.editing.base import (
    EditRefused,
    column_title,
    edit_view,
    plan_record_change,
    render_edit_page,
    save_row,
    set_amount,
    submit_edit,
    unique_slug,
)
from budgets.editing.forms import GridForm, StyledForm
from budgets.models import BudgetLine, Column, LineAmount, Plan
from budgets.selectors import plan_overview
from budgets.table import PARTY_LABELS
from budgets.totals import PARTIES
from federations.models import Member
from finsam.forms import AmountField
from finsam.lib.formatting import format_amount


def key_members(members) -> list[keys.KeyMember]:
    """The municipalities among `members`, as the municipal key reads them."""
    return [
        keys.KeyMember(id=member.pk, name=member.name, population=member.population, key_share=member.key_share)
        for member in members
        if member.kind == Member.Kind.MUNICIPALITY
    ]


# ---------------------------------------------------------------------------
# Forms


class ContributionsForm(GridForm):
    """One row per member, one amount per column."""

    def row_label(self, member: Member) -> str:
        return member.name


class KeyFillForm(StyledForm):
    column = forms.TypedChoiceField(label=gettext_lazy("Kolumn"), coerce=int)
    key = forms.ChoiceField(
        label=gettext_lazy("Fördela efter"),
        widget=forms.RadioSelect,
        choices=[
            (keys.FIXED, gettext_lazy("fasta andelar (kommunernas andel i nyckeln)")),
            (keys.POPULATION, gettext_lazy("folkmängd")),
            (keys.EQUAL, gettext_lazy("lika delar")),
        ],
    )
    total = AmountField(
        label=gettext_lazy("Kommunernas totala belopp"),
        required=False,
        widget=forms.TextInput(attrs={"size": 14}),
    )

    def __init__(self, *args, plan: Plan, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [(column.pk, column_title(column)) for column in columns]
        self.fields["total"].help_text = gettext_lazy(
            "I hela %(unit)s. Tomt: det belopp som gör kommunerna till en fjärdedel av bidragen, "
            "dvs. en tredjedel av vad staten och regionen betalar."
        ) % {"unit": gettext_lazy("kronor") if plan.unit == Plan.Unit.SEK else "tkr"}
        self.unit = plan.unit
        if not self.is_bound:
            municipalities = key_members(plan.members.all())
            self.initial.setdefault("key", keys.default_key(plan.municipal_key, municipalities))
            budget = next((column for column in columns if column.year == plan.year and column.kind == Column.Kind.BUDGET), None)
            if budget is not None:
                self.initial.setdefault("column", budget.pk)

    def clean_total(self):
        total = self.cleaned_data["total"]
        if total is not None and total != total.to_integral_value():
            raise ValidationError(
                gettext_lazy("Ange totalen i hela %(unit)s; beloppen avrundas till hela %(unit)s.")
                % {"unit": gettext_lazy("kronor") if self.unit == Plan.Unit.SEK else "tkr"}
            )
        return total


# ---------------------------------------------------------------------------
# Services


def _contribution_lines(plan: Plan) -> dict[int, BudgetLine]:
    return {
        line.member_id: line
        for line in plan.lines.filter(section=BudgetLine.Section.CONTRIBUTION).prefetch_related("amounts")
    }


def _contribution_line(plan: Plan, member: Member, lines: dict[int, BudgetLine], acting_user) -> BudgetLine:
    line = lines.get(member.pk)
    if line is None:
        taken = plan.lines.filter(section=BudgetLine.Section.CONTRIBUTION).values_list("slug", flat=True)
        line = BudgetLine(
            plan=plan,
            section=BudgetLine.Section.CONTRIBUTION,
            slug=unique_slug(member.slug, taken, fallback="medlem"),
            member=member,
            order=member.order,
        )
        save_row(line, acting_user)
        lines[member.pk] = line
    return line


@transaction.atomic
def contributions_update(
    *, plan: Plan, amounts: dict[int, dict[int, Decimal | None]], acting_user, seen_version: int | None
) -> int:
    """Members' contributions per column ({member id: {column id: amount or None}}).

    A member without a contribution line gets one when an amount is given.
    Returns how many cells changed.
    """
    plan_record_change(plan=plan, seen_version=seen_version)
    members = {member.pk: member for member in plan.members.all()}
    columns = {column.pk: column for column in plan.columns.all()}
    lines = _contribution_lines(plan)
    changed = 0
    for member_id, by_column in amounts.items():
        member = members[member_id]
        line = lines.get(member_id)
        existing = {amount.column_id: amount for amount in line.amounts.all()} if line else {}
        for column_id, amount in by_column.items():
            if amount is None and column_id not in existing:
                continue
            line = _contribution_line(plan, member, lines, acting_user)
            changed += set_amount(
                line=line, column=columns[column_id], amount=amount, existing=existing.get(column_id), acting_user=acting_user
            )
    return changed


@dataclass
class KeyFill:
    """What the key helper wrote: the total it split and each municipality's amount."""

    column: Column
    key: str
    total: Decimal
    amounts: dict[Member, Decimal] = field(default_factory=dict)
    shares_sum: Decimal | None = None


def municipalities_total_default(plan: Plan, column: Column) -> Decimal | None:
    """The municipalities' total that makes them a quarter, from what the others pay in the column."""
    others = LineAmount.objects.filter(
        column=column, line__section=BudgetLine.Section.CONTRIBUTION
    ).exclude(line__member__kind=Member.Kind.MUNICIPALITY)
    paid = sum(others.values_list("amount", flat=True), Decimal(0))
    if not paid:
        return None
    return keys.municipal_total_default(paid)


@transaction.atomic
def contributions_fill_from_key(
    *, plan: Plan, column: Column, key: str, total: Decimal | None, acting_user, seen_version: int | None
) -> KeyFill:
    """Fill in the municipalities' contributions in one column from the municipal key.

    Without a `total`, the municipalities pay the amount that makes them a
    quarter of the column's contributions. Amounts are whole units of the
    plan (kronor or tkr) and add up to the total exactly.
    """
    plan_record_change(plan=plan, seen_version=seen_version)
    municipalities = list(plan.members.filter(kind=Member.Kind.MUNICIPALITY))
    if total is None:
        total = municipalities_total_default(plan, column)
        if total is None:
            raise EditRefused(
                _(
                    "%(column)s har inga bidrag från staten eller regionen att räkna kommunernas fjärdedel från. "
                    "Ange kommunernas totala belopp."
                )
                % {"column": column_title(column)}
            )
    try:
        split = keys.fill_from_key(
            members=key_members(municipalities),
            key=key,
            total=total,
        )
    except keys.KeyIncomplete as incomplete:
        raise EditRefused(str(incomplete))

    lines = _contribution_lines(plan)
    result = KeyFill(column=column, key=key, total=total)
    if key == keys.FIXED:
        result.shares_sum = sum((member.key_share for member in municipalities), Decimal(0))
    for member in municipalities:
        line = _contribution_line(plan, member, lines, acting_user)
        existing = next((amount for amount in line.amounts.all() if amount.column_id == column.pk), None)
        set_amount(line=line, column=column, amount=split[member.pk], existing=existing, acting_user=acting_user)
        result.amounts[member] = split[member.pk]
    return result


# ---------------------------------------------------------------------------
# Pages


@dataclass
class PartyRow:
    key: str
    label: str
    cells: list  # (column id, amount, share) per column
    kind: str = "party"


def _party_summary(overview) -> list[PartyRow]:
    """Per party and column: the subtotal and its share of the contributions."""
    columns = overview.totals.columns
    rows = [
        PartyRow(
            key=party,
            label=_(PARTY_LABELS[party]),
            cells=[(column.id, column.contributions_by_party[party], column.party_shares[party]) for column in columns],
        )
        for party in PARTIES
    ]
    rows.append(
        PartyRow(
            key="total",
            label=_("Summa medlemsbidrag"),
            cells=[(column.id, column.contributions, None) for column in columns],
            kind="total",
        )
    )
    return rows


def _contribution_amounts(plan):
    lines = [line for line in plan.lines.all() if line.section == BudgetLine.Section.CONTRIBUTION]
    amounts = {}
    for line in BudgetLine.objects.filter(pk__in=[line.pk for line in lines]).prefetch_related("amounts"):
        for amount in line.amounts.all():
            amounts[(line.member_id, amount.column_id)] = amount.amount
    return amounts


def _contributions_page(request, plan, *, status=200, stale=False, form=None, key_form=None):
    columns = list(plan.columns.all())
    members = list(plan.members.all())
    if not isinstance(form, ContributionsForm):
        form = ContributionsForm(rows=members, columns=columns, amounts=_contribution_amounts(plan))
    key_form = key_form or KeyFillForm(plan=plan, columns=columns)
    overview = plan_overview(plan)
    # The helper offers the plan's own key; say at once when the members lack its data.
    key_problem = None
    if plan.municipal_key in keys.KEYS:
        municipalities = key_members(members)
        try:
            keys.key_weights(municipalities, plan.municipal_key)
        except keys.KeyIncomplete as problem:
            key_problem = str(problem)
    return render_edit_page(
        request,
        plan,
        "budgets/edit/contributions.html",
        {
            "form": form,
            "key_form": key_form,
            "columns": columns,
            "column_titles": [column_title(column) for column in columns],
            "party_rows": _party_summary(overview),
            "has_municipalities": any(member.kind == "municipality" for member in members),
            "key_problem": key_problem,
            "wide": True,
            "table_on_page": True,
        },
        section="contributions",
        status=status,
        stale=stale,
        overview=overview,
    )


@edit_view("GET", "POST")
def contributions(request, plan):
    if request.method == "POST":
        form = ContributionsForm(request.POST, rows=list(plan.members.all()), columns=list(plan.columns.all()))
        return submit_edit(
            request,
            plan,
            form=form,
            write=lambda data, seen: contributions_update(
                plan=plan,
                amounts={member_pk: values["amounts"] for member_pk, values in form.cleaned_rows.items()},
                acting_user=request.user,
                seen_version=seen,
            ),
            success=lambda changed: _("Medlemsbidragen är sparade (%(count)s belopp ändrade).") % {"count": changed},
            redirect_to=reverse("edit:contributions", args=[plan.pk]),
            page=lambda plan, **kwargs: _contributions_page(request, plan, **kwargs),
        )
    return _contributions_page(request, plan)


@edit_view("POST")
def contributions_key(request, plan):
    columns = {column.pk: column for column in plan.columns.all()}
    form = KeyFillForm(request.POST, plan=plan, columns=list(columns.values()))

    def filled(result: KeyFill) -> str:
        message = _(
            "Kommunernas bidrag i %(column)s är fördelade efter %(key)s på totalt %(total)s: %(amounts)s."
        ) % {
            "column": column_title(result.column),
            "key": dict(form.fields["key"].choices)[result.key],
            "total": format_amount(result.total, plan.unit, 0),
            "amounts": ", ".join(
                f"{member.name} {format_amount(amount, plan.unit, 0)}" for member, amount in result.amounts.items()
            ),
        }
        if result.shares_sum is not None and result.shares_sum != 1:
            message += " " + _(
                "Andelarna i nyckeln summerar till %(sum)s och inte till 1; beloppen är fördelade i proportion till dem."
            ) % {"sum": format_amount(result.shares_sum, "", 6).strip()}
        return message

    return submit_edit(
        request,
        plan,
        form=form,
        write=lambda data, seen: contributions_fill_from_key(
            plan=plan,
            column=columns[data["column"]],
            key=data["key"],
            total=data["total"],
            acting_user=request.user,
            seen_version=seen,
        ),
        success=filled,
        redirect_to=reverse("edit:contributions", args=[plan.pk]),
        page=lambda plan, form=None, **kwargs: _contributions_page(request, plan, key_form=form, **kwargs),
    )
