"""The recording side of the follow-up: the plan's list of follow-ups, typing the
outcome, importing it from SIE, CSV or Excel, the account mapping and participants.

Access through `federations.access.get_plan_for_follow_up`: the chief writes, board
members and accountants read (403 on writes), others get 404, and so does a draft.
Writes carry the follow-up's version; one made from an older version is refused
with the values now stored (409). Bad input changes nothing (400).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from budgets.editing.base import unit_name
from budgets.models import Column, LineAmount
from budgets.totals import unit_places
from federations.access import WRITE, get_plan_for_follow_up
from finsam.lib.formatting import format_number
from followup import services
from followup.explaining import STALE_MESSAGE
from followup.recording_forms import MappingUploadForm, OpenFollowUpForm, OutcomeGridForm, OutcomeUploadForm, ParticipantsForm, outcome_field_name
from followup.models import FollowUp, Outcome, ParticipantOutcome
from followup.outcome_files import (
    MAPPING_HEADER,
    MAPPING_MAX_ROWS,
    OUTCOME_HEADER,
    OUTCOME_MAX_ROWS,
    FileRefused,
    LineIndex,
    OutcomeImport,
    mapped_line,
    mapping_csv,
    outcome_from_sie,
    outcome_from_table,
    plan_lines,
    read_mapping_rows,
    read_table,
    sie_keys,
)
from followup.sie import SIE_MAX_BYTES, SieBooks, SieRefused, read_sie

UPLOAD_MAX_BYTES = SIE_MAX_BYTES


def _stale_message() -> str:
    return str(STALE_MESSAGE)


def _follow_up(plan, period_end: date) -> FollowUp:
    return get_object_or_404(FollowUp, plan=plan, period_end=period_end)


def _posted_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _page(request, template, plan, context, *, status=200):
    return render(
        request,
        template,
        {"plan": plan, "can_write": plan.permission == WRITE, "unit": unit_name(plan), **context},
        status=status,
    )


# ---------------------------------------------------------------------------
# The plan's follow-ups


@login_required
def follow_up_list(request, pk):
    plan = get_plan_for_follow_up(request, pk, write=request.method == "POST")
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    presets = services.tertial_ends(plan.year)
    form = OpenFollowUpForm(request.POST or None, presets=presets, initial={"period": presets[0][1].isoformat()})
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.cleaned_data.get("period_end"):
            try:
                follow_up = services.open_follow_up(plan=plan, period_end=form.cleaned_data["period_end"])
            except services.FollowUpRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request, _("Uppföljningen till och med %(date)s är skapad.") % {"date": follow_up.period_end.isoformat()}
                )
                return redirect("followup:outcome", pk=plan.pk, period_end=follow_up.period_end)
        status = 400
    follow_ups = list(plan.follow_ups.order_by("period_end"))
    return _page(request, "followup/list.html", plan, {"follow_ups": follow_ups, "form": form}, status=status)


# ---------------------------------------------------------------------------
# Typing the outcome


def _budget_column(plan) -> Column | None:
    return (
        Column.objects.filter(plan=plan, year=plan.year, kind=Column.Kind.BUDGET).order_by("order", "pk").first()
    )


def _outcome_rows(plan, follow_up, form):
    """The grid's rows, grouped as the plan shows them, with the year's budget beside each."""
    column = _budget_column(plan)
    budget = (
        dict(LineAmount.objects.filter(column=column).values_list("line_id", "amount")) if column is not None else {}
    )
    stored = dict(Outcome.objects.filter(follow_up=follow_up).values_list("line_id", "amount"))
    places = unit_places(plan.unit)
    groups = []
    for line in form.lines:
        title = _group_title(line)
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "rows": []})
        name = outcome_field_name(line)
        bound = form[name]
        if form.is_bound:
            value = form.data.get(name, "")
        else:
            value = format_number(stored.get(line.pk))
        groups[-1]["rows"].append(
            {
                "line": line,
                "name": name,
                "budget": format_number(budget.get(line.pk), places) if line.pk in budget else "",
                "value": value,
                "shown": format_number(stored[line.pk]) if line.pk in stored else "",
                "error": bound.errors[0] if form.is_bound and bound.errors else "",
            }
        )
    return groups, column


def _group_title(line) -> str:
    if line.section == "cost":
        return f"{_('Kostnader')}: {line.get_cost_group_display()}"
    return line.get_section_display()


@login_required
def outcome(request, pk, period_end):
    plan = get_plan_for_follow_up(request, pk, write=request.method == "POST")
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    follow_up = _follow_up(plan, period_end)
    lines = plan_lines(plan)
    form = OutcomeGridForm(request.POST or None, lines=lines, plan=plan)
    status, stale = 200, False
    if request.method == "POST":
        if _posted_version(request) != follow_up.version:
            form, status, stale = OutcomeGridForm(lines=lines, plan=plan), 409, True
        elif form.is_valid():
            try:
                services.outcome_replace(
                    follow_up=follow_up, amounts=form.amounts(), source=services.SOURCE_TYPED,
                    seen_version=follow_up.version,
                )
            except services.StaleFollowUp:
                form, status, stale = OutcomeGridForm(lines=lines, plan=plan), 409, True
            else:
                messages.success(request, _("Utfallet är sparat."))
                return redirect("followup:outcome", pk=plan.pk, period_end=period_end)
        else:
            status = 400
    if stale:
        follow_up.refresh_from_db()
    groups, column = _outcome_rows(plan, follow_up, form)
    errors = [(f"id_{row['name']}", f"{row['line'].display_label}: {row['error']}") for group in groups for row in group["rows"] if row["error"]]
    return _page(
        request,
        "followup/outcome.html",
        plan,
        {
            "follow_up": follow_up,
            "section": "outcome",
            "groups": groups,
            "budget_column": column,
            "places": unit_places(plan.unit),
            "error_list": errors,
            "stale": stale,
            "stale_message": _stale_message(),
        },
        status=status,
    )


# ---------------------------------------------------------------------------
# Importing: upload, preview, (map accounts), save


def _session_key(follow_up) -> str:
    return f"outcome-import-{follow_up.pk}"


def _books_to_session(books: SieBooks) -> dict:
    return {
        "accounts": books.accounts,
        "objects": books.objects,
        "sums": [[account, list(objects), str(amount)] for (account, objects), amount in books.sums.items()],
        "balance_accounts": sorted(books.balance_accounts),
        "from_year_results": books.from_year_results,
        "transactions": books.transactions,
        "transactions_in_period": books.transactions_in_period,
    }


def _books_from_session(data: dict) -> SieBooks:
    books = SieBooks(accounts=data["accounts"], objects=data["objects"])
    books.sums = {(account, tuple(objects)): Decimal(amount) for account, objects, amount in data["sums"]}
    books.balance_accounts = set(data["balance_accounts"])
    books.from_year_results = data["from_year_results"]
    books.transactions = data["transactions"]
    books.transactions_in_period = data["transactions_in_period"]
    return books


def _import_page(request, plan, follow_up, *, form=None, problems=(), preview=None, status=200):
    context = {
        "follow_up": follow_up,
        "section": "import",
        "form": form or OutcomeUploadForm(),
        "problems": problems,
        "limit_mb": UPLOAD_MAX_BYTES // 1024 // 1024,
        "max_rows": format_number(OUTCOME_MAX_ROWS),
    }
    if preview is not None:
        context.update(preview)
    return _page(request, "followup/import.html", plan, context, status=status)


def _preview_context(plan, follow_up, stored: dict) -> dict:
    """The preview of a read file kept in the session: the outcome per line beside
    what is stored now, and for SIE the accounts with their mapping."""
    index = LineIndex(plan)
    if stored["kind"] == "sie":
        books = _books_from_session(stored["books"])
        mappings = services.account_mappings(plan.federation)
        result = outcome_from_sie(plan, books, mappings)
        keys = [
            {
                "key": key,
                "name": name,
                "sum": format_number(amount),
                "line": mapped_line(index, mappings, key),
                "unmapped": key in {account for account, _name, _sum in result.unmapped},
            }
            for key, name, amount in sie_keys(books)
        ]
    else:
        result = OutcomeImport(amounts={int(pk): Decimal(amount) for pk, amount in stored["amounts"].items()})
        keys = []
    current = dict(Outcome.objects.filter(follow_up=follow_up).values_list("line_id", "amount"))
    rows = [
        {
            "line": line,
            "new": format_number(result.amounts.get(line.pk)) if line.pk in result.amounts else "",
            "current": format_number(current.get(line.pk)) if line.pk in current else "",
        }
        for line in index.lines
        if line.pk in result.amounts or line.pk in current
    ]
    return {
        "preview_rows": rows,
        "notes": result.notes,
        "unmapped": [(account, name, format_number(amount)) for account, name, amount in result.unmapped],
        "sie_keys": keys,
        "lines": index.lines,
        "file_name": stored["name"],
        "file_kind": stored["kind"],
        "can_save": not result.unmapped,
        "result": result,
    }


@login_required
def outcome_import(request, pk, period_end):
    plan = get_plan_for_follow_up(request, pk, write=True)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    follow_up = _follow_up(plan, period_end)
    if request.method != "POST":
        stored = request.session.get(_session_key(follow_up))
        if stored and request.GET.get("visa"):
            return _import_page(request, plan, follow_up, preview=_preview_context(plan, follow_up, stored))
        return _import_page(request, plan, follow_up)
    form = OutcomeUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, plan, follow_up, form=form, status=400)
    upload = form.cleaned_data["file"]
    name = upload.name or "fil"
    if upload.size > UPLOAD_MAX_BYTES:
        return _import_page(
            request, plan, follow_up, form=form, status=400,
            problems=[_("%(file)s: filen är för stor, högst %(limit)s MB.") % {"file": name, "limit": UPLOAD_MAX_BYTES // 1024 // 1024}],
        )
    raw = upload.read()
    try:
        stored = read_upload(plan, follow_up, raw, name=name, kind=form.cleaned_data["kind"])
    except FileRefused as refusal:
        return _import_page(request, plan, follow_up, form=form, problems=refusal.problems, status=400)
    request.session[_session_key(follow_up)] = stored
    return _import_page(request, plan, follow_up, preview=_preview_context(plan, follow_up, stored))


def read_upload(plan, follow_up, raw: bytes, *, name: str, kind: str) -> dict:
    """What the session keeps of a file read: for SIE the summed books (mapped at
    preview and save time, so that a mapping made in between counts), for a table
    the amounts per line. Raises FileRefused."""
    if kind == "sie":
        try:
            books = read_sie(raw, period_start=date(plan.year, 1, 1), period_end=follow_up.period_end)
        except SieRefused as refusal:
            raise FileRefused([f"{name}: {refusal.message}"]) from None
        return {"kind": "sie", "name": name, "version": follow_up.version, "books": _books_to_session(books)}
    rows = read_table(raw, name, header=OUTCOME_HEADER, max_rows=OUTCOME_MAX_ROWS)
    result = outcome_from_table(plan, rows, name)
    return {
        "kind": "table",
        "name": name,
        "version": follow_up.version,
        "amounts": {str(pk): str(amount) for pk, amount in result.amounts.items()},
    }


@login_required
def outcome_import_map(request, pk, period_end):
    """Save the mapping chosen on the preview of a SIE file, then show the preview again."""
    plan = get_plan_for_follow_up(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    follow_up = _follow_up(plan, period_end)
    stored = request.session.get(_session_key(follow_up))
    if not stored or stored["kind"] != "sie":
        messages.error(request, _("Läs in filen igen: förhandsvisningen finns inte längre."))
        return redirect("followup:import", pk=plan.pk, period_end=period_end)
    index = LineIndex(plan)
    lines = {str(line.pk): line for line in index.lines}
    books = _books_from_session(stored["books"])
    changes = {}
    for key, _name, _amount in sie_keys(books):
        chosen = request.POST.get(f"map-{key}")
        if chosen is None:
            continue
        if chosen and chosen not in lines:
            messages.error(request, _("Välj en rad i planen för kontot %(account)s.") % {"account": key})
            return redirect(reverse("followup:import", kwargs={"pk": plan.pk, "period_end": period_end}) + "?visa=1")
        changes[key] = lines.get(chosen)
    count = services.account_mappings_update(federation=plan.federation, changes=changes)
    messages.success(request, _("Kontokopplingarna är sparade (%(count)s konton och objekt).") % {"count": count})
    return redirect(reverse("followup:import", kwargs={"pk": plan.pk, "period_end": period_end}) + "?visa=1")


@login_required
def outcome_import_save(request, pk, period_end):
    plan = get_plan_for_follow_up(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    follow_up = _follow_up(plan, period_end)
    stored = request.session.get(_session_key(follow_up))
    if not stored:
        messages.error(request, _("Läs in filen igen: förhandsvisningen finns inte längre."))
        return redirect("followup:import", pk=plan.pk, period_end=period_end)
    preview = _preview_context(plan, follow_up, stored)
    result = preview["result"]
    if result.unmapped:
        problems = [
            _("Kontona %(accounts)s har ingen rad i planen. Koppla dem innan utfallet sparas.")
            % {"accounts": ", ".join(account for account, _name, _sum in result.unmapped)}
        ]
        return _import_page(request, plan, follow_up, preview=preview, problems=problems, status=400)
    try:
        count = services.outcome_replace(
            follow_up=follow_up,
            amounts=result.amounts,
            source=services.SOURCE_SIE if stored["kind"] == "sie" else services.SOURCE_FILE,
            source_name=stored["name"],
            seen_version=stored["version"],
        )
    except services.StaleFollowUp:
        request.session.pop(_session_key(follow_up), None)
        messages.error(request, _stale_message())
        return redirect("followup:import", pk=plan.pk, period_end=period_end)
    request.session.pop(_session_key(follow_up), None)
    messages.success(
        request,
        _("Utfallet från %(file)s är sparat: %(count)s rader. Tidigare utfall för perioden är ersatt.")
        % {"file": stored["name"], "count": count},
    )
    return redirect("followup:outcome", pk=plan.pk, period_end=period_end)


# ---------------------------------------------------------------------------
# The account mapping


def _mapping_page(request, plan, *, problems=(), status=200):
    index = LineIndex(plan)
    mappings = services.account_mappings(plan.federation)
    rows = [
        {"account": account, "line": mapped_line(index, mappings, account), "mapping": mapping}
        for account, mapping in sorted(mappings.items(), key=lambda item: (item[0].startswith("objekt:"), len(item[0]), item[0]))
    ]
    return _page(
        request,
        "followup/mapping.html",
        plan,
        {"rows": rows, "lines": index.lines, "problems": problems, "upload_form": MappingUploadForm(), "header": ";".join(MAPPING_HEADER)},
        status=status,
    )


@login_required
def mapping(request, pk):
    plan = get_plan_for_follow_up(request, pk, write=request.method == "POST")
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method != "POST":
        return _mapping_page(request, plan)
    index = LineIndex(plan)
    lines = {str(line.pk): line for line in index.lines}
    mappings = services.account_mappings(plan.federation)
    changes = {}
    problems = []
    for account in mappings:
        chosen = request.POST.get(f"map-{account}")
        if chosen is None:
            continue
        if chosen and chosen not in lines:
            problems.append(_("Välj en rad i planen för kontot %(account)s.") % {"account": account})
        changes[account] = lines.get(chosen)
    new_account = request.POST.get("new-account", "").strip()
    new_line = request.POST.get("new-line", "")
    if new_account and not new_line:
        problems.append(_("Välj en rad i planen för kontot %(account)s.") % {"account": new_account})
    elif new_account or new_line:
        try:
            changes.update(read_mapping_rows(plan, [(1, new_account, index.name_of(lines[new_line]) if new_line in lines else new_line)], _("Ny koppling")))
        except FileRefused as refusal:
            problems.extend(refusal.problems)
    if problems:
        return _mapping_page(request, plan, problems=problems, status=400)
    services.account_mappings_update(federation=plan.federation, changes=changes)
    messages.success(request, _("Kontokopplingarna är sparade."))
    return redirect("followup:mapping", pk=plan.pk)


@login_required
def mapping_csv_view(request, pk):
    plan = get_plan_for_follow_up(request, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    content = "\ufeff" + mapping_csv(plan, services.account_mappings(plan.federation))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kontokopplingar-{plan.federation.slug}.csv"'
    return response


@login_required
def mapping_upload(request, pk):
    plan = get_plan_for_follow_up(request, pk, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MappingUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _mapping_page(request, plan, problems=[_("Välj en kopplingsfil.")], status=400)
    upload = form.cleaned_data["file"]
    name = upload.name or "fil"
    try:
        rows = read_table(upload.read(), name, header=MAPPING_HEADER, max_rows=MAPPING_MAX_ROWS)
        changes = read_mapping_rows(plan, rows, name)
    except FileRefused as refusal:
        return _mapping_page(request, plan, problems=refusal.problems, status=400)
    count = services.account_mappings_update(federation=plan.federation, changes=changes)
    messages.success(request, _("%(file)s är inläst: %(count)s kopplingar.") % {"file": name, "count": count})
    return redirect("followup:mapping", pk=plan.pk)


# ---------------------------------------------------------------------------
# Participants


@login_required
def participants(request, pk, period_end):
    plan = get_plan_for_follow_up(request, pk, write=request.method == "POST")
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    follow_up = _follow_up(plan, period_end)
    interventions = list(plan.interventions.all())
    form = ParticipantsForm(request.POST or None, interventions=interventions)
    status, stale = 200, False
    if request.method == "POST":
        if _posted_version(request) != follow_up.version:
            status, stale = 409, True
        elif form.is_valid():
            try:
                services.participants_replace(follow_up=follow_up, counts=form.counts(), seen_version=follow_up.version)
            except services.StaleFollowUp:
                status, stale = 409, True
            else:
                messages.success(request, _("Deltagarna är sparade."))
                return redirect("followup:participants", pk=plan.pk, period_end=period_end)
        else:
            status = 400
    if stale:
        follow_up.refresh_from_db()
        form = ParticipantsForm(interventions=interventions)
    stored = {row.intervention_id: row for row in ParticipantOutcome.objects.filter(follow_up=follow_up)}
    rows = []
    for intervention in interventions:
        row = stored.get(intervention.pk)
        cells = []
        for kind in ("women", "men"):
            name = f"{kind}-{intervention.pk}"
            value = form.data.get(name, "") if form.is_bound else (getattr(row, kind) if row and getattr(row, kind) is not None else "")
            cells.append({"name": name, "value": value, "label": form.fields[name].label,
                          "error": form[name].errors[0] if form.is_bound and form[name].errors else ""})
        rows.append({"intervention": intervention, "cells": cells, "stored": row})
    return _page(
        request,
        "followup/participants.html",
        plan,
        {"follow_up": follow_up, "section": "participants", "rows": rows, "stale": stale, "stale_message": _stale_message()},
        status=status,
    )
