"""Reading an edited copy of the plan's Excel file back into the plan.

Three steps, each usable alone (the upload page and `import_excel` use all):

1. `read_workbook(raw)` checks the file as a zip before any spreadsheet code
   opens it (size, members' uncompressed sizes, macros, external links) and then
   streams the sheet in openpyxl's read-only mode with a row limit, so a hostile
   file can neither fill memory nor run long. It raises `ExcelUnusable`.
2. `compare(plan, workbook)` finds every changed input cell and every new row
   typed under a group; a file of another plan, of an older version of this
   one, or with a cell that is not an amount raises `ExcelRefused`.
   Formulas are never read: the server computes every total itself.
3. `excel_apply(...)` stores all changes in one transaction, or nothing.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from xlsxwriter.utility import xl_col_to_name
from django.db import transaction
from django.utils.translation import gettext as _

from budgets.editing.contributions import contributions_update
from budgets.editing.lines import line_create, lines_update
from budgets.excel import (
    FIRST_AMOUNT_COLUMN,
    FIRST_ROW,
    FORMAT_NAME,
    ID_SHEET,
    KEY_ROW,
    LABEL_COLUMN,
    NEW_COST_PREFIX,
    NEW_INCOME,
    SHEET,
    column_letter,
)
from budgets.models import BudgetLine, Plan
from budgets.planfile import ContributionData, CostData, IncomeData
from budgets.selectors import guidance_bands, plan_document
from budgets.services import plan_record_change
from budgets.table import GROUP_LABELS
from budgets.totals import compute_totals
from budgets.validation import Finding, column_name, validate_document
from finsam.forms import AmountField
from finsam.lib.formatting import format_number

# Limits on an uploaded workbook (stated in the README). A real plan's file is
# some tens of kilobytes and a few hundred rows.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 500
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_LABEL_LENGTH = 300

SECTION_CONTRIBUTION = "contribution"


class ExcelUnusable(Exception):
    """The file cannot be read as the plan's Excel file at all; the message says why, in Swedish."""


