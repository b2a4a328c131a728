"""A plan's change history: who changed what, and when, across the plan and its parts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from board.models import Sending, SendingKind
from budgets.models import BudgetLine, Chapter, Column, LineAmount, Plan, StatedTotal
from federations.models import Member
from finsam.lib.formatting import format_number
from interventions.models import Intervention

ACTIONS = {"+": gettext_noop("Skapad"), "~": gettext_noop("Ändrad"), "-": gettext_noop("Borttagen")}
# The adopted plan's copy of shared data comes with the change of status, which says it all.
IGNORED_FIELDS = {"updated_at", "created_at", "version", "order", "adopted_copy"}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    what: str
    changes: list[tuple[str, str, str]]
    reason: str


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


def _shown_choice(field, value) -> str:
    """A value as its choice's label where the field has choices ("Fastställd", not "adopted")."""
    if field.choices and isinstance(value, str):
        return _shown(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "; ".join(str(item) for item in value) or "–"
    return _shown(value)


def plan_history_entries(plan: Plan, limit: int = 300) -> list[HistoryEntry]:
    """The newest changes first, at most `limit` of them."""
    line_ids = list(BudgetLine.history.filter(plan_id=plan.pk).values_list("id", flat=True).distinct())
    labels = {}
    for record in BudgetLine.history.filter(plan_id=plan.pk).order_by("history_date"):
        labels[record.id] = record.label
    member_names = {record.id: record.name for record in Member.history.filter(plan_id=plan.pk)}
    for record in BudgetLine.history.filter(plan_id=plan.pk, section="contribution"):
        labels[record.id] = member_names.get(record.member_id, record.slug)
    column_labels = {record.id: record.label or str(record.year) for record in Column.history.filter(plan_id=plan.pk)}

    sources = [
        (Plan.history.filter(id=plan.pk), lambda r: _("Planen")),
        (Member.history.filter(plan_id=plan.pk), lambda r: _("Medlem: %(name)s") % {"name": r.name}),
        (Column.history.filter(plan_id=plan.pk), lambda r: _("Kolumn: %(label)s") % {"label": r.label or r.year}),
        (BudgetLine.history.filter(plan_id=plan.pk), lambda r: _("Rad: %(label)s") % {"label": labels.get(r.id, r.slug)}),
        (
            LineAmount.history.filter(line_id__in=line_ids),
            lambda r: _("Belopp: %(line)s, %(column)s")
            % {"line": labels.get(r.line_id, "?"), "column": column_labels.get(r.column_id, "?")},
        ),
        (StatedTotal.history.filter(plan_id=plan.pk), lambda r: _("Angivna summor: %(column)s") % {"column": column_labels.get(r.column_id, "?")}),
        (Chapter.history.filter(plan_id=plan.pk), lambda r: _("Kapitel: %(heading)s") % {"heading": r.heading}),
        (Intervention.history.filter(plan_id=plan.pk), lambda r: _("Insats: %(name)s") % {"name": r.name}),
        (
            Sending.history.filter(plan_id=plan.pk),
            lambda r: _("Utskick: %(kind)s, mötet %(date)s")
            % {"kind": dict(SendingKind.choices).get(r.kind, r.kind), "date": r.meeting_date.isoformat()},
        ),
    ]
    records = []
    for queryset, describe in sources:
        for record in queryset.select_related("history_user").order_by("-history_date")[:limit]:
            records.append((record, describe))
    records.sort(key=lambda pair: pair[0].history_date, reverse=True)

    entries = []
    for record, describe in records[:limit]:
        changes = []
        if record.history_type == "~":
            previous = record.prev_record
            if previous is not None:
                delta = record.diff_against(previous)
                for change in delta.changes:
                    if change.field in IGNORED_FIELDS:
                        continue
                    field = record.instance_type._meta.get_field(change.field)
                    changes.append(
                        (str(field.verbose_name), _shown_choice(field, change.old), _shown_choice(field, change.new))
                    )
            if not changes:
                continue
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else _("okänd (import eller system)"),
                action=_(ACTIONS[record.history_type]),
                what=describe(record),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries
