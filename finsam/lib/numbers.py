"""Numbers as people type them, read strictly: `parse_amount`.

A number is exactly

    [minus] digits [decimal mark and 1..`decimals` digits]

where the minus is ASCII "-" or the true minus U+2212 that the app itself prints
(and only where negatives are allowed), the digits are ASCII, written either without
separators ("1250000") or in groups of three after a first group of one to three,
each gap one space, no-break space (U+00A0) or narrow no-break space (U+202F)
("1 250 000"), and the decimal mark is a comma or a point. White space around the
whole value is ignored; inside it, nothing else is allowed.

Everything else is refused with a message in Swedish that says what was wrong, never
guessed at: two cells pasted into one (`45 000⏎46 000`) must not become 4 500 046 000,
and neither must `1.250.000` nor `1,25 mkr`.

Public names (the form fields in `finsam.forms`, the admin and the editing grids use
them): `parse_amount`, `NumberRefused` (with `code` and a translated `message`), and
the refusal codes `REFUSAL_CODES`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

MINUS_SIGNS = "-\u2212"
GROUP_SEPARATORS = " \u00a0\u202f"
# What a spreadsheet puts between cells and rows.
CELL_BREAKS = "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"

_SEPARATOR = f"[{GROUP_SEPARATORS}]"
_NUMBER_RE = re.compile(
    rf"(?P<minus>[{MINUS_SIGNS}])?"
    rf"(?P<whole>[0-9]+|[0-9]{{1,3}}(?:{_SEPARATOR}[0-9]{{3}})+)"
    r"(?:(?P<mark>[,.])(?P<fraction>[0-9]+))?"
)
_DIGITS_RE = re.compile(r"[0-9]+")

REFUSAL_CODES = (
    "empty",
    "two_numbers",
    "spacing",
    "grouping",
    "plus",
    "negative",
    "decimal_marks",
    "no_decimals",
    "no_whole",
    "decimals",
    "characters",
)


class NumberRefused(ValueError):
    """What was typed is not a number as defined above. `code` is one of REFUSAL_CODES,
    `message` says what was wrong in Swedish (English under an English locale)."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


def parse_amount(text: str, *, decimals: int | None, allow_negative: bool = False) -> Decimal:
    """The number `text` stands for, exactly; `NumberRefused` if it is not one.

    `decimals` is the most digits allowed after the decimal mark (0: a whole number;
    None: any number of them). The result keeps the digits typed ("12,50" -> 12.50).
    """
    value = text.strip()
    if not value:
        raise NumberRefused("empty", _("Ange ett tal."))
    match = _NUMBER_RE.fullmatch(value)
    if match is None:
        raise _refusal(value)
    if match["minus"] and not allow_negative:
        raise NumberRefused("negative", _("Talet får inte vara negativt."))
    fraction = match["fraction"] or ""
    if decimals is not None and len(fraction) > decimals:
        raise _too_many_decimals(decimals)
    whole = re.sub(_SEPARATOR, "", match["whole"])
    sign = "-" if match["minus"] else ""
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")


def _too_many_decimals(decimals: int) -> NumberRefused:
    if decimals == 0:
        return NumberRefused("decimals", _("Ange ett heltal, utan decimaler."))
    return NumberRefused(
        "decimals", ngettext("Högst %(count)s decimal.", "Högst %(count)s decimaler.", decimals) % {"count": decimals}
    )


def _refusal(value: str) -> NumberRefused:
    """Why `value` (stripped, not empty, not a number) was refused: the first reason that
    applies, most specific first."""
    if any(character in CELL_BREAKS for character in value) and len(_DIGITS_RE.findall(value)) > 1:
        # A line break or a tab between digits: cells pasted from a spreadsheet.
        return NumberRefused(
            "two_numbers", _("Två tal i samma cell: skriv ett tal per ruta, utan radbrytning eller tabb.")
        )
    if value[0] == "+":
        return NumberRefused("plus", _("Skriv talet utan plustecken."))
    body = value.lstrip(MINUS_SIGNS) if value[0] in MINUS_SIGNS and len(value) > 1 else value
    if re.search(r"[^0-9,.\s]", body):
        return NumberRefused(
            "characters",
            _("Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50."),
        )
    if len(re.findall(r"[,.]", body)) > 1:
        return NumberRefused(
            "decimal_marks",
            _("Bara ett decimaltecken: skriv tusental med mellanslag, t.ex. 1 250 000,50."),
        )
    if re.search(r"[,.]\Z", body):
        return NumberRefused("no_decimals", _("Skriv decimalerna efter kommat, eller ta bort kommat."))
    if re.match(r"[,.]", body) or re.search(r"\s[,.]|[,.]\s", body):
        if re.match(r"[,.]", body):
            return NumberRefused("no_whole", _("Skriv en siffra före decimalkommat, t.ex. 0,5."))
        return NumberRefused("spacing", _("Inget mellanslag vid decimalkommat, t.ex. 1 250,50."))
    if body[0].isspace():
        return NumberRefused("spacing", _("Inget mellanslag efter minustecknet, t.ex. −200 000."))
    whole = re.split(r"[,.]", body)[0]
    if re.search(r"\s\s", whole) or any(character not in GROUP_SEPARATORS for character in whole if character.isspace()):
        return NumberRefused("spacing", _("Ett mellanslag mellan tusentalen, t.ex. 1 250 000."))
    if re.search(r"\s", whole):
        return NumberRefused("grouping", _("Mellanslag bara mellan tusental, tre siffror i varje grupp, t.ex. 1 250 000."))
    return NumberRefused(
        "characters", _("Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50.")
    )
