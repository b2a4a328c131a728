"""The year at a glance (årshjul): a plan's meetings and the fixed dates of a
federation's year, month by month. Pure functions over plain values.

The fixed dates: last year's annual report (årsredovisning) within three months of the
year's end, by 31 March; the tertials of the follow-up ending 30 April and 31 August,
each followed by its report to the board; next year's plan and budget adopted by
30 November.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budgets.models import MeetingBody
from budgets.planfile import MeetingData
from finsam.lib.partial_dates import parse_partial_date, partial_date_bounds

MONTH_NAMES = [
    gettext_noop("januari"), gettext_noop("februari"), gettext_noop("mars"), gettext_noop("april"),
    gettext_noop("maj"), gettext_noop("juni"), gettext_noop("juli"), gettext_noop("augusti"),
    gettext_noop("september"), gettext_noop("oktober"), gettext_noop("november"), gettext_noop("december"),
]  # fmt: skip

MEETING = "meeting"
DEADLINE = "deadline"


@dataclass(frozen=True)
class YearEvent:
    # The day, or the month's last day for a meeting dated by month only.
    date: datetime.date
    # As written: "2025-03-15", "2025-03".
    date_text: str
    kind: str
    label: str
    past: bool


@dataclass
class YearMonth:
    number: int
    name: str
    events: list[YearEvent] = field(default_factory=list)
    current: bool = False


@dataclass
class YearWheel:
    year: int
    months: list[YearMonth]

    @property
    def events(self) -> list[YearEvent]:
        return [event for month in self.months for event in month.events]

    @property
    def svg(self) -> SafeString:
        return wheel_svg(self)


def fixed_dates(year: int) -> list[tuple[datetime.date, str]]:
    """The deadlines every federation has in `year`."""
    return [
        (
            datetime.date(year, 3, 31),
            _("Årsredovisningen för %(previous)s klar (inom tre månader från årets slut)") % {"previous": year - 1},
        ),
        (
            datetime.date(year, 4, 30),
            _("Tertial 1 (januari–april %(year)s) slut: uppföljning och delårsrapport till styrelsen")
            % {"year": year},
        ),
        (
            datetime.date(year, 8, 31),
            _("Tertial 2 (januari–augusti %(year)s) slut: uppföljning och delårsrapport till styrelsen")
            % {"year": year},
        ),
        (
            datetime.date(year, 11, 30),
            _("Verksamhetsplan och budget för %(next)s fastställd av styrelsen") % {"next": year + 1},
        ),
    ]


def _meeting_label(meeting: MeetingData) -> str:
    body = str(MeetingBody(meeting.body).label)
    return f"{body}: {meeting.topic}" if meeting.topic else body


def year_wheel(*, year: int, meetings: list[MeetingData], today: datetime.date | None = None) -> YearWheel:
    """The year's months with their events in date order: the meetings dated in `year`
    and the fixed deadlines. An event before `today` is past (none without `today`,
    as in a printed plan, which must not age)."""
    events: list[YearEvent] = []
    for meeting in meetings:
        try:
            meeting_year, month, _day = parse_partial_date(meeting.date)
        except ValueError:
            continue
        if meeting_year != year or month is None:
            continue
        last_day = partial_date_bounds(meeting.date)[1]
        events.append(YearEvent(last_day, meeting.date, MEETING, _meeting_label(meeting), False))
    for date, label in fixed_dates(year):
        events.append(YearEvent(date, date.isoformat(), DEADLINE, label, False))
    if today is not None:
        events = [
            YearEvent(event.date, event.date_text, event.kind, event.label, event.date < today) for event in events
        ]
    months = [
        YearMonth(
            number=number,
            name=_(MONTH_NAMES[number - 1]),
            current=today is not None and (today.year, today.month) == (year, number),
        )
        for number in range(1, 13)
    ]
    # A meeting dated by its month only comes first in its month ("in March"); deadlines
    # after meetings of the same day, since the meeting is where the deadline is met.
    for event in sorted(events, key=_event_order):
        months[event.date.month - 1].events.append(event)
    return YearWheel(year=year, months=months)


def _event_order(event: YearEvent) -> tuple[int, int, bool]:
    day = event.date.day if len(event.date_text) == len("2025-01-01") else 0
    return (event.date.month, day, event.kind == DEADLINE)


# ---------------------------------------------------------------------------
# The wheel as SVG: twelve ring segments, January at the top, clockwise. Decoration only
# (aria-hidden on the page); the list beside it says everything the wheel shows.

WHEEL_SIZE = 240
OUTER_RADIUS = 110
INNER_RADIUS = 62
LABEL_RADIUS = 86
GAP_DEGREES = 1.5


def _point(radius: float, degrees: float) -> tuple[float, float]:
    radians = math.radians(degrees - 90)
    centre = WHEEL_SIZE / 2
    return round(centre + radius * math.cos(radians), 2), round(centre + radius * math.sin(radians), 2)


def _segment_path(month_index: int) -> str:
    start = month_index * 30 + GAP_DEGREES / 2
    end = (month_index + 1) * 30 - GAP_DEGREES / 2
    outer_start, outer_end = _point(OUTER_RADIUS, start), _point(OUTER_RADIUS, end)
    inner_end, inner_start = _point(INNER_RADIUS, end), _point(INNER_RADIUS, start)
    return (
        f"M {outer_start[0]} {outer_start[1]} A {OUTER_RADIUS} {OUTER_RADIUS} 0 0 1 {outer_end[0]} {outer_end[1]} "
        f"L {inner_end[0]} {inner_end[1]} A {INNER_RADIUS} {INNER_RADIUS} 0 0 0 {inner_start[0]} {inner_start[1]} Z"
    )


def _segment_class(month: YearMonth) -> str:
    classes = ["wheel-month"]
    if any(event.kind == DEADLINE for event in month.events):
        classes.append("wheel-deadline")
    elif month.events:
        classes.append("wheel-busy")
    if month.current:
        classes.append("wheel-current")
    return " ".join(classes)


def _segment_fill(month: YearMonth) -> str:
    # Fills as attributes as well as classes: the PDF shows the wheel as an image, without
    # the page's stylesheet.
    if any(event.kind == DEADLINE for event in month.events):
        return "#1f4e79"
    if month.events:
        return "#6f9fd1"
    return "#e3ebf3"


def wheel_svg(wheel: YearWheel, *, standalone: bool = False) -> SafeString:
    """The wheel as an <svg> element; `standalone` adds the XML namespace for an image file."""
    segments = format_html_join(
        "",
        '<path d="{}" class="{}" fill="{}" stroke="{}" stroke-width="{}"></path>',
        (
            (
                _segment_path(index),
                _segment_class(month),
                _segment_fill(month),
                "#000000" if month.current else "#ffffff",
                3 if month.current else 1,
            )
            for index, month in enumerate(wheel.months)
        ),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" dominant-baseline="middle" font-size="11" fill="{}">{}</text>',
        (
            (
                *_point(LABEL_RADIUS, index * 30 + 15),
                "#ffffff" if any(event.kind == DEADLINE for event in month.events) else "#1b1b1b",
                month.name[:3],
            )
            for index, month in enumerate(wheel.months)
        ),
    )
    centre = WHEEL_SIZE / 2
    return format_html(
        '<svg {}viewBox="0 0 {} {}" width="{}" height="{}" class="year-wheel" aria-hidden="true" focusable="false">'
        '{}{}<text x="{}" y="{}" text-anchor="middle" dominant-baseline="middle" font-size="22" font-weight="700" fill="#1b1b1b">{}</text></svg>',
        format_html('xmlns="{}" ', "http://www.w3.org/2000/svg") if standalone else "",
        WHEEL_SIZE, WHEEL_SIZE, WHEEL_SIZE, WHEEL_SIZE,
        segments,
        labels,
        centre, centre,
        wheel.year,
    )  # fmt: skip
