"""Reading the subset of SIE 4 that a follow-up needs: the accounts (#KONTO), the
accounting objects (#OBJEKT), the year's balances (#RES) and the transactions
(#VER with its #TRANS), summed per account and accounting object up to a date.

SIE files are written in CP437 ("PC8"). A line is a label and fields separated by
spaces or tabs; a field with spaces is quoted ("Hyra lokal"), a quote inside it is
escaped with a backslash (\\"), and an object list is written in braces:
`{1 "100" 6 "P1"}` (pairs of dimension and object id). Amounts use a decimal point
and a minus sign; dates are YYYYMMDD.

Debits are positive and credits negative, as in the file: turning them into the
plan's signs (costs and income both positive) is the mapping's job
(`followup.outcome_files`). #BTRANS and #RTRANS (removed and added rows of a
corrected voucher) are not read: the SIE standard writes the valid rows as #TRANS
too. Every other label is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Sizes no federation's books reach in a year; beyond them the file is refused before
# it can tie up the server. 50 000 transactions make about 3 MB.
SIE_MAX_BYTES = 30 * 1024 * 1024
SIE_MAX_LINES = 1_000_000
SIE_ENCODING = "cp437"

# Result accounts: classes 3 to 8 of the BAS chart. Balance accounts (1, 2) say what
# the federation owns and owes, not what the year cost; they are counted, not mapped.
RESULT_ACCOUNT = re.compile(r"[3-8][0-9]{3,}")
ACCOUNT = re.compile(r"[0-9]{1,10}")
AMOUNT = re.compile(r"-?[0-9]{1,13}(?:\.[0-9]{1,6})?")
OBJECT_PREFIX = "objekt"
FAST_VER = re.compile(r'(?:"[^"\\]*"|[^\s"{}]+)[ \t]+(?:"[^"\\]*"|[^\s"{}]+)[ \t]+(?P<date>[0-9]{8})(?:[ \t]|$)')
FAST_TRANS = re.compile(
    r'(?P<account>[0-9]+)[ \t]+\{(?P<objects>[^{}"\\]*(?:"[^"\\]*"[^{}"\\]*)*)\}[ \t]+(?P<amount>[^ \t{}"]+)'
    r'(?:[ \t]+(?P<date>[0-9]{8}|""))?(?:[ \t]|$)'
)


class SieRefused(ValueError):
    """The file is no SIE file we can read; `message` names the line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def object_key(dimension: str, object_id: str) -> str:
    """How a mapping names an accounting object: objekt:<dimension>:<id>."""
    return f"{OBJECT_PREFIX}:{dimension}:{object_id}"