class ExcelRefused(Exception):
    """The file was read but cannot be applied to the plan; `problems` say why, in Swedish."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class SheetRow:
    number: int
    key: str
    label: object
    values: list


@dataclass
class Workbook:
    format: str
    plan_id: int | None
    version: int | None
    # The sheet column letter -> the column key ("column:12") of each amount column.
    column_keys: dict[int, str]
    rows: list[SheetRow]


@dataclass
class CellChange:
    cell: str
    row: str
    column: str
    old: str
    new: str
    column_id: int
    new_value: str | None
    line_id: int | None = None
    member_id: int | None = None


@dataclass
class NewLine:
    cell: str
    section: str
    group: str
    label: str
    # Column id -> amount, as text (the session stores JSON).
    amounts: dict[str, str] = field(default_factory=dict)
    group_label: str = ""


@dataclass
class ExcelChanges:
    plan_id: int
    version: int
    changes: list[CellChange]
    new_lines: list[NewLine]

    @property
    def is_empty(self) -> bool:
        return not self.changes and not self.new_lines

    def as_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> ExcelChanges:
        return cls(
            plan_id=data["plan_id"],
            version=data["version"],
            changes=[CellChange(**change) for change in data["changes"]],
            new_lines=[NewLine(**line) for line in data["new_lines"]],
        )


# ---------------------------------------------------------------------------
# 1. Reading the file


def check_zip(raw: bytes) -> None:
    """Refuse, before openpyxl sees it, a file that is no xlsx, too large, a zip bomb,
    or carries macros or links to other workbooks."""
    if len(raw) > MAX_FILE_BYTES:
        raise ExcelUnusable(
            _("Filen är %(size)s MB; en Excel-fil får vara högst %(limit)s MB.")
            % {"size": format_number(Decimal(len(raw)) / 1024 / 1024, 1), "limit": MAX_FILE_BYTES // 1024 // 1024}
        )
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise ExcelUnusable(_("Filen är ingen Excel-fil (.xlsx). Spara den som Excel-arbetsbok och försök igen."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ExcelUnusable(_("Filen är ingen Excel-fil (.xlsx) eller är skadad."))
    names = {member.filename.lower() for member in members}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise ExcelUnusable(_("Filen är ingen Excel-fil (.xlsx). Spara den som Excel-arbetsbok och försök igen."))
    if "xl/workbook.bin" in names:
        raise ExcelUnusable(_("Binära Excel-filer (.xlsb) läses inte. Spara filen som Excel-arbetsbok (.xlsx)."))
    if any(name.endswith("vbaproject.bin") for name in names):
        raise ExcelUnusable(_("Filen innehåller makron. Spara den som Excel-arbetsbok utan makron (.xlsx)."))
    if any(name.startswith("xl/externallinks/") for name in names):
        raise ExcelUnusable(
            _("Filen har länkar till andra arbetsböcker. Ta bort länkarna (Data > Redigera länkar > Bryt länk) och försök igen.")
        )
    if len(members) > MAX_ZIP_MEMBERS:
        raise ExcelUnusable(_("Filen har för många delar för att vara en planens Excel-fil."))
    total = 0
    for member in members:
        total += member.file_size
        # A tiny part that would unpack into something huge is a zip bomb, not a budget.
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO and member.file_size > 1024 * 1024:
            raise ExcelUnusable(_("Filen packas upp till orimligt mycket data och läses inte."))
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ExcelUnusable(
            _("Filen packas upp till mer än %(limit)s MB och läses inte.")
            % {"limit": MAX_UNCOMPRESSED_BYTES // 1024 // 1024}
        )


def _id_value(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_workbook(raw: bytes) -> Workbook:
    """The plan id, version, column ids and rows of an exported (and edited) workbook."""
    check_zip(raw)
    # Imported here: the page and the commands that never read a workbook need not load openpyxl.
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception:
        # openpyxl raises many kinds of errors on a damaged file; all mean the same to the user.
        raise ExcelUnusable(_("Filen kunde inte läsas som Excel-arbetsbok. Spara den igen som .xlsx och försök på nytt."))
    try:
        if ID_SHEET not in book.sheetnames or SHEET not in book.sheetnames:
            raise ExcelUnusable(
                _("Filen är ingen budgetfil från Finsam Plan (bladen %(sheet)s och %(ids)s saknas). Ladda ner Excel från planens sida.")
                % {"sheet": SHEET, "ids": ID_SHEET}
            )
        facts = {}
        for index, row in enumerate(book[ID_SHEET].iter_rows(min_row=1, max_row=6, max_col=2, values_only=True)):
            if row and row[0] is not None:
                facts[str(row[0])] = _id_value(row[1] if len(row) > 1 else None)
        if facts.get("format") != FORMAT_NAME:
            raise ExcelUnusable(
                _("Filen är ingen budgetfil från Finsam Plan (bladet %(ids)s känns inte igen).") % {"ids": ID_SHEET}
            )
        sheet = book[SHEET]
        column_keys: dict[int, str] = {}
        rows: list[SheetRow] = []
        for number, values in enumerate(
            sheet.iter_rows(min_row=KEY_ROW, max_col=MAX_COLUMNS, values_only=True), start=KEY_ROW
        ):
            if number - KEY_ROW >= MAX_ROWS:
                raise ExcelUnusable(
                    _("Bladet %(sheet)s har fler än %(limit)s rader; en plans budget har några hundra.")
                    % {"sheet": SHEET, "limit": format_number(MAX_ROWS)}
                )
            values = list(values)
            if number == KEY_ROW:
                for index, value in enumerate(values):
                    if index >= FIRST_AMOUNT_COLUMN and isinstance(value, str) and value.startswith("column:"):
                        column_keys[index] = value
                continue
            if number < FIRST_ROW:
                continue
            values += [None] * (FIRST_AMOUNT_COLUMN - len(values))
            key = values[0]
            rows.append(
                SheetRow(
                    number=number,
                    key=key.strip() if isinstance(key, str) else "",
                    label=values[LABEL_COLUMN],
                    values=values,
                )
            )
    finally:
        book.close()
    return Workbook(
        format=facts["format"],
        plan_id=facts.get("plan") if isinstance(facts.get("plan"), int) else None,
        version=facts.get("version") if isinstance(facts.get("version"), int) else None,
        column_keys=column_keys,
        rows=rows,
    )


# ---------------------------------------------------------------------------
# 2. Comparing with the plan


def _shown(value) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


_AMOUNT = AmountField(required=False)


def cell_amount(value, cell: str) -> Decimal | None:
    """A cell's amount; None for an empty cell. Raises ValueError with the Swedish message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    refusal = _('%(cell)s: "%(value)s" är inte ett belopp') % {"cell": cell, "value": _shown(value)}
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(refusal)
    if isinstance(value, str):
        if value.strip().startswith("="):
            raise ValueError(refusal + _(" (formler läses inte in; skriv beloppet)"))
        candidate = value
    else:
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(refusal)
        # A float is read exactly as the shortest decimal that gives it back, so that
        # 1234.1 stays 1234.1; anything with more decimals than an amount has is refused.
        try:
            candidate = Decimal(repr(value))
        except InvalidOperation:
            raise ValueError(refusal)
    try:
        return _AMOUNT.clean(candidate)
    except ValidationError as error:
        if error.error_list[0].code == "invalid":
            raise ValueError(refusal)
        raise ValueError(f"{refusal} ({' '.join(error.messages)})")


