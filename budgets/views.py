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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from board.selectors import plan_page_board
from budgets.history import plan_history_entries
from budgets.models import Plan
from budgets.selectors import guidance_bands, plan_documents, plan_overview, plan_queryset, plan_shared_data
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
from budgets.year_wheel import year_wheel
from federations.access import (
    WRITE,
    federation_permission,
    federations_for_user,
    get_plan_for_user,
    is_administrator,
    is_national_reader,
    readable_plans,
)


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=gettext_lazy("Fastställd av styrelsen den"),
        # Typed as text, not <input type="date">: the browser would show the date in its own
        # locale's order (11/29/2026); the app writes and reads 2026-11-29 everywhere.
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d"),
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
    # A board member's federation lists its drafts only once they are sent to the board.
    plans = readable_plans(
        request.user,
        plan_queryset()
        .filter(federation__in=federations_for_user(request.user))
        .prefetch_related("federation__roles", "sendings")
        .order_by("federation__name", "-year"),
    )
    live_bands = guidance_bands()
    shared_by_plan = {plan.pk: plan_shared_data(plan, live_bands=live_bands) for plan in plans}
    documents = plan_documents(plans, shared=shared_by_plan)
    rows = []
    for plan, document in zip(plans, documents):
        shared = shared_by_plan[plan.pk]
        findings = validate_document(document, bands=shared.bands)
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
    wheels = _year_wheels(plans, documents, shared_by_plan, today=timezone.localdate())
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
            "is_national_reader": is_national_reader(request.user),
            "chief_of": [] if request.user.is_superuser else chief_of,
            "wheels": wheels,
        },
    )


def _year_wheels(plans, documents, shared_by_plan, *, today) -> list[dict]:
    """Per federation, the year at a glance from the plan of this year (its newest
    revision), else from the federation's newest plan, for that plan's year."""
    chosen: dict[int, tuple] = {}
    for plan, document in zip(plans, documents):
        current = chosen.get(plan.federation_id)
        rank = (plan.year == today.year, plan.year, plan.revision)
        if current is None or rank > current[0]:
            chosen[plan.federation_id] = (rank, plan, document)
    wheels = []
    for _rank, plan, document in chosen.values():
        wheels.append(
            {
                "federation": shared_by_plan[plan.pk].federation.display_name,
                "plan": plan,
                "wheel": year_wheel(year=plan.year, meetings=document.meetings or [], today=today),
            }
        )
    return sorted(wheels, key=lambda item: item["federation"])


def _plan_neighbours(request, plan) -> dict:
    """The plan's other revisions and last and next year's newest revision, among the plans the
    user may read (a board member is not told of a draft not sent to the board), and whether
    this is the newest revision. Two queries, whatever the number of plans."""
    plans = list(
        Plan.objects.filter(federation=plan.federation, year__range=(plan.year - 1, plan.year + 1))
        .prefetch_related("sendings")
        .order_by("year", "revision")
    )
    for other in plans:
        # The same federation, its roles loaded with the plan.
        other.federation = plan.federation
    readable = readable_plans(request.user, plans)

    def newest(year):
        return next((other for other in reversed(readable) if other.year == year), None)

    same_year = [other for other in plans if other.year == plan.year]
    return {
        "is_newest_revision": bool(same_year) and same_year[-1].pk == plan.pk,
        "other_revisions": [other for other in readable if other.year == plan.year and other.pk != plan.pk],
        # Last year's plan, which this one was rolled forward from, and next year's, rolled from this.
        "previous_year_plan": newest(plan.year - 1),
        "next_year_plan": newest(plan.year + 1),
    }


