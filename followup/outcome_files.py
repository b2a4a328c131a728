"""Outcome from files: a table of lines and amounts (CSV or Excel, `rad;belopp`),
SIE books through the federation's account mapping, and the mapping file itself
(`konto;rad`). Everything here reads and checks; `followup.services` writes.

Signs: the plan stores costs and income as positive amounts, the section says which
is which. In SIE a cost is a debit (positive) and income a credit (negative), so a
cost line takes an account's sum as it is and an income or contribution line takes
it with the sign turned. Units: a tkr plan gets the kronor divided by 1 000, kept as
Decimal and rounded only to the plan's decimals, and the preview says what was rounded.

All or nothing: every problem is collected, each naming the file, the row and the
column, and nothing is stored while there is one.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.utils.translation import gettext as _

from budgets.models import BudgetLine, Plan
from budgets.totals import COST_GROUPS, unit_places
from finsam.lib.formatting import format_number
from finsam.lib.money import UNIT_FACTORS
from finsam.lib.numbers import NumberRefused, parse_amount
from followup.sie import RESULT_ACCOUNT, SieBooks

OUTCOME_MAX_BYTES = 2 * 1024 * 1024
OUTCOME_MAX_ROWS = 2_000
MAPPING_MAX_ROWS = 2_000
OUTCOME_HEADER = ("rad", "belopp")
MAPPING_HEADER = ("konto", "rad")
OBJECT_KEY = re.compile(r"objekt:[^:\s]{1,20}:[^\s]{1,30}")
ACCOUNT_KEY = re.compile(r"[0-9]{1,10}")


class FileRefused(ValueError):
    """The file cannot be read at all, or has problems; `problems` lists them."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def plan_lines(plan: Plan) -> list[BudgetLine]:
    """The plan's lines as the plan shows them: contributions, income, costs by group."""
    lines = list(plan.lines.select_related("member").all())
    section_order = [BudgetLine.Section.CONTRIBUTION, BudgetLine.Section.INCOME, BudgetLine.Section.COST]

    def position(line):
        group = COST_GROUPS.index(line.cost_group) if line.section == BudgetLine.Section.COST and line.cost_group in COST_GROUPS else 0
        return (section_order.index(line.section), group, line.order, line.pk)

    return sorted(lines, key=position)


class LineIndex:
    """Finds a plan line by what a file calls it: its id (slug), `del:id`
    ("cost:hyra") or its label, ignoring case and surrounding spaces."""

    def __init__(self, plan: Plan):
        self.lines = plan_lines(plan)
        self._by_name: dict[str, list[BudgetLine]] = {}
        for line in self.lines:
            for name in {line.slug.casefold(), f"{line.section}:{line.slug}".casefold(), line.display_label.strip().casefold()}:
                if name:
                    self._by_name.setdefault(name, []).append(line)

    def find(self, text: str) -> tuple[BudgetLine | None, str | None]:
        """The line, or None and why not."""
        matches = self._by_name.get(text.strip().casefold(), [])
        unique = list({line.pk: line for line in matches}.values())
        if len(unique) == 1:
            return unique[0], None
        if not unique:
            return None, _("planen har ingen rad ”%(name)s”") % {"name": text.strip()}
        return None, _("”%(name)s” passar flera rader; skriv del:id, t.ex. %(example)s") % {
            "name": text.strip(),
            "example": f"{unique[0].section}:{unique[0].slug}",
        }

    def name_of(self, line: BudgetLine) -> str:
        """How a file names the line: its id, with its section where the id is not unique."""
        same = [other for other in self.lines if other.slug == line.slug]
        return line.slug if len(same) == 1 else f"{line.section}:{line.slug}"


@dataclass
class OutcomeImport:
    """Outcome read from a file, checked against the plan, not yet stored."""

    amounts: dict[int, Decimal] = field(default_factory=dict)
    # Things the chief should know before saving (rounding, balance accounts, #RES).
    notes: list[str] = field(default_factory=list)
    # SIE accounts and objects without a mapping: (key, name, sum in kronor).
    unmapped: list[tuple[str, str, Decimal]] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Tables: CSV and Excel


