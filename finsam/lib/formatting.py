"""Numbers the Swedish way: 8 054 000, −655 500, 26,27 %.

Negative numbers carry a true minus sign (U+2212), as Swedish typesetting does.

Plain spaces separate thousands so that text copied from a page or a PDF
reads the same; pages keep numbers on one line with CSS instead.
"""

from decimal import ROUND_HALF_UP, Decimal

UNIT_LABELS = {"SEK": "kr", "tkr": "tkr"}


def format_number(value: Decimal | int | None, places: int | None = None) -> str:
    """8054000 -> "8 054 000"; -1.5 -> "−1,5". With `places`, round to that many decimals
    and drop trailing zeros; without, show the decimals the value has."""
    if value is None:
        return ""
    value = Decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    sign = "\u2212" if value < 0 else ""
    # Python groups the thousands with commas ("8,054,000.5"); the decimal point has
    # none to be confused with, so the commas become spaces before it becomes a comma.
    return sign + format(abs(value), ",f").replace(",", " ").replace(".", ",")


def format_amount(value: Decimal | None, unit: str, places: int = 2) -> str:
    """An amount with its unit: "8 054 000 kr", "4 758 tkr"."""
    if value is None:
        return ""
    return f"{format_number(value, places)} {UNIT_LABELS.get(unit, unit)}"


def format_percent(value: Decimal | None, places: int = 2) -> str:
    """A percentage: "26,27 %", "25 %"."""
    if value is None:
        return ""
    return f"{format_number(value, places)} %"
