"""The plan's budget as Excel and CSV, and reading an edited Excel file back.

Downloading needs read access; reading a file in needs write access to a draft
(outsiders 404, readers 403, like every edit page). The upload shows a preview
and keeps the changes in the session until "Spara" stores them all at once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from budgets.editing.base import edit_view
from budgets.excel import export_file_name, plan_csv, plan_workbook
from budgets.excel_import import (
    MAX_FILE_BYTES,
    ExcelChanges,
    ExcelRefused,
    ExcelUnusable,
    compare,
    excel_apply,
    preview,
    read_workbook,
)
from budgets.selectors import plan_overview
from budgets.services import StaleEdit
from federations.access import get_plan_for_user
from finsam.lib.formatting import format_number

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _session_key(plan) -> str:
    return f"excel-import-{plan.pk}"


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def plan_excel(request, pk):
    plan = get_plan_for_user(request, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return _attachment(HttpResponse(plan_workbook(plan), content_type=XLSX_TYPE), export_file_name(plan, "xlsx"))


@login_required
def plan_csv_view(request, pk):
    plan = get_plan_for_user(request, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    # A byte order mark, so that Excel opens the file as UTF-8 (å, ä, ö).
    content = "\ufeff" + plan_csv(plan)
    return _attachment(HttpResponse(content, content_type="text/csv; charset=utf-8"), export_file_name(plan, "csv"))


def _upload_page(request, plan, *, problems=(), status=200):
    return render(
        request,
        "budgets/excel/upload.html",
        {
            "plan": plan,
            "overview": plan_overview(plan),
            "edit_section": "excel",
            "problems": list(problems),
            "limit": format_number(MAX_FILE_BYTES // 1024 // 1024),
        },
        status=status,
    )


@edit_view("GET", "POST")
def plan_excel_upload(request, plan):
    """GET: the upload form. POST: read the file and show what it would change."""
    if request.method == "GET":
        return _upload_page(request, plan)
    upload = request.FILES.get("file")
    if upload is None:
        return _upload_page(request, plan, problems=[_("Välj en Excel-fil att läsa in.")], status=400)
    # The size is known before anything is read: a large upload stays in its temporary file.
    if upload.size > MAX_FILE_BYTES:
        return _upload_page(
            request,
            plan,
            problems=[
                _("Filen är %(size)s MB; en Excel-fil får vara högst %(limit)s MB.")
                % {"size": format_number(upload.size / 1024 / 1024, 1), "limit": MAX_FILE_BYTES // 1024 // 1024}
            ],
            status=400,
        )
    try:
        changes = compare(plan, read_workbook(upload.read()))
    except ExcelUnusable as unusable:
        return _upload_page(request, plan, problems=[str(unusable)], status=400)
    except ExcelRefused as refused:
        return _upload_page(request, plan, problems=refused.problems, status=400)
    request.session[_session_key(plan)] = changes.as_data()
    return render(
        request,
        "budgets/excel/preview.html",
        {
            "plan": plan,
            "overview": plan_overview(plan),
            "edit_section": "excel",
            "preview": preview(plan, changes),
            "file_name": upload.name,
        },
    )


@edit_view("POST")
def plan_excel_save(request, plan):
    """Store the previewed changes in one transaction, or nothing."""
    data = request.session.pop(_session_key(plan), None)
    if data is None:
        messages.error(request, _("Det finns ingen inläst fil att spara. Läs in filen igen."))
        return redirect("budgets:excel_upload", pk=plan.pk)
    changes = ExcelChanges.from_data(data)
    if changes.is_empty:
        messages.info(request, _("Filen ändrar ingenting i planen."))
        return redirect("budgets:plan", pk=plan.pk)
    try:
        excel_apply(plan=plan, changes=changes, acting_user=request.user)
    except StaleEdit:
        return _upload_page(
            request,
            plan,
            problems=[
                _(
                    "Planen har ändrats sedan filen hämtades. Ingenting sparades. "
                    "Ladda ner en ny Excel-fil och för in dina ändringar i den."
                )
            ],
            status=409,
        )
    messages.success(
        request,
        _("Excel-filen är inläst: %(cells)s celler ändrade och %(lines)s nya rader.")
        % {"cells": len(changes.changes), "lines": len(changes.new_lines)},
    )
    return redirect("budgets:plan", pk=plan.pk)
