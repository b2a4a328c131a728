"""Writes from the chief's edit pages: the plan's facts and goals, members, columns,
contributions, other income and costs, chapters, meetings, activities and interventions.

Every service takes keyword arguments only, runs in one transaction, counts the
change on the plan with `plan_record_change` (which refuses a save made from an
older version of the plan, `StaleEdit`, and so rolls everything back) and cleans
each row with `full_clean()` before saving it. Rows are saved one by one so that
their history records who changed them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from django.db import models, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from budgets import keys
from budgets.models import Activity, BudgetLine, Chapter, Column, LineAmount, Meeting, Plan
from budgets.services import plan_record_change
from federations.models import Member
from interventions.models import (
    Intervention,
    InterventionFunding,
    InterventionMarking,
    MunicipalAllocation,
)

UP = "up"
DOWN = "down"

# Column ids in the plan file: b2025, f2024, p2026, u2023.
COLUMN_SLUG_PREFIX = {
    Column.Kind.BUDGET: "b",
    Column.Kind.FORECAST: "f",
    Column.Kind.PLAN: "p",
    Column.Kind.ACTUAL: "u",
}


class EditRefused(Exception):
    """A change the plan's data does not allow; the message says why, in Swedish."""


# ---------------------------------------------------------------------------
# Helpers


def _save(obj: models.Model, acting_user) -> None:
    # Set here as well as by simple-history's middleware, so that a service
    # called outside a request (a command, a test) records its user too.
    obj._history_user = acting_user
    obj.full_clean()
    obj.save()


def _delete(obj: models.Model, acting_user) -> None:
    obj._history_user = acting_user
    obj.delete()


def _unique_slug(text: str, taken: Iterable[str], *, fallback: str, max_length: int = 80) -> str:
    """A slug made from `text`, not among `taken`: "enter", "enter-2", ..."""
    base = slugify(text.replace("/", " "))[: max_length - 4].strip("-") or fallback
    taken = set(taken)
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _next_order(queryset) -> int:
    highest = queryset.aggregate(highest=Max("order"))["highest"]
    return 0 if highest is None else highest + 1


def _renumber(rows: list, acting_user) -> None:
    """Give rows the orders 0, 1, 2, ... in the order given, saving only those that change."""
    for position, row in enumerate(rows):
        if row.order != position:
            row.order = position
            row._history_user = acting_user
            row.save(update_fields=["order"])


def _move(siblings, row, direction: str, acting_user) -> bool:
    """Move `row` one place up or down among `siblings` (a queryset in display order).

    Returns False when it is first (up) or last (down) already. Orders are
    renumbered first: imported rows may share an order and sort by id.
    """
    rows = list(siblings)
    index = next(position for position, sibling in enumerate(rows) if sibling.pk == row.pk)
    target = index - 1 if direction == UP else index + 1
    if target < 0 or target >= len(rows):
        return False
    rows[index], rows[target] = rows[target], rows[index]
    _renumber(rows, acting_user)
    return True


def _set_amount(*, line: BudgetLine, column: Column, amount: Decimal | None, existing: LineAmount | None, acting_user) -> bool:
    """Store one cell; an empty amount removes it. Returns whether anything changed."""
    if amount is None:
        if existing is None:
            return False
        _delete(existing, acting_user)
        return True
    if existing is None:
        _save(LineAmount(line=line, column=column, amount=amount), acting_user)
        return True
    if existing.amount == amount:
        return False
    existing.amount = amount
    _save(existing, acting_user)
    return True


# ---------------------------------------------------------------------------
# The federation's profile and the plan's facts and goals

FEDERATION_FIELDS = ("name", "short_name", "org_number", "founded", "vision", "website")
PLAN_FIELDS = (
    "title",
    "reference",
    "last_year",
    "municipal_key",
    "equity_floor",
    "admin_share_max",
    "intervention_share_min",
    "equity_opening_year",
    "equity_opening_amount",
)


@transaction.atomic
def plan_settings_update(*, plan: Plan, values: dict, acting_user, seen_version: int | None) -> Plan:
    """The federation's profile and the plan's facts, goals and opening equity.

    The profile belongs to the federation and so shows on all its plans; the
    goals belong to the plan, so that an adopted plan keeps the goals it was
    judged against.
    """
    plan_record_change(plan=plan, seen_version=seen_version)
    federation = plan.federation
    if any(getattr(federation, name) != values[name] for name in FEDERATION_FIELDS):
        for name in FEDERATION_FIELDS:
            setattr(federation, name, values[name])
        _save(federation, acting_user)
    for name in PLAN_FIELDS:
        setattr(plan, name, values[name])
    _save(plan, acting_user)
    return plan


