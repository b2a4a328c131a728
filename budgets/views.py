"""The start page, the plan page, the plan's lifecycle and its history.

Access comes before the method: an outsider gets 404 and a reader 403 whatever
the method, so that a 405 never tells anyone a plan exists.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from budgets.history import plan_history_entries
from budgets.models import Plan
from budgets.selectors import guidance_bands, plan_document, plan_overview, plan_queryset, plan_shared_data
from budgets.services import (
    AdoptionRefused,
    LifecycleRefused,
    StaleEdit,
    plan_adopt,
    plan_clear_stated_totals,
    plan_new_revision,
    plan_roll_forward,
)
from budgets.tables import PlanTable
from budgets.validation import validate_document
from federations.access import WRITE, federation_permission, federations_for_user, get_plan_for_user, is_administrator


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=gettext_lazy("Fastställd av styrelsen den"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Ange datum som ÅÅÅÅ-MM-DD."), "required": gettext_lazy("Ange datum.")},
    )
    reference = forms.CharField(label=gettext_lazy("Diarienummer"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_adopted_on(self):
        adopted_on = self.cleaned_data["adopted_on"]
        if adopted_on > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("Datumet för beslutet kan inte ligga i framtiden."))
        return adopted_on


@login_required
def start(request):
    """The user's federations and their plans, with the checks' verdict on each."""
    plans = list(
        plan_queryset().filter(federation__in=federations_for_user(request.user)).order_by("federation__name", "-year")
    )
    live_bands = guidance_bands()
    rows = []
    for plan in plans:
        shared = plan_shared_data(plan, live_bands=live_bands)
        findings = validate_document(plan_document(plan, shared=shared), bands=shared.bands)
        errors = sum(1 for finding in findings if finding.is_error)
        rows.append(
            {
                "pk": plan.pk,
                "federation": shared.federation.display_name,
                "year": plan.year,
                "revision": plan.revision,
                "status": plan.get_status_display() if plan.status else _("Utkast"),
                "adopted": plan.is_adopted,
                "updated_at": plan.updated_at,
                "errors": errors,
                "warnings": len(findings) - errors,
            }
        )
    table = PlanTable(rows)
    RequestConfig(request, paginate=False).configure(table)
    chief_of = [
        federation
        for federation in federations_for_user(request.user).prefetch_related("roles")
        if federation_permission(request.user, federation) == WRITE
    ]
    return render(
        request,
        "budgets/start.html",
        {
            "table": table,
            "has_plans": bool(rows),
            "is_administrator": is_administrator(request.user),
            "chief_of": [] if request.user.is_superuser else chief_of,
        },
    )


def _plan_page_context(request, plan, **extra):
    overview = plan_overview(plan)
    newest_revision = (
        Plan.objects.filter(federation=plan.federation, year=plan.year).order_by("-revision").values_list("pk", flat=True).first()
    )
    can_edit = plan.permission == WRITE
    context = {
        "plan": plan,
        "overview": overview,
        "table_on_page": True,
        "can_edit": can_edit and not plan.is_adopted,
        "can_manage": can_edit,
        "is_newest_revision": newest_revision == plan.pk,
        "other_revisions": Plan.objects.filter(federation=plan.federation, year=plan.year).exclude(pk=plan.pk).order_by("revision"),
        "next_year_exists": Plan.objects.filter(federation=plan.federation, year=plan.year + 1).exists(),
    }
    if context["can_edit"] and "adopt_form" not in extra:
        context["adopt_form"] = AdoptForm(initial={"adopted_on": timezone.localdate(), "reference": plan.reference, "version": plan.version})
    context.update(extra)
    return context


@login_required
def plan_detail(request, pk):
    plan = get_plan_for_user(request, pk, queryset=plan_queryset())
    return render(request, "budgets/plan.html", _plan_page_context(request, plan))


@login_required
def plan_adopt_view(request, pk):
    plan = get_plan_for_user(request, pk, write=True, queryset=plan_queryset())
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            plan_adopt(
                plan=plan,
                adopted_on=form.cleaned_data["adopted_on"],
                reference=form.cleaned_data["reference"],
                acting_user=request.user,
                seen_version=form.cleaned_data["version"],
            )
        except AdoptionRefused as refusal:
            form.add_error(
                None,
                _("Planen kan inte fastställas: %(count)s fel återstår. Rätta dem först.") % {"count": len(refusal.errors)},
            )
        except StaleEdit as stale:
            # Show the plan as it is now, with a form made from the current version.
            plan = get_plan_for_user(request, pk, queryset=plan_queryset())
            form = AdoptForm({**request.POST.dict(), "version": stale.plan.version})
            form.is_valid()
            form.add_error(None, _("Någon annan har ändrat planen medan du tittade på den. Granska den igen innan du fastställer."))
        else:
            messages.success(request, _("Planen är fastställd. Den kan inte längre ändras; en ändring görs som en ny revision."))
            return redirect("budgets:plan", pk=plan.pk)
    return render(request, "budgets/plan.html", _plan_page_context(request, plan, adopt_form=form), status=400)


@login_required
def plan_revise_view(request, pk):
    plan = get_plan_for_user(request, pk)
    if plan.permission != WRITE:
        return _forbidden()
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        revision = plan_new_revision(plan=plan, acting_user=request.user)
    except LifecycleRefused as refusal:
        return _refused(request, plan, refusal)
    messages.success(request, _("Revision %(number)s är skapad som utkast.") % {"number": revision.revision})
    return redirect("budgets:plan", pk=revision.pk)


@login_required
def plan_roll_forward_view(request, pk):
    plan = get_plan_for_user(request, pk)
    if plan.permission != WRITE:
        return _forbidden()
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        new_plan = plan_roll_forward(plan=plan, acting_user=request.user)
    except LifecycleRefused as refusal:
        return _refused(request, plan, refusal)
    messages.success(
        request,
        _("Planen för %(year)s är skapad. Fyll i prognosen för %(previous)s och se över budgeten.")
        % {"year": new_plan.year, "previous": plan.year},
    )
    return redirect("budgets:plan", pk=new_plan.pk)


@login_required
def plan_clear_stated_view(request, pk):
    plan = get_plan_for_user(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        count = plan_clear_stated_totals(plan=plan, seen_version=version, acting_user=request.user)
    except StaleEdit:
        messages.error(request, _("Någon annan har ändrat planen medan du tittade på den. Granska den igen."))
    else:
        messages.success(
            request,
            _("Dokumentets angivna summor är borttagna i %(count)s kolumner; summorna räknas nu bara fram.")
            % {"count": count},
        )
    return redirect("budgets:plan", pk=plan.pk)


@login_required
def plan_history(request, pk):
    plan = get_plan_for_user(request, pk)
    return render(request, "budgets/history.html", {"plan": plan, "entries": plan_history_entries(plan)})


def _refused(request, plan, refusal):
    """Back to the plan with the reason; to the plan that is already there when that is the reason
    (a second click, or two people at once, find the first one's result)."""
    messages.error(request, str(refusal))
    return redirect("budgets:plan", pk=(refusal.existing or plan).pk)


def _forbidden():
    raise PermissionDenied(_("Du kan läsa planen men inte ändra den."))