@dataclass
class SieBooks:
    """What the file says about the period: sums per (account, objects of the
    transaction), the names of accounts and objects, and what was left out."""

    accounts: dict[str, str] = field(default_factory=dict)
    objects: dict[str, str] = field(default_factory=dict)
    # (account, tuple of object keys in the order the #TRANS lists them) -> sum
    sums: dict[tuple[str, tuple[str, ...]], Decimal] = field(default_factory=dict)
    # #RES 0 per account, used when the file has no transactions at all.
    year_results: dict[str, Decimal] = field(default_factory=dict)
    transactions: int = 0
    transactions_in_period: int = 0
    balance_accounts: set[str] = field(default_factory=set)
    from_year_results: bool = False

    def account_sums(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for (account, _objects), amount in self.sums.items():
            totals[account] = totals.get(account, Decimal(0)) + amount
        return totals


def split_fields(line: str, number: int) -> list:
    """The fields of one line: strings, and lists of strings for `{...}`.

    Raises SieRefused for an unterminated quote or brace."""
    fields: list = []
    position = 0
    length = len(line)
    stack: list[list] = [fields]
    while position < length:
        character = line[position]
        if character in " \t":
            position += 1
            continue
        if character == "{":
            inner: list = []
            stack[-1].append(inner)
            stack.append(inner)
            position += 1
            continue
        if character == "}":
            if len(stack) == 1:
                raise SieRefused(_("Rad %(line)s: en } utan {.") % {"line": number})
            stack.pop()
            position += 1
            continue
        if character == '"':
            position += 1
            text = []
            while True:
                if position >= length:
                    raise SieRefused(_("Rad %(line)s: ett citattecken stängs aldrig.") % {"line": number})
                character = line[position]
                if character == "\\" and position + 1 < length:
                    text.append(line[position + 1])
                    position += 2
                    continue
                if character == '"':
                    position += 1
                    break
                text.append(character)
                position += 1
            stack[-1].append("".join(text))
            continue
        end = position
        while end < length and line[end] not in ' \t{}"':
            end += 1
        stack[-1].append(line[position:end])
        position = end
    if len(stack) > 1:
        raise SieRefused(_("Rad %(line)s: en { stängs aldrig.") % {"line": number})
    return fields


VOUCHER_DATE = "voucher"
TRANSACTION_DATE = "transaction"


def _date(text: str, number: int, what: str, known: dict[str, date]) -> date:
    """The date YYYYMMDD; `known` caches the few hundred dates a year's file repeats."""
    found = known.get(text)
    if found is not None:
        return found
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError
        found = known[text] = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return found
    except ValueError:
        name = _("verifikationsdatumet") if what == VOUCHER_DATE else _("transaktionsdatumet")
        raise SieRefused(
            _("Rad %(line)s: %(what)s ”%(value)s” är inget datum (ÅÅÅÅMMDD).") % {"line": number, "what": name, "value": text}
        ) from None


def _amount(text, number: int) -> Decimal:
    if not isinstance(text, str) or not AMOUNT.fullmatch(text):
        raise SieRefused(
            _("Rad %(line)s: beloppet ”%(value)s” är inget belopp (t.ex. -1250.50).")
            % {"line": number, "value": text if isinstance(text, str) else "{…}"}
        )
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise SieRefused(_("Rad %(line)s: beloppet ”%(value)s” är inget belopp.") % {"line": number, "value": text}) from None


def _objects(value, number: int) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    if len(value) % 2:
        raise SieRefused(_("Rad %(line)s: objektlistan ska ha par av dimension och objekt.") % {"line": number})
    return tuple(object_key(value[index], value[index + 1]) for index in range(0, len(value), 2))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_sie(raw: bytes, *, period_start: date, period_end: date) -> SieBooks:
    """The books of a SIE 4 file, with the transactions dated from `period_start` to
    `period_end` (inclusive) summed per account and object list.

    A #TRANS without a date takes its voucher's (#VER) date. Raises SieRefused with a
    message naming the line for what cannot be read; nothing is half read.
    """
    if len(raw) > SIE_MAX_BYTES:
        raise SieRefused(
            _("Filen är för stor: högst %(limit)s MB för en SIE-fil.") % {"limit": SIE_MAX_BYTES // 1024 // 1024}
        )
    if b"\x00" in raw[:4096]:
        raise SieRefused(_("Filen är ingen SIE-fil (den innehåller binära data)."))
    if not raw.isascii() and _is_utf8(raw):
        # Å, ä and ö in CP437 are bytes UTF-8 never has alone, so a file with letters
        # beyond ASCII that reads as UTF-8 was saved in the wrong encoding: read as
        # CP437 its names would come out garbled.
        raise SieRefused(_("Filen är sparad som UTF-8; en SIE-fil ska vara i teckenkodningen PC8 (CP437)."))
    text = raw.decode(SIE_ENCODING)
    books = SieBooks()
    voucher_date: date | None = None
    in_voucher = False
    seen_label = False
    sums = books.sums
    known_dates: dict[str, date] = {}
    known_objects: dict[str, list] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if number > SIE_MAX_LINES:
            raise SieRefused(_("Filen har fler än %(limit)s rader.") % {"limit": f"{SIE_MAX_LINES:,}".replace(",", " ")})
        stripped = line.strip()
        if not stripped:
            continue
        if stripped == "{":
            if voucher_date is None:
                raise SieRefused(_("Rad %(line)s: en { utan #VER före.") % {"line": number})
            in_voucher = True
            continue
        if stripped == "}":
            if not in_voucher:
                raise SieRefused(_("Rad %(line)s: en } utan {.") % {"line": number})
            in_voucher = False
            voucher_date = None
            continue
        if not stripped.startswith("#"):
            raise SieRefused(_("Rad %(line)s: raden börjar inte med en etikett som #TRANS.") % {"line": number})
        if stripped.startswith(("#TRANS ", "#TRANS\t")):
            label, rest = "#TRANS", stripped[7:]
        else:
            label, _space, rest = stripped.replace("\t", " ", 1).partition(" ")
            label = label.upper()
        if label == "#TRANS":
            if not in_voucher:
                raise SieRefused(_("Rad %(line)s: #TRANS utanför en verifikation (#VER).") % {"line": number})
            fast = FAST_TRANS.match(rest)
            if fast is not None:
                # The usual shape, read without walking every character: account, an
                # object list without nested quotes' escapes, amount, maybe a date.
                objects = fast["objects"].strip()
                if objects and objects not in known_objects:
                    known_objects[objects] = split_fields("{" + objects + "}", number)[0]
                fields = [fast["account"], known_objects[objects] if objects else [], fast["amount"]]
                if fast["date"] is not None:
                    fields.append(fast["date"].strip('"'))
            else:
                fields = split_fields(rest, number)
            if len(fields) < 3:
                raise SieRefused(_("Rad %(line)s: #TRANS ska ha konto, objektlista och belopp.") % {"line": number})
            account = fields[0]
            if not isinstance(account, str) or not ACCOUNT.fullmatch(account):
                raise SieRefused(_("Rad %(line)s: kontot ”%(value)s” är inget kontonummer.") % {"line": number, "value": account})
            amount = _amount(fields[2], number)
            when = voucher_date
            if len(fields) > 3 and isinstance(fields[3], str) and fields[3]:
                when = _date(fields[3], number, TRANSACTION_DATE, known_dates)
            books.transactions += 1
            if not period_start <= when <= period_end:
                continue
            books.transactions_in_period += 1
            if not RESULT_ACCOUNT.fullmatch(account):
                books.balance_accounts.add(account)
                continue
            key = (account, _objects(fields[1], number))
            sums[key] = sums.get(key, Decimal(0)) + amount
            continue
        seen_label = True
        if label == "#VER":
            fast = FAST_VER.match(rest)
            if fast is not None:
                voucher_date = _date(fast["date"], number, VOUCHER_DATE, known_dates)
                continue
            fields = split_fields(rest, number)
            if len(fields) < 3 or not isinstance(fields[2], str):
                raise SieRefused(_("Rad %(line)s: #VER ska ha serie, nummer och datum.") % {"line": number})
            voucher_date = _date(fields[2], number, VOUCHER_DATE, known_dates)
        elif label == "#KONTO":
            fields = split_fields(rest, number)
            if len(fields) < 1 or not isinstance(fields[0], str):
                raise SieRefused(_("Rad %(line)s: #KONTO utan kontonummer.") % {"line": number})
            books.accounts[fields[0]] = fields[1] if len(fields) > 1 and isinstance(fields[1], str) else ""
        elif label == "#OBJEKT":
            fields = split_fields(rest, number)
            if len(fields) < 2 or not all(isinstance(value, str) for value in fields[:2]):
                raise SieRefused(_("Rad %(line)s: #OBJEKT ska ha dimension och objekt.") % {"line": number})
            name = fields[2] if len(fields) > 2 and isinstance(fields[2], str) else ""
            books.objects[object_key(fields[0], fields[1])] = name
        elif label == "#RES":
            fields = split_fields(rest, number)
            if len(fields) < 3:
                raise SieRefused(_("Rad %(line)s: #RES ska ha årsnummer, konto och belopp.") % {"line": number})
            if fields[0] == "0":
                books.year_results[fields[1]] = _amount(fields[2], number)
    if in_voucher:
        raise SieRefused(_("Filen slutar mitt i en verifikation: en { stängs aldrig."))
    if not seen_label:
        raise SieRefused(_("Filen är ingen SIE-fil: den har inga rader som #KONTO eller #VER."))
    if books.transactions == 0 and books.year_results:
        # A file without vouchers (SIE 1-3 style): the year's result balances are all there is.
        books.from_year_results = True
        for account, amount in books.year_results.items():
            if RESULT_ACCOUNT.fullmatch(account):
                sums[(account, ())] = amount
            else:
                books.balance_accounts.add(account)
    return books
