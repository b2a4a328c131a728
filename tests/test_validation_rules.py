"""The validator's rules one by one, table-driven, with their tolerance edges.

Each expectation is worked out from DOMAIN.md by hand (see the comments on the
tables); where a table row depends on arithmetic, the test first checks that the
row really means what its comment says.
"""

import copy
import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.utils import translation

from budgets.planfile import read_plan_data
from budgets.totals import STATUTORY_SHARES
from budgets.validation import (
    ERROR,
    WARNING,
    ColumnRef,
    GuidanceBand,
    KeyedAmount,
    amount_precision,
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
    key_precision,
    split_tolerance,
    validate_document,
)

pytestmark = pytest.mark.core

D = Decimal
PROJECT_DIR = Path(__file__).resolve().parents[1]
COLUMN_2021 = ColumnRef(id="b2021", year=2021, name="Budget 2021")


def column(year: int, kind: str = "b") -> ColumnRef:
    return ColumnRef(id=f"{kind}{year}", year=year, name=str(year))


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


# ---------------------------------------------------------------------------
# MEMBERS

ALL_KINDS = ("forsakringskassan", "arbetsformedlingen", "region", "municipality")


def test_members_all_present_gives_nothing():
    assert check_members(ALL_KINDS + ("municipality", "region")) == []


@pytest.mark.parametrize("missing", ALL_KINDS)
def test_members_each_missing_kind_gives_one_error(missing):
    findings = check_members(kind for kind in ALL_KINDS if kind != missing)

    assert codes(findings) == ["MEMBERS"]
    assert findings[0].severity == ERROR


def test_members_a_combined_state_line_does_not_stand_in_for_the_agencies():
    # PLAN_FORMAT: both agencies are listed as members even when one "state" line pays.
    assert len(check_members(["state", "region", "municipality"])) == 2


def test_members_none_at_all_gives_four_errors():
    assert codes(check_members([])) == ["MEMBERS"] * 4


# ---------------------------------------------------------------------------
# SPLIT: precision and tolerance


@pytest.mark.parametrize(
    "amounts, precision",
    [
        ([D(1866), D(933), D(466)], D(1)),
        ([D("1866.50")], D("0.1")),  # trailing zeros say nothing about precision
        ([D("100.25"), D(3)], D("0.01")),
        ([D("1E+3"), D("1000.00")], D(1)),
        ([], D(1)),
    ],
)
def test_amount_precision(amounts, precision):
    assert amount_precision(amounts) == precision


@pytest.mark.parametrize(
    "precision, lines, tolerance",
    [(D(1), 1, D("0.5")), (D(1), 2, D(1)), (D("0.01"), 1, D("0.005")), (D("0.01"), 2, D("0.01")), (D("0.1"), 3, D("0.15"))],
)
def test_split_tolerance_is_half_a_unit_per_line(precision, lines, tolerance):
    assert split_tolerance(precision, lines) == tolerance


# Each row starts from an exact 50/25/25 split and moves one group by `move` (the
# total moves with it). The printed lines are rounded from a split of a total the
# document does not print, so the split holds while some total fits every group
# within its tolerance t (half the precision per line): with the other groups
# exact, that is while |move| <= t_g + share_g * min over the others of t_h / share_h.
SPLIT_EDGES = [
    # tkr; municipalities on two lines (t 1), state and region on one (t 0,5 each):
    # edge 1 + 0,25 * min(0,5 / 0,5, 0,5 / 0,25) = 1,25 tkr.
    ("municipality", D(4000), D(1), {"municipality": 2, "state": 1, "region": 1}, D("1.25"), False),
    ("municipality", D(4000), D(1), {"municipality": 2, "state": 1, "region": 1}, D("1.26"), True),
    ("municipality", D(4000), D(1), {"municipality": 2, "state": 1, "region": 1}, D("-1.25"), False),
    ("municipality", D(4000), D(1), {"municipality": 2, "state": 1, "region": 1}, D("-1.26"), True),
    ("municipality", D(4000), D(1), {"municipality": 2, "state": 1, "region": 1}, D(2), True),
    # SEK with öre; the same lines: edge 0,01 + 0,25 * 0,01 = 0,0125 kr.
    ("municipality", D(4000000), D("0.01"), {"municipality": 2, "state": 1, "region": 1}, D("0.0125"), False),
    ("municipality", D(4000000), D("0.01"), {"municipality": 2, "state": 1, "region": 1}, D("0.013"), True),
    ("municipality", D(4000000), D("0.01"), {"municipality": 2, "state": 1, "region": 1}, D("0.02"), True),
    # SEK with öre; region on one line, state on three, municipalities on one:
    # edge 0,005 + 0,25 * min(0,015 / 0,5, 0,005 / 0,25) = 0,01 kr.
    ("region", D(4000000), D("0.01"), {"municipality": 1, "state": 3, "region": 1}, D("0.01"), False),
    ("region", D(4000000), D("0.01"), {"municipality": 1, "state": 3, "region": 1}, D("0.011"), True),
    # tkr; state on one line, region on two, municipalities on one:
    # edge 0,5 + 0,5 * min(1 / 0,25, 0,5 / 0,25) = 1,5 tkr.
    ("state", D(4000), D(1), {"municipality": 1, "state": 1, "region": 2}, D("1.5"), False),
    ("state", D(4000), D(1), {"municipality": 1, "state": 1, "region": 2}, D("-1.5"), False),
    ("state", D(4000), D(1), {"municipality": 1, "state": 1, "region": 2}, D("1.51"), True),
    ("state", D(4000), D(1), {"municipality": 1, "state": 1, "region": 2}, D("-1.51"), True),
]


