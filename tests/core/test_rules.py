"""Every validator rule at its edge and just past it, where each finding is anchored
(column and table row), and the figures in its message to the öre.

Rules are called with plain values; the whole-plan tests read tests/core/plans.py,
whose figures are worked out there. Messages are checked only for the numbers a
reader needs, so rewording a message does not break a test.
"""

import datetime
from decimal import Decimal

import pytest

from budgets.planfile import read_plan_data
from budgets.table import budget_table
from budgets.totals import compute_totals
from budgets.validation import (
    ERROR,
    WARNING,
    ColumnRef,
    GuidanceBand,
    KeyedAmount,
    band_for,
    check_admin_share,
    check_equity_ceiling,
    check_equity_floor,
    check_intervention_parties,
    check_intervention_period,
    check_intervention_share,
    check_members,
    check_municipal_key,
    check_negative_equity,
    check_split,
    check_stated_total,
    validate_document,
)
from tests.core.plans import RICH_CLOSING, rich_plan

pytestmark = pytest.mark.core
D = Decimal
DATE = datetime.date
COLUMN = ColumnRef(id="b2025", year=2025, name="Budget 2025")


def summary(findings):
    return [(f.code, f.column, f.row, f.actual) for f in findings]


def band(valid_from, valid_until=None, low=0, high=None, percent=20):
    return GuidanceBand(
        valid_from=valid_from,
        valid_until=valid_until,
        contributions_from=D(low),
        contributions_to=None if high is None else D(high),
        ceiling_percent=D(percent),
    )


# ---------------------------------------------------------------------------
# Guidance bands: in force for a year if in force any day of it


MID_2024 = band(DATE(2024, 7, 1), percent=10)
UNTIL_MID_2024 = band(DATE(2013, 1, 1), valid_until=DATE(2024, 6, 30), percent=30)
LAST_DAY_2024 = band(DATE(2024, 12, 31))
FIRST_DAY_2025 = band(DATE(2025, 1, 1))
UNTIL_FIRST_DAY_2024 = band(DATE(2013, 1, 1), valid_until=DATE(2024, 1, 1))


@pytest.mark.parametrize(
    "bands, year, expected",
    [
        ([MID_2024], 2024, MID_2024),  # starts mid-year: in force that year
        ([MID_2024], 2023, None),
        ([MID_2024], 2025, MID_2024),
        ([LAST_DAY_2024], 2024, LAST_DAY_2024),
        ([FIRST_DAY_2025], 2024, None),
        ([FIRST_DAY_2025], 2025, FIRST_DAY_2025),
        ([UNTIL_MID_2024], 2024, UNTIL_MID_2024),  # ends mid-year: still in force that year
        ([UNTIL_MID_2024], 2025, None),
        ([UNTIL_FIRST_DAY_2024], 2024, UNTIL_FIRST_DAY_2024),
        ([UNTIL_FIRST_DAY_2024], 2023, UNTIL_FIRST_DAY_2024),
        ([UNTIL_MID_2024, MID_2024], 2024, MID_2024),  # both that year: the newer
        ([MID_2024, UNTIL_MID_2024], 2024, MID_2024),
    ],
)
def test_band_in_force_during_the_year(bands, year, expected):
    assert band_for(bands, year, D(1000000)) == expected


@pytest.mark.parametrize(
    "contributions, expected_percent",
    [(D("2999999.99"), 30), (D(3000000), 15), (D(0), 30), (D("9999999.99"), 15), (D(10000000), None)],
)
def test_band_by_contributions_lower_bound_in_upper_bound_out(contributions, expected_percent):
    bands = [band(DATE(2013, 1, 1), high=3000000, percent=30), band(DATE(2013, 1, 1), low=3000000, high=10000000, percent=15)]
    found = band_for(bands, 2025, contributions)

    assert (found.ceiling_percent if found else None) == (None if expected_percent is None else D(expected_percent))


# ---------------------------------------------------------------------------
# Rules at their edges; each finding in its row


