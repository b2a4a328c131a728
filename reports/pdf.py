"""The verksamhetsplan as the document the board adopts: HTML for the preview and
a PDF by WeasyPrint, both from the print templates in templates/reports/pdf/.

Everything is rendered from a `PlanReport`: the plan document with its totals,
findings and budget table, the same values the plan page shows, so the page and
the PDF can never disagree. A report is made from a stored plan's overview
(`report_for_overview`) or from a plan file that is not stored (`report_for_document`);
the templates never see an ORM object.

Nothing is fetched over the network while rendering: the only resources are the
print stylesheet and the shipped fonts under static/, served by
`reports.weasy.local_files_fetcher`, and the charts, which are data URIs.
"""

from __future__ import annotations

import base64
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.planfile import InterventionData, PlanDocument, PlanInfo
from budgets.table import GROUP_LABELS, BudgetTable, budget_table
from budgets.totals import COST_GROUPS, PlanTotals, compute_totals
from budgets.year_wheel import wheel_svg, year_wheel
from budgets.validation import (
    Finding,
    GuidanceBand,
    band_for,
    column_name,
    validate_document,
)
from finsam.lib.formatting import format_number
from finsam.lib.money import UNIT_FACTORS
from interventions.models import InterventionKind, InterventionStatus
from reports.weasy import LATE_SCHEME, html_to_pdf, layout

# Tables with more columns than this go on landscape pages.
PORTRAIT_COLUMNS_MAX = 6
# Columns per row of an intervention's small cost table.
COST_COLUMNS_PER_ROW = 5
# With more interventions than this the contents lists only the chapter "Insatser".
CONTENTS_INTERVENTIONS_MAX = 30
LANGUAGE = "sv"
# Longer titles make a two-line running header.
HEADER_TITLE_MAX = 64
# Charts kept in this process, by what they show, for repeated renders and previews.
CHARTS_KEPT_MAX = 32

# "4 758 tkr", "−655 500", "26,27 %": a number with its unit, to keep on one line.
_NUMBER_RE = re.compile(r"[\u2212-]?\d{1,3}(?: \d{3})+(?:,\d+)?(?: (?:%|kr|tkr))?|\d+(?:,\d+)? (?:%|kr|tkr)")

MEETING_BODIES = {
    "board": gettext_noop("Styrelsen"),
    "preparatory": gettext_noop("Beredningsgruppen"),
    "presidium": gettext_noop("Presidiet"),
    "members": gettext_noop("Medlemssamråd"),
}


@dataclass
class PlanReport:
    """What the print document is made of."""

    document: PlanDocument
    totals: PlanTotals
    findings: list[Finding]
    table: BudgetTable
    bands: list[GuidanceBand] = field(default_factory=list)
    revision: int = 1
    # A sent draft's stamp, "Förslag till styrelsen 2026-11-20" (board.selectors.sending_stamp).
    stamp: str | None = None


def report_for_overview(
    overview,
    *,
    bands: list[GuidanceBand],
    revision: int = 1,
    stamp: str | None = None,
) -> PlanReport:
    """A report from `budgets.selectors.plan_overview` (computed with the same `bands`)."""
    return PlanReport(
        document=overview.document,
        totals=overview.totals,
        findings=overview.findings,
        table=overview.table,
        bands=bands,
        revision=revision,
        stamp=stamp,
    )


def report_for_document(document: PlanDocument, *, bands: list[GuidanceBand], revision: int = 1) -> PlanReport:
    """A report from a plan document that need not be stored (`render_plan --file`)."""
    totals = compute_totals(document)
    findings = validate_document(document, bands=bands, totals=totals)
    return PlanReport(
        document=document,
        totals=totals,
        findings=findings,
        table=budget_table(document, totals, findings),
        bands=bands,
        revision=revision,
    )


# ---------------------------------------------------------------------------
# Titles and names


