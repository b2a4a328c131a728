"""Chapters, meetings and activities: rows of the plan in the order the document lists
them. What their pages share: the services, and moving and removing a row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.db import models, transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.editing.base import (
    Deletion,
    delete_row,
    edit_view,
    move_row,
    moved_message,
    next_order,
    plan_record_change,
    posted_direction,
    renumber,
    save_row,
    submit_edit,
)
from budgets.models import Activity, Chapter, Meeting, Plan


@dataclass(frozen=True)
class RowKind:
    model: type[models.Model]
    section: str
    list_url: str
    noun: str  # "kapitlet", with the name after it
    added: str  # "Kapitlet X är tillagt": the participle agrees with the noun
    removed: str
    name: Callable[[models.Model], str]

    def find(self, plan: Plan, pk: int) -> models.Model:
        return get_object_or_404(self.model.objects.filter(plan=plan), pk=pk)


# ---------------------------------------------------------------------------
# Services


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
    row = model(plan=plan, order=next_order(siblings), **{name: values[name] for name in PLAN_ROW_FIELDS[model]})
    save_row(row, acting_user)
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
        save_row(row, acting_user)
        changed += 1
    return changed


@transaction.atomic
def plan_row_move(*, plan: Plan, row: models.Model, direction: str, acting_user, seen_version: int | None) -> bool:
    plan_record_change(plan=plan, seen_version=seen_version)
    return move_row(type(row).objects.filter(plan=plan).order_by("order", "pk"), row, direction, acting_user)


@transaction.atomic
def plan_row_delete(*, plan: Plan, row: models.Model, acting_user, seen_version: int | None) -> None:
    plan_record_change(plan=plan, seen_version=seen_version)
    delete_row(row, acting_user)
    renumber(list(type(row).objects.filter(plan=plan).order_by("order", "pk")), acting_user)


# ---------------------------------------------------------------------------
# Moving and removing a row


def move_view(kind: RowKind, page: Callable):
    """The view that moves a row of `kind` one place up or down; `page(request, plan, **kwargs)`
    shows its list again after a refused move."""

    @edit_view("POST")
    def view(request, plan, row_pk):
        row = kind.find(plan, row_pk)
        return submit_edit(
            request,
            plan,
            form=None,
            write=lambda data, seen: plan_row_move(
                plan=plan, row=row, direction=posted_direction(request), acting_user=request.user, seen_version=seen
            ),
            success=lambda moved: moved_message(moved, kind.name(row)),
            redirect_to=reverse(kind.list_url, args=[plan.pk]),
            page=lambda plan, **kwargs: page(request, plan, **kwargs),
        )

    return view


def deletion(kind: RowKind) -> Deletion:
    """What removing a row of `kind` asks and does (see `budgets.editing.base.confirm_delete`)."""
    return Deletion(
        section=kind.section,
        pk_url_kwarg="row_pk",
        find=kind.find,
        name=kind.name,
        title=gettext_lazy("Ta bort"),
        question=lambda row: _("Ta bort %(noun)s %(name)s?") % {"noun": kind.noun, "name": kind.name(row)},
        delete=lambda *, obj, **kwargs: plan_row_delete(row=obj, **kwargs),
        done=kind.removed,
        back=lambda plan, row: reverse(kind.list_url, args=[plan.pk]),
    )