@pytest.mark.parametrize("closing, flagged", [(D(0), False), (D("-0.01"), True), (D("0.01"), False)])
def test_negative_equity_edge(closing, flagged):
    findings = check_negative_equity(column=COLUMN, closing=closing, unit="SEK")

    assert summary(findings) == ([("NEGATIVE_EQUITY", "b2025", "total:closing_equity", closing)] if flagged else [])
    if flagged:
        assert findings[0].severity == ERROR
        assert "−0,01 kr" in findings[0].message


@pytest.mark.parametrize(
    "closing, flagged", [(D("800000"), False), (D("800000.01"), True), (D("799999.99"), False)]
)
def test_equity_ceiling_edge(closing, flagged):
    findings = check_equity_ceiling(
        column=COLUMN, closing=closing, contributions=D(4000000), ceiling_percent=D(20), unit="SEK"
    )

    assert summary(findings) == ([("EQUITY_CEILING", "b2025", "total:closing_equity", closing)] if flagged else [])
    if flagged:
        assert findings[0].severity == WARNING
        assert findings[0].expected == D(800000)
        assert findings[0].difference == D("0.01")
        assert "800 000,01 kr" in findings[0].message and "800 000 kr" in findings[0].message


@pytest.mark.parametrize("closing, flagged", [(D("500000"), False), (D("499999.99"), True), (D("500000.01"), False)])
def test_equity_floor_edge(closing, flagged):
    findings = check_equity_floor(column=COLUMN, closing=closing, floor=D(500000), unit="SEK")

    assert summary(findings) == ([("EQUITY_FLOOR", "b2025", "total:closing_equity", closing)] if flagged else [])
    if flagged:
        assert findings[0].difference == D("-0.01")
        assert "499 999,99 kr" in findings[0].message and "500 000 kr" in findings[0].message


@pytest.mark.parametrize("share, flagged", [(D(10), False), (D("10.001"), True), (D("9.999"), False)])
def test_admin_share_edge(share, flagged):
    findings = check_admin_share(column=COLUMN, share=share, goal=D(10))

    assert summary(findings) == ([("ADMIN_SHARE", "b2025", "share:administration", share)] if flagged else [])


@pytest.mark.parametrize("share, flagged", [(D(80), False), (D("79.999"), True), (D("80.001"), False)])
def test_intervention_share_edge(share, flagged):
    findings = check_intervention_share(column=COLUMN, share=share, goal=D(80))

    assert summary(findings) == (
        [("INTERVENTION_SHARE", "b2025", "share:non_administration", share)] if flagged else []
    )


def test_share_messages_show_one_decimal():
    [admin] = check_admin_share(column=COLUMN, share=D("11.76"), goal=D(10))
    [interventions] = check_intervention_share(column=COLUMN, share=D("78.05"), goal=D(80))

    assert "11,8 %" in admin.message and "10 %" in admin.message
    assert "78,1 %" in interventions.message and "80 %" in interventions.message


@pytest.mark.parametrize(
    "stated, computed, flagged",
    [(D("100.25"), D("100.25"), False), (D("100.26"), D("100.25"), True), (D("100.24"), D("100.25"), True)],
)
def test_stated_total_edge(stated, computed, flagged):
    findings = check_stated_total(column=COLUMN, total="costs", stated=stated, computed=computed, unit="SEK")

    assert summary(findings) == ([("STATED_TOTAL", "b2025", "total:costs", stated)] if flagged else [])
    if flagged:
        assert findings[0].expected == computed
        assert findings[0].difference == stated - computed
        assert "100,25 kr" in findings[0].message and "0,01 kr" in findings[0].message


@pytest.mark.parametrize("total", ["contributions", "income", "costs", "result", "closing_equity"])
def test_stated_total_row_is_the_total_it_concerns(total):
    [finding] = check_stated_total(column=COLUMN, total=total, stated=D(1), computed=D(2), unit="tkr")

    assert finding.row == f"total:{total}"


def test_stated_total_without_a_figure_says_nothing():
    assert check_stated_total(column=COLUMN, total="costs", stated=None, computed=D(2), unit="SEK") == []
    assert check_stated_total(column=COLUMN, total="costs", stated=D(2), computed=None, unit="SEK") == []
    assert check_stated_total(
        column=COLUMN, total="result", stated=D(3), computed=D(2), also_consistent_with=[D(3)], unit="SEK"
    ) == []


