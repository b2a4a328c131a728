"""Other income and costs: a grid of lines per section, a form to add a line, moving
and removing lines."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.editing.base import (
    Deletion,
    column_title,
    delete_row,
    edit_view,
    move_row,
    moved_message,
    next_order,
    plan_record_change,
    posted_direction,
    render_edit_page,
    save_row,
    set_amount,
    submit_edit,
    unique_slug,
)
from budgets.editing.forms import GridForm, StyledForm, line_amounts
from budgets.models import BudgetLine, Plan

# ---------------------------------------------------------------------------
# Forms


def _intervention_choices(interventions) -> list[tuple[str, str]]:
    return [("", gettext_lazy("– ingen –"))] + [(str(intervention.pk), intervention.name) for intervention in interventions]


class LineCreateForm(StyledForm):
    label = forms.CharField(label=gettext_lazy("Rubrik"), max_length=300)
    group = forms.ChoiceField(label=gettext_lazy("Grupp"))
    intervention = forms.ChoiceField(label=gettext_lazy("Insats"), required=False)

    def __init__(self, *args, section: str, interventions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        self.interventions = {str(intervention.pk): intervention for intervention in interventions}
        if section == BudgetLine.Section.INCOME:
            self.fields["group"].label = gettext_lazy("Slag av intäkt")
            self.fields["group"].choices = BudgetLine.IncomeKind.choices
            del self.fields["intervention"]
        else:
            self.fields["group"].label = gettext_lazy("Kostnadsgrupp")
            self.fields["group"].choices = BudgetLine.CostGroup.choices
            self.fields["intervention"].choices = _intervention_choices(interventions)
            self.fields["intervention"].help_text = gettext_lazy("För en kostnad som är en insats.")

    def clean(self):
        cleaned_data = super().clean()
        group = cleaned_data.get("group")
        if self.section == BudgetLine.Section.INCOME:
            cleaned_data["income_kind"] = group
        else:
            cleaned_data["cost_group"] = group
            cleaned_data["intervention"] = self.interventions.get(cleaned_data.get("intervention") or "")
        return cleaned_data


class LinesForm(GridForm):
    """Income or cost lines: label, kind or group, the intervention of a cost, amounts per column."""

    def __init__(self, data=None, *, section: str, interventions=(), **kwargs):
        self.section = section
        self.interventions = {str(intervention.pk): intervention for intervention in interventions}
        self._intervention_choices = _intervention_choices(interventions)
        super().__init__(data, **kwargs)

    def row_label(self, line: BudgetLine) -> str:
        return line.label or line.slug

    def row_fields(self, line: BudgetLine) -> dict[str, forms.Field]:
        fields = {"label": forms.CharField(label=gettext_lazy("rubrik"), max_length=300)}
        if self.section == BudgetLine.Section.INCOME:
            fields["income_kind"] = forms.ChoiceField(label=gettext_lazy("slag"), choices=BudgetLine.IncomeKind.choices)
        else:
            fields["cost_group"] = forms.ChoiceField(label=gettext_lazy("grupp"), choices=BudgetLine.CostGroup.choices)
            fields["intervention"] = forms.ChoiceField(label=gettext_lazy("insats"), choices=self._intervention_choices, required=False)
        fields["label"].widget.attrs["size"] = 22
        return fields

    def row_initial(self, line: BudgetLine) -> dict:
        return {
            "label": line.label,
            "income_kind": line.income_kind,
            "cost_group": line.cost_group,
            "intervention": str(line.intervention_id) if line.intervention_id else "",
        }

    def clean_row(self, line, values):
        if "intervention" in values:
            values["intervention"] = self.interventions.get(values["intervention"] or "")
        return values


# ---------------------------------------------------------------------------
# Services


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
        slug=unique_slug(values["label"], taken, fallback="rad"),
        label=values["label"],
        income_kind=values.get("income_kind") or "",
        cost_group=values.get("cost_group") or "",
        intervention=values.get("intervention"),
        order=next_order(plan.lines.filter(section=section)),
    )
    save_row(line, acting_user)
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
                line.order = next_order(plan.lines.filter(section=section).exclude(pk=line.pk))
            save_row(line, acting_user)
            changed += 1
        existing = {amount.column_id: amount for amount in line.amounts.all()}
        for column_id, amount in values.get("amounts", {}).items():
            changed += set_amount(
                line=line, column=columns[column_id], amount=amount, existing=existing.get(column_id), acting_user=acting_user
            )
    return changed


@transaction.atomic
def line_move(*, plan: Plan, line: BudgetLine, direction: str, acting_user, seen_version: int | None) -> bool:
    plan_record_change(plan=plan, seen_version=seen_version)
    return move_row(_line_siblings(plan, line), line, direction, acting_user)


@transaction.atomic
def line_delete(*, plan: Plan, line: BudgetLine, acting_user, seen_version: int | None) -> None:
    """Remove an income or cost line with its amounts."""
    plan_record_change(plan=plan, seen_version=seen_version)
    if line.section == BudgetLine.Section.CONTRIBUTION:
        raise ValueError("contribution lines go with their member")
    delete_row(line, acting_user)


# ---------------------------------------------------------------------------
# Pages


SECTIONS = {"intakter": BudgetLine.Section.INCOME, "kostnader": BudgetLine.Section.COST}
SECTION_SLUGS = {section: slug for slug, section in SECTIONS.items()}


def _section(slug: str) -> str:
    if slug not in SECTIONS:
        raise Http404(_("Okänd del av budgeten."))
    return SECTIONS[slug]


def _lines_forms(plan, columns, interventions, section, data=None):
    lines = list(
        plan.lines.model.objects.filter(plan=plan, section=section).select_related("intervention").prefetch_related("amounts")
    )
    if section == BudgetLine.Section.COST:
        group_rank = {group: rank for rank, group in enumerate(BudgetLine.CostGroup.values)}
        lines.sort(key=lambda line: (group_rank.get(line.cost_group, 99), line.order, line.pk))
    # A line moves among the lines of its group (see `line_move`).
    for index, line in enumerate(lines):
        line.is_first = index == 0 or lines[index - 1].cost_group != line.cost_group
        line.is_last = index == len(lines) - 1 or lines[index + 1].cost_group != line.cost_group
    return LinesForm(
        data, section=section, rows=lines, columns=columns, amounts=line_amounts(lines), interventions=interventions
    )


def _lines_page(request, plan, *, status=200, stale=False, form=None, section=None, create_form=None, create_section=None):
    columns = list(plan.columns.all())
    interventions = list(plan.interventions.all())
    grids, creators = {}, {}
    for each in (BudgetLine.Section.INCOME, BudgetLine.Section.COST):
        grids[each] = form if (form is not None and section == each) else _lines_forms(plan, columns, interventions, each)
        creators[each] = (
            create_form
            if (create_form is not None and create_section == each)
            else LineCreateForm(section=each, interventions=interventions, auto_id=f"id_new_{SECTION_SLUGS[each]}_%s")
        )
    return render_edit_page(
        request,
        plan,
        "budgets/edit/lines.html",
        {
            "columns": columns,
            "column_titles": [column_title(column) for column in columns],
            "income_form": grids[BudgetLine.Section.INCOME],
            "cost_form": grids[BudgetLine.Section.COST],
            "income_create_form": creators[BudgetLine.Section.INCOME],
            "cost_create_form": creators[BudgetLine.Section.COST],
            "wide": True,
            "table_on_page": True,
        },
        section="lines",
        status=status,
        stale=stale,
    )


@edit_view("GET")
def lines(request, plan):
    return _lines_page(request, plan)


@edit_view("POST")
def lines_save(request, plan, section_slug):
    section = _section(section_slug)
    form = _lines_forms(plan, list(plan.columns.all()), list(plan.interventions.all()), section, data=request.POST)
    return submit_edit(
        request,
        plan,
        form=form,
        write=lambda data, seen: lines_update(
            plan=plan, section=section, rows=form.cleaned_rows, acting_user=request.user, seen_version=seen
        ),
        success=lambda changed: (
            _("Intäkterna är sparade.") if section == BudgetLine.Section.INCOME else _("Kostnaderna är sparade.")
        ),
        redirect_to=reverse("edit:lines", args=[plan.pk]) + f"#{section_slug}",
        page=lambda plan, form=None, **kwargs: _lines_page(request, plan, form=form, section=section, **kwargs),
    )


@edit_view("POST")
def line_create_view(request, plan, section_slug):
    section = _section(section_slug)
    form = LineCreateForm(
        request.POST, section=section, interventions=list(plan.interventions.all()), auto_id=f"id_new_{section_slug}_%s"
    )
    return submit_edit(
        request,
        plan,
        form=form,
        write=lambda data, seen: line_create(
            plan=plan, section=section, values=data, acting_user=request.user, seen_version=seen
        ),
        success=lambda line: _("Raden %(name)s är tillagd.") % {"name": line.label},
        redirect_to=reverse("edit:lines", args=[plan.pk]) + f"#{section_slug}",
        page=lambda plan, form=None, **kwargs: _lines_page(
            request, plan, create_form=form, create_section=section, **kwargs
        ),
    )


def _plan_line(plan, line_pk) -> BudgetLine:
    return get_object_or_404(
        BudgetLine.objects.filter(plan=plan, section__in=list(SECTIONS.values())), pk=line_pk
    )


@edit_view("POST")
def line_move_view(request, plan, line_pk):
    line = _plan_line(plan, line_pk)
    return submit_edit(
        request,
        plan,
        form=None,
        write=lambda data, seen: line_move(
            plan=plan, line=line, direction=posted_direction(request), acting_user=request.user, seen_version=seen
        ),
        success=lambda moved: moved_message(moved, line.label),
        redirect_to=reverse("edit:lines", args=[plan.pk]) + f"#{SECTION_SLUGS[line.section]}",
        page=lambda plan, **kwargs: _lines_page(request, plan, **kwargs),
    )


def _consequences(line: BudgetLine) -> list[str]:
    count = line.amounts.count()
    return [_("Radens %(count)s belopp tas bort med den.") % {"count": count}] if count else []


DELETION = Deletion(
    section="lines",
    pk_url_kwarg="line_pk",
    find=_plan_line,
    name=lambda line: line.label,
    title=gettext_lazy("Ta bort rad"),
    question=lambda line: _("Ta bort raden %(name)s?") % {"name": line.label},
    delete=lambda *, obj, **kwargs: line_delete(line=obj, **kwargs),
    done=gettext_lazy("Raden %(name)s är borttagen."),
    back=lambda plan, line: reverse("edit:lines", args=[plan.pk]) + f"#{SECTION_SLUGS[line.section]}",
    consequences=_consequences,
)