def _key_id(key: str, prefix: str) -> int | None:
    if not key.startswith(prefix):
        return None
    try:
        return int(key[len(prefix):])
    except ValueError:
        return None


def _label(value) -> str:
    if value is None:
        return ""
    return _shown(value).strip()


def compare(plan: Plan, workbook: Workbook) -> ExcelChanges:
    """Every changed input cell and every new line in the workbook, against the stored plan.

    Raises ExcelRefused when the file belongs to another plan or to an older
    version of this one, when the plan is adopted, or listing every cell that
    cannot be read.
    """
    if workbook.plan_id != plan.pk:
        other = Plan.objects.select_related("federation").filter(pk=workbook.plan_id).first()
        name = str(other) if other is not None else _("en plan som inte finns här")
        raise ExcelRefused(
            [
                _("Filen gäller en annan plan (%(other)s), inte %(plan)s. Ladda ner Excel från den här planens sida.")
                % {"other": name, "plan": str(plan)}
            ]
        )
    if workbook.version != plan.version:
        raise ExcelRefused(
            [
                _(
                    "Filen hämtades från version %(file)s av planen, men planen har ändrats sedan dess (nu version %(now)s). "
                    "Ladda ner en ny Excel-fil och för in dina ändringar i den."
                )
                % {"file": workbook.version, "now": plan.version}
            ]
        )

    columns = {f"column:{column.pk}": column for column in plan.columns.all()}
    document = plan_document(plan)
    column_labels = {column.id: column_name(column) for column in document.columns}
    members = {member.pk: member for member in plan.members.all()}
    lines = {line.pk: line for line in plan.lines.all()}
    amounts: dict[tuple[int, int], Decimal] = {
        (line_id, column_id): amount
        for line_id, column_id, amount in BudgetLine.objects.filter(plan=plan)
        .values_list("pk", "amounts__column_id", "amounts__amount")
        if column_id is not None
    }
    contribution_line = {line.member_id: line.pk for line in lines.values() if line.section == BudgetLine.Section.CONTRIBUTION}

    problems: list[str] = []
    sheet_columns: list[tuple[int, object]] = []
    for index, key in sorted(workbook.column_keys.items()):
        column = columns.get(key)
        if column is None:
            problems.append(
                _("%(sheet)s!%(letter)s%(row)s: kolumnen finns inte i planen.")
                % {"sheet": SHEET, "letter": column_letter(index - FIRST_AMOUNT_COLUMN), "row": KEY_ROW}
            )
        else:
            sheet_columns.append((index, column))

    changes: list[CellChange] = []
    new_lines: list[NewLine] = []
    seen: dict[str, int] = {}
    # Where a new row typed into the sheet belongs: set by the keyed rows above it.
    context: tuple[str, str] | None = None
    for row in workbook.rows:
        key = row.key
        if key.startswith(("member:", "line:")):
            if key in seen:
                problems.append(
                    _("%(sheet)s!A%(row)s: raden finns redan på rad %(first)s; kopiera inte rader, lägg till nya.")
                    % {"sheet": SHEET, "row": row.number, "first": seen[key]}
                )
                continue
            seen[key] = row.number
        member_id = _key_id(key, "member:")
        line_id = _key_id(key, "line:")
        if key.startswith("heading:income") or key.startswith("party:") or member_id is not None:
            context = (SECTION_CONTRIBUTION, "")
        elif key == "total:contributions" or key == NEW_INCOME:
            context = (BudgetLine.Section.INCOME, "")
        elif key.startswith("group:") or key.startswith(NEW_COST_PREFIX):
            group = key.split(":")[-1]
            context = (BudgetLine.Section.COST, group) if group in GROUP_LABELS else None
        elif key and not key.startswith("line:"):
            # A total, the result, the equity or the shares: no new lines below these.
            context = None

        if member_id is not None or line_id is not None:
            if member_id is not None:
                member = members.get(member_id)
                if member is None:
                    problems.append(_("%(sheet)s!A%(row)s: medlemmen finns inte i planen.") % {"sheet": SHEET, "row": row.number})
                    continue
                stored_line = contribution_line.get(member_id)
                label = member.name
            else:
                line = lines.get(line_id)
                if line is None or line.section == BudgetLine.Section.CONTRIBUTION:
                    problems.append(_("%(sheet)s!A%(row)s: raden finns inte i planen.") % {"sheet": SHEET, "row": row.number})
                    continue
                stored_line = line.pk
                label = line.label
                if line.section == BudgetLine.Section.COST:
                    context = (BudgetLine.Section.COST, line.cost_group)
            for index, column in sheet_columns:
                cell = f"{SHEET}!{_letter(index)}{row.number}"
                value = row.values[index] if index < len(row.values) else None
                try:
                    new = cell_amount(value, cell)
                except ValueError as refusal:
                    problems.append(str(refusal))
                    continue
                old = amounts.get((stored_line, column.pk)) if stored_line is not None else None
                if old == new:
                    continue
                changes.append(
                    CellChange(
                        cell=cell,
                        row=label,
                        column=column_labels.get(column.slug, str(column)),
                        old=format_number(old),
                        new=format_number(new),
                        column_id=column.pk,
                        new_value=None if new is None else str(new),
                        line_id=line_id,
                        member_id=member_id,
                    )
                )
            continue

        if key and not key.startswith("new:"):
            continue  # a total or heading: formulas and labels there are the server's
        label = _label(row.label)
        row_values = {}
        for index, column in sheet_columns:
            cell = f"{SHEET}!{_letter(index)}{row.number}"
            value = row.values[index] if index < len(row.values) else None
            try:
                amount = cell_amount(value, cell)
            except ValueError as refusal:
                problems.append(str(refusal))
                continue
            if amount is not None:
                row_values[str(column.pk)] = str(amount)
        if not label and not row_values:
            continue
        cell = f"{SHEET}!{_letter(LABEL_COLUMN)}{row.number}"
        if context is None:
            problems.append(
                _("%(cell)s: den nya raden står inte under någon grupp. Skriv nya rader under Övriga intäkter eller en kostnadsgrupp.")
                % {"cell": cell}
            )
        elif context[0] == SECTION_CONTRIBUTION:
            problems.append(
                _("%(cell)s: nya medlemmar läggs till under Medlemmar i planen, inte i Excel-filen.") % {"cell": cell}
            )
        elif not label:
            problems.append(_("%(cell)s: den nya raden saknar namn.") % {"cell": cell})
        elif len(label) > MAX_LABEL_LENGTH:
            problems.append(_("%(cell)s: namnet är längre än %(limit)s tecken.") % {"cell": cell, "limit": MAX_LABEL_LENGTH})
        else:
            section, group = context
            new_lines.append(
                NewLine(
                    cell=cell,
                    section=section,
                    group=group,
                    label=label,
                    amounts=row_values,
                    group_label=_(GROUP_LABELS[group]) if group else _("Övriga intäkter"),
                )
            )
    if problems:
        raise ExcelRefused(problems)
    if plan.is_adopted and (changes or new_lines):
        # An unchanged file is no change, so reading one back is fine even then.
        raise ExcelRefused([_("Planen är fastställd och kan inte ändras. Gör en ny revision för att ändra den.")])
    return ExcelChanges(plan_id=plan.pk, version=plan.version, changes=changes, new_lines=new_lines)