def generated_title(info: PlanInfo) -> str:
    """The title of a plan that has none: "Verksamhetsplan 2025 med budget 2025 och plan
    2026–2027", shorter when the plan looks fewer years ahead."""
    year, last_year = info.year, info.last_year
    if last_year <= year:
        return _("Verksamhetsplan %(year)s med budget %(year)s") % {"year": year}
    if last_year == year + 1:
        return _("Verksamhetsplan %(year)s med budget %(year)s och plan %(last)s") % {"year": year, "last": last_year}
    return _("Verksamhetsplan %(year)s med budget %(year)s och plan %(next)s–%(last)s") % {
        "year": year,
        "next": year + 1,
        "last": last_year,
    }


def plan_title(info: PlanInfo) -> str:
    return info.title or generated_title(info)


def pdf_filename(federation_slug: str, year: int, revision: int = 1) -> str:
    """verksamhetsplan-sodra-vatterbygden-2025.pdf (…-2025-revision-2.pdf for later revisions)."""
    suffix = f"-revision-{revision}" if revision > 1 else ""
    return f"verksamhetsplan-{federation_slug}-{year}{suffix}.pdf"


# ---------------------------------------------------------------------------
# Text


def text_blocks(body: str) -> list[dict]:
    """A chapter's plain text as paragraphs and bullet lists: blank lines separate
    paragraphs, lines starting with "- " are bullets. Text is left for the template
    to escape."""
    blocks: list[dict] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        paragraph: list[str] = []
        bullets: list[str] = []

        def flush_paragraph():
            if paragraph:
                blocks.append({"kind": "paragraph", "text": " ".join(paragraph)})
                paragraph.clear()

        def flush_bullets():
            if bullets:
                blocks.append({"kind": "bullets", "items": list(bullets)})
                bullets.clear()

        for raw_line in chunk.split("\n"):
            line = raw_line.strip()
            if not line:
                continue
            if line.startswith("- "):
                flush_paragraph()
                bullets.append(line[2:].strip())
            elif bullets and raw_line.startswith("  "):
                # An indented line continues the bullet above it.
                bullets[-1] += " " + line
            else:
                flush_bullets()
                paragraph.append(line)
        flush_paragraph()
        flush_bullets()
    return blocks


def _participants(intervention: InterventionData) -> str | None:
    participants = intervention.participants
    if participants is None:
        return None
    parts = []
    if participants.women is not None:
        parts.append(_("%(count)s kvinnor") % {"count": participants.women})
    if participants.men is not None:
        parts.append(_("%(count)s män") % {"count": participants.men})
    if participants.total is not None:
        parts.append((_("totalt %(count)s") if parts else "%(count)s") % {"count": participants.total})
    return ", ".join(parts) or None


def _period(intervention: InterventionData) -> str | None:
    if intervention.start and intervention.end:
        return f"{intervention.start} – {intervention.end}"
    if intervention.start:
        return _("från %(date)s") % {"date": intervention.start}
    if intervention.end:
        return _("till och med %(date)s") % {"date": intervention.end}
    return None


def _chunks(items: list, size: int) -> list[list]:
    """`items` in rows of `size`, the last one padded with None so that all rows have
    the same columns."""
    rows = [items[start : start + size] for start in range(0, len(items), size)]
    if rows:
        rows[-1] = rows[-1] + [None] * (size - len(rows[-1]))
    return rows


