"""Writes of the follow-up: opening a period, replacing its outcome and participants,
and the federation's account mapping.

Every write of a follow-up counts a change (`version`), as the plan editor does: a
form or an import prepared from an older version is refused with `StaleFollowUp`, and
the transaction rolls back, so nothing is half written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import BudgetLine, Plan
from federations.models import Federation
from followup.explaining import StaleFollowUp
from followup.models import AccountMapping, FollowUp, Outcome, ParticipantOutcome

SOURCE_SIE = "sie"
SOURCE_FILE = "file"
SOURCE_TYPED = "typed"
SOURCES = (SOURCE_SIE, SOURCE_FILE, SOURCE_TYPED)


class FollowUpRefused(Exception):
    """A write that cannot be made; the message says why, in Swedish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def tertial_ends(year: int) -> list[tuple[str, date]]:
    """The usual period ends of a year: tertial 1, tertial 2 and the whole year."""
    return [
        (_("Tertial 1 (januari–april)"), date(year, 4, 30)),
        (_("Tertial 2 (januari–augusti)"), date(year, 8, 31)),
        (_("Helår"), date(year, 12, 31)),
    ]


def open_follow_up(*, plan: Plan, period_end: date) -> FollowUp:
    """A new follow-up of an adopted plan's budget year from 1 January to `period_end`."""
    if not plan.is_adopted:
        raise FollowUpRefused(_("Bara en fastställd plan kan följas upp."))
    if period_end.year != plan.year:
        raise FollowUpRefused(
            _("Slutdatumet ska ligga i planens budgetår %(year)s.") % {"year": plan.year}
        )
    if FollowUp.objects.filter(plan=plan, period_end=period_end).exists():
        raise FollowUpRefused(
            _("Det finns redan en uppföljning till och med %(date)s.") % {"date": period_end.isoformat()}
        )
    follow_up = FollowUp(plan=plan, period_end=period_end)
    follow_up.full_clean()
    try:
        with transaction.atomic():
            follow_up.save()
    except IntegrityError:
        # Someone opened the same period a moment earlier.
        raise FollowUpRefused(
            _("Det finns redan en uppföljning till och med %(date)s.") % {"date": period_end.isoformat()}
        ) from None
    return follow_up


def _record_change(*, follow_up: FollowUp, seen_version: int | None) -> None:
    """Count a change; call inside the change's transaction (see the module docstring)."""
    current = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if seen_version is not None and current.version != seen_version:
        raise StaleFollowUp()
    follow_up.version = current.version + 1


def outcome_replace(
    *,
    follow_up: FollowUp,
    amounts: dict[int, Decimal],
    source: str,
    source_name: str = "",
    seen_version: int | None,
) -> int:
    """Make `amounts` (line pk -> outcome in the plan's unit) the period's whole
    outcome: lines not in it have none afterwards. Returns the number of lines stored.

    Replacing, not adding, is what makes a second import of the same file change nothing.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    plan_lines = set(BudgetLine.objects.filter(plan_id=follow_up.plan_id).values_list("pk", flat=True))
    foreign = set(amounts) - plan_lines
    if foreign:
        raise FollowUpRefused(_("Utfallet gäller rader som inte finns i planen."))
    with transaction.atomic():
        _record_change(follow_up=follow_up, seen_version=seen_version)
        Outcome.objects.filter(follow_up=follow_up).delete()
        rows = [Outcome(follow_up=follow_up, line_id=line_id, amount=amount) for line_id, amount in amounts.items()]
        for row in rows:
            row.full_clean(exclude=["follow_up", "line"], validate_constraints=False)
        Outcome.objects.bulk_create(rows)
        follow_up.source = source
        follow_up.source_name = source_name[:255]
        follow_up.imported_at = timezone.now()
        follow_up.save(update_fields=["version", "source", "source_name", "imported_at", "updated"])
    return len(rows)


def participants_replace(
    *, follow_up: FollowUp, counts: dict[int, tuple[int | None, int | None]], seen_version: int | None
) -> None:
    """Make `counts` (intervention pk -> women, men to date) the period's participants."""
    interventions = set(follow_up.plan.interventions.values_list("pk", flat=True))
    if set(counts) - interventions:
        raise FollowUpRefused(_("Deltagarna gäller insatser som inte finns i planen."))
    with transaction.atomic():
        _record_change(follow_up=follow_up, seen_version=seen_version)
        ParticipantOutcome.objects.filter(follow_up=follow_up).delete()
        ParticipantOutcome.objects.bulk_create(
            ParticipantOutcome(follow_up=follow_up, intervention_id=pk, women=women, men=men)
            for pk, (women, men) in counts.items()
            if women is not None or men is not None
        )
        follow_up.save(update_fields=["version", "updated"])


# ---------------------------------------------------------------------------
# The account mapping: once per federation, used by every SIE import


def account_mappings(federation: Federation) -> dict[str, AccountMapping]:
    return {mapping.account: mapping for mapping in AccountMapping.objects.filter(federation=federation)}


def account_mappings_update(
    *, federation: Federation, changes: dict[str, BudgetLine | None], replace_all: bool = False
) -> int:
    """Map each account of `changes` to its line, or unmap it (None); with
    `replace_all`, accounts not in `changes` are unmapped too. All or nothing.
    Returns the number of mappings stored afterwards."""
    with transaction.atomic():
        stored = {
            mapping.account: mapping
            for mapping in AccountMapping.objects.select_for_update().filter(federation=federation)
        }
        if replace_all:
            AccountMapping.objects.filter(federation=federation).exclude(account__in=list(changes)).delete()
        for account, line in changes.items():
            mapping = stored.get(account)
            if line is None:
                if mapping is not None:
                    mapping.delete()
                continue
            if mapping is None:
                mapping = AccountMapping(federation=federation, account=account)
            mapping.line_section = line.section
            mapping.line_slug = line.slug
            mapping.full_clean(validate_constraints=False)
            mapping.save()
        return AccountMapping.objects.filter(federation=federation).count()
