"""Writes of an intervention's own rows. The caller counts the change on the plan
(`budgets.services.plan_record_change`) in the same transaction."""

from __future__ import annotations

from decimal import Decimal

from interventions.models import Intervention, InterventionFunding


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
                row._history_user = acting_user
                row.delete()
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
        row._history_user = acting_user
        row.full_clean()
        row.save()
        changed += 1
    return changed
