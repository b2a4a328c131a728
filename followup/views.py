"""The follow-up page, its tertial report and the export for Försäkringskassan.

Every view reaches the plan through `federations.access.get_plan_for_follow_up`
(outsiders 404, drafts 404, readers 403 on writes) and the follow-up by its end date."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from federations.access import WRITE, get_plan_for_follow_up
from finsam.lib.formatting import format_number
from followup.explaining import STALE_MESSAGE, StaleFollowUp, follow_up_explain, follow_up_mark_sent
from followup.forms import ExplainForm
from followup.models import FollowUp
from followup.report import follow_up_context, report_filename, report_pdf
from followup.selectors import follow_up_overview

BAD_REQUEST = 400
CONFLICT = 409


def _get_follow_up(request, pk, period_end, *, write=False):
    plan = get_plan_for_follow_up(request, pk, write=write)
    follow_up = get_object_or_404(FollowUp, plan=plan, period_end=period_end)
    if not plan.columns.filter(year=plan.year).exists():
        raise Http404(_("Planen har ingen kolumn för budgetåret att följa upp."))
    return plan, follow_up


def _posted_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _form(overview, data=None) -> ExplainForm:
    forecasts = {}
    for row in overview.figures.rows:
        if row.kind == "line" and row.overridden:
            forecasts[row.key] = row.forecast
    return ExplainForm(
        data,
        figures=overview.figures,
        forecasts=forecasts,
        line_comments=overview.line_comments,
        group_comments=overview.group_comments,
    )


def _render_detail(request, plan, overview, form=None, *, status=200):
    context = follow_up_context(overview)
    can_write = plan.permission == WRITE
    if can_write:
        form = form or _form(overview)
        for item in context["rows"]:
            row = item["row"]
            if row.kind == "line":
                item["forecast_field"] = form[f"forecast-{row.anchor}"]
                item["comment_field"] = form[f"comment-{row.anchor}"]
            elif row.kind == "group":
                item["comment_field"] = form[f"comment-group-{row.group}"]
    context.update({"form": form if can_write else None, "can_write": can_write})
    return render(request, "followup/detail.html", context, status=status)


@login_required
def follow_up_detail(request, pk, period_end):
    write = request.method == "POST"
    plan, follow_up = _get_follow_up(request, pk, period_end, write=write)
    overview = follow_up_overview(follow_up)
    if not write:
        return _render_detail(request, plan, overview)
    form = _form(overview, request.POST)
    if not form.is_valid():
        messages.error(request, _("Inget sparades. Rätta det som är markerat."))
        return _render_detail(request, plan, overview, form, status=BAD_REQUEST)
    lines = overview.lines
    try:
        follow_up_explain(
            follow_up=follow_up,
            forecasts={lines[key]: amount for key, amount in form.forecasts().items()},
            line_comments={lines[key]: text for key, text in form.line_comments().items()},
            group_comments=form.group_comments(),
            seen_version=_posted_version(request),
            acting_user=request.user,
        )
    except StaleFollowUp:
        messages.error(request, STALE_MESSAGE)
        follow_up.refresh_from_db()
        return _render_detail(request, plan, follow_up_overview(follow_up), status=CONFLICT)
    messages.success(request, _("Prognoser och kommentarer är sparade."))
    return redirect("followup:detail", pk=plan.pk, period_end=period_end)


@login_required
def follow_up_report_pdf(request, pk, period_end):
    """The tertial report: as sent to the board once it is; before that, of the current figures."""
    plan, follow_up = _get_follow_up(request, pk, period_end)
    filename = report_filename(plan.federation.slug, follow_up.period_end)
    if follow_up.sent_to_board_on and follow_up.report_pdf:
        response = FileResponse(follow_up.report_pdf.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename)
    else:
        response = HttpResponse(report_pdf(follow_up_overview(follow_up)), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
def follow_up_report_sent(request, pk, period_end):
    """The chief marks the tertial report sent to the board: its PDF is kept as it is now."""
    # Access first, so that an outsider learns nothing from the method's answer.
    plan, follow_up = _get_follow_up(request, pk, period_end, write=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if follow_up.sent_to_board_on:
        messages.info(
            request,
            _("Rapporten skickades till styrelsen %(date)s och är sparad som den var då.")
            % {"date": follow_up.sent_to_board_on.isoformat()},
        )
        return redirect("followup:detail", pk=plan.pk, period_end=period_end)
    pdf = report_pdf(follow_up_overview(follow_up))
    follow_up_mark_sent(follow_up=follow_up, pdf=pdf, sent_on=timezone.localdate(), acting_user=request.user)
    messages.success(request, _("Rapporten är markerad som skickad till styrelsen och sparad."))
    return redirect("followup:detail", pk=plan.pk, period_end=period_end)


FK_HEADERS = (
    "Insats",
    "Budget %(year)s",
    "Utfall till och med %(date)s",
    "Prognos helår",
    "Deltagare kvinnor",
    "Deltagare män",
    "Planerade deltagare kvinnor",
    "Planerade deltagare män",
)


def fk_rows(overview) -> tuple[list[str], list[list]]:
    """The figures a federation reports to Försäkringskassan's follow-up system, per intervention."""
    figures = overview.figures
    # Swedish whatever the user's language: the file goes to a Swedish authority's system.
    headers = [header % {"year": figures.year, "date": figures.period_end.isoformat()} for header in FK_HEADERS]
    rows = []
    for item in figures.interventions:
        participants = item.participants
        rows.append(
            [
                item.name,
                item.budget,
                item.outcome,
                item.forecast,
                participants.women,
                participants.men,
                participants.planned_women,
                participants.planned_men,
            ]
        )
    return headers, rows


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # A cell starting with = + - @ is a formula in a spreadsheet: shown as text instead.
        return "'" + value if value[:1] in ("=", "+", "-", "@") else value
    return format_number(value).replace(" ", "")


@login_required
def follow_up_fk_export(request, pk, period_end, file_format):
    plan, follow_up = _get_follow_up(request, pk, period_end)
    headers, rows = fk_rows(follow_up_overview(follow_up))
    name = f"forsakringskassan-{plan.federation.slug}-{follow_up.period_end.isoformat()}"
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_value(value) for value in row])
        # With a byte order mark Excel reads the file as UTF-8.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Insatser"
    sheet.append(headers)
    for row in rows:
        sheet.append([("'" + value if value[:1] in ("=", "+", "-", "@") else value) if isinstance(value, str) else value for value in row])
    for column in "BCD":
        for cell in sheet[column][1:]:
            cell.number_format = "# ##0.00"
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
