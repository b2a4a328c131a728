"""The chief's pages for a plan's interventions: a sortable, filterable list, and a form with every field.

Like every edit page they need write access (see `budgets.editing.base`).
"""

from __future__ import annotations

from django.db.models import Case, DecimalField, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from budgets.editing.base import Deletion, column_title, edit_view, render_edit_page, submit_edit
from budgets.models import Column, LineAmount
from budgets.selectors import plan_overview
from budgets.totals import Funding, intervention_cost_per_column
from interventions import services
from interventions.forms import InterventionFilterForm, InterventionForm
from interventions.models import Intervention
from interventions.tables import InterventionTable


def _budget_column(plan, columns) -> Column | None:
    """The plan's own budget column: the one the list shows costs of."""
    return next((column for column in columns if column.year == plan.year and column.kind == Column.Kind.BUDGET), None)


@edit_view("GET")
def intervention_list(request, plan):
    columns = list(plan.columns.all())
    budget = _budget_column(plan, columns)
    interventions = (
        Intervention.objects.filter(plan=plan).select_related("category", "owner").prefetch_related("parties")
    )
    overview = plan_overview(plan)
    if budget is not None:
        # The plan's totals sum the linked cost lines; the table sorts by them in the database.
        costs = overview.totals.column(budget.slug).costs_by_intervention
        interventions = interventions.annotate(
            budget_cost=Case(
                *(When(slug=slug, then=Value(cost)) for slug, cost in costs.items()),
                output_field=DecimalField(),
            )
        )
    filter_form = InterventionFilterForm(request.GET or None)
    if filter_form.is_valid():
        if filter_form.cleaned_data["kind"]:
            interventions = interventions.filter(kind=filter_form.cleaned_data["kind"])
        if filter_form.cleaned_data["status"]:
            interventions = interventions.filter(status=filter_form.cleaned_data["status"])
    table = InterventionTable(interventions, plan=plan, budget_title=column_title(budget) if budget else None)
    RequestConfig(request, paginate=False).configure(table)
    return render_edit_page(
        request,
        plan,
        "interventions/list.html",
        {"table": table, "filter_form": filter_form, "sort": request.GET.get("sort", ""), "wide": True},
        section="interventions",
        overview=overview,
    )


def _linked_lines(intervention, columns):
    """The cost lines linked to the intervention, with their amount per column."""
    if intervention is None or intervention.pk is None:
        return []
    lines = list(intervention.cost_lines.all().order_by("order", "pk"))
    amounts = {
        (amount.line_id, amount.column_id): amount.amount
        for amount in LineAmount.objects.filter(line__in=lines)
    }
    return [(line, [amounts.get((line.pk, column.pk)) for column in columns]) for line in lines]


def _form_page(request, plan, intervention, *, status=200, stale=False, form=None):
    columns = list(plan.columns.all())
    if intervention is not None:
        # After someone else's change: show what is stored now.
        intervention = Intervention.objects.filter(plan=plan, pk=intervention.pk).first() or intervention
    counted = _counted(intervention, columns)
    if form is None:
        initial = InterventionForm.initial_for(intervention, columns) if intervention else {"kind": "individual", "status": "active"}
        form = InterventionForm(plan=plan, columns=columns, intervention=intervention, initial=initial)
    return render_edit_page(
        request,
        plan,
        "interventions/form.html",
        {
            "intervention": intervention,
            "form": form,
            "columns": columns,
            "column_titles": [column_title(column) for column in columns],
            "linked_lines": _linked_lines(intervention, columns),
            "counted": counted,
            "has_counted": any(value is not None for value in counted),
        },
        section="interventions",
        status=status,
        stale=stale,
    )


def _counted(intervention, columns):
    """Per column, the part of the grant the budget counts on (granted × share), where a grant is given."""
    if intervention is None or intervention.pk is None:
        return []
    costs = intervention_cost_per_column(
        {row.column_id: Funding(granted=row.granted, utilization=row.utilization) for row in intervention.funding.all()},
        default_utilization=intervention.utilization,
        unit=intervention.plan.unit,
    )
    return [costs.get(column.pk) for column in columns]


@edit_view("GET", "POST")
def intervention_create(request, plan):
    if request.method == "POST":
        form = InterventionForm(request.POST, plan=plan, columns=list(plan.columns.all()))
        return submit_edit(
            request,
            plan,
            form=form,
            write=lambda data, seen: services.intervention_create(
                plan=plan, values=data, acting_user=request.user, seen_version=seen
            ),
            success=lambda intervention: _("Insatsen %(name)s är tillagd.") % {"name": intervention.name},
            redirect_to=reverse("interventions:list", args=[plan.pk]),
            page=lambda plan, **kwargs: _form_page(request, plan, None, **kwargs),
        )
    return _form_page(request, plan, None)


@edit_view("GET", "POST")
def intervention_edit(request, plan, intervention_pk):
    intervention = get_object_or_404(Intervention.objects.filter(plan=plan), pk=intervention_pk)
    if request.method == "POST":
        form = InterventionForm(request.POST, plan=plan, columns=list(plan.columns.all()), intervention=intervention)
        return submit_edit(
            request,
            plan,
            form=form,
            write=lambda data, seen: services.intervention_update(
                plan=plan, intervention=intervention, values=data, acting_user=request.user, seen_version=seen
            ),
            success=lambda saved: _("Insatsen %(name)s är sparad.") % {"name": saved.name},
            redirect_to=reverse("interventions:edit", args=[plan.pk, intervention.pk]),
            page=lambda plan, **kwargs: _form_page(request, plan, intervention, **kwargs),
        )
    return _form_page(request, plan, intervention)


def _delete_consequences(intervention) -> list[str]:
    lines = [line.label for line in intervention.cost_lines.all()]
    consequences = []
    if lines:
        consequences.append(
            _("Kostnadsraderna %(names)s finns kvar i budgeten men kopplas bort från insatsen.")
            % {"names": ", ".join(lines)}
        )
    if intervention.funding.exists():
        consequences.append(_("Insatsens beviljade belopp tas bort."))
    return consequences


DELETION = Deletion(
    section="interventions",
    pk_url_kwarg="intervention_pk",
    find=lambda plan, pk: get_object_or_404(Intervention.objects.filter(plan=plan), pk=pk),
    name=lambda intervention: intervention.name,
    title=gettext_lazy("Ta bort insats"),
    question=lambda intervention: _("Ta bort insatsen %(name)s?") % {"name": intervention.name},
    delete=lambda *, obj, **kwargs: services.intervention_delete(intervention=obj, **kwargs),
    done=gettext_lazy("Insatsen %(name)s är borttagen."),
    back=lambda plan, intervention: reverse("interventions:list", args=[plan.pk]),
    cancel=lambda plan, intervention: reverse("interventions:edit", args=[plan.pk, intervention.pk]),
    consequences=_delete_consequences,
)