def _plan_page_context(request, plan, **extra):
    overview = plan_overview(plan)
    neighbours = _plan_neighbours(request, plan)
    next_year = neighbours["next_year_plan"]
    can_edit = plan.permission == WRITE
    context = {
        "plan": plan,
        "overview": overview,
        "table_on_page": True,
        "can_edit": can_edit and not plan.is_adopted,
        "can_manage": can_edit,
        **neighbours,
        # Whether "Ny plan för nästa år" is offered: the chief reads every plan.
        "next_year_exists": next_year is not None,
    }
    context.update(plan_page_board(request.user, plan))
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
    if form.is_valid() and not _confirmed(request):
        errors = plan_overview(plan).errors
        if form.cleaned_data["version"] != plan.version:
            form = AdoptForm({**request.POST.dict(), "version": plan.version})
            form.is_valid()
            form.add_error(None, _("Någon annan har ändrat planen medan du tittade på den. Granska den igen innan du fastställer."))
        elif not errors:
            return _confirm_page(
                request,
                plan,
                title=_("Fastställ planen"),
                question=_("Fastställa %(plan)s?") % {"plan": _plan_name(plan)},
                consequences=[
                    _("Fastställd av styrelsen den %(date)s%(reference)s.")
                    % {
                        "date": form.cleaned_data["adopted_on"].isoformat(),
                        "reference": (", " + _("Dnr %(reference)s") % {"reference": form.cleaned_data["reference"]})
                        if form.cleaned_data["reference"]
                        else "",
                    },
                    _("Därefter kan planen inte ändras; en ändring görs som en ny revision."),
                ],
                fields={
                    "adopted_on": form.cleaned_data["adopted_on"].isoformat(),
                    "reference": form.cleaned_data["reference"],
                    "version": form.cleaned_data["version"],
                },
                action=reverse("budgets:adopt", args=[plan.pk]),
                confirm_label=_("Fastställ"),
            )
        else:
            form.add_error(None, _("Planen kan inte fastställas: %(count)s fel återstår. Rätta dem först.") % {"count": len(errors)})
    elif form.is_valid():
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
    if not _confirmed(request) and not Plan.objects.filter(federation=plan.federation, year=plan.year + 1).exists():
        return _confirm_page(
            request,
            plan,
            title=_("Ny plan för nästa år"),
            question=_("Börja planen för %(year)s från %(plan)s?") % {"year": plan.year + 1, "plan": _plan_name(plan)},
            consequences=[
                _("Medlemmar, mål, pågående insatser, rader och kapitel följer med."),
                _("Kolumnerna flyttas ett år: budgeten för %(year)s blir prognos och ska fyllas i.") % {"year": plan.year},
                _("Det ingående egna kapitalet hämtas från kedjan i den här planen."),
                _("Den här planen ändras inte."),
            ],
            fields={},
            action=reverse("budgets:roll_forward", args=[plan.pk]),
            confirm_label=_("Gör planen för %(year)s") % {"year": plan.year + 1},
        )
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
    if not _confirmed(request) and version == plan.version:
        columns = plan.stated_totals.count()
        return _confirm_page(
            request,
            plan,
            title=_("Ta bort angivna summor"),
            question=_("Ta bort summorna som stod i dokumentet planen importerades från?"),
            consequences=[
                _("Summorna för %(count)s kolumner tas bort; kontrollerna jämför inte längre med dem.") % {"count": columns},
                _("Planens rader och belopp ändras inte. Ändringen syns i planens historik."),
            ],
            fields={"version": version},
            action=reverse("budgets:clear_stated", args=[plan.pk]),
            confirm_label=_("Ta bort angivna summor"),
        )
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


def _confirmed(request) -> bool:
    """Whether the POST comes from the confirmation page; the first POST only shows that page."""
    return request.POST.get("confirmed") == "yes"


def _plan_name(plan) -> str:
    return _("%(federation)s verksamhetsplan %(year)s, revision %(revision)s") % {
        "federation": plan.federation_profile.display_name,
        "year": plan.year,
        "revision": plan.revision,
    }


def _confirm_page(request, plan, *, title, question, consequences, fields, action, confirm_label):
    """The step between a button with lasting effect and its effect: the question, what will
    happen, and a form that posts the same fields again with `confirmed=yes`. Nothing changes
    until that second POST."""
    return render(
        request,
        "budgets/confirm.html",
        {
            "plan": plan,
            "title": title,
            "question": question,
            "consequences": consequences,
            "fields": list(fields.items()),
            "action": action,
            "confirm_label": confirm_label,
        },
    )


def _forbidden():
    raise PermissionDenied(_("Du kan läsa planen men inte ändra den."))
