"""Writes of a plan's interventions: creating, changing and removing one, and their
granted amounts. Like every write from the chief's editor (see `budgets.editing.base`),
each service counts the change on the plan with `plan_record_change` in its own
transaction; `intervention_funding_update` leaves that to its caller (the budget grid
saves funding with the rest of the grid).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from budgets.editing.base import delete_row, next_order, plan_record_change, save_row, unique_slug
from budgets.models import Plan
from interventions.models import Intervention, InterventionFunding, InterventionMarking, MunicipalAllocation

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
        slug=unique_slug(values["name"], plan.interventions.values_list("slug", flat=True), fallback="insats"),
        order=next_order(plan.interventions.all()),
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
    save_row(intervention, acting_user)

    parties = list(values["parties"])
    if {member.pk for member in parties} != set(intervention.parties.values_list("pk", flat=True)):
        intervention._history_user = acting_user
        intervention.parties.set(parties)

    markings = list(values["markings"])
    links = {link.marking_id: link for link in intervention.interventionmarking_set.all()}
    for link in links.values():
        if link.marking_id not in {marking.pk for marking in markings}:
            delete_row(link, acting_user)
    for position, marking in enumerate(markings):
        link = links.get(marking.pk)
        if link is None:
            save_row(InterventionMarking(intervention=intervention, marking=marking, order=position), acting_user)
        elif link.order != position:
            link.order = position
            save_row(link, acting_user)

    allocations = {allocation.member_id: allocation for allocation in intervention.allocations.all()}
    for member, weight in values["allocations"].items():
        allocation = allocations.get(member.pk)
        if weight is None:
            if allocation is not None:
                allocation.delete()
        elif allocation is None:
            save_row(MunicipalAllocation(intervention=intervention, member=member, weight=weight), acting_user)
        elif allocation.weight != weight:
            allocation.weight = weight
            save_row(allocation, acting_user)

    intervention_funding_update(
        interventions={intervention.pk: intervention},
        columns={column.pk: column for column in values["funding"]},
        funding={(intervention.pk, column.pk): amounts for column, amounts in values["funding"].items()},
        acting_user=acting_user,
    )


@transaction.atomic
def intervention_delete(*, plan: Plan, intervention: Intervention, acting_user, seen_version: int | None) -> None:
    """Remove an intervention; its cost lines stay in the budget, no longer linked to it."""
    plan_record_change(plan=plan, seen_version=seen_version)
    for line in intervention.cost_lines.all():
        line.intervention = None
        save_row(line, acting_user)
    delete_row(intervention, acting_user)


def intervention_funding_update(
    *, interventions: dict[int, Intervention], columns: dict, funding: dict[tuple[int, int], tuple[Decimal | None, Decimal | None]], acting_user
) -> int:
    """Granted amounts and counted shares ({(intervention id, column id): (granted, share)});
    an empty granted amount removes the column's grant. Returns how many rows changed."""
    stored = {
        (row.intervention_id, row.column_id): row
        for row in InterventionFunding.objects.filter(intervention__in=list(interventions.values()))
    }
    changed = 0
    for (intervention_id, column_id), (granted, utilization) in funding.items():
        row = stored.get((intervention_id, column_id))
        if granted is None:
            if row is not None:
                delete_row(row, acting_user)
                changed += 1
            continue
        if row is None:
            row = InterventionFunding(
                intervention=interventions[intervention_id], column=columns[column_id], granted=granted, utilization=utilization
            )
        elif (row.granted, row.utilization) == (granted, utilization):
            continue
        else:
            row.granted, row.utilization = granted, utilization
        save_row(row, acting_user)
        changed += 1
    return changed
