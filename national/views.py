"""The national overview: every opted-in federation's latest adopted plan side by side.

For administrators and the national level (`federations.access.is_national_reader`);
everyone else signed in gets 403. Sortable by any column and filterable by region
through the address (`?sort=equity&order=desc&region=…`), so a view can be linked;
downloadable as CSV and Excel with the same rows.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from urllib.parse import urlencode

import xlsxwriter
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from federations.access import is_national_reader
from finsam.lib.formatting import format_number, format_percent
from national.summaries import Row, country_total, national_rows

# The columns: key, heading, and how a value is shown.
COLUMNS = [
    ("name", gettext_lazy("Förbund"), "text"),
    ("region", gettext_lazy("Region"), "text"),
    ("year", gettext_lazy("År"), "year"),
    ("state", gettext_lazy("Staten"), "kr"),
    ("region_party", gettext_lazy("Regionen"), "kr"),
    ("municipality", gettext_lazy("Kommunerna"), "kr"),
    ("contributions", gettext_lazy("Bidrag totalt"), "kr"),
    ("costs", gettext_lazy("Kostnader"), "kr"),
    ("result", gettext_lazy("Resultat"), "kr"),
    ("admin_share", gettext_lazy("Administration"), "percent"),
    ("equity", gettext_lazy("Eget kapital vid årets slut"), "kr"),
    ("equity_percent", gettext_lazy("Eget kapital av bidragen"), "percent"),
    ("ceiling_percent", gettext_lazy("Riktlinjens tak"), "percent"),
    ("errors", gettext_lazy("Fel"), "count"),
    ("warnings", gettext_lazy("Varningar"), "count"),
    ("individual", gettext_lazy("Individinriktade insatser"), "count"),
    ("structural", gettext_lazy("Strukturinsatser"), "count"),
    ("women", gettext_lazy("Planerade deltagare, kvinnor"), "count"),
    ("men", gettext_lazy("Planerade deltagare, män"), "count"),
]
KEYS = [key for key, _heading, _kind in COLUMNS]
PARTY_BARS = [("state", gettext_lazy("Staten")), ("region", gettext_lazy("Regionen")), ("municipality", gettext_lazy("Kommunerna"))]


def value_of(row: Row, key: str):
    if key == "name":
        return row.name
    if key == "region":
        return row.region
    if key == "year":
        return row.year
    if key == "region_party":
        return row.figure("region")
    if key == "equity_percent":
        return row.equity_percent
    return row.figure(key)


def shown(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "kr":
        return format_number(value, 0)
    if kind == "percent":
        return format_percent(value, 1)
    return str(value)


def _sorted(rows: list[Row], key: str, descending: bool) -> list[Row]:
    """Sorted by the column; empty values last whichever the order."""
    present = [row for row in rows if value_of(row, key) not in (None, "")]
    empty = [row for row in rows if value_of(row, key) in (None, "")]

    def sort_key(row):
        value = value_of(row, key)
        return (value.casefold() if isinstance(value, str) else value, row.name.casefold())

    return sorted(present, key=sort_key, reverse=descending) + empty


def _chart(rows: list[Row]) -> dict:
    """Bars of each federation's contributions by party, scaled to the largest total."""
    largest = max((row.figure("contributions") or Decimal(0) for row in rows), default=Decimal(0))
    bars = []
    for row in rows:
        parts, left = [], Decimal(0)
        for party, label in PARTY_BARS:
            amount = row.figure(party) or Decimal(0)
            width = amount / largest * 100 if largest else Decimal(0)
            parts.append({"party": party, "label": label, "x": f"{left:.2f}", "width": f"{width:.2f}"})
            left += width
        bars.append({"row": row, "parts": parts, "total": shown(row.figure("contributions"), "kr")})
    return {"bars": bars, "parties": PARTY_BARS}


def _table(rows: list[Row]) -> list[list[dict]]:
    return [
        [{"key": key, "text": shown(value_of(row, key), kind), "number": kind != "text"} for key, _heading, kind in COLUMNS]
        for row in rows
    ]


