"""The plan's meetings and its activities: each a grid of rows with a form to add one."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.editing.base import edit_view, render_edit_page, submit_edit
from budgets.editing.forms import GridForm, StyledForm
from budgets.editing.rows import RowKind, deletion, move_view, plan_row_create, plan_rows_update
from budgets.models import Activity, Meeting
from finsam.lib.partial_dates import parse_partial_date

# ---------------------------------------------------------------------------
# Forms


def validate_meeting_date(value: str) -> None:
    """A meeting has at least a month: YYYY-MM or YYYY-MM-DD."""
    try:
        parse_partial_date(value)
    except ValueError:
        valid = False
    else:
        valid = len(value) >= 7
    if not valid:
        raise ValidationError(gettext_lazy("Ange datum som ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM."), code="invalid")


class MeetingForm(StyledForm):
    date = forms.CharField(
        label=gettext_lazy("Datum"), max_length=10, validators=[validate_meeting_date], help_text=gettext_lazy("ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM")
    )
    body = forms.ChoiceField(label=gettext_lazy("Organ"), choices=Meeting.Body.choices)
    topic = forms.CharField(label=gettext_lazy("Ämne"), max_length=300, required=False)


class ActivityForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("Aktivitet"), max_length=300)
    when = forms.CharField(label=gettext_lazy("När"), max_length=200, required=False)
    responsible = forms.CharField(label=gettext_lazy("Ansvarig"), max_length=200, required=False)
    follow_up = forms.CharField(label=gettext_lazy("Uppföljning"), max_length=200, required=False)


class RowsForm(GridForm):
    """Meetings or activities: the fields of `row_form_class` once per row."""

    row_form_class: type[forms.Form]

    def row_fields(self, row) -> dict[str, forms.Field]:
        fields = copy.deepcopy(self.row_form_class.base_fields)
        for row_field in fields.values():
            row_field.help_text = ""
        return fields

    def row_initial(self, row) -> dict:
        return {name: getattr(row, name) for name in self.row_form_class.base_fields}


class MeetingsForm(RowsForm):
    row_form_class = MeetingForm

    def row_label(self, meeting) -> str:
        return f"{meeting.date} {meeting.get_body_display()}"


class ActivitiesForm(RowsForm):
    row_form_class = ActivityForm

    def row_label(self, activity) -> str:
        return activity.name


# ---------------------------------------------------------------------------
# Pages


@dataclass(frozen=True)
class RowsPage:
    """A page of rows: its kind, its grid, the form that adds a row, its template."""

    kind: RowKind
    grid_class: type[GridForm]
    create_class: type[StyledForm]
    template: str


MEETINGS = RowsPage(
    RowKind(
        model=Meeting,
        section="meetings",
        list_url="edit:meetings",
        noun=gettext_lazy("mötet"),
        added=gettext_lazy("Mötet %(name)s är tillagt."),
        removed=gettext_lazy("Mötet %(name)s är borttaget."),
        name=lambda meeting: f"{meeting.date} {meeting.get_body_display()}",
    ),
    MeetingsForm,
    MeetingForm,
    "budgets/edit/meetings.html",
)
ACTIVITIES = RowsPage(
    RowKind(
        model=Activity,
        section="activities",
        list_url="edit:activities",
        noun=gettext_lazy("aktiviteten"),
        added=gettext_lazy("Aktiviteten %(name)s är tillagd."),
        removed=gettext_lazy("Aktiviteten %(name)s är borttagen."),
        name=lambda activity: activity.name,
    ),
    ActivitiesForm,
    ActivityForm,
    "budgets/edit/activities.html",
)


def _rows(rows_page: RowsPage, plan) -> list:
    return list(rows_page.kind.model.objects.filter(plan=plan).order_by("order", "pk"))


def _rows_page(request, plan, rows_page: RowsPage, *, status=200, stale=False, form=None, create_form=None):
    if not isinstance(form, rows_page.grid_class):
        form = rows_page.grid_class(rows=_rows(rows_page, plan))
    create_form = create_form or rows_page.create_class(prefix="new")
    headings = [field.label for field in rows_page.create_class.base_fields.values()]
    return render_edit_page(
        request,
        plan,
        rows_page.template,
        {"form": form, "create_form": create_form, "headings": headings, "wide": True},
        section=rows_page.kind.section,
        status=status,
        stale=stale,
    )


def _rows_view(rows_page: RowsPage):
    kind = rows_page.kind

    @edit_view("GET", "POST")
    def view(request, plan):
        if request.method == "POST":
            form = rows_page.grid_class(request.POST, rows=_rows(rows_page, plan))
            return submit_edit(
                request,
                plan,
                form=form,
                write=lambda data, seen: plan_rows_update(
                    plan=plan, model=kind.model, rows=form.cleaned_rows, acting_user=request.user, seen_version=seen
                ),
                success=_("Ändringarna är sparade."),
                redirect_to=reverse(kind.list_url, args=[plan.pk]),
                page=lambda plan, **kwargs: _rows_page(request, plan, rows_page, **kwargs),
            )
        return _rows_page(request, plan, rows_page)

    return view


def _row_create_view(rows_page: RowsPage):
    kind = rows_page.kind

    @edit_view("POST")
    def view(request, plan):
        return submit_edit(
            request,
            plan,
            form=rows_page.create_class(request.POST, prefix="new"),
            write=lambda data, seen: plan_row_create(
                plan=plan, model=kind.model, values=data, acting_user=request.user, seen_version=seen
            ),
            success=lambda row: kind.added % {"name": kind.name(row)},
            redirect_to=reverse(kind.list_url, args=[plan.pk]),
            page=lambda plan, form=None, **kwargs: _rows_page(request, plan, rows_page, create_form=form, **kwargs),
        )

    return view


def _list_page(rows_page: RowsPage):
    return lambda request, plan, **kwargs: _rows_page(request, plan, rows_page, **kwargs)


meetings = _rows_view(MEETINGS)
meeting_create = _row_create_view(MEETINGS)
meeting_move = move_view(MEETINGS.kind, _list_page(MEETINGS))
MEETING_DELETION = deletion(MEETINGS.kind)

activities = _rows_view(ACTIVITIES)
activity_create = _row_create_view(ACTIVITIES)
activity_move = move_view(ACTIVITIES.kind, _list_page(ACTIVITIES))
ACTIVITY_DELETION = deletion(ACTIVITIES.kind)
