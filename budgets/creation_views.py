"""Starting a federation's plan: the new-plan wizard and reading a plan file in the browser.

Both need the federation's chief or an administrator (`get_federation_for_user`):
board members get 403, everyone else 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.creation import columns_for_years, plan_create_blank
from budgets.creation_forms import NewPlanForm, PlanFileForm
from budgets.editing.base import EditRefused, column_default_label
from budgets.models import Plan
from budgets.planfile import PlanFileError, federation_slug, read_plan_file
from budgets.selectors import guidance_bands
from budgets.services import PlanExists, plan_import
from budgets.totals import compute_totals
from budgets.validation import column_name, validate_document
from federations.access import get_federation_for_user
from finsam.lib.formatting import format_number

# A plan file is some tens of kilobytes; the limit keeps a hostile upload from filling memory.
MAX_PLAN_FILE_BYTES = 2 * 1024 * 1024


@login_required
def plan_new(request, slug):
    federation = get_federation_for_user(request, slug)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    next_year = timezone.localdate().year + 1
    form = NewPlanForm(request.POST or None, initial={"year": next_year, "last_year": next_year + 2})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plan_create_blank(
                federation=federation,
                year=data["year"],
                last_year=data["last_year"],
                unit=data["unit"],
                members=data["member_list"],
                acting_user=request.user,
            )
        except EditRefused as refusal:
            form.add_error("year", str(refusal))
        else:
            messages.success(
                request,
                _("Planen för %(year)s är skapad med %(members)s medlemmar och %(columns)s kolumner. Fyll i beloppen här eller i Excel.")
                % {"year": plan.year, "members": plan.members.count(), "columns": plan.columns.count()},
            )
            return redirect("budgets:plan", pk=plan.pk)
    year = form["year"].value()
    previous = None
    try:
        previous = Plan.objects.filter(federation=federation, year=int(year) - 1).order_by("-revision").first()
    except (TypeError, ValueError):
        pass
    try:
        columns = [column_default_label(year=y, kind=k) for y, k in columns_for_years(int(year), int(form["last_year"].value()))]
    except (TypeError, ValueError):
        columns = []
    return render(
        request,
        "budgets/creation/new_plan.html",
        {"federation": federation, "form": form, "previous": previous, "columns": columns},
        status=400 if form.errors else 200,
    )


def _session_key(federation) -> str:
    return f"plan-file-{federation.pk}"


def _upload_page(request, federation, *, form=None, problems=(), status=200):
    return render(
        request,
        "budgets/creation/plan_file.html",
        {"federation": federation, "form": form or PlanFileForm(), "problems": list(problems), "limit": MAX_PLAN_FILE_BYTES // 1024 // 1024},
        status=status,
    )


def _read(federation, raw: bytes):
    """The document in `raw` if it is this federation's; raises ValueError with the problems."""
    try:
        document = read_plan_file(raw)
    except PlanFileError as error:
        raise ValueError(error.problems)
    slug = federation_slug(document)
    if slug != federation.slug:
        raise ValueError(
            [
                _("Filen är en plan för %(other)s, inte för %(federation)s.")
                % {"other": document.federation.short_name or document.federation.name, "federation": federation.display_name}
            ]
        )
    return document


@login_required
def plan_file_upload(request, slug):
    """GET: the upload form. POST: read the file and show what it holds and its findings."""
    federation = get_federation_for_user(request, slug)
    if request.method == "GET":
        return _upload_page(request, federation)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = PlanFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, federation, form=form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_PLAN_FILE_BYTES:
        return _upload_page(
            request, federation, problems=[_("Filen är större än %(limit)s MB; en planfil är några tiotals kB.") % {"limit": MAX_PLAN_FILE_BYTES // 1024 // 1024}], status=400
        )
    raw = upload.read()
    try:
        document = _read(federation, raw)
    except ValueError as error:
        return _upload_page(request, federation, problems=error.args[0], status=400)
    request.session[_session_key(federation)] = raw.decode("utf-8")
    totals = compute_totals(document)
    findings = validate_document(document, bands=guidance_bands(), totals=totals)
    exists = Plan.objects.filter(federation=federation, year=document.plan.year).exists()
    return render(
        request,
        "budgets/creation/plan_file_preview.html",
        {
            "federation": federation,
            "document": document,
            "file_name": upload.name,
            "exists": exists,
            "columns": [
                (column_name(column.column), format_number(column.contributions), format_number(column.costs), format_number(column.result))
                for column in totals.columns
            ],
            "errors": [finding for finding in findings if finding.is_error],
            "warnings": [finding for finding in findings if not finding.is_error],
            "counts": {
                "members": len(document.members),
                "lines": len(document.contributions) + len(document.income or []) + len(document.costs),
                "interventions": len(document.interventions or []),
            },
        },
    )


@login_required
def plan_file_store(request, slug):
    federation = get_federation_for_user(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    text = request.session.pop(_session_key(federation), None)
    if text is None:
        messages.error(request, _("Det finns ingen inläst planfil att spara. Läs in filen igen."))
        return redirect("federations:plan_file_upload", slug=federation.slug)
    try:
        document = _read(federation, text.encode("utf-8"))
        plan = plan_import(document=document, acting_user=request.user)
    except ValueError as error:
        return _upload_page(request, federation, problems=error.args[0], status=400)
    except PlanExists:
        return _upload_page(
            request,
            federation,
            problems=[_("Förbundet har redan en plan för %(year)s. Ingenting sparades.") % {"year": document.plan.year}],
            status=409,
        )
    messages.success(request, _("Planen för %(year)s är inläst från filen.") % {"year": plan.year})
    return redirect("budgets:plan", pk=plan.pk)