@login_required
def overview(request):
    if not is_national_reader(request.user):
        raise PermissionDenied(_("Den nationella översikten är för den nationella nivån och administratörer."))
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    rows = national_rows()
    regions = sorted({row.region for row in rows if row.region}, key=str.casefold)
    region = request.GET.get("region", "")
    if region not in regions:
        region = ""
    if region:
        rows = [row for row in rows if row.region == region]
    key = request.GET.get("sort", "name")
    if key not in KEYS:
        key = "name"
    descending = request.GET.get("order") == "desc"
    rows = _sorted(rows, key, descending)
    total = country_total(rows)
    download = request.GET.get("format")
    if download == "csv":
        return _csv(rows, total)
    if download == "xlsx":
        return _xlsx(rows, total)

    def link(column):
        order = "asc" if column != key or descending else "desc"
        return "?" + urlencode({"sort": column, "order": order, **({"region": region} if region else {})})

    return render(
        request,
        "national/overview.html",
        {
            "columns": [
                {
                    "key": column,
                    "heading": heading,
                    "kind": kind,
                    "sort_url": link(column),
                    "sorted": ("descending" if descending else "ascending") if column == key else "",
                }
                for column, heading, kind in COLUMNS
            ],
            "rows": [(row, cells) for row, cells in zip(rows, _table(rows))],
            "total": _table([total])[0],
            "regions": regions,
            "region": region,
            "sort": key,
            "order": "desc" if descending else "asc",
            "chart": _chart(rows),
        },
    )


def _headings() -> list[str]:
    return [str(heading) for _key, heading, _kind in COLUMNS]


def _plain(row: Row) -> list:
    """A row's values as they go into a file: numbers as numbers, empty as empty."""
    values = []
    for key, _heading, _kind in COLUMNS:
        value = value_of(row, key)
        if isinstance(value, Decimal):
            value = value.quantize(Decimal("0.1")) if key in ("admin_share", "equity_percent", "ceiling_percent") else value.quantize(Decimal(1))
        values.append("" if value is None else value)
    return values


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv(rows: list[Row], total: Row) -> HttpResponse:
    """Semicolons and decimal commas, as Swedish Excel reads CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_headings())
    for row in [*rows, total]:
        values = _plain(row)
        if row.is_total:
            values[0] = _("Hela landet")
        writer.writerow([str(value).replace(".", ",") if isinstance(value, Decimal) else value for value in values])
    # A byte order mark, so that Excel opens åäö right.
    content = "\ufeff" + buffer.getvalue()
    return _attachment(HttpResponse(content, content_type="text/csv; charset=utf-8"), "nationell-oversikt.csv")


def _xlsx(rows: list[Row], total: Row) -> HttpResponse:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(_("Nationell översikt"))
    bold = workbook.add_format({"bold": True, "text_wrap": True})
    amount = workbook.add_format({"num_format": "# ##0"})
    percent = workbook.add_format({"num_format": "0.0"})
    sheet.write_row(0, 0, _headings(), bold)
    for number, row in enumerate([*rows, total], start=1):
        for column, ((key, _heading, kind), value) in enumerate(zip(COLUMNS, _plain(row))):
            if row.is_total and column == 0:
                sheet.write_string(number, column, _("Hela landet"), bold)
            elif isinstance(value, Decimal) and kind == "percent":
                sheet.write_number(number, column, float(value), percent)
            elif isinstance(value, Decimal):
                # Whole kronor: exact as an Excel number.
                sheet.write_number(number, column, int(value), amount)
            elif isinstance(value, int):
                sheet.write_number(number, column, value)
            else:
                sheet.write_string(number, column, str(value))
    sheet.set_column(0, 1, 28)
    sheet.set_column(2, len(COLUMNS) - 1, 14)
    sheet.freeze_panes(1, 1)
    workbook.close()
    return _attachment(
        HttpResponse(output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "nationell-oversikt.xlsx",
    )
