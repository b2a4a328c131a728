"""The plan's two charts as SVG, drawn with matplotlib and embedded in the print
document as data URIs (an inline SVG would share its element ids and styles with
the HTML around it).

Text stays text in the SVG (`svg.fonttype: none`) so that WeasyPrint sets it in the
document's own font and a reader can search and copy it in the PDF. Amounts are
Decimal up to the last step; only the drawing converts them to float.
"""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass
from decimal import Decimal

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from finsam.lib.formatting import UNIT_LABELS, format_number

# The document's font; matplotlib cannot read the shipped woff2 files and measures the
# text with its own DejaVu Sans (a little wider), so labels never come out too long.
FONT_FAMILY = ["Source Sans 3", "DejaVu Sans"]
INK = "#1b1f24"
MUTED = "#5b6570"
GRID = "#d5dae1"
BLUE = "#1d3f6e"
BLUE_LIGHT = "#8fa7c8"
CEILING = "#b5651d"
FLOOR = "#a4161a"

RC = {
    "svg.fonttype": "none",
    # Stable element ids, so the same plan gives the same SVG (and the same PDF).
    "svg.hashsalt": "finsam-plan",
    # Titles carry column labels, which are user text: "$...$" in one is text, not mathtext
    # (whose parser would fail on an unknown command and take the PDF with it).
    "text.parse_math": False,
    "font.family": FONT_FAMILY,
    "font.size": 9,
    "text.color": INK,
    "axes.edgecolor": GRID,
    "axes.labelcolor": MUTED,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

# matplotlib says so, once per process, when the document's font is not installed for it.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


@dataclass
class Bar:
    label: str
    value: Decimal


@dataclass
class EquityYear:
    year: int
    closing: Decimal
    ceiling: Decimal | None


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _amount_axis(unit: str):
    return FuncFormatter(lambda value, _position: format_number(Decimal(round(float(value)))))


def costs_by_group_chart(bars: list[Bar], *, unit: str, title: str) -> str:
    """Horizontal bars, one per cost group, each labelled with its amount."""
    with matplotlib.rc_context(RC):
        height = 0.9 + 0.42 * len(bars)
        figure = Figure(figsize=(6.3, height))
        axes = figure.add_subplot()
        labels = [bar.label for bar in reversed(bars)]
        values = [float(bar.value) for bar in reversed(bars)]
        drawn = axes.barh(labels, values, color=BLUE, height=0.55)
        axes.bar_label(
            drawn,
            labels=[f"{format_number(bar.value, 0)} {UNIT_LABELS.get(unit, unit)}" for bar in reversed(bars)],
            padding=4,
            fontsize=8.5,
            color=INK,
        )
        axes.set_title(title, loc="left", fontsize=10, fontweight="semibold", color=INK, pad=10)
        axes.xaxis.set_major_formatter(_amount_axis(unit))
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.grid(axis="x", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.tick_params(axis="y", length=0, labelsize=9, labelcolor=INK)
        axes.tick_params(axis="x", labelsize=8)
        axes.spines["left"].set_visible(False)
        # Room on the right for the amount beside the longest bar.
        axes.set_xlim(0, max(values + [1]) * 1.28)
        figure.tight_layout(pad=0.4)
        return _svg(figure)


def equity_chart(
    years: list[EquityYear], *, floor: Decimal | None, unit: str, title: str, ceiling_label: str, floor_label: str,
    closing_label: str,
) -> str:
    """Closing equity per year as bars, against the guidance ceiling (a line per year)
    and the federation's own floor (a dashed line), where they are known."""
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(6.3, 3.1))
        axes = figure.add_subplot()
        positions = list(range(len(years)))
        closing = [float(year.closing) for year in years]
        colors = [BLUE if value >= 0 else FLOOR for value in closing]
        drawn = axes.bar(positions, closing, color=colors, width=0.55, label=closing_label)
        axes.bar_label(
            drawn, labels=[format_number(year.closing, 0) for year in years], padding=3, fontsize=8.5, color=INK
        )
        ceilings = [(position, float(year.ceiling)) for position, year in zip(positions, years) if year.ceiling is not None]
        tops = closing + [0.0]
        if ceilings:
            # A short line over each year's bar: the ceiling moves with the year's contributions.
            axes.hlines(
                [value for _, value in ceilings],
                [position - 0.38 for position, _ in ceilings],
                [position + 0.38 for position, _ in ceilings],
                colors=CEILING,
                linewidth=2,
                label=ceiling_label,
            )
            tops += [value for _, value in ceilings]
        if floor is not None:
            axes.axhline(float(floor), color=FLOOR, linewidth=1.1, linestyle="--", label=floor_label)
            tops.append(float(floor))
        axes.set_xticks(positions, [str(year.year) for year in years])
        axes.yaxis.set_major_formatter(_amount_axis(unit))
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.grid(axis="y", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.tick_params(axis="x", length=0, labelsize=9, labelcolor=INK)
        axes.tick_params(axis="y", labelsize=8)
        bottom = min(closing + [0.0])
        top = max(tops)
        span = (top - bottom) or 1.0
        axes.set_ylim(bottom - (0.08 * span if bottom < 0 else 0), top + 0.14 * span)
        axes.axhline(0, color=MUTED, linewidth=0.6)
        axes.set_title(title, loc="left", fontsize=10, fontweight="semibold", color=INK, pad=10)
        axes.legend(loc="upper right", fontsize=8, frameon=False, ncols=3, bbox_to_anchor=(1, -0.1))
        figure.tight_layout(pad=0.4)
        return _svg(figure)