def _letter(index: int) -> str:
    return xl_col_to_name(index)


def changed_document(plan: Plan, changes: ExcelChanges):
    """The plan's document as it would be with the changes applied (nothing is stored)."""
    document = plan_document(plan)
    columns = {column.pk: column.slug for column in plan.columns.all()}
    members = {member.pk: member.slug for member in plan.members.all()}
    lines = {line.pk: line.slug for line in plan.lines.exclude(section=BudgetLine.Section.CONTRIBUTION)}
    contributions = {line.member: line for line in document.contributions}
    by_line = {line.id: line for line in [*(document.income or []), *document.costs]}
    for change in changes.changes:
        if change.member_id is not None:
            slug = members[change.member_id]
            target = contributions.get(slug)
            if target is None:
                target = ContributionData(member=slug, amounts={})
                document.contributions.append(target)
                contributions[slug] = target
        else:
            target = by_line[lines[change.line_id]]
        column = columns[change.column_id]
        if change.new_value is None:
            target.amounts.pop(column, None)
        else:
            target.amounts[column] = Decimal(change.new_value)
    taken = set(by_line)
    for number, new in enumerate(changes.new_lines, start=1):
        identifier = f"ny-rad-{number}"
        while identifier in taken:
            identifier += "-x"
        taken.add(identifier)
        amounts = {columns[int(column_id)]: Decimal(value) for column_id, value in new.amounts.items()}
        if new.section == BudgetLine.Section.INCOME:
            document.income = [*(document.income or []), IncomeData(id=identifier, label=new.label, kind="other", amounts=amounts)]
        else:
            document.costs.append(CostData(id=identifier, label=new.label, group=new.group, amounts=amounts))
    return document