def _intervention_context(
    report: PlanReport,
    intervention: InterventionData,
    index: int,
    member_names: dict[str, str],
) -> dict:
    kind = InterventionKind(intervention.kind).label
    if intervention.long_term:
        kind = _("%(kind)s, långsiktig verksamhet") % {"kind": kind}
    facts = [
        (_("Slag"), kind),
        (_("Kategori"), intervention.sus_category),
        (_("Märkningar"), ", ".join(intervention.markings or []) or None),
        (_("Status"), InterventionStatus(intervention.status).label if intervention.status else None),
        (_("Ägare"), member_names.get(intervention.owner) if intervention.owner else None),
        (_("Parter"), ", ".join(member_names[member] for member in intervention.members or []) or None),
        (_("Period"), _period(intervention)),
        (_("Deltagare"), _participants(intervention)),
        (_("Målgrupp"), intervention.target_group),
    ]
    if intervention.utilization is not None:
        facts.append((_("Beräknat utnyttjande"), f"{format_number(intervention.utilization * 100, 1)} %"))
    # The intervention's cost per column: the sum of the cost lines that name it.
    costs = [
        {"name": column_name(column_totals.column), "amount": column_totals.costs_by_intervention[intervention.id]}
        for column_totals in report.totals.columns
        if intervention.id in column_totals.costs_by_intervention
    ]
    return {
        "id": f"insats-{index}",
        "name": intervention.name,
        "facts": [(label, value) for label, value in facts if value],
        "description": text_blocks(intervention.description or ""),
        "goals": intervention.goals or [],
        "indicators": intervention.indicators or [],
        "cost_rows": _chunks(costs, COST_COLUMNS_PER_ROW) if costs else [],
    }


def keep_numbers_together(text: str) -> SafeString:
    """The text escaped, with each number and its unit kept from breaking across lines
    (formatting puts plain spaces between thousands, which a line may break at)."""
    parts, position = [], 0
    for match in _NUMBER_RE.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f'<span class="nowrap">{escape(match.group())}</span>')
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


# ---------------------------------------------------------------------------
# Budget table, findings and charts


def _numbered_findings(report: PlanReport) -> tuple[list[dict], dict[int, int]]:
    """Findings, errors first, numbered for the appendix; and finding id -> number for
    the marks in the budget table."""
    ordered = [finding for finding in report.findings if finding.is_error] + [
        finding for finding in report.findings if not finding.is_error
    ]
    numbers = {id(finding): number for number, finding in enumerate(ordered, start=1)}
    rows = [
        {
            "number": number,
            "finding": finding,
            "message": keep_numbers_together(finding.message),
            "severity": _("Fel") if finding.is_error else _("Varning"),
        }
        for number, finding in enumerate(ordered, start=1)
    ]
    return rows, numbers


def _budget_rows(table: BudgetTable, numbers: dict[int, int]) -> list[dict]:
    rows = []
    for row in table.rows:
        if row.kind == "equity" and all(cell.value is None for cell in row.cells):
            # A plan without opening equity has no equity chain to show.
            continue
        cells = []
        for cell in row.cells:
            marks = [
                {"number": numbers[id(finding)], "error": finding.is_error}
                for finding in cell.findings
                if id(finding) in numbers
            ]
            cells.append({"cell": cell, "marks": marks, "error": cell.has_error, "warning": bool(cell.findings)})
        rows.append({"row": row, "cells": cells})
    return rows


def _budget_column(report: PlanReport):
    """The column the charts show for the budget year: its budget, else its most informed column."""
    year = report.document.plan.year
    columns = [totals for totals in report.totals.columns if totals.year == year]
    for totals in columns:
        if totals.column.kind == "budget":
            return totals
    chain = report.totals.chain_by_year.get(year)
    if chain is not None:
        return report.totals.column(chain.column)
    return columns[0] if columns else None


def equity_ceilings(report: PlanReport) -> dict[int, Decimal | None]:
    """The guidance ceiling on equity for each year of the chain, in the plan's unit:
    the band's percent of the year's contributions (None where no band applies)."""
    unit = report.document.plan.unit
    ceilings: dict[int, Decimal | None] = {}
    for link in report.totals.chain:
        band = None
        if link.contributions:
            band = band_for(report.bands, link.year, link.contributions * UNIT_FACTORS[unit])
        ceilings[link.year] = link.contributions * band.ceiling_percent / 100 if band is not None else None
    return ceilings


def _chain_rows(report: PlanReport) -> list[dict]:
    ceilings = equity_ceilings(report)
    return [
        {
            "year": link.year,
            "column": column_name(report.totals.column(link.column).column),
            "opening": link.opening,
            "result": link.result,
            "closing": link.closing,
            "ceiling": ceilings[link.year],
        }
        for link in report.totals.chain
    ]


