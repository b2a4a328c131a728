"""An intervention's cost per column (granted amount × counted share) and the
INTERVENTION_COST warning when its cost lines say something else."""

from decimal import Decimal

import pytest
from django.utils import translation

from budgets.totals import Funding, intervention_cost_per_column
from budgets.validation import CODES, TITLES, ColumnRef, check_intervention_cost

D = Decimal


@pytest.mark.parametrize(
    "funding, default_share, unit, cost",
    [
        (Funding(D("1111111"), D("0.9")), None, "SEK", D("999999.90")),
        (Funding(D("120000"), None), D("0.9"), "SEK", D("108000")),  # the intervention's own share
        (Funding(D("120000"), D("0.5")), D("0.9"), "SEK", D("60000")),  # the column's share first
        (Funding(D("120000"), None), None, "SEK", D("120000")),  # no share: the whole grant
        (Funding(D("1234"), D("0.3333")), None, "tkr", D("411.292")),  # tkr to the krona, half up
        (Funding(D("0.01"), D("0.5")), None, "SEK", D("0.01")),  # 0,005 kr rounds half up
    ],
)
def test_the_cost_is_the_grant_times_the_counted_share_rounded_to_the_units_decimals(funding, default_share, unit, cost):
    assert intervention_cost_per_column({"b2025": funding}, default_utilization=default_share, unit=unit) == {"b2025": cost}


COLUMN = ColumnRef(id="b2025", year=2025, name="Budget 2025")


@pytest.mark.parametrize(
    "lines_total, tolerance, warned",
    [
        (D("108000"), D("0.5"), False),
        (D("108000.4"), D("0.5"), False),
        (D("108001"), D("0.5"), True),
        (None, D("0.5"), True),  # granted but no linked cost line: never silent
        (D("108"), D("500"), True),
    ],
)
def test_a_cost_line_that_differs_from_the_cost_is_warned_about(lines_total, tolerance, warned):
    findings = check_intervention_cost(
        intervention="enter", name="Enter", column=COLUMN, cost=D("108000"), lines_total=lines_total, tolerance=tolerance, unit="SEK"
    )
    assert bool(findings) == warned
    if warned:
        (finding,) = findings
        assert (finding.code, finding.severity, finding.column, finding.row) == (
            "INTERVENTION_COST", "warning", "b2025", "intervention:enter"
        )
        assert finding.message.startswith("Budget 2025: insatsen Enter kostar 108 000 kr enligt beviljat belopp")
        assert finding.expected == D("108000")


def test_the_warning_has_a_plain_title_in_swedish_and_english():
    (finding,) = check_intervention_cost(
        intervention="enter", name="Enter", column=COLUMN, cost=D("108000"), lines_total=D("100000"), tolerance=D("0.5"), unit="SEK"
    )
    assert finding.title == "Insatsens kostnad stämmer inte med kostnadsraderna"
    with translation.override("en"):
        assert finding.title == "The intervention's cost does not match its cost lines"


def test_every_finding_code_has_a_title():
    assert set(TITLES) == set(CODES)