def _decode(raw: bytes, filename: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Excel for Windows saves "CSV" in Windows-1252 unless told otherwise.
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRefused([_("%(file)s: filen är inte text i UTF-8 eller Windows-1252.") % {"file": filename}]) from None


def read_table(raw: bytes, filename: str, *, header: tuple[str, str], max_rows: int) -> list[tuple[int, str, str]]:
    """The rows of a two-column table, CSV (semicolon or comma) or Excel (.xlsx):
    (row number in the file, first cell, second cell), header checked and skipped,
    empty rows skipped."""
    if len(raw) > OUTCOME_MAX_BYTES:
        raise FileRefused([
            _("%(file)s: filen är för stor, högst %(limit)s MB.") % {"file": filename, "limit": OUTCOME_MAX_BYTES // 1024 // 1024}
        ])
    if raw.startswith(b"PK"):
        rows = _excel_rows(raw, filename, max_rows)
    else:
        rows = _csv_rows(raw, filename, max_rows)
    if not rows:
        raise FileRefused([_("%(file)s: filen är tom.") % {"file": filename}])
    first_number, first = rows[0]
    found = tuple(cell.strip().casefold() for cell in first[:2])
    if found != header or any(cell.strip() for cell in first[2:]):
        raise FileRefused([
            _("%(file)s rad %(row)s: rubrikraden ska vara %(header)s.")
            % {"file": filename, "row": first_number, "header": ";".join(header)}
        ])
    table = []
    problems = []
    for number, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < 2 or any(cell.strip() for cell in cells[2:]):
            problems.append(
                _("%(file)s rad %(row)s: raden ska ha två kolumner, %(header)s.")
                % {"file": filename, "row": number, "header": ";".join(header)}
            )
            continue
        table.append((number, cells[0], cells[1]))
    if problems:
        raise FileRefused(problems)
    return table


def _csv_rows(raw: bytes, filename: str, max_rows: int) -> list[tuple[int, list[str]]]:
    text = _decode(raw, filename)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line else ","
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            if number > max_rows + 1:
                raise FileRefused([
                    _("%(file)s: filen har fler än %(limit)s rader.") % {"file": filename, "limit": format_number(max_rows)}
                ])
            rows.append((number, cells))
    except csv.Error as error:
        raise FileRefused([_("%(file)s: filen kan inte läsas som CSV (%(error)s).") % {"file": filename, "error": error}]) from None
    return rows


def _excel_rows(raw: bytes, filename: str, max_rows: int) -> list[tuple[int, list[str]]]:
    from budgets.excel_import import ExcelUnusable, check_zip

    try:
        check_zip(raw)
    except ExcelUnusable as refusal:
        raise FileRefused([f"{filename}: {refusal}"]) from None
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise FileRefused([_("%(file)s: filen kan inte läsas som Excel-arbetsbok (.xlsx).") % {"file": filename}]) from None
    sheet = workbook.worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=10), start=1):
        if number > max_rows + 1:
            workbook.close()
            raise FileRefused([
                _("%(file)s: filen har fler än %(limit)s rader.") % {"file": filename, "limit": format_number(max_rows)}
            ])
        rows.append((number, [_excel_text(value) for value in values]))
    workbook.close()
    return rows


def _excel_text(value) -> str:
    """A cell as text for the strict parser: a number cell with its exact digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel stores binary floats; its shortest repr is the number as typed (12.5, 1250000.5).
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def outcome_from_table(plan: Plan, rows: list[tuple[int, str, str]], filename: str) -> OutcomeImport:
    """Outcome per line from `rad;belopp` rows, amounts in the plan's unit."""
    index = LineIndex(plan)
    places = unit_places(plan.unit)
    result = OutcomeImport()
    problems = []
    seen: dict[int, int] = {}
    for number, name, amount_text in rows:
        line, why = index.find(name)
        if line is None:
            problems.append(_("%(file)s rad %(row)s, kolumn rad: %(why)s.") % {"file": filename, "row": number, "why": why})
        elif line.pk in seen:
            problems.append(
                _("%(file)s rad %(row)s, kolumn rad: raden ”%(name)s” finns redan på rad %(first)s.")
                % {"file": filename, "row": number, "name": name.strip(), "first": seen[line.pk]}
            )
            line = None
        else:
            seen[line.pk] = number
        try:
            amount = parse_amount(amount_text, decimals=places, allow_negative=True)
        except NumberRefused as refusal:
            problems.append(
                _("%(file)s rad %(row)s, kolumn belopp: ”%(value)s”: %(why)s")
                % {"file": filename, "row": number, "value": amount_text.strip(), "why": refusal.message}
            )
            continue
        if line is not None:
            result.amounts[line.pk] = amount
    if problems:
        raise FileRefused(problems)
    return result


# ---------------------------------------------------------------------------
# SIE through the mapping


def mapped_line(index: LineIndex, mappings: dict, key: str) -> BudgetLine | None:
    mapping = mappings.get(key)
    if mapping is None:
        return None
    return next(
        (line for line in index.lines if line.section == mapping.line_section and line.slug == mapping.line_slug), None
    )


def sie_keys(books: SieBooks) -> list[tuple[str, str, Decimal]]:
    """The accounts and objects of the period, with their names and sums in kronor,
    as the mapping page lists them: accounts first, then objects."""
    sums: dict[str, Decimal] = {}
    for (account, objects), amount in books.sums.items():
        sums[account] = sums.get(account, Decimal(0)) + amount
        for key in objects:
            sums[key] = sums.get(key, Decimal(0)) + amount
    accounts = sorted((key for key in sums if not key.startswith("objekt:")), key=lambda key: (len(key), key))
    objects = sorted(key for key in sums if key.startswith("objekt:"))
    names = {**books.accounts, **books.objects}
    return [(key, names.get(key, ""), sums[key]) for key in accounts + objects]