# ---------------------------------------------------------------------------
# Members

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
        slug=_unique_slug(values["name"], plan.members.values_list("slug", flat=True), fallback="medlem", max_length=60),
        order=_next_order(plan.members.all()),
        **{name: values[name] for name in MEMBER_FIELDS},
    )
    _save(member, acting_user)
    return member


@transaction.atomic
def member_update(*, plan: Plan, member: Member, values: dict, acting_user, seen_version: int | None) -> Member:
    plan_record_change(plan=plan, seen_version=seen_version)
    _refuse_duplicate_member(plan, values["name"], member)
    for name in MEMBER_FIELDS:
        setattr(member, name, values[name])
    _save(member, acting_user)
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
        _delete(line, acting_user)
    _delete(member, acting_user)


# ---------------------------------------------------------------------------
# Columns


def column_default_label(*, year: int, kind: str) -> str:
    return f"{Column.Kind(kind).label} {year}"


@transaction.atomic
def column_create(*, plan: Plan, year: int, kind: str, label: str, acting_user, seen_version: int | None) -> Column:
    """A new column, placed after the last column of its year or an earlier one."""
    plan_record_change(plan=plan, seen_version=seen_version)
    if plan.columns.filter(year=year, kind=kind).exists():
        raise EditRefused(
            _("Det finns redan en kolumn %(name)s.") % {"name": column_default_label(year=year, kind=kind)}
        )
    columns = list(plan.columns.all())
    position = 0
    for index, existing in enumerate(columns):
        if existing.year <= year:
            position = index + 1
    column = Column(
        plan=plan,
        slug=_unique_slug(f"{COLUMN_SLUG_PREFIX[kind]}{year}", [c.slug for c in columns], fallback="k", max_length=40),
        year=year,
        kind=kind,
        label=label or column_default_label(year=year, kind=kind),
        order=position,
    )
    columns.insert(position, column)
    _save(column, acting_user)
    _renumber(columns, acting_user)
    return column


@transaction.atomic
def column_move(*, plan: Plan, column: Column, direction: str, acting_user, seen_version: int | None) -> bool:
    plan_record_change(plan=plan, seen_version=seen_version)
    return _move(plan.columns.all(), column, direction, acting_user)


@transaction.atomic
def column_delete(*, plan: Plan, column: Column, acting_user, seen_version: int | None) -> None:
    """Remove a column with its amounts, printed totals and granted amounts."""
    plan_record_change(plan=plan, seen_version=seen_version)
    _delete(column, acting_user)
    _renumber(list(plan.columns.all()), acting_user)


# ---------------------------------------------------------------------------
# Contributions


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
            slug=_unique_slug(member.slug, taken, fallback="medlem"),
            member=member,
            order=member.order,
        )
        _save(line, acting_user)
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
            changed += _set_amount(
                line=line, column=columns[column_id], amount=amount, existing=existing.get(column_id), acting_user=acting_user
            )
    return changed


@dataclass
class KeyFill:
    """What the key helper wrote: the total it split and each municipality's amount."""

    column: Column
    key: str
    total: Decimal
    total_was_given: bool
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
    total_was_given = total is not None
    if total is None:
        total = municipalities_total_default(plan, column)
        if total is None:
            raise EditRefused(
                _(
                    "%(column)s har inga bidrag från staten eller regionen att räkna kommunernas fjärdedel från. "
                    "Ange kommunernas totala belopp."
                )
                % {"column": column.label or column_default_label(year=column.year, kind=column.kind)}
            )
    try:
        split = keys.fill_from_key(
            members=[
                keys.KeyMember(id=member.pk, name=member.name, population=member.population, key_share=member.key_share)
                for member in municipalities
            ],
            key=key,
            total=total,
        )
    except keys.KeyIncomplete as incomplete:
        raise EditRefused(str(incomplete))

    lines = _contribution_lines(plan)
    result = KeyFill(column=column, key=key, total=total, total_was_given=total_was_given)
    if key == keys.FIXED:
        result.shares_sum = sum((member.key_share for member in municipalities), Decimal(0))
    for member in municipalities:
        line = _contribution_line(plan, member, lines, acting_user)
        existing = next((amount for amount in line.amounts.all() if amount.column_id == column.pk), None)
        _set_amount(line=line, column=column, amount=split[member.pk], existing=existing, acting_user=acting_user)
        result.amounts[member] = split[member.pk]
    return result


# ---------------------------------------------------------------------------
# Other income and costs