@pytest.mark.parametrize("party, total, precision, lines, move, flagged", SPLIT_EDGES)
def test_split_tolerance_edges(party, total, precision, lines, move, flagged):
    by_party = {name: total * share for name, share in STATUTORY_SHARES.items()}
    by_party[party] += move

    findings = check_split(
        column=COLUMN_2021, by_party=by_party, lines_by_party=lines, precision=precision, unit="tkr"
    )

    assert bool(findings) is flagged
    # Past the edge, the groups further from their share of the printed total than
    # their tolerance are named; just past it that may be the moved group or another.
    printed_total = total + move
    tolerances = {name: precision / 2 * count for name, count in lines.items()}
    outside = {
        name: amount
        for name, amount in by_party.items()
        if abs(amount - printed_total * STATUTORY_SHARES[name]) > tolerances[name]
    }
    assert sorted(finding.actual for finding in findings) == (sorted(outside.values()) if flagged else [])
    for finding in findings:
        [name] = [name for name, amount in outside.items() if amount == finding.actual]
        assert finding.code == "SPLIT" and finding.severity == ERROR
        assert finding.expected == printed_total * STATUTORY_SHARES[name]
        assert finding.difference == finding.actual - finding.expected
        assert (finding.column, finding.year) == ("b2021", 2021)


def test_split_harnosand_timra_2017_rounding_is_accepted():
    # DOMAIN: 1 866 / 933 / 466 + 466 of 3 731 tkr is correct.
    findings = check_split(
        column=COLUMN_2021,
        by_party={"state": D(1866), "region": D(933), "municipality": D(932)},
        lines_by_party={"state": 1, "region": 1, "municipality": 2},
        precision=D(1),
        unit="tkr",
    )
    assert findings == []


@pytest.mark.parametrize(
    "intended_total, state_lines, region_lines, municipal_lines",
    [
        (D(3731), 1, 1, 2),  # Härnösand/Timrå 2017, DOMAIN's example of a correct split
        (D(4000), 2, 1, 3),
        (D(8054), 1, 1, 6),
        (D(12012), 1, 1, 8),  # eight municipalities lose 3 tkr to rounding; state and region are exact
    ],
)
def test_split_accepts_lines_each_rounded_from_an_exact_split(intended_total, state_lines, region_lines, municipal_lines):
    # DOMAIN, "Rounding": plans in tkr round every line to whole thousands, so a correct
    # split can be off by a fraction; that is not a violation.
    counts = {"state": state_lines, "region": region_lines, "municipality": municipal_lines}
    by_party = {
        party: (intended_total * share / counts[party]).quantize(D(1), rounding=ROUND_HALF_UP) * counts[party]
        for party, share in STATUTORY_SHARES.items()
    }
    findings = check_split(
        column=COLUMN_2021, by_party=by_party, lines_by_party=counts, precision=D(1), unit="tkr"
    )
    assert [finding.message for finding in findings] == []


