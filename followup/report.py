"""The follow-up as the page and the tertial report (delårsrapport) show it: the table rows
with their texts, the chart, the participants and the findings, prepared once; and the
report as a PDF in the plan PDF's style (`reports.pdf`: the same print stylesheet, fonts
and fetcher that fetches nothing).

The report is rendered in the request for now: it is a few pages whatever the plan's
size. Once the chief marks it sent to the board, the PDF is kept (`FollowUp.report_pdf`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.validation import column_name
from finsam.lib.formatting import format_number, format_percent
from followup.charts import groups_chart
from followup.figures import BAD, GOOD, FigureRow, summary_sentences
from followup.selectors import FollowUpOverview
from reports.charts import svg_data_uri
from reports.pdf import LANGUAGE, keep_numbers_together, plan_title
from reports.weasy import PRINT_CSS, html_to_pdf


def period_label(period_end: datetime.date) -> str:
    """"Tertial 1 (januari–april 2025)", "Tertial 2 (januari–augusti 2025)", "Helåret 2025", or the dates."""
    year = period_end.year
    if (period_end.month, period_end.day) == (4, 30):
        return _("Tertial 1 (januari–april %(year)s)") % {"year": year}
    if (period_end.month, period_end.day) == (8, 31):
        return _("Tertial 2 (januari–augusti %(year)s)") % {"year": year}
    if (period_end.month, period_end.day) == (12, 31):
        return _("Helåret %(year)s") % {"year": year}
    return _("%(start)s – %(end)s") % {"start": datetime.date(year, 1, 1).isoformat(), "end": period_end.isoformat()}


def report_filename(federation_slug: str, period_end: datetime.date) -> str:
    return f"delarsrapport-{federation_slug}-{period_end.isoformat()}.pdf"


def signed(value: Decimal | None, places: int = 0) -> str:
    """"+28 500", "−24 000", "0": a variance with its sign."""
    if value is None:
        return ""
    text = format_number(value, places)
    return f"+{text}" if value > 0 else text


TONE_LABELS = {GOOD: gettext_noop("bättre än budget"), BAD: gettext_noop("sämre än budget")}


def table_rows(overview: FollowUpOverview) -> list[dict]:
    """Each row of the variance table with its texts, its reading and the chief's comment."""
    rows = []
    for row in overview.figures.rows:
        comment = ""
        if row.kind == "line":
            comment = overview.line_comments.get(row.key, "")
        elif row.kind == "group":
            comment = overview.group_comments.get(row.group, "")
        rows.append(
            {
                "row": row,
                "budget": format_number(row.budget, 0),
                "outcome": format_number(row.outcome, 0),
                "used": format_percent(row.used_share, 0),
                "forecast": format_number(row.forecast, 0),
                "variance": signed(row.variance),
                "variance_percent": signed(row.variance_percent, 1) + " %" if row.variance_percent is not None else "",
                "tone": row.tone,
                "tone_label": _(TONE_LABELS[row.tone]) if row.tone in TONE_LABELS else "",
                "comment": comment,
            }
        )
    return rows


CHART_LABELS = (gettext_noop("Budget"), gettext_noop("Utfall hittills"), gettext_noop("Prognos helår"))


def chart_groups(overview: FollowUpOverview) -> list[FigureRow]:
    return list(overview.figures.groups)


def chart_uri(overview: FollowUpOverview) -> str | None:
    groups = chart_groups(overview)
    if not groups:
        return None
    svg = groups_chart(
        [(row.label, row.budget, row.outcome, row.forecast) for row in groups],
        unit=overview.figures.unit,
        title=_("Budget, utfall och prognos per grupp"),
        labels=tuple(_(label) for label in CHART_LABELS),
    )
    return svg_data_uri(svg)


def chart_alt(overview: FollowUpOverview) -> str:
    return _(
        "Liggande stapeldiagram: budget, utfall hittills och prognos för helåret för varje grupp. "
        "Siffrorna finns i tabellen under diagrammet."
    )


def follow_up_context(overview: FollowUpOverview) -> dict:
    """What the page and the report both show."""
    figures = overview.figures
    document = overview.document
    findings = sorted(figures.findings, key=lambda finding: not finding.is_error)
    return {
        "plan": overview.plan,
        "follow_up": overview.follow_up,
        "figures": figures,
        "federation_name": document.federation.name,
        "plan_title": plan_title(document.plan),
        "period": period_label(figures.period_end),
        "rows": table_rows(overview),
        "summary": summary_sentences(figures),
        "equity": figures.equity,
        "findings": findings,
        "participants": figures.participants,
        "chart": chart_uri(overview),
        "chart_alt": chart_alt(overview),
        "chart_groups": chart_groups(overview),
        "budget_column": column_name(next(c for c in document.columns if c.id == figures.budget_column)),
        "unit_label": _("Belopp i tusental kronor (tkr)") if figures.unit == "tkr" else _("Belopp i kronor"),
        "year_share": format_percent(figures.year_share, 0),
    }


def report_html(overview: FollowUpOverview) -> str:
    with translation.override(LANGUAGE):
        context = follow_up_context(overview)
        context["summary_html"] = [keep_numbers_together(sentence) for sentence in context["summary"]]
        return render_to_string("followup/pdf/report.html", context)


# The tertial report is laid out with the plan PDF's stylesheet and its own.
REPORT_STYLESHEETS = (PRINT_CSS, "followup/report.css")


def report_pdf(overview: FollowUpOverview) -> bytes:
    """The tertial report as tagged PDF bytes, rendered in this process (the worker renders
    `report_html` in a process of its own)."""
    return html_to_pdf(report_html(overview), REPORT_STYLESHEETS)