def _line_siblings(plan: Plan, line: BudgetLine):
    """The lines a line moves among: its section, and for a cost its group (the table groups them)."""
    siblings = plan.lines.filter(section=line.section)
    if line.section == BudgetLine.Section.COST:
        siblings = siblings.filter(cost_group=line.cost_group)
    return siblings.order_by("order", "pk")


@transaction.atomic
def line_create(*, plan: Plan, section: str, values: dict, acting_user, seen_version: int | None) -> BudgetLine:
    """A new income or cost line, last in its section."""
    plan_record_change(plan=plan, seen_version=seen_version)
    if section not in (BudgetLine.Section.INCOME, BudgetLine.Section.COST):
        raise ValueError(f"lines of section {section!r} are made on the contributions page")
    taken = plan.lines.filter(section=section).values_list("slug", flat=True)
    line = BudgetLine(
        plan=plan,
        section=section,
        slug=_unique_slug(values["label"], taken, fallback="rad"),
        label=values["label"],
        income_kind=values.get("income_kind") or "",
        cost_group=values.get("cost_group") or "",
        intervention=values.get("intervention"),
        order=_next_order(plan.lines.filter(section=section)),
    )
    _save(line, acting_user)
    return line


LINE_FIELDS = ("label", "income_kind", "cost_group", "intervention")


@transaction.atomic
def lines_update(*, plan: Plan, section: str, rows: dict[int, dict], acting_user, seen_version: int | None) -> int:
    """Income or cost lines with their amounts ({line id: {label, group or kind, intervention, amounts}}).

    `amounts` maps column ids to an amount or None. Returns how many lines or cells changed.
    """
    plan_record_change(plan=plan, seen_version=seen_version)
    lines = {line.pk: line for line in plan.lines.filter(section=section).prefetch_related("amounts")}
    columns = {column.pk: column for column in plan.columns.all()}
    changed = 0
    for line_id, values in rows.items():
        line = lines[line_id]
        fields = {name: values[name] for name in LINE_FIELDS if name in values}
        if any(getattr(line, name) != value for name, value in fields.items()):
            moved_group = "cost_group" in fields and fields["cost_group"] != line.cost_group
            for name, value in fields.items():
                setattr(line, name, value if value is not None or name == "intervention" else "")
            if moved_group:
                # Last in its new group, where the chief will look for it.
                line.order = _next_order(plan.lines.filter(section=section).exclude(pk=line.pk))
            _save(line, acting_user)
            changed += 1
        existing = {amount.column_id: amount for amount in line.amounts.all()}
        for column_id, amount in values.get("amounts", {}).items():
            changed += _set_amount(
                line=line, column=columns[column_id], amount=amount, existing=existing.get(column_id), acting_user=acting_user
            )
    return changed


@transaction.atomic
def line_move(*, plan: Plan, line: BudgetLine, direction: str, acting_user, seen_version: int | None) -> bool:
    plan_record_change(plan=plan, seen_version=seen_version)
    return _move(_line_siblings(plan, line), line, direction, acting_user)


@transaction.atomic
def line_delete(*, plan: Plan, line: BudgetLine, acting_user, seen_version: int | None) -> None:
    """Remove an income or cost line with its amounts."""
    plan_record_change(plan=plan, seen_version=seen_version)
    if line.section == BudgetLine.Section.CONTRIBUTION:
        raise ValueError("contribution lines go with their member")
    _delete(line, acting_user)


# ---------------------------------------------------------------------------
# Chapters, meetings and activities: rows of the plan in the order the document lists them

PLAN_ROW_FIELDS = {
    Chapter: ("heading", "body"),
    Meeting: ("date", "body", "topic"),
    Activity: ("name", "when", "responsible", "follow_up"),
}


@transaction.atomic
def plan_row_create(*, plan: Plan, model: type[models.Model], values: dict, acting_user, seen_version: int | None):
    """A new chapter, meeting or activity, last in the plan."""
    plan_record_change(plan=plan, seen_version=seen_version)
    siblings = model.objects.filter(plan=plan)
    row = model(plan=plan, order=_next_order(siblings), **{name: values[name] for name in PLAN_ROW_FIELDS[model]})
    _save(row, acting_user)
    return row


