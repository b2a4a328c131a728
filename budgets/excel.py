"""The budget grid as an Excel workbook and as CSV.

One layout (`plan_grid`) serves both: the rows of the plan page (contributions
by party, other income, costs by group, totals, result, the equity chain and
the shares), each amount cell either an input (a line's amount) or a formula
with the server's computed value. The workbook is protected except for the
input cells and one empty row per group where a new line may be typed; the
row and column ids travel in a hidden column A, a hidden row 3 and a hidden
sheet, so that `budgets.excel_import` can read an edited copy back.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from django.utils.translation import gettext as _

from budgets.models import Plan
from budgets.selectors import plan_document
from budgets.table import GROUP_LABELS, GROUP_TOTAL_LABELS, PARTY_LABELS
from budgets.totals import COST_GROUPS, PARTIES, compute_totals, party_of
from budgets.validation import column_name
from finsam.lib.formatting import UNIT_LABELS
from finsam.lib.money import plain

SHEET = "Budget"
ID_SHEET = "Id"
FORMAT_NAME = "finsam-excel/1"
# Row numbers (1-based) of the fixed parts of the sheet.
KEY_ROW = 3
HEADER_ROW = 4
FIRST_ROW = 5
# Sheet columns: A holds the row ids (hidden), B the labels, C on the amounts.
LABEL_COLUMN = 1
FIRST_AMOUNT_COLUMN = 2

# Row keys. A line's row is "line:<id>", a member's contribution "member:<id>",
# the empty row for a new line "new:income" or "new:cost:<group>".
NEW_INCOME = "new:income"
NEW_COST_PREFIX = "new:cost:"
INPUT_KINDS = ("line", "new")
# Groups shown even without lines, so that a new plan's sheet has a place for each.
ALWAYS_SHOWN_GROUPS = ("intervention", "reserve", "operations", "administration")


@dataclass
class GridCell:
    value: Decimal | None
    # An Excel formula ("=SUM(C5:C9)") for totals; None for an input cell.
    formula: str | None = None


@dataclass
class GridRow:
    key: str
    label: str
    # "heading", "line", "new", "subtotal", "total", "result", "equity", "share"
    kind: str
    cells: list[GridCell] = field(default_factory=list)
    # Position on the sheet, 1-based, set by `plan_grid`.
    number: int = 0


@dataclass
class Grid:
    plan: Plan
    unit: str
    column_keys: list[str]
    column_labels: list[str]
    rows: list[GridRow]

    def row(self, key: str) -> GridRow:
        return next(row for row in self.rows if row.key == key)


def column_letter(index: int) -> str:
    """The sheet column of the index-th amount column (0 -> "C")."""
    return xl_col_to_name(FIRST_AMOUNT_COLUMN + index)


def plan_grid(plan: Plan) -> Grid:
    """The budget grid of a stored plan, with each total as a formula and its computed value."""
    document = plan_document(plan)
    totals = compute_totals(document)
    columns = list(plan.columns.all())
    column_by_slug = {column.slug: column for column in columns}
    column_ids = [column.id for column in document.columns]
    members = {member.slug: member for member in plan.members.all()}
    lines = {(line.section, line.slug): line for line in plan.lines.all()}
    rows: list[GridRow] = []

    def amount_cells(amounts: dict) -> list[GridCell]:
        return [GridCell(amounts.get(column_id)) for column_id in column_ids]

    def sum_cells(values, first: int | None, last: int | None) -> list[GridCell]:
        return [
            GridCell(value, f"=SUM({column_letter(i)}{first}:{column_letter(i)}{last})" if first else None)
            for i, value in enumerate(values)
        ]

    def add(row: GridRow) -> GridRow:
        row.number = FIRST_ROW + len(rows)
        rows.append(row)
        return row

    contribution_amounts = {line.member: line.amounts for line in document.contributions}
    add(GridRow("heading:income", _("Intäkter"), "heading"))
    party_rows = []
    for party in PARTIES:
        # Every member has a row, with or without a contribution line yet: a new plan's
        # sheet is where the contributions are typed in the first place.
        party_lines = [member for member in document.members if party_of(member.kind) == party]
        first = len(rows) + FIRST_ROW
        for member in party_lines:
            amounts = contribution_amounts.get(member.id, {})
            add(GridRow(f"member:{members[member.id].pk}", member.name, "line", amount_cells(amounts)))
        last = len(rows) + FIRST_ROW - 1
        label = _(PARTY_LABELS[party]) if party != "region" or len(party_lines) < 2 else _("Regionerna")
        values = [column.contributions_by_party[party] for column in totals.columns]
        party_rows.append(
            add(GridRow(f"party:{party}", label, "subtotal", sum_cells(values, first if party_lines else None, last)))
        )
    contributions = add(
        GridRow(
            "total:contributions",
            _("Summa medlemsbidrag"),
            "total",
            [
                GridCell(column.contributions, "=" + "+".join(f"{column_letter(i)}{row.number}" for row in party_rows))
                for i, column in enumerate(totals.columns)
            ],
        )
    )
    first_income = len(rows) + FIRST_ROW
    for line in document.income or []:
        add(GridRow(f"line:{lines[('income', line.id)].pk}", line.label, "line", amount_cells(line.amounts)))
    add(GridRow(NEW_INCOME, "", "new", [GridCell(None) for _column in column_ids]))
    last_income = len(rows) + FIRST_ROW - 1
    income = add(
        GridRow(
            "total:income",
            _("Summa intäkter"),
            "total",
            [
                GridCell(
                    column.income,
                    f"={column_letter(i)}{contributions.number}+SUM({column_letter(i)}{first_income}:{column_letter(i)}{last_income})",
                )
                for i, column in enumerate(totals.columns)
            ],
        )
    )

    add(GridRow("heading:costs", _("Kostnader"), "heading"))
    group_rows = {}
    for group in COST_GROUPS:
        group_lines = [line for line in document.costs if line.group == group]
        if not group_lines and group not in ALWAYS_SHOWN_GROUPS:
            continue
        add(GridRow(f"group:{group}", _(GROUP_LABELS[group]), "heading"))
        first = len(rows) + FIRST_ROW
        for line in group_lines:
            add(GridRow(f"line:{lines[('cost', line.id)].pk}", line.label, "line", amount_cells(line.amounts)))
        add(GridRow(f"{NEW_COST_PREFIX}{group}", "", "new", [GridCell(None) for _column in column_ids]))
        last = len(rows) + FIRST_ROW - 1
        values = [column.costs_by_group[group] for column in totals.columns]
        group_rows[group] = add(
            GridRow(f"group-total:{group}", _(GROUP_TOTAL_LABELS[group]), "subtotal", sum_cells(values, first, last))
        )
    costs = add(
        GridRow(
            "total:costs",
            _("Summa kostnader"),
            "total",
            [
                GridCell(column.costs, "=" + "+".join(f"{column_letter(i)}{row.number}" for row in group_rows.values()))
                for i, column in enumerate(totals.columns)
            ],
        )
    )
    result = add(
        GridRow(
            "total:result",
            _("Årets resultat"),
            "result",
            [
                GridCell(column.result, f"={column_letter(i)}{income.number}-{column_letter(i)}{costs.number}")
                for i, column in enumerate(totals.columns)
            ],
        )
    )

    if any(column.opening_equity is not None for column in totals.columns):
        opening_row = FIRST_ROW + len(rows)
        closing_row = opening_row + 1
        chain_index = {link.year: column_ids.index(link.column) for link in totals.chain}
        opening_cells = []
        for column in totals.columns:
            formula = None
            previous = chain_index.get(column.year - 1)
            if column.opening_equity is not None and previous is not None:
                formula = f"={column_letter(previous)}{closing_row}"
            opening_cells.append(GridCell(column.opening_equity, formula))
        add(GridRow("equity:opening", _("Eget kapital vid årets början"), "equity", opening_cells))
        add(
            GridRow(
                "total:closing_equity",
                _("Eget kapital vid årets slut"),
                "equity",
                [
                    GridCell(
                        column.closing_equity,
                        f"={column_letter(i)}{opening_row}+{column_letter(i)}{result.number}"
                        if column.closing_equity is not None
                        else None,
                    )
                    for i, column in enumerate(totals.columns)
                ],
            )
        )
    if "administration" in group_rows and any(column.admin_share is not None for column in totals.columns):
        administration = group_rows["administration"].number
        add(
            GridRow(
                "share:administration",
                _("Administrationens andel av kostnaderna"),
                "share",
                [
                    GridCell(
                        column.admin_share,
                        f"={column_letter(i)}{administration}/{column_letter(i)}{costs.number}*100"
                        if column.admin_share is not None
                        else None,
                    )
                    for i, column in enumerate(totals.columns)
                ],
            )
        )
        add(
            GridRow(
                "share:non_administration",
                _("Insatser och samverkan, andel av kostnaderna"),
                "share",
                [
                    GridCell(
                        column.non_admin_share,
                        f"=({column_letter(i)}{costs.number}-{column_letter(i)}{administration})/{column_letter(i)}{costs.number}*100"
                        if column.non_admin_share is not None
                        else None,
                    )
                    for i, column in enumerate(totals.columns)
                ],
            )
        )
    return Grid(
        plan=plan,
        unit=plan.unit,
        column_keys=[f"column:{column_by_slug[column.id].pk}" for column in document.columns],
        column_labels=[column_name(column) for column in document.columns],
        rows=rows,
    )


def _number(value: Decimal) -> float | int:
    # Excel stores numbers as doubles; whole amounts go as int so that none is rounded.
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _amount_format(value: Decimal | None) -> str:
    # "[$-41D]" is Swedish: a space between thousands and a decimal comma in every Excel.
    if value is not None and value != value.to_integral_value():
        return "[$-41D]#,##0.00##"
    return "[$-41D]#,##0"


def plan_workbook(plan: Plan) -> bytes:
    """The plan's budget grid as an .xlsx file (see the module's docstring)."""
    grid = plan_grid(plan)
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    workbook.set_properties({"title": f"{plan.federation.display_name} {plan.year}", "comments": FORMAT_NAME})
    formats = {}

    def style(number_format: str | None, *, locked: bool = True, bold: bool = False, top: bool = False):
        key = (number_format, locked, bold, top)
        if key not in formats:
            properties = {"locked": locked, "bold": bold}
            if number_format:
                properties["num_format"] = number_format
            if top:
                properties["top"] = 1
            if not locked:
                properties["bg_color"] = "#FFF8DC"
            formats[key] = workbook.add_format(properties)
        return formats[key]

    sheet = workbook.add_worksheet(SHEET)
    sheet.set_column(0, 0, 20, None, {"hidden": True})
    sheet.set_column(LABEL_COLUMN, LABEL_COLUMN, 48)
    sheet.set_column(FIRST_AMOUNT_COLUMN, FIRST_AMOUNT_COLUMN + max(len(grid.column_keys) - 1, 0), 16)
    sheet.write_string(0, LABEL_COLUMN, f"{plan.federation.display_name}: {_('verksamhetsplan')} {plan.year}", style(None, bold=True))
    sheet.write_string(
        1,
        LABEL_COLUMN,
        _("Belopp i %(unit)s. Gula celler kan ändras; summorna räknas om när filen läses in.")
        % {"unit": UNIT_LABELS.get(plan.unit, plan.unit)},
    )
    sheet.write_string(KEY_ROW - 1, 0, f"plan:{plan.pk}")
    for index, key in enumerate(grid.column_keys):
        sheet.write_string(KEY_ROW - 1, FIRST_AMOUNT_COLUMN + index, key)
    sheet.set_row(KEY_ROW - 1, None, None, {"hidden": True})
    sheet.write_string(HEADER_ROW - 1, LABEL_COLUMN, _("Rad"), style(None, bold=True))
    for index, label in enumerate(grid.column_labels):
        sheet.write_string(HEADER_ROW - 1, FIRST_AMOUNT_COLUMN + index, label, style(None, bold=True))

    for row in grid.rows:
        line_index = row.number - 1
        sheet.write_string(line_index, 0, row.key)
        bold = row.kind in ("heading", "total", "result")
        top = row.kind in ("total", "result")
        if row.kind == "new":
            sheet.write_blank(line_index, LABEL_COLUMN, None, style(None, locked=False))
        else:
            sheet.write_string(line_index, LABEL_COLUMN, row.label, style(None, bold=bold, top=top))
        for index, cell in enumerate(row.cells):
            column = FIRST_AMOUNT_COLUMN + index
            if row.kind == "share":
                cell_format = style('[$-41D]0.0" %"', top=top)
            else:
                cell_format = style(_amount_format(cell.value), locked=row.kind not in INPUT_KINDS, bold=bold, top=top)
            if cell.formula:
                sheet.write_formula(line_index, column, cell.formula, cell_format, _number(cell.value) if cell.value is not None else 0)
            elif cell.value is not None:
                sheet.write_number(line_index, column, _number(cell.value), cell_format)
            else:
                sheet.write_blank(line_index, column, None, cell_format)
    sheet.freeze_panes(HEADER_ROW, FIRST_AMOUNT_COLUMN)
    # Rows may be inserted (a new line under a group); everything else stays as the server made it.
    sheet.protect("", {"insert_rows": True, "format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True})

    ids = workbook.add_worksheet(ID_SHEET)
    ids.write_row(0, 0, ["format", FORMAT_NAME])
    ids.write_row(1, 0, ["plan", plan.pk])
    ids.write_row(2, 0, ["version", plan.version])
    ids.write_row(3, 0, ["federation", plan.federation.slug])
    ids.write_row(4, 0, ["year", plan.year])
    ids.write_row(5, 0, ["revision", plan.revision])
    ids.write_row(7, 0, ["column", "id"])
    for index, key in enumerate(grid.column_keys):
        ids.write_row(8 + index, 0, [f"{column_letter(index)}", key])
    start = 9 + len(grid.column_keys)
    ids.write_row(start, 0, ["row", "id"])
    for index, row in enumerate(grid.rows):
        ids.write_row(start + 1 + index, 0, [row.number, row.key])
    ids.protect()
    ids.hide()
    workbook.close()
    return output.getvalue()


def _csv_text(text: str) -> str:
    # A label is user text: one that starts like a formula would run as one when a
    # spreadsheet opens the CSV, so it is kept as text with a leading apostrophe.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def plan_csv(plan: Plan) -> str:
    """The same grid as CSV for other tools: computed values, a decimal point, no formulas.

    The first row names the columns; the first field of each row is its id.
    """
    grid = plan_grid(plan)
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(["id", _("Rad"), *grid.column_labels])
    for row in grid.rows:
        if row.kind == "new":
            continue
        writer.writerow(
            [row.key, _csv_text(row.label), *("" if cell.value is None else format(plain(cell.value), "f") for cell in row.cells)]
        )
    return output.getvalue()


def export_file_name(plan: Plan, extension: str) -> str:
    """"hoglandet-2026.xlsx", "hoglandet-2026-r2.xlsx" for a later revision."""
    revision = f"-r{plan.revision}" if plan.revision > 1 else ""
    return f"{plan.federation.slug}-{plan.year}{revision}.{extension}"
