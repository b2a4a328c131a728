"""The follow-up's chart: budget, outcome to date and forecast per group, as SVG in the
plan charts' style (`reports.charts`), for the page (an image with alt text beside a
table of the same figures) and the tertial report."""

from __future__ import annotations

from decimal import Decimal

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reports import charts as plan_charts

OUTCOME = "#b5651d"


def groups_chart(groups: list[tuple[str, Decimal | None, Decimal | None, Decimal | None]], *, unit: str, title: str, labels: tuple[str, str, str]) -> str:
    """Horizontal bars per group: (label, budget, outcome, forecast); a missing value draws no bar."""
    with matplotlib.rc_context(plan_charts.RC):
        figure = Figure(figsize=(6.3, 1.0 + 0.62 * len(groups)))
        axes = figure.add_subplot()
        positions = list(range(len(groups)))[::-1]
        height = 0.26
        colours = (plan_charts.BLUE_LIGHT, OUTCOME, plan_charts.BLUE)
        for index, (label, colour) in enumerate(zip(labels, colours)):
            values = [float(group[1 + index] or 0) for group in groups]
            axes.barh([position + (1 - index) * height for position in positions], values, height=height, color=colour, label=label)
        axes.set_yticks(positions, [group[0] for group in groups])
        axes.xaxis.set_major_formatter(plan_charts._amount_axis(unit))
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.grid(axis="x", color=plan_charts.GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.tick_params(axis="y", length=0, labelsize=9, labelcolor=plan_charts.INK)
        axes.tick_params(axis="x", labelsize=8)
        axes.spines["left"].set_visible(False)
        axes.set_title(title, loc="left", fontsize=10, fontweight="semibold", color=plan_charts.INK, pad=10)
        axes.legend(loc="upper right", fontsize=8, frameon=False, ncols=3, bbox_to_anchor=(1, -0.08))
        figure.tight_layout(pad=0.4)
        return plan_charts._svg(figure)