_charts_kept: OrderedDict[tuple, dict] = OrderedDict()


def charts_for(report: PlanReport) -> dict:
    """The charts of the report as data URIs, drawn once in this process for what they show
    (kept by the figures and words they are drawn from, so never out of date)."""
    from reports import charts

    drawings, costs_column = chart_drawings(report)
    key = tuple(
        (name, draw.func.__name__, repr(draw.args), repr(sorted(draw.keywords.items())))
        for name, draw in sorted(drawings.items())
    )
    if key in _charts_kept:
        _charts_kept.move_to_end(key)
        return _charts_kept[key]
    result = {name: None for name in CHART_NAMES} | {"costs_column": costs_column}
    with translation.override(LANGUAGE):
        result |= {name: charts.svg_data_uri(draw()) for name, draw in drawings.items()}
    _charts_kept[key] = result
    while len(_charts_kept) > CHARTS_KEPT_MAX:
        _charts_kept.popitem(last=False)
    return result


CHART_NAMES = ("costs", "equity")


def chart_drawings(report: PlanReport) -> tuple[dict[str, Callable[[], str]], str | None]:
    """The report's charts, not yet drawn: chart name -> a function that draws its SVG, for
    the charts the plan has; and the name of the column the costs chart shows."""
    from reports import charts

    with translation.override(LANGUAGE):
        unit = report.document.plan.unit
        drawings: dict[str, Callable[[], str]] = {}
        costs_column = None
        budget = _budget_column(report)
        if budget is not None:
            bars = [
                charts.Bar(_(GROUP_LABELS[group]), budget.costs_by_group[group])
                for group in COST_GROUPS
                if budget.costs_by_group[group]
            ]
            if bars:
                costs_column = column_name(budget.column)
                title = _("Kostnader per grupp, %(column)s") % {"column": costs_column}
                drawings["costs"] = partial(charts.costs_by_group_chart, bars, unit=unit, title=title)
        if report.totals.chain:
            ceilings = equity_ceilings(report)
            years = [
                charts.EquityYear(year=link.year, closing=link.closing, ceiling=ceilings[link.year])
                for link in report.totals.chain
            ]
            goals = report.document.federation.goals
            drawings["equity"] = partial(
                charts.equity_chart,
                years,
                floor=goals.equity_floor if goals is not None else None,
                unit=unit,
                title=_("Eget kapital vid årets slut"),
                closing_label=_("Eget kapital"),
                ceiling_label=_("Riktlinjens tak"),
                floor_label=_("Förbundets golv"),
            )
    return drawings, costs_column


def late_charts(report: PlanReport) -> tuple[dict, dict[str, Callable[[], tuple[bytes, str]]]]:
    """The charts as resources handed to the render process after it starts
    (`reports.weasy.LATE_SCHEME`): their sources for `render_html`, and chart name -> a
    function that draws the chart as (SVG bytes, media type)."""
    drawings, costs_column = chart_drawings(report)
    sources = {name: None for name in CHART_NAMES} | {"costs_column": costs_column}
    sources |= {name: LATE_SCHEME + name for name in drawings}
    return sources, {name: partial(_svg_resource, draw) for name, draw in drawings.items()}


def _svg_resource(draw: Callable[[], str]) -> tuple[bytes, str]:
    with translation.override(LANGUAGE):
        return draw().encode("utf-8"), "image/svg+xml"


# ---------------------------------------------------------------------------
# The document