def test_split_sjuharad_2021_is_a_violation_with_plain_swedish_messages():
    findings = check_split(
        column=column(2021),
        by_party={"state": D(9032), "region": D(5000), "municipality": D(5000)},
        lines_by_party={"state": 2, "region": 1, "municipality": 8},
        precision=D(1),
        unit="tkr",
    )
    messages = [finding.message for finding in findings]
    assert messages == [
        "2021: statens andel är 47,46 % (9 032 tkr), ska vara 50 % (9 516 tkr).",
        "2021: regionens andel är 26,27 % (5 000 tkr), ska vara 25 % (4 758 tkr).",
        "2021: kommunernas andel är 26,27 % (5 000 tkr), ska vara 25 % (4 758 tkr).",
    ]


def test_split_a_group_without_lines_counts_as_zero_with_one_line_of_tolerance():
    findings = check_split(
        column=COLUMN_2021,
        by_party={"state": D(2000), "region": D(2000), "municipality": None},
        lines_by_party={"state": 1, "region": 1},
        precision=D(1),
        unit="tkr",
    )
    # State 2 000 of 4 000 is right; regions 2 000 and municipalities none are not.
    assert sorted(finding.actual for finding in findings) == [D(0), D(2000)]


def test_split_says_nothing_without_contributions():
    findings = check_split(
        column=COLUMN_2021,
        by_party={"state": None, "region": None, "municipality": None},
        lines_by_party={},
        precision=D(1),
        unit="tkr",
    )
    assert findings == []


# ---------------------------------------------------------------------------
# MUNICIPAL_KEY


@pytest.mark.parametrize(
    "shares, precision",
    [
        ([D("0.16"), D("0.5"), D("0.04")], D("0.01")),
        ([D("0.0737"), D("0.2")], D("0.0001")),
        ([D("0.5")], D("0.1")),
        ([D("0.50"), D("0.30"), D("0.20")], D("0.01")),  # trailing zeros are printed precision
        ([D(1)], D(1)),
    ],
)
def test_key_precision(shares, precision):
    assert key_precision(shares) == precision


# Key 0,16 printed with two decimals: tolerance 0.005 of the municipalities' total.
@pytest.mark.parametrize(
    "amount, flagged",
    [
        (D(800), False),  # 16 %
        (D(775), False),  # 15.5 %: |0.155 - 0.16| = 0.005, on the edge
        (D(825), False),  # 16.5 %
        (D("774.9"), True),  # 15.498 %
        (D(770), True),  # 15.4 %: Sjuhärad's Mark
        (D(826), True),  # 16.52 %
    ],
)
def test_municipal_key_tolerance_is_half_the_printed_precision(amount, flagged):
    findings = check_municipal_key(
        column=COLUMN_2021,
        amounts=[KeyedAmount("mark", "Mark", amount, D("0.16"))],
        municipal_total=D(5000),
        precision=D("0.01"),
        unit="tkr",
    )
    assert codes(findings) == (["MUNICIPAL_KEY"] if flagged else [])
    if flagged:
        [finding] = findings
        assert finding.severity == WARNING
        assert finding.member == "mark"
        assert finding.expected == D(800)
        assert finding.difference == amount - D(800)


def test_municipal_key_message_for_sjuharad_mark():
    [finding] = check_municipal_key(
        column=column(2022),
        amounts=[KeyedAmount("mark", "Mark", D(770), D("0.16"))],
        municipal_total=D(5000),
        precision=D("0.01"),
        unit="tkr",
    )
    assert finding.message == (
        "2022: Mark betalar 770 tkr, 15,4 % av kommunernas 5 000 tkr; "
        "enligt fördelningsnyckeln (16 %) ska det vara 800 tkr."
    )


def test_municipal_key_says_nothing_without_municipal_contributions():
    findings = check_municipal_key(
        column=COLUMN_2021,
        amounts=[KeyedAmount("mark", "Mark", D(0), D("0.16"))],
        municipal_total=D(0),
        precision=D("0.01"),
        unit="tkr",
    )
    assert findings == []


# ---------------------------------------------------------------------------
# STATED_TOTAL


@pytest.mark.parametrize(
    "stated, computed, consistent, flagged",
    [
        (D(3731), D(3731), [], False),
        (D(3731), D(3732), [], True),
        (None, D(3732), [], False),  # not printed
        (D(3731), None, [], False),  # nothing to compare with
        (D(0), D(-1), [D(0)], False),  # follows from other printed figures
        (D(278), D(257), [D(257), D(256)], True),
    ],
)
def test_stated_total(stated, computed, consistent, flagged):
    findings = check_stated_total(
        column=COLUMN_2021, total="costs", stated=stated, computed=computed, also_consistent_with=consistent, unit="tkr"
    )
    assert codes(findings) == (["STATED_TOTAL"] if flagged else [])
    if flagged:
        [finding] = findings
        assert (finding.actual, finding.expected, finding.difference) == (stated, computed, stated - computed)
        assert finding.severity == ERROR