def outcome_from_sie(plan: Plan, books: SieBooks, mappings: dict) -> OutcomeImport:
    """Outcome per line from the books: a transaction goes to the line of the first
    object in its list that is mapped, else to its account's line. Accounts whose
    transactions no mapping catches are listed in `unmapped` (and nothing may be saved)."""
    index = LineIndex(plan)
    factor = UNIT_FACTORS[plan.unit]
    places = unit_places(plan.unit)
    kronor: dict[int, Decimal] = {}
    unmapped: dict[str, Decimal] = {}
    lines = {line.pk: line for line in index.lines}
    for (account, objects), amount in books.sums.items():
        line = None
        for key in objects:
            line = mapped_line(index, mappings, key)
            if line is not None:
                break
        if line is None:
            line = mapped_line(index, mappings, account)
        if line is None:
            unmapped[account] = unmapped.get(account, Decimal(0)) + amount
            continue
        # Costs are debits (positive in SIE); income and contributions credits (negative).
        signed = amount if line.section == BudgetLine.Section.COST else -amount
        kronor[line.pk] = kronor.get(line.pk, Decimal(0)) + signed
    result = OutcomeImport()
    rounded = []
    step = Decimal(1).scaleb(-places)
    for line_pk, total in kronor.items():
        exact = total / factor
        amount = exact.quantize(step, rounding=ROUND_HALF_EVEN)
        if amount != exact:
            rounded.append((lines[line_pk], exact, amount))
        result.amounts[line_pk] = amount
    if rounded:
        result.notes.append(
            _("%(count)s belopp avrundades till %(places)s decimaler i %(unit)s, t.ex. %(line)s: %(exact)s blev %(amount)s.")
            % {
                "count": len(rounded),
                "places": places,
                "unit": plan.unit,
                "line": rounded[0][0].display_label,
                "exact": format_number(rounded[0][1]),
                "amount": format_number(rounded[0][2]),
            }
        )
    if books.balance_accounts:
        result.notes.append(
            _("Balanskonton (klass 1 och 2) läses inte som utfall: %(accounts)s.")
            % {"accounts": ", ".join(sorted(books.balance_accounts))}
        )
    if books.from_year_results:
        result.notes.append(_("Filen har inga verifikationer: utfallet är årets saldon enligt #RES."))
    names = {**books.accounts, **books.objects}
    result.unmapped = [
        (account, names.get(account, ""), amount)
        for account, amount in sorted(unmapped.items(), key=lambda item: (len(item[0]), item[0]))
    ]
    return result


# ---------------------------------------------------------------------------
# The mapping file: konto;rad


def read_mapping_rows(plan: Plan, rows: list[tuple[int, str, str]], filename: str) -> dict[str, BudgetLine | None]:
    """Account -> line from `konto;rad` rows; an empty `rad` unmaps the account."""
    index = LineIndex(plan)
    changes: dict[str, BudgetLine | None] = {}
    problems = []
    for number, account_text, name in rows:
        account = account_text.strip()
        if not (ACCOUNT_KEY.fullmatch(account) or OBJECT_KEY.fullmatch(account)):
            problems.append(
                _("%(file)s rad %(row)s, kolumn konto: ”%(value)s” är inget kontonummer eller objekt:<dimension>:<id>.")
                % {"file": filename, "row": number, "value": account}
            )
            continue
        if account in changes:
            problems.append(
                _("%(file)s rad %(row)s, kolumn konto: kontot %(account)s står två gånger.")
                % {"file": filename, "row": number, "account": account}
            )
            continue
        if not name.strip():
            changes[account] = None
            continue
        line, why = index.find(name)
        if line is None:
            problems.append(_("%(file)s rad %(row)s, kolumn rad: %(why)s.") % {"file": filename, "row": number, "why": why})
            continue
        changes[account] = line
    if problems:
        raise FileRefused(problems)
    return changes


def mapping_csv(plan: Plan, mappings: dict) -> str:
    """The federation's mapping as `konto;rad`, lines named as `LineIndex` reads them.
    A mapping to a line this plan does not have is written with its section and id."""
    index = LineIndex(plan)
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(MAPPING_HEADER)
    for account in sorted(mappings, key=lambda key: (key.startswith("objekt:"), len(key), key)):
        mapping = mappings[account]
        line = mapped_line(index, mappings, account)
        writer.writerow([account, index.name_of(line) if line else f"{mapping.line_section}:{mapping.line_slug}"])
    return output.getvalue()


def is_result_account(account: str) -> bool:
    return bool(RESULT_ACCOUNT.fullmatch(account))