def report_context(report: PlanReport, *, charts: dict | None = None) -> dict:
    """Everything the print templates show, prepared; they only lay it out."""
    document = report.document
    info = document.plan
    federation = document.federation
    title = plan_title(info)
    generated = generated_title(info)
    adopted = info.status == "adopted"
    findings, numbers = _numbered_findings(report)
    member_names = {member.id: member.name for member in document.members}
    interventions = [
        _intervention_context(report, intervention, index, member_names)
        for index, intervention in enumerate(document.interventions or [], start=1)
    ]
    chapters = [
        {"id": f"kapitel-{index}", "heading": section.heading, "blocks": text_blocks(section.body)}
        for index, section in enumerate(info.sections or [], start=1)
    ]
    meetings = [
        {"date": meeting.date, "body": _(MEETING_BODIES[meeting.body]), "topic": meeting.topic}
        for meeting in document.meetings or []
    ]
    activities = document.activities or []

    contents = [{"href": f"#{chapter['id']}", "label": chapter["heading"], "level": 1} for chapter in chapters]
    if interventions:
        contents.append({"href": "#insatser", "label": _("Insatser"), "level": 1})
        if len(interventions) <= CONTENTS_INTERVENTIONS_MAX:
            contents += [
                {"href": f"#{intervention['id']}", "label": intervention["name"], "level": 2}
                for intervention in interventions
            ]
    if meetings or activities:
        contents.append({"href": "#moten-och-aktiviteter", "label": _("Möten och aktiviteter"), "level": 1})
    # A printed plan must not age: no event is marked as past.
    wheel = year_wheel(year=info.year, meetings=document.meetings or [])
    contents.append({"href": "#arshjul", "label": _("Årshjul %(year)s") % {"year": info.year}, "level": 1})
    contents.append({"href": "#budget", "label": _("Budget"), "level": 1})
    contents.append({"href": "#diagram", "label": _("Kostnader och eget kapital i diagram"), "level": 1})
    contents.append({"href": "#kontroller", "label": _("Bilaga: Kontroller"), "level": 1})

    return {
        "federation_name": federation.name,
        "federation": federation,
        "title": title,
        # A title that is a motto gets the plain description below it; the running
        # header uses the plain description unless the title is one, and short.
        "subtitle": generated if "verksamhetsplan" not in title.lower() else None,
        "header_title": title if "verksamhetsplan" in title.lower() and len(title) <= HEADER_TITLE_MAX else generated,
        "info": info,
        "year": info.year,
        "adopted": adopted,
        "stamp": None if adopted else report.stamp,
        "adopted_on": date_format(info.adopted_on, "j F Y") if adopted and info.adopted_on else None,
        "revision": report.revision,
        "unit_label": _("Belopp i tusental kronor (tkr)") if info.unit == "tkr" else _("Belopp i kronor"),
        "chapters": chapters,
        "interventions": interventions,
        "meetings": meetings,
        "activities": activities,
        "table": report.table,
        "budget_rows": _budget_rows(report.table, numbers),
        "wide": len(report.table.columns) > PORTRAIT_COLUMNS_MAX,
        "charts": charts if charts is not None else charts_for(report),
        "chain_rows": _chain_rows(report),
        "totals": report.totals,
        "findings": findings,
        "errors": sum(1 for finding in report.findings if finding.is_error),
        "warnings": sum(1 for finding in report.findings if not finding.is_error),
        "contents": contents,
        "year_wheel": wheel,
        "year_wheel_image": _svg_data_uri(str(wheel_svg(wheel, standalone=True))),
    }


def _svg_data_uri(svg: str) -> str:
    # As reports.charts.svg_data_uri, without loading matplotlib for it.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_html(
    report: PlanReport, *, preview: bool = False, extra: dict | None = None, charts: dict | None = None
) -> str:
    """The print document as HTML; with `preview`, for a browser (stylesheet linked, a toolbar).
    The charts are drawn here as data URIs, unless `charts` names other sources for them
    (`late_charts`)."""
    with translation.override(LANGUAGE):
        context = report_context(report, charts=charts)
        context.update({"preview": preview, **(extra or {})})
        return render_to_string("reports/pdf/plan.html", context)


def render_document(report: PlanReport):
    """The laid-out WeasyPrint document (pages and boxes), for `render_pdf` and for tests."""
    return layout(render_html(report))


def render_pdf(report: PlanReport) -> bytes:
    """The print document as PDF bytes, rendered in this process (the worker renders in a
    process of its own: `reports.services.render_in_worker`)."""
    return html_to_pdf(render_html(report))