@pytest.mark.parametrize(
    "amount, flagged",
    [
        # Key 0,16 printed to two decimals: within 0,005 of 16 % of 5 000 (775 to 825 inclusive).
        (D(775), False),
        (D(825), False),
        (D("774.99"), True),
        (D("825.01"), True),
    ],
)
def test_municipal_key_edge(amount, flagged):
    findings = check_municipal_key(
        column=COLUMN,
        amounts=[KeyedAmount("mark", "Mark", amount, D("0.16"))],
        municipal_total=D(5000),
        precision=D("0.01"),
        unit="tkr",
    )

    assert summary(findings) == ([("MUNICIPAL_KEY", "b2025", "member:mark", amount)] if flagged else [])
    if flagged:
        assert findings[0].member == "mark"
        assert findings[0].expected == D(800)


def test_split_row_names_the_party_off_its_share():
    # Municipalities paid 1 010 000 of 4 010 000 in whole kronor: only they are off.
    findings = check_split(
        column=COLUMN,
        lines={"state": [D(2000000)], "region": [D(1000000)], "municipality": [D(505000), D(505000)]},
        unit="SEK",
    )

    assert [(f.code, f.column, f.row) for f in findings] == [("SPLIT", "b2025", "party:municipality")]


@pytest.mark.parametrize(
    "member_kinds, flagged",
    [
        ([], False),
        (["forsakringskassan"], True),
        (["municipality", "municipality"], True),
        (["region", "region"], True),
        (["forsakringskassan", "arbetsformedlingen"], False),
        (["state"], False),
        (["forsakringskassan", "municipality"], False),
        (["region", "municipality", "municipality"], False),
    ],
)
def test_intervention_parties_edge(member_kinds, flagged):
    findings = check_intervention_parties(intervention="steget", name="Steget", member_kinds=member_kinds)

    assert [(f.code, f.intervention) for f in findings] == ([("INTERVENTION_PARTIES", "steget")] if flagged else [])


def _year(year):
    return ColumnRef(id=f"p{year}", year=year, name=str(year))


@pytest.mark.parametrize(
    "start, end, flagged_years",
    [
        ("2024-03", None, [2023]),
        ("2024", "2025-06", [2023, 2026]),
        (None, "2025-12-31", [2026]),
        ("2023-12-31", "2026-01", []),
        (None, None, []),
    ],
)
def test_intervention_period_edges(start, end, flagged_years):
    costs = [(_year(year), D("0.25")) for year in (2023, 2024, 2025, 2026)]
    findings = check_intervention_period(
        intervention="steget", name="Steget", start=start, end=end, costs=costs, unit="SEK"
    )

    assert [(f.year, f.column, f.row, f.actual) for f in findings] == [
        (year, f"p{year}", "intervention:steget", D("0.25")) for year in flagged_years
    ]
    for finding in findings:
        assert "0,25 kr" in finding.message


def test_members_findings_have_no_row():
    findings = check_members(["forsakringskassan", "region"])

    assert [(f.code, f.row, f.column) for f in findings] == [("MEMBERS", None, None)] * 2


# ---------------------------------------------------------------------------
# A whole plan with an actual, a forecast and a budget for 2024, other income,
# reserve lines and öre.


def validate(data, bands=()):
    return validate_document(read_plan_data(data), bands=bands)


def test_the_rich_plan_has_no_findings():
    # Other income does not count in the split; reserve is not administration.
    goals = {"admin_share_max": 12, "intervention_share_min": 88, "equity_floor": 0}
    assert validate(rich_plan(federation={"name": "Kärnan", "goals": goals})) == []