@dataclass
class Preview:
    changes: ExcelChanges
    findings: list[Finding]
    # Per column: (name, result before, result after), for the summary line.
    results: list[tuple[str, str, str]]

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.is_error]


def preview(plan: Plan, changes: ExcelChanges) -> Preview:
    """The changes with the findings the plan would then have and its results before and after."""
    before = compute_totals(plan_document(plan))
    document = changed_document(plan, changes)
    after = compute_totals(document)
    findings = validate_document(document, bands=guidance_bands(), totals=after)
    results = [
        (column_name(old.column), format_number(old.result), format_number(new.result))
        for old, new in zip(before.columns, after.columns)
    ]
    return Preview(changes=changes, findings=findings, results=results)


# ---------------------------------------------------------------------------
# 3. Storing


@transaction.atomic
def excel_apply(*, plan: Plan, changes: ExcelChanges, acting_user) -> int:
    """Store every change of the workbook in one transaction; returns how many cells and lines changed.

    Refused with StaleEdit (and nothing stored) when the plan changed after the
    file was exported.
    """
    plan_record_change(plan=plan, seen_version=changes.version)

    def value(text):
        return None if text is None else Decimal(text)

    contributions: dict[int, dict[int, Decimal | None]] = {}
    line_rows: dict[str, dict[int, dict]] = {BudgetLine.Section.INCOME: {}, BudgetLine.Section.COST: {}}
    sections = dict(plan.lines.values_list("pk", "section"))
    for change in changes.changes:
        if change.member_id is not None:
            contributions.setdefault(change.member_id, {})[change.column_id] = value(change.new_value)
        else:
            rows = line_rows[sections[change.line_id]]
            rows.setdefault(change.line_id, {"amounts": {}})["amounts"][change.column_id] = value(change.new_value)
    changed = 0
    if contributions:
        changed += contributions_update(plan=plan, amounts=contributions, acting_user=acting_user, seen_version=None)
    for section, rows in line_rows.items():
        if rows:
            changed += lines_update(plan=plan, section=section, rows=rows, acting_user=acting_user, seen_version=None)
    for new in changes.new_lines:
        line = line_create(
            plan=plan,
            section=new.section,
            values={
                "label": new.label,
                "income_kind": BudgetLine.IncomeKind.OTHER if new.section == BudgetLine.Section.INCOME else "",
                "cost_group": new.group,
            },
            acting_user=acting_user,
            seen_version=None,
        )
        amounts = {int(column_id): Decimal(text) for column_id, text in new.amounts.items()}
        lines_update(plan=plan, section=new.section, rows={line.pk: {"amounts": amounts}}, acting_user=acting_user, seen_version=None)
        changed += 1
    return changed
