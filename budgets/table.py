"""The budget table as the board sees it, built once for the plan page and the PDF.

Rows come from the plan document and its totals; each finding is attached to
the row (and column) it concerns, so that a page or a print template only lays
out what is here and never adds anything up itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.planfile import PlanDocument
from budgets.totals import COST_GROUPS, PARTIES, ColumnTotals, PlanTotals, party_of
from budgets.validation import Finding, column_name
from finsam.lib.formatting import format_number, format_percent

PARTY_LABELS = {
    "state": gettext_noop("Staten (Försäkringskassan och Arbetsförmedlingen)"),
    "region": gettext_noop("Region"),
    "municipality": gettext_noop("Kommunerna"),
}
GROUP_LABELS = {
    "intervention": gettext_noop("Insatser"),
    "reserve": gettext_noop("Reserv för nya insatser"),
    "operations": gettext_noop("Gemensam verksamhet"),
    "administration": gettext_noop("Administration"),
    "unspecified": gettext_noop("Ej uppdelat"),
}
GROUP_TOTAL_LABELS = {
    "intervention": gettext_noop("Summa insatser"),
    "reserve": gettext_noop("Summa reserv"),
    "operations": gettext_noop("Summa gemensam verksamhet"),
    "administration": gettext_noop("Summa administration"),
    "unspecified": gettext_noop("Summa ej uppdelat"),
}


@dataclass
class Cell:
    column: str
    value: Decimal | None
    # "amount" (in the plan's unit) or "percent".
    kind: str = "amount"
    # The party's share of the contributions, shown beside a party's subtotal.
    share: Decimal | None = None
    # What the source document printed, where it differs from the computed value.
    stated: Decimal | None = None
    findings: list[Finding] = field(default_factory=list)
    # Equity in a column outside the chain: shown for comparison, not carried on.
    comparison_only: bool = False

    @property
    def has_error(self) -> bool:
        return any(finding.is_error for finding in self.findings)

    @property
    def text(self) -> str:
        """The value as printed: "8 054 000", "9,6 %"; empty for no value."""
        if self.value is None:
            return ""
        return format_percent(self.value, 1) if self.kind == "percent" else format_number(self.value, 2)

    @property
    def share_text(self) -> str:
        return format_percent(self.share, 2) if self.share is not None else ""

    @property
    def stated_text(self) -> str:
        return format_number(self.stated, 2) if self.stated is not None else ""

    @property
    def html(self) -> SafeString:
        """The cell's content for a page: finding marks, the value, the party's share and
        a differing printed total, every piece of text escaped."""
        return mark_safe(self._html())

    def _html(self) -> str:
        # Plain string building with `escape` on every value rather than format_html per
        # piece: a plan of a hundred lines and ten columns has over a thousand cells, most
        # of them a number and nothing else.
        if not self.findings and self.share is None and self.stated is None and not self.comparison_only:
            return escape(self.text)
        parts = [
            f'<span class="finding-mark {escape(finding.severity)}" title="{escape(finding.message)}">'
            f'{"!" if finding.is_error else "?"}<span class="visually-hidden">{escape(finding.message)}</span></span>'
            for finding in self.findings
        ]
        parts.append(escape(self.text))
        if self.share is not None:
            parts.append(f'<span class="share">{escape(self.share_text)}</span>')
        if self.stated is not None:
            parts.append(f'<span class="stated">{escape(_("angivet"))} {escape(self.stated_text)}</span>')
        if self.comparison_only and self.value is not None:
            parts.append(f'<span class="comparison-only">{escape(_("jämförelse"))}</span>')
        return "".join(parts)

    @property
    def css_class(self) -> str:
        if not self.findings:
            return "num"
        return "num has-error" if self.has_error else "num has-warning"


@dataclass
class Row:
    key: str
    label: str
    # "heading", "line", "subtotal", "total", "result", "equity", "share"
    kind: str
    cells: list[Cell] = field(default_factory=list)
    # What the row is made of: a budget line's id, a member's id, an intervention's id.
    line: str | None = None
    member: str | None = None
    intervention: str | None = None

    def __post_init__(self):
        # The row's part of an HTML id: "party:state" -> "partystate".
        self.anchor = slugify(self.key)

    def html(self, width: int, columns: dict[str, str], after_label: str = "") -> str:
        """The row for the page's table, every piece of text escaped: a heading or a group
        across the table (`width` columns with the labels'), else the label and the cells
        in one pass (see `Cell.html`). `columns` holds each column's id, escaped once for
        the whole table; `after_label` is markup built (and escaped) by the caller that
        follows the label, such as a link to the row's comments."""
        kind, label = escape(self.kind), escape(self.label)
        if self.kind in ("heading", "group"):
            return f'<tr class="row-{kind}"><th scope="rowgroup" colspan="{width}">{label}</th></tr>'
        anchor, key = escape(self.anchor), escape(self.key)
        cells = "".join(
            f'<td class="{cell.css_class}" id="cell-{anchor}-{columns[cell.column]}" data-row="{key}" '
            f'data-col="{columns[cell.column]}">{cell._html()}</td>\n      '
            for cell in self.cells
        )
        return (
            f'<tr class="row-{kind}" id="row-{anchor}" data-row="{key}">\n'
            f'      <th scope="row">{label}{after_label}</th>\n'
            f"      {cells}\n"
            f"    </tr>"
        )


@dataclass
class BudgetTable:
    unit: str
    columns: list[ColumnTotals]
    column_names: list[str]
    rows: list[Row]
    # Per column: whether it is the column of its year that the equity chain runs
    # through, where the year has other columns beside it (else nothing to mark).
    drives_chain: list[bool] = field(default_factory=list)

    @property
    def headers(self) -> list[tuple[str, bool]]:
        return list(zip(self.column_names, self.drives_chain or [False] * len(self.column_names)))

    def rows_html(self, after_labels: dict[str, SafeString] | None = None) -> SafeString:
        """Every row of the page's table, built here rather than in the template: a plan
        of a hundred interventions has over a hundred rows. `after_labels` ({row key:
        safe markup}) adds to a row's label cell."""
        width = len(self.columns) + 1
        columns = {column.id: escape(column.id) for column in self.columns}
        after_labels = after_labels or {}
        return mark_safe(
            "\n    ".join(row.html(width, columns, conditional_escape(after_labels.get(row.key, ""))) for row in self.rows)
        )


def _stated_value(document: PlanDocument, column_id: str, total: str) -> Decimal | None:
    stated = (document.stated or {}).get(column_id)
    return getattr(stated, total) if stated is not None else None


def budget_table(document: PlanDocument, totals: PlanTotals, findings: list[Finding]) -> BudgetTable:
    """Rows of the budget table with the findings placed on the rows and cells they concern."""
    columns = totals.columns
    column_ids = [column.id for column in columns]
    by_place: dict[tuple[str, str | None], list[Finding]] = {}
    for finding in findings:
        if finding.row is not None:
            by_place.setdefault((finding.row, finding.column), []).append(finding)

    def cells(row_key: str, values, kind: str = "amount", stated: str | None = None, shares=None) -> list[Cell]:
        result = []
        for index, (column_id, value) in enumerate(zip(column_ids, values)):
            printed = _stated_value(document, column_id, stated) if stated else None
            result.append(
                Cell(
                    column=column_id,
                    value=value,
                    kind=kind,
                    share=shares[index] if shares else None,
                    stated=printed if printed is not None and printed != value else None,
                    findings=by_place.get((row_key, column_id), []),
                )
            )
        return result

    rows: list[Row] = [Row("heading:income", _("Intäkter"), "heading")]
    member_by_id = {member.id: member for member in document.members}
    member_lines = [line for line in document.contributions if line.member is not None]
    for party in PARTIES if member_lines else ():
        party_lines = [line for line in member_lines if party_of(member_by_id[line.member].kind) == party]
        for line in party_lines:
            key = f"member:{line.member}"
            rows.append(
                Row(
                    key,
                    member_by_id[line.member].name,
                    "line",
                    cells(key, [line.amounts.get(column_id) for column_id in column_ids]),
                    member=line.member,
                )
            )
        key = f"party:{party}"
        rows.append(
            Row(
                key,
                _(PARTY_LABELS[party]) if party != "region" or len(party_lines) < 2 else _("Regionerna"),
                "subtotal",
                cells(
                    key,
                    [column.contributions_by_party[party] for column in columns],
                    shares=[column.party_shares[party] for column in columns],
                ),
            )
        )
    for line in document.contributions:
        if line.member is None:
            # The contributions of all members, printed only as a total.
            key = f"line:{line.id}"
            rows.append(
                Row(key, line.label, "line", cells(key, [line.amounts.get(i) for i in column_ids]), line=line.id)
            )
    rows.append(
        Row(
            "total:contributions",
            _("Summa medlemsbidrag"),
            "total",
            cells("total:contributions", [column.contributions for column in columns], stated="contributions"),
        )
    )
    for line in document.income or []:
        # Income and cost lines have ids of their own: the same id may be both.
        key = f"income:{line.id}"
        rows.append(Row(key, line.label, "line", cells(key, [line.amounts.get(i) for i in column_ids]), line=line.id))
    rows.append(
        Row(
            "total:income",
            _("Summa intäkter"),
            "total",
            cells("total:income", [column.income for column in columns], stated="income"),
        )
    )

    rows.append(Row("heading:costs", _("Kostnader"), "heading"))
    for group in COST_GROUPS:
        group_lines = [line for line in document.costs if line.group == group]
        if not group_lines:
            continue
        rows.append(Row(f"group:{group}", _(GROUP_LABELS[group]), "group"))
        for line in group_lines:
            key = f"line:{line.id}"
            line_cells = cells(key, [line.amounts.get(column_id) for column_id in column_ids])
            if line.intervention:
                for cell, column_id in zip(line_cells, column_ids):
                    cell.findings = cell.findings + by_place.get((f"intervention:{line.intervention}", column_id), [])
            rows.append(Row(key, line.label, "line", line_cells, line=line.id, intervention=line.intervention))
        key = f"group-total:{group}"
        rows.append(
            Row(key, _(GROUP_TOTAL_LABELS[group]), "subtotal", cells(key, [c.costs_by_group[group] for c in columns]))
        )
    rows.append(
        Row(
            "total:costs",
            _("Summa kostnader"),
            "total",
            cells("total:costs", [column.costs for column in columns], stated="costs"),
        )
    )
    rows.append(
        Row(
            "total:result",
            _("Årets resultat"),
            "result",
            cells("total:result", [column.result for column in columns], stated="result"),
        )
    )
    rows.append(
        Row(
            "equity:opening",
            _("Eget kapital vid årets början"),
            "equity",
            cells("equity:opening", [column.opening_equity for column in columns]),
        )
    )
    rows.append(
        Row(
            "total:closing_equity",
            _("Eget kapital vid årets slut"),
            "equity",
            cells(
                "total:closing_equity", [column.closing_equity for column in columns], stated="closing_equity"
            ),
        )
    )
    rows.append(
        Row(
            "share:administration",
            _("Administrationens andel av kostnaderna"),
            "share",
            cells("share:administration", [column.admin_share for column in columns], kind="percent"),
        )
    )
    rows.append(
        Row(
            "share:non_administration",
            _("Insatser och samverkan, andel av kostnaderna"),
            "share",
            cells("share:non_administration", [column.non_admin_share for column in columns], kind="percent"),
        )
    )
    for row in rows:
        if row.key in ("equity:opening", "total:closing_equity"):
            for cell, column in zip(row.cells, columns):
                cell.comparison_only = not column.in_chain
    columns_per_year: dict[int, int] = {}
    for column in columns:
        columns_per_year[column.year] = columns_per_year.get(column.year, 0) + 1
    # Equity and shares the plan has no data for are left out rather than shown empty.
    rows = [
        row
        for row in rows
        if row.kind not in ("equity", "share") or any(cell.value is not None for cell in row.cells)
    ]
    return BudgetTable(
        unit=document.plan.unit,
        columns=columns,
        column_names=[column_name(column.column) for column in columns],
        rows=rows,
        drives_chain=[column.in_chain and columns_per_year[column.year] > 1 for column in columns],
    )