def test_the_ceiling_applies_from_a_band_that_starts_mid_year_to_the_chain_columns():
    # 20 % of 4 000 000 is 800 000; the chain's closing equity is above it every year,
    # 2024 through the actual.
    findings = validate(rich_plan(), bands=[band(DATE(2024, 7, 1))])

    assert summary(findings) == [
        ("EQUITY_CEILING", "u2024", "total:closing_equity", D("1700000.25")),
        ("EQUITY_CEILING", "b2025", "total:closing_equity", D("1800000.25")),
        ("EQUITY_CEILING", "p2026", "total:closing_equity", D("1700000.25")),
    ]
    assert all(finding.expected == D(800000) for finding in findings)
    assert "1 700 000,25 kr" in findings[0].message and "800 000 kr" in findings[0].message


def test_no_ceiling_before_the_band_starts():
    findings = validate(rich_plan(), bands=[band(DATE(2025, 1, 1))])

    assert [f.column for f in findings] == ["b2025", "p2026"]


def test_reserve_counts_in_the_share_that_is_not_administration():
    # Shares not administration: b2024, b2025, p2026 90,24 %; f2024 89,47 %; u2024 88,24 %.
    # Without the reserve they would all be below 80 %.
    findings = validate(rich_plan(federation={"name": "Kärnan", "goals": {"intervention_share_min": "90.24"}}))

    assert [(f.code, f.column, f.row) for f in findings] == [
        ("INTERVENTION_SHARE", "f2024", "share:non_administration"),
        ("INTERVENTION_SHARE", "u2024", "share:non_administration"),
    ]
    assert findings[1].actual == D("3000000.25") / D("3400000.25") * 100


def test_admin_share_above_the_goal_in_a_whole_plan():
    # Administration 400 000: 10,53 % of the forecast's costs, 11,76 % of the actual's.
    findings = validate(rich_plan(federation={"name": "Kärnan", "goals": {"admin_share_max": 10}}))

    assert [(f.code, f.column, f.row) for f in findings] == [
        ("ADMIN_SHARE", "f2024", "share:administration"),
        ("ADMIN_SHARE", "u2024", "share:administration"),
    ]
    assert "11,8 %" in findings[1].message


def test_floor_on_the_chain_with_ore():
    findings = validate(rich_plan(federation={"name": "Kärnan", "goals": {"equity_floor": "1700000.26"}}))

    assert summary(findings) == [
        ("EQUITY_FLOOR", "u2024", "total:closing_equity", D("1700000.25")),
        ("EQUITY_FLOOR", "p2026", "total:closing_equity", D("1700000.25")),
    ]
    assert "1 700 000,25 kr" in findings[0].message and "1 700 000,26 kr" in findings[0].message


def test_negative_equity_in_the_chain_names_the_year_it_happens():
    findings = validate(rich_plan(equity={"opening": {"year": 2024, "amount": "-700000.25"}}))

    # Closing: 2024 0, 2025 100 000, 2026 0: never below zero.
    assert findings == []
    findings = validate(rich_plan(equity={"opening": {"year": 2024, "amount": "-700000.26"}}))
    assert summary(findings) == [
        ("NEGATIVE_EQUITY", "u2024", "total:closing_equity", D("-0.01")),
        ("NEGATIVE_EQUITY", "p2026", "total:closing_equity", D("-0.01")),
    ]
    assert "−0,01 kr" in findings[0].message


@pytest.mark.parametrize("column", RICH_CLOSING)
def test_a_printed_closing_equity_is_checked_in_every_column_including_comparisons(column):
    closing = RICH_CLOSING[column]
    assert validate(rich_plan(stated={column: {"closing_equity": str(closing)}})) == []

    findings = validate(rich_plan(stated={column: {"closing_equity": str(closing + D("0.01"))}}))
    assert summary(findings) == [("STATED_TOTAL", column, "total:closing_equity", closing + D("0.01"))]
    assert findings[0].expected == closing


def test_a_municipal_key_off_by_a_printed_unit_in_every_column():
    data = rich_plan()
    data["members"][3]["key_share"] = "0.59"
    findings = validate(data)

    assert [(f.code, f.column, f.row, f.member) for f in findings] == [
        ("MUNICIPAL_KEY", column, "member:norr", "norr") for column in ("b2024", "f2024", "u2024", "b2025", "p2026")
    ]
    assert findings[0].expected == D("590000")


