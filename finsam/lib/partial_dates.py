"""Dates as precise as the source document: YYYY, YYYY-MM or YYYY-MM-DD."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only, and \Z rather than $, which would let "2025-01-01\n" through: one
# character too many for the date columns.
PARTIAL_DATE_RE = re.compile(r"^(?P<year>[0-9]{4})(-(?P<month>[0-9]{2})(-(?P<day>[0-9]{2}))?)?\Z")


def parse_partial_date(value: str) -> tuple[int, int | None, int | None]:
    """Split a partial date into (year, month, day); raise ValueError if invalid."""
    match = PARTIAL_DATE_RE.match(value or "")
    if not match:
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    # datetime validates month and day ranges, leap years included ("2025-02-30" and
    # "2025-13" are refused); month 0 and day 0 must reach it as 0, not as "not given".
    datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    return year, month, day


def partial_date_bounds(value: str) -> tuple[datetime.date, datetime.date]:
    """The first and the last day a partial date can mean."""
    year, month, day = parse_partial_date(value)
    if day is not None:
        date = datetime.date(year, month, day)
        return date, date
    if month is not None:
        first = datetime.date(year, month, 1)
        next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
        return first, next_month - datetime.timedelta(days=1)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def validate_partial_date(value: str) -> None:
    """Django field validator for partial dates."""
    if not value:
        return
    try:
        parse_partial_date(value)
    except ValueError:
        raise ValidationError(
            _("Ange datum som ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD."), code="invalid"
        )
