"""The plan's columns: adding one (a year and a kind), moving and removing them."""

from __future__ import annotations

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
    column_default_label,
    column_title,
    delete_row,
    edit_view,
    move_row,
    moved_message,
    plan_record_change,
    posted_direction,
    render_edit_page,
    renumber,
    save_row,
    submit_edit,
    unique_slug,
)
from budgets.editing.forms import crispy_helper
from budgets.models import Column, Plan
from finsam.lib.limits import COLUMN_YEARS_BEFORE

# Column ids in the plan file: b2025, f2024, p2026, u2023.
COLUMN_SLUG_PREFIX = {
    Column.Kind.BUDGET: "b",
    Column.Kind.FORECAST: "f",
    Column.Kind.PLAN: "p",
    Column.Kind.ACTUAL: "u",
}

# ---------------------------------------------------------------------------
# The form


class ColumnForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Slag"), choices=Column.Kind.choices, initial=Column.Kind.PLAN)
    year = forms.IntegerField(label=gettext_lazy("År"))
    label = forms.CharField(label=gettext_lazy("Rubrik"), max_length=100, required=False)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.IntegerField(
            label=self.fields["year"].label,
            min_value=plan.year - COLUMN_YEARS_BEFORE,
            max_value=plan.last_year,
            help_text=gettext_lazy("Högst planens sista år, %(year)s.") % {"year": plan.last_year},
        )
        self.fields["year"].error_messages["min_value"] = gettext_lazy(
            "En kolumn ser högst %(years)s år bakåt: tidigast %(first)s."
        ) % {"years": COLUMN_YEARS_BEFORE, "first": plan.year - COLUMN_YEARS_BEFORE}
        self.fields["year"].error_messages["max_value"] = gettext_lazy(
            "Planen sträcker sig till %(year)s. Ändra sista planår under Förbund och plan för att lägga till senare år."
        ) % {"year": plan.last_year}
        self.fields["label"].help_text = gettext_lazy("Tomt: slag och år, t.ex. ”Budget %(year)s”.") % {"year": plan.year}
        self.helper = crispy_helper(
            Div(Div("kind", css_class="col-sm-4"), Div("year", css_class="col-sm-3"), Div("label", css_class="col-sm-5"),
                css_class="row"),
        )


# ---------------------------------------------------------------------------
# Services


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
        slug=unique_slug(f"{COLUMN_SLUG_PREFIX[kind]}{year}", [c.slug for c in columns], fallback="k", max_length=40),
        year=year,
        kind=kind,
        label=label or column_default_label(year=year, kind=kind),
        order=position,
    )
    columns.insert(position, column)
    save_row(column, acting_user)
    renumber(columns, acting_user)
    return column


@transaction.atomic
def column_move(*, plan: Plan, column: Column, direction: str, acting_user, seen_version: int | None) -> bool:
    plan_record_change(plan=plan, seen_version=seen_version)
    return move_row(plan.columns.all(), column, direction, acting_user)


@transaction.atomic
def column_delete(*, plan: Plan, column: Column, acting_user, seen_version: int | None) -> None:
    """Remove a column with its amounts, printed totals and granted amounts."""
    plan_record_change(plan=plan, seen_version=seen_version)
    delete_row(column, acting_user)
    renumber(list(plan.columns.all()), acting_user)


# ---------------------------------------------------------------------------
# Pages


def _columns_page(request, plan, *, status=200, stale=False, form=None):
    columns = list(plan.columns.all())
    return render_edit_page(
        request,
        plan,
        "budgets/edit/columns.html",
        {"columns": columns, "form": form or ColumnForm(plan=plan)},
        section="columns",
        status=status,
        stale=stale,
    )


@edit_view("GET", "POST")
def columns(request, plan):
    if request.method == "POST":
        return submit_edit(
            request,
            plan,
            form=ColumnForm(request.POST, plan=plan),
            write=lambda data, seen: column_create(
                plan=plan,
                year=data["year"],
                kind=data["kind"],
                label=data["label"],
                acting_user=request.user,
                seen_version=seen,
            ),
            success=lambda column: _("Kolumnen %(name)s är tillagd.") % {"name": column_title(column)},
            redirect_to=reverse("edit:columns", args=[plan.pk]),
            page=lambda plan, **kwargs: _columns_page(request, plan, **kwargs),
        )
    return _columns_page(request, plan)


@edit_view("POST")
def column_move_view(request, plan, column_pk):
    column = get_object_or_404(plan.columns.all(), pk=column_pk)
    return submit_edit(
        request,
        plan,
        form=None,
        write=lambda data, seen: column_move(
            plan=plan, column=column, direction=posted_direction(request), acting_user=request.user, seen_version=seen
        ),
        success=lambda moved: moved_message(moved, column_title(column)),
        redirect_to=reverse("edit:columns", args=[plan.pk]),
        page=lambda plan, **kwargs: _columns_page(request, plan, **kwargs),
    )


def _consequences(column: Column) -> list[str]:
    consequences = [
        _("Kolumnens %(count)s belopp tas bort med den.") % {"count": column.amounts.count()},
    ]
    if column.intervention_funding.exists():
        consequences.append(_("Insatsernas beviljade belopp i kolumnen tas bort."))
    if hasattr(column, "stated"):
        consequences.append(_("De angivna summorna för kolumnen tas bort."))
    return consequences


DELETION = Deletion(
    section="columns",
    pk_url_kwarg="column_pk",
    find=lambda plan, pk: get_object_or_404(plan.columns.all(), pk=pk),
    name=column_title,
    title=gettext_lazy("Ta bort kolumn"),
    question=lambda column: _("Ta bort kolumnen %(name)s?") % {"name": column_title(column)},
    delete=lambda *, obj, **kwargs: column_delete(column=obj, **kwargs),
    done=gettext_lazy("Kolumnen %(name)s är borttagen."),
    back=lambda plan, column: reverse("edit:columns", args=[plan.pk]),
    consequences=_consequences,
)