def test_an_intervention_cost_before_its_start():
    data = rich_plan()
    data["interventions"][0]["start"] = "2025-01"
    findings = validate(data)

    assert [(f.code, f.column, f.row, f.actual) for f in findings] == [
        ("INTERVENTION_PERIOD", "b2024", "intervention:steget", D(3000000)),
        ("INTERVENTION_PERIOD", "f2024", "intervention:steget", D(2800000)),
        ("INTERVENTION_PERIOD", "u2024", "intervention:steget", D(2500000)),
    ]


def test_every_finding_lands_in_its_row_and_column_of_the_budget_table():
    data = rich_plan(
        federation={"name": "Kärnan", "goals": {"admin_share_max": 10, "intervention_share_min": "90.24", "equity_floor": "1700000.26"}},
        stated={"b2024": {"closing_equity": "900000.01", "costs": "4100000.01"}},
    )
    data["members"][3]["key_share"] = "0.59"
    data["interventions"][0]["start"] = "2025-01"
    data["contributions"][0]["amounts"]["b2025"] = 2000010
    document = read_plan_data(data)
    totals = compute_totals(document)
    findings = validate_document(document, bands=[band(DATE(2024, 7, 1))], totals=totals)
    table = budget_table(document, totals, findings)

    placed = {}
    for row in table.rows:
        for cell in row.cells:
            for finding in cell.findings:
                placed.setdefault(finding, []).append((row.key, cell.column))
    # Every code that belongs to a row is present, each finding in exactly its cell
    # (an intervention's findings on the intervention's cost lines).
    assert {f.code for f in findings if f.row} == {
        "SPLIT", "MUNICIPAL_KEY", "STATED_TOTAL", "EQUITY_CEILING", "EQUITY_FLOOR",
        "ADMIN_SHARE", "INTERVENTION_SHARE", "INTERVENTION_PERIOD",
    }
    for finding in findings:
        if finding.row is None:
            continue
        expected_row = "line:insats" if finding.row == "intervention:steget" else finding.row
        assert placed[finding] == [(expected_row, finding.column)], finding.code
    split_rows = {f.row for f in findings if f.code == "SPLIT"}
    assert "party:state" in split_rows


# ---------------------------------------------------------------------------
# What a finding carries besides its message (validate_plan --format json prints it)


@pytest.mark.parametrize(
    "findings, expected",
    [
        (
            lambda: check_negative_equity(column=COLUMN, closing=D("-0.25"), unit="SEK"),
            (2025, D("-0.25"), D(0), D("-0.25")),
        ),
        (
            lambda: check_equity_floor(column=COLUMN, closing=D("499999.75"), floor=D(500000), unit="SEK"),
            (2025, D("499999.75"), D(500000), D("-0.25")),
        ),
        (
            lambda: check_equity_ceiling(
                column=COLUMN, closing=D("800000.25"), contributions=D(4000000), ceiling_percent=D(20), unit="SEK"
            ),
            (2025, D("800000.25"), D(800000), D("0.25")),
        ),
        (lambda: check_admin_share(column=COLUMN, share=D("12.5"), goal=D(10)), (2025, D("12.5"), D(10), D("2.5"))),
        (
            lambda: check_intervention_share(column=COLUMN, share=D("77.5"), goal=D(80)),
            (2025, D("77.5"), D(80), D("-2.5")),
        ),
    ],
)
def test_a_finding_carries_its_year_and_figures(findings, expected):
    [finding] = findings()

    assert (finding.year, finding.actual, finding.expected, finding.difference) == expected
    assert finding.column == "b2025"


def test_share_goals_with_decimals_are_shown_to_one_decimal():
    [admin] = check_admin_share(column=COLUMN, share=D("12.5"), goal=D("10.25"))
    [interventions] = check_intervention_share(column=COLUMN, share=D("77.5"), goal=D("80.25"))

    assert "12,5 %" in admin.message and "10,3 %" in admin.message
    assert "77,5 %" in interventions.message and "80,3 %" in interventions.message