@transaction.atomic
def plan_rows_update(
    *, plan: Plan, model: type[models.Model], rows: dict[int, dict], acting_user, seen_version: int | None
) -> int:
    """Chapters, meetings or activities ({row id: values}); returns how many changed."""
    plan_record_change(plan=plan, seen_version=seen_version)
    stored = {row.pk: row for row in model.objects.filter(plan=plan, pk__in=list(rows))}
    changed = 0
    for row_id, values in rows.items():
        row = stored[row_id]
        fields = {name: values[name] for name in PLAN_ROW_FIELDS[model] if name in values}
        if all(getattr(row, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(row, name, value)
        _save(row, acting_user)
        changed += 1
    return changed


@transaction.atomic
def plan_row_move(*, plan: Plan, row: models.Model, direction: str, acting_user, seen_version: int | None) -> bool:
    plan_record_change(plan=plan, seen_version=seen_version)
    return _move(type(row).objects.filter(plan=plan).order_by("order", "pk"), row, direction, acting_user)


@transaction.atomic
def plan_row_delete(*, plan: Plan, row: models.Model, acting_user, seen_version: int | None) -> None:
    plan_record_change(plan=plan, seen_version=seen_version)
    _delete(row, acting_user)
    _renumber(list(type(row).objects.filter(plan=plan).order_by("order", "pk")), acting_user)


# ---------------------------------------------------------------------------
# Interventions

INTERVENTION_FIELDS = (
    "name",
    "kind",
    "category",
    "status",
    "long_term",
    "owner",
    "start",
    "end",
    "participants_total",
    "participants_women",
    "participants_men",
    "utilization",
    "target_group",
    "description",
    "goals",
    "indicators",
)


@transaction.atomic
def intervention_create(*, plan: Plan, values: dict, acting_user, seen_version: int | None) -> Intervention:
    """A new intervention with its parties, markings, allocation and granted amounts (see `intervention_update`)."""
    plan_record_change(plan=plan, seen_version=seen_version)
    intervention = Intervention(
        plan=plan,
        slug=_unique_slug(values["name"], plan.interventions.values_list("slug", flat=True), fallback="insats"),
        order=_next_order(plan.interventions.all()),
    )
    _intervention_write(plan=plan, intervention=intervention, values=values, acting_user=acting_user)
    return intervention


@transaction.atomic
def intervention_update(
    *, plan: Plan, intervention: Intervention, values: dict, acting_user, seen_version: int | None
) -> Intervention:
    """Save every field of an intervention.

    `values` holds the model's fields and also `parties` (members), `markings`
    (in the order to keep), `allocations` ({municipality: weight or None}) and
    `funding` ({column: (granted or None, utilization or None)}).
    """
    plan_record_change(plan=plan, seen_version=seen_version)
    _intervention_write(plan=plan, intervention=intervention, values=values, acting_user=acting_user)
    return intervention


def _intervention_write(*, plan: Plan, intervention: Intervention, values: dict, acting_user) -> None:
    for name in INTERVENTION_FIELDS:
        setattr(intervention, name, values[name])
    _save(intervention, acting_user)

    parties = list(values["parties"])
    if {member.pk for member in parties} != set(intervention.parties.values_list("pk", flat=True)):
        intervention._history_user = acting_user
        intervention.parties.set(parties)

    markings = list(values["markings"])
    links = {link.marking_id: link for link in intervention.interventionmarking_set.all()}
    for link in links.values():
        if link.marking_id not in {marking.pk for marking in markings}:
            _delete(link, acting_user)
    for position, marking in enumerate(markings):
        link = links.get(marking.pk)
        if link is None:
            _save(InterventionMarking(intervention=intervention, marking=marking, order=position), acting_user)
        elif link.order != position:
            link.order = position
            _save(link, acting_user)

    allocations = {allocation.member_id: allocation for allocation in intervention.allocations.all()}
    for member, weight in values["allocations"].items():
        allocation = allocations.get(member.pk)
        if weight is None:
            if allocation is not None:
                allocation.delete()
        elif allocation is None:
            _save(MunicipalAllocation(intervention=intervention, member=member, weight=weight), acting_user)
        elif allocation.weight != weight:
            allocation.weight = weight
            _save(allocation, acting_user)

    funding = {row.column_id: row for row in intervention.funding.all()}
    for column, (granted, utilization) in values["funding"].items():
        row = funding.get(column.pk)
        if granted is None:
            if row is not None:
                _delete(row, acting_user)
        elif row is None:
            _save(
                InterventionFunding(intervention=intervention, column=column, granted=granted, utilization=utilization),
                acting_user,
            )
        elif (row.granted, row.utilization) != (granted, utilization):
            row.granted, row.utilization = granted, utilization
            _save(row, acting_user)


@transaction.atomic
def intervention_delete(*, plan: Plan, intervention: Intervention, acting_user, seen_version: int | None) -> None:
    """Remove an intervention; its cost lines stay in the budget, no longer linked to it."""
    plan_record_change(plan=plan, seen_version=seen_version)
    for line in intervention.cost_lines.all():
        line.intervention = None
        _save(line, acting_user)
    _delete(intervention, acting_user)