def test_stated_total_message_names_both_figures():
    [finding] = check_stated_total(
        column=column(2019, "p"), total="costs", stated=D(3731), computed=D(3732), unit="tkr"
    )
    assert finding.message == "2019: kostnaderna anges till 3 731 tkr men raderna summerar till 3 732 tkr (skillnad 1 tkr)."


# ---------------------------------------------------------------------------
# A small plan document for the checks that read a whole plan


def plan_data(**changes) -> dict:
    """A correct SEK plan for 2025-2026: 50/25/25, no stated totals, no goals, no equity."""
    data = {
        "format": "finsam-plan/1",
        "federation": {"name": "Samordningsförbundet Prov"},
        "members": [
            {"id": "fk", "name": "Försäkringskassan", "kind": "forsakringskassan"},
            {"id": "af", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"},
            {"id": "region", "name": "Region Prov", "kind": "region"},
            {"id": "norr", "name": "Norrby kommun", "kind": "municipality"},
            {"id": "soder", "name": "Söderby kommun", "kind": "municipality"},
        ],
        "plan": {"year": 2025, "last_year": 2026, "unit": "SEK"},
        "columns": [
            {"id": "b2025", "year": 2025, "kind": "budget"},
            {"id": "p2026", "year": 2026, "kind": "plan"},
        ],
        "contributions": [
            {"member": "fk", "amounts": {"b2025": 2000000, "p2026": 2000000}},
            {"member": "region", "amounts": {"b2025": 1000000, "p2026": 1000000}},
            {"member": "norr", "amounts": {"b2025": 500000, "p2026": 500000}},
            {"member": "soder", "amounts": {"b2025": 500000, "p2026": 500000}},
        ],
        "costs": [
            {"id": "insats", "label": "Insats", "group": "intervention", "amounts": {"b2025": 3600000, "p2026": 3600000}},
            {"id": "kansli", "label": "Kansli", "group": "administration", "amounts": {"b2025": 400000, "p2026": 400000}},
        ],
    }
    data.update(copy.deepcopy(changes))
    return data


def findings_for(data: dict, bands=()) -> list:
    return validate_document(read_plan_data(data), bands=bands)


def test_a_correct_plan_has_no_findings():
    assert findings_for(plan_data(), bands=[DEFAULT_BAND]) == []


def test_stated_result_that_follows_from_a_wrong_printed_cost_total_is_not_flagged_again():
    # Härnösand/Timrå 2019: costs printed 3 731 but the lines sum to 3 732; the printed
    # result 0 is printed income minus printed costs, so only the costs are wrong.
    data = plan_data(
        stated={"b2025": {"contributions": 4000000, "income": 4000000, "costs": 3999999, "result": 1}},
        costs=[
            {"id": "insats", "label": "Insats", "group": "intervention", "amounts": {"b2025": 3600000}},
            {"id": "kansli", "label": "Kansli", "group": "administration", "amounts": {"b2025": 400000}},
        ],
    )
    findings = findings_for(data)

    assert [(f.code, f.column, f.actual, f.expected) for f in findings] == [
        ("STATED_TOTAL", "b2025", D(3999999), D(4000000))
    ]
    assert "kostnaderna" in findings[0].message


def test_stated_result_that_follows_from_nothing_printed_is_flagged():
    data = plan_data(stated={"b2025": {"income": 4000000, "costs": 4000000, "result": 21}})
    findings = findings_for(data)

    assert [(f.code, f.actual, f.expected) for f in findings] == [("STATED_TOTAL", D(21), D(0))]
    assert "resultatet" in findings[0].message


def test_stated_closing_equity_from_the_printed_result_is_not_flagged_again():
    data = plan_data(
        equity={"opening": {"year": 2025, "amount": 500000}},
        stated={"b2025": {"result": 10, "closing_equity": 500010}},
    )
    findings = findings_for(data)

    assert [(f.code, f.actual, f.expected) for f in findings] == [("STATED_TOTAL", D(10), D(0))]


def test_stated_closing_equity_that_is_wrong_is_flagged():
    data = plan_data(equity={"opening": {"year": 2025, "amount": 500000}}, stated={"b2025": {"closing_equity": 499000}})
    findings = findings_for(data)

    assert [(f.code, f.actual, f.expected) for f in findings] == [("STATED_TOTAL", D(499000), D(500000))]


# ---------------------------------------------------------------------------
# NEGATIVE_EQUITY, EQUITY_CEILING, band_for, EQUITY_FLOOR


@pytest.mark.parametrize(
    "closing, flagged", [(D(-1), True), (D("-0.01"), True), (D(0), False), (D(1), False)]
)
def test_negative_equity(closing, flagged):
    findings = check_negative_equity(column=COLUMN_2021, closing=closing, unit="SEK")
    assert codes(findings) == (["NEGATIVE_EQUITY"] if flagged else [])
    if flagged:
        assert findings[0].severity == ERROR
        assert findings[0].expected == D(0)


def test_negative_equity_message():
    [finding] = check_negative_equity(column=COLUMN_2021, closing=D(-655500), unit="SEK")
    assert finding.message == "2021: eget kapital vid årets slut blir −655 500 kr; ett samordningsförbund får inte låna."


@pytest.mark.parametrize(
    "closing, flagged",
    [(D(200), False), (D("200.01"), True), (D(201), True), (D(199), False), (D(-5), False)],
)
def test_equity_ceiling_20_percent(closing, flagged):
    findings = check_equity_ceiling(
        column=COLUMN_2021, closing=closing, contributions=D(1000), ceiling_percent=D(20), unit="tkr"
    )
    assert codes(findings) == (["EQUITY_CEILING"] if flagged else [])
    if flagged:
        assert findings[0].severity == WARNING
        assert findings[0].expected == D(200)


def test_equity_ceiling_message_in_swedish():
    [finding] = check_equity_ceiling(
        column=COLUMN_2021, closing=D(2000000), contributions=D(8054000), ceiling_percent=D(20), unit="SEK"
    )
    # 2 000 000 / 8 054 000 = 24.83 %; 20 % of 8 054 000 = 1 610 800.
    assert finding.message == (
        "2021: eget kapital vid årets slut är 2 000 000 kr, 24,83 % av årets medlemsbidrag; "
        "riktlinjen är högst 20 % (1 610 800 kr)."
    )


def band(valid_from, valid_until=None, contributions_from=0, contributions_to=None, percent=20) -> GuidanceBand:
    return GuidanceBand(
        valid_from=valid_from,
        valid_until=valid_until,
        contributions_from=D(contributions_from),
        contributions_to=None if contributions_to is None else D(contributions_to),
        ceiling_percent=D(percent),
    )


DATE = datetime.date
DEFAULT_BAND = band(DATE(2013, 1, 1))
SMALL = band(DATE(2013, 1, 1), contributions_to=5_000_000, percent=30)
LARGE = band(DATE(2013, 1, 1), contributions_from=5_000_000, percent=15)
OLD = band(DATE(2013, 1, 1), valid_until=DATE(2020, 12, 31), percent=25)
NEW = band(DATE(2024, 1, 1), percent=10)
FROM_2026 = band(DATE(2026, 1, 1), percent=12)


@pytest.mark.parametrize(
    "bands, year, contributions, expected",
    [
        ([DEFAULT_BAND], 2025, 8_054_000, DEFAULT_BAND),
        ([DEFAULT_BAND], 2012, 8_054_000, None),  # before the guidance
        ([FROM_2026], 2025, 1_000_000, None),
        ([FROM_2026], 2026, 1_000_000, FROM_2026),
        ([OLD], 2020, 1_000_000, OLD),  # valid until the last day of 2020
        ([OLD], 2021, 1_000_000, None),
        ([SMALL, LARGE], 2025, 4_999_999, SMALL),
        ([SMALL, LARGE], 2025, 5_000_000, LARGE),  # the lower bound is in, the upper out
        ([SMALL, LARGE], 2025, 0, SMALL),
        ([DEFAULT_BAND, NEW], 2025, 1_000_000, NEW),  # the newest of overlapping bands
        ([NEW, DEFAULT_BAND], 2025, 1_000_000, NEW),  # whatever the order
        ([DEFAULT_BAND, NEW], 2023, 1_000_000, DEFAULT_BAND),  # the new one is not yet in force
        ([OLD, NEW], 2022, 1_000_000, None),  # a gap between bands
        ([], 2025, 1_000_000, None),
    ],
)
def test_band_for(bands, year, contributions, expected):
    assert band_for(bands, year, D(contributions)) == expected


def test_the_ceiling_band_is_chosen_by_contributions_in_kronor_for_a_tkr_plan():
    # 4 000 tkr is 4 000 000 kr: the band from 1 000 000 kr (1 %) applies, not the one
    # below it (1000 %). Closing equity 100 tkr is 2.5 % of the contributions.
    data = plan_data(
        plan={"year": 2025, "last_year": 2025, "unit": "tkr"},
        columns=[{"id": "b2025", "year": 2025, "kind": "budget"}],
        contributions=[
            {"member": "fk", "amounts": {"b2025": 2000}},
            {"member": "region", "amounts": {"b2025": 1000}},
            {"member": "norr", "amounts": {"b2025": 1000}},
        ],
        costs=[{"id": "insats", "label": "Insats", "group": "intervention", "amounts": {"b2025": 4000}}],
        equity={"opening": {"year": 2025, "amount": 100}},
    )
    bands = [
        band(DATE(2013, 1, 1), contributions_to=1_000_000, percent=1000),
        band(DATE(2013, 1, 1), contributions_from=1_000_000, percent=1),
    ]
    findings = findings_for(data, bands=bands)

    assert [(f.code, f.actual, f.expected) for f in findings] == [("EQUITY_CEILING", D(100), D(40))]


@pytest.mark.parametrize("closing, flagged", [(D(2000), False), (D(2001), False), (D(1999), True)])
def test_equity_floor(closing, flagged):
    findings = check_equity_floor(column=COLUMN_2021, closing=closing, floor=D(2000), unit="tkr")
    assert codes(findings) == (["EQUITY_FLOOR"] if flagged else [])
    if flagged:
        assert findings[0].severity == WARNING
        assert "under förbundets mål på minst 2 000 tkr" in findings[0].message


def test_the_equity_chain_checks_in_a_whole_plan():
    # Opening 1 000 000; a deficit of 600 000 a year: 400 000, then -200 000.
    data = plan_data(
        equity={"opening": {"year": 2025, "amount": 1000000}},
        federation={"name": "Samordningsförbundet Prov", "goals": {"equity_floor": 500000}},
        costs=[{"id": "insats", "label": "Insats", "group": "intervention", "amounts": {"b2025": 4600000, "p2026": 4600000}}],
    )
    findings = findings_for(data, bands=[DEFAULT_BAND])

    assert [(f.code, f.year, f.actual) for f in findings] == [
        ("NEGATIVE_EQUITY", 2026, D(-200000)),
        ("EQUITY_FLOOR", 2025, D(400000)),
        ("EQUITY_FLOOR", 2026, D(-200000)),
    ]


def test_the_chain_runs_through_the_most_informed_column_of_a_year():
    # The budget for 2025 would leave -100 000, the forecast leaves +100 000.
    data = plan_data(
        columns=[
            {"id": "b2025", "year": 2025, "kind": "budget"},
            {"id": "f2025", "year": 2025, "kind": "forecast"},
        ],
        contributions=[
            {"member": "fk", "amounts": {"b2025": 2000000, "f2025": 2000000}},
            {"member": "region", "amounts": {"b2025": 1000000, "f2025": 1000000}},
            {"member": "norr", "amounts": {"b2025": 1000000, "f2025": 1000000}},
        ],
        costs=[{"id": "insats", "label": "Insats", "group": "intervention", "amounts": {"b2025": 4200000, "f2025": 4000000}}],
        equity={"opening": {"year": 2025, "amount": 100000}},
    )
    assert findings_for(data) == []


def test_the_ceiling_in_a_whole_plan():
    # Contributions 4 000 000 a year; 20 % is 800 000. Closing 800 000 passes, 800 001 does not.
    at_ceiling = plan_data(equity={"opening": {"year": 2025, "amount": 800000}})
    above = plan_data(equity={"opening": {"year": 2025, "amount": 800001}})

    assert findings_for(at_ceiling, bands=[DEFAULT_BAND]) == []
    assert [(f.code, f.year) for f in findings_for(above, bands=[DEFAULT_BAND])] == [
        ("EQUITY_CEILING", 2025),
        ("EQUITY_CEILING", 2026),
    ]
    assert findings_for(above, bands=[]) == []


# ---------------------------------------------------------------------------
# ADMIN_SHARE, INTERVENTION_SHARE


@pytest.mark.parametrize("share, flagged", [(D(10), False), (D("9.99"), False), (D("10.01"), True), (D(50), True)])
def test_admin_share(share, flagged):
    findings = check_admin_share(column=COLUMN_2021, share=share, goal=D(10))
    assert codes(findings) == (["ADMIN_SHARE"] if flagged else [])
    if flagged:
        assert findings[0].severity == WARNING


@pytest.mark.parametrize("share, flagged", [(D(80), False), (D("91.8"), False), (D("79.99"), True), (D(0), True)])
def test_intervention_share(share, flagged):
    findings = check_intervention_share(column=COLUMN_2021, share=share, goal=D(80))
    assert codes(findings) == (["INTERVENTION_SHARE"] if flagged else [])
    if flagged:
        assert findings[0].severity == WARNING


def test_share_messages_use_a_decimal_comma():
    [admin] = check_admin_share(column=COLUMN_2021, share=D("12.345"), goal=D("9.6"))
    [interventions] = check_intervention_share(column=COLUMN_2021, share=D("75.25"), goal=D(80))

    assert admin.message == "Budget 2021: administrationen är 12,3 % av kostnaderna, målet är högst 9,6 %."
    assert interventions.message == "Budget 2021: insatser och samverkan får 75,3 % av kostnaderna, målet är minst 80 %."


def test_share_goals_in_a_whole_plan():
    # Administration 400 000 of 4 000 000 is 10 %; interventions 90 %.
    def with_goals(**goals):
        return plan_data(federation={"name": "Samordningsförbundet Prov", "goals": goals})

    assert findings_for(with_goals(admin_share_max=10, intervention_share_min=90)) == []
    assert codes(findings_for(with_goals(admin_share_max="9.9"))) == ["ADMIN_SHARE", "ADMIN_SHARE"]
    assert codes(findings_for(with_goals(intervention_share_min="90.1"))) == ["INTERVENTION_SHARE"] * 2


# ---------------------------------------------------------------------------
# INTERVENTION_PARTIES, INTERVENTION_PERIOD


@pytest.mark.parametrize(
    "parties, flagged",
    [([], False), (["fk"], True), (["fk", "fk"], True), (["fk", "region"], False), (["fk", "af", "region"], False)],
)
def test_intervention_parties(parties, flagged):
    findings = check_intervention_parties(intervention="enter", name="Enter", parties=parties)
    assert codes(findings) == (["INTERVENTION_PARTIES"] if flagged else [])
    if flagged:
        assert findings[0].severity == WARNING
        assert findings[0].intervention == "enter"
        assert "Enter" in findings[0].message


COSTS_2018_2023 = [(column(year), D(100000)) for year in range(2018, 2024)]


@pytest.mark.parametrize(
    "start, end, flagged_years",
    [
        ("2019-05", "2021", [2018, 2022, 2023]),
        ("2019-05-01", "2021-12-31", [2018, 2022, 2023]),
        ("2020", None, [2018, 2019]),
        (None, "2019-02", [2020, 2021, 2022, 2023]),
        (None, None, []),
        ("2015", "2030", []),
    ],
)
def test_intervention_period(start, end, flagged_years):
    findings = check_intervention_period(
        intervention="pria", name="PRIA", start=start, end=end, costs=COSTS_2018_2023, unit="SEK"
    )
    assert [finding.year for finding in findings] == flagged_years
    assert all(f.code == "INTERVENTION_PERIOD" and f.intervention == "pria" for f in findings)


def test_intervention_period_ignores_a_zero_cost():
    findings = check_intervention_period(
        intervention="pria",
        name="PRIA",
        start="2020",
        end="2020",
        costs=[(column(2019), D(0)), (column(2020), D(5)), (column(2021), D("0.00"))],
        unit="SEK",
    )
    assert findings == []


def test_intervention_period_message():
    [finding] = check_intervention_period(
        intervention="pria", name="PRIA", start="2022-01-01", end="2023-04-30", costs=[(column(2024), D(1250000))], unit="SEK"
    )
    assert finding.message == (
        "2024: insatsen PRIA har kostnader (1 250 000 kr) utanför sin period 2022-01-01 – 2023-04-30."
    )


def test_interventions_in_a_whole_plan():
    data = plan_data(
        interventions=[
            {"id": "ensam", "name": "Ensam", "kind": "individual", "members": ["region"], "start": "2026"},
            {"id": "okand", "name": "Okänd", "kind": "structural"},
        ],
        costs=[
            {"id": "ensam", "label": "Ensam", "group": "intervention", "intervention": "ensam", "amounts": {"b2025": 1000000, "p2026": 1000000}},
            {"id": "okand", "label": "Okänd", "group": "intervention", "intervention": "okand", "amounts": {"b2025": 2600000, "p2026": 2600000}},
            {"id": "kansli", "label": "Kansli", "group": "administration", "amounts": {"b2025": 400000, "p2026": 400000}},
        ],
    )
    findings = findings_for(data)

    assert [(f.code, f.intervention, f.year) for f in findings] == [
        ("INTERVENTION_PARTIES", "ensam", None),
        ("INTERVENTION_PERIOD", "ensam", 2025),
    ]


# ---------------------------------------------------------------------------
# Where the plan carries no data, the check says nothing


def test_no_opening_equity_means_no_equity_findings():
    # Costs far above income, a floor and a band: without an opening balance there is no chain.
    data = plan_data(
        federation={"name": "Samordningsförbundet Prov", "goals": {"equity_floor": 1000000}},
        costs=[{"id": "insats", "label": "Insats", "group": "intervention", "amounts": {"b2025": 9000000, "p2026": 9000000}}],
    )
    assert findings_for(data, bands=[band(DATE(2013, 1, 1), percent=0)]) == []


def test_no_goals_means_no_share_findings():
    data = plan_data(
        costs=[{"id": "kansli", "label": "Kansli", "group": "administration", "amounts": {"b2025": 4000000, "p2026": 4000000}}]
    )
    assert findings_for(data) == []


def test_costs_that_are_not_broken_down_give_no_share_findings():
    data = plan_data(
        federation={"name": "Samordningsförbundet Prov", "goals": {"admin_share_max": 1, "intervention_share_min": 99}},
        costs=[
            {"id": "allt", "label": "Kostnader", "group": "unspecified", "amounts": {"b2025": 3600000, "p2026": 3600000}},
            {"id": "kansli", "label": "Kansli", "group": "administration", "amounts": {"b2025": 400000, "p2026": 400000}},
        ],
    )
    assert findings_for(data) == []


def test_no_key_shares_means_no_key_findings():
    # 900 000 and 100 000 is far from equal parts, but no key is printed.
    data = plan_data(
        contributions=[
            {"member": "fk", "amounts": {"b2025": 2000000}},
            {"member": "region", "amounts": {"b2025": 1000000}},
            {"member": "norr", "amounts": {"b2025": 900000}},
            {"member": "soder", "amounts": {"b2025": 100000}},
        ],
        columns=[{"id": "b2025", "year": 2025, "kind": "budget"}],
        costs=[{"id": "insats", "label": "Insats", "group": "intervention", "amounts": {"b2025": 4000000}}],
    )
    assert findings_for(data) == []


def test_a_printed_key_is_checked_in_a_whole_plan():
    members = plan_data()["members"]
    members[3]["key_share"] = "0.6"
    members[4]["key_share"] = "0.4"
    findings = findings_for(plan_data(members=members))

    # Both pay 500 000 of 1 000 000 (50 %) against keys of 60 % and 40 %, in both years.
    assert [(f.code, f.member, f.year) for f in findings] == [
        ("MUNICIPAL_KEY", "norr", 2025),
        ("MUNICIPAL_KEY", "soder", 2025),
        ("MUNICIPAL_KEY", "norr", 2026),
        ("MUNICIPAL_KEY", "soder", 2026),
    ]


# ---------------------------------------------------------------------------
# Translation

ENGLISH_CATALOGUE = PROJECT_DIR / "locale" / "en" / "LC_MESSAGES" / "django.mo"


@pytest.mark.skipif(
    not ENGLISH_CATALOGUE.exists(),
    reason=f"no English message catalogue yet ({ENGLISH_CATALOGUE.relative_to(PROJECT_DIR)} is missing)",
)
def test_messages_are_translated_to_english():
    with translation.override("en"):
        [finding] = check_negative_equity(column=COLUMN_2021, closing=D(-1), unit="SEK")
        members = check_members([])
    assert "eget kapital" not in finding.message
    assert "equity" in finding.message and "−1 kr" in finding.message
    assert "member" in members[0].message
    assert "inte medlem" not in members[0].message


def test_messages_are_swedish_by_default():
    [finding] = check_negative_equity(column=COLUMN_2021, closing=D(-1), unit="SEK")
    assert "eget kapital" in finding.message
