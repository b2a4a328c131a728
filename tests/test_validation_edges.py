"""The validator's rules at and just past each edge, on plans in kronor with öre and in tkr.

DOMAIN.md's "The rules, precisely" decides every case here: precision belongs to
each printed amount, a line of 0 contributes no rounding, the split is judged
against a consistent total and blames the group rounding cannot explain, the key
allows for the amount's own rounding, parties are counted, not members, and a
message never shows two different numbers alike. The expected edges are worked
out by hand in the comments (T is the total the lines were rounded from).
"""

import copy
from decimal import Decimal

import pytest

from budgets.planfile import read_plan_data
from budgets.validation import (
    ColumnRef,
    KeyedAmount,
    check_admin_share,
    check_intervention_parties,
    check_intervention_share,
    check_municipal_key,
    check_negative_equity,
    check_split,
    check_stated_total,
    distinct_texts,
    line_tolerance,
    printed_precision,
    validate_document,
)
from finsam.lib.formatting import format_percent

pytestmark = pytest.mark.core

D = Decimal
COLUMN = ColumnRef(id="b2021", year=2021, name="Budget 2021")


def split(lines: dict, unit: str = "tkr", plan_precision=None) -> list:
    return check_split(
        column=COLUMN,
        lines={party: [D(amount) for amount in amounts] for party, amounts in lines.items()},
        unit=unit,
        plan_precision=None if plan_precision is None else D(plan_precision),
    )


# ---------------------------------------------------------------------------
# Precision is a property of each printed amount


@pytest.mark.parametrize(
    "printed, plan_precision, precision, tolerance",
    [
        ("1866", None, D(1), D("0.5")),
        ("125000.10", None, D("0.01"), D("0.005")),  # the trailing zero is printed: to the öre
        ("125000.1", None, D("0.1"), D("0.05")),
        ("1E+3", None, D(1), D("0.5")),
        ("0", None, D(1), D(0)),  # a line of 0 was not rounded
        ("0.00", None, D("0.01"), D(0)),
        ("186600", "100", D(100), D(50)),  # a document rounded to hundreds
        ("1866", "0.1", D(1), D("0.5")),  # a plan precision never makes a line finer
    ],
)
def test_the_tolerance_of_a_line_is_half_a_unit_of_its_own_precision(printed, plan_precision, precision, tolerance):
    plan = None if plan_precision is None else D(plan_precision)
    assert printed_precision(D(printed), plan) == precision
    assert line_tolerance(D(printed), plan) == tolerance


# ---------------------------------------------------------------------------
# SPLIT: at and just past each edge

SPLIT_CASES = [
    # tkr. Härnösand/Timrå 2017, DOMAIN's correct split.
    pytest.param({"state": ["1866"], "region": ["933"], "municipality": ["466", "466"]}, None, False, id="harnosand"),
    # tkr. State 2000 (T 3999-4001), region 1000 (T 3998-4002), municipalities on two
    # lines m (T 4m-4 to 4m+4): fits while 998.75 <= m <= 1001.25.
    pytest.param({"state": ["2000"], "region": ["1000"], "municipality": ["500", "501"]}, None, False, id="tkr-m1001"),
    pytest.param({"state": ["2000"], "region": ["1000"], "municipality": ["501", "501"]}, None, True, id="tkr-m1002"),
    pytest.param({"state": ["2000"], "region": ["1000"], "municipality": ["499", "500"]}, None, False, id="tkr-m999"),
    pytest.param({"state": ["2000"], "region": ["1000"], "municipality": ["499", "499"]}, None, True, id="tkr-m998"),
    # Kronor with öre. State and region exact (T 3 999 999,99-4 000 000,01 and
    # 3 999 999,98-4 000 000,02); municipalities on two lines to the öre, T 4m-0,04 to 4m+0,04.
    pytest.param(
        {"state": ["2000000.00"], "region": ["1000000.00"], "municipality": ["500000.00", "500000.01"]},
        None, False, id="ore-one-ore-off",
    ),
    pytest.param(
        {"state": ["2000000.00"], "region": ["1000000.00"], "municipality": ["500000.01", "500000.01"]},
        None, True, id="ore-two-ore-off",
    ),
    # The same amounts printed in whole kronor are each half a krona from their exact
    # figure: state T 3 999 999-4 000 001, municipalities on two lines T 4m-4 to 4m+4,
    # so m = 1 000 001 fits and 1 000 002 does not...
    pytest.param(
        {"state": ["2000000"], "region": ["1000000"], "municipality": ["500000", "500001"]}, None, False, id="kr-m+1"
    ),
    pytest.param(
        {"state": ["2000000"], "region": ["1000000"], "municipality": ["500001", "500001"]}, None, True, id="kr-m+2"
    ),
    # ...one column with öre never tightens another's tolerance (see the whole-plan test below).
    # A line of 0 contributes no rounding: FK 2001 + AF 0 is T 4001-4003, and the
    # municipalities' 999 on two lines is T 3992-4000: no total fits. Had AF's 0 counted
    # half a unit, T 4000 would, as it does for two real lines.
    pytest.param(
        {"state": ["2001", "0"], "region": ["1000"], "municipality": ["499", "500"]}, None, True, id="zero-line-adds-nothing"
    ),
    pytest.param(
        {"state": ["1001", "1000"], "region": ["1000"], "municipality": ["499", "500"]}, None, False, id="two-real-lines"
    ),
    # A document in kronor rounded to hundreds (plan precision 100): Härnösand's figures
    # times a hundred fit only with that precision.
    pytest.param({"state": ["186600"], "region": ["93300"], "municipality": ["46600", "46600"]}, "100", False, id="hundreds"),
    pytest.param({"state": ["186600"], "region": ["93300"], "municipality": ["46600", "46600"]}, None, True, id="hundreds-unsaid"),
    # Rounded to hundreds the municipalities' two lines are T 4m-400 to 4m+400 against the
    # state's 373 100-373 300: 93 400 still fits, 93 600 does not.
    pytest.param({"state": ["186600"], "region": ["93300"], "municipality": ["46700", "46700"]}, "100", False, id="hundreds-edge"),
    pytest.param({"state": ["186600"], "region": ["93300"], "municipality": ["46800", "46800"]}, "100", True, id="hundreds-past"),
]


@pytest.mark.parametrize("lines, plan_precision, flagged", SPLIT_CASES)
def test_split_edges(lines, plan_precision, flagged):
    unit = "SEK" if any("." in amount for amounts in lines.values() for amount in amounts) else "tkr"
    findings = split(lines, unit=unit, plan_precision=plan_precision)

    assert [finding.code for finding in findings] == (["SPLIT"] if flagged else [])
    if flagged:
        [finding] = findings
        assert (finding.severity, finding.column, finding.year) == ("error", "b2021", 2021)


def test_split_blames_the_twelve_municipalities_not_the_one_line_state():
    # State 50 000 and region 25 000 agree on T = 100 000; twelve municipalities print
    # 25 020 (tolerance 6 kr) and nothing but them can be off.
    municipalities = ["2085"] * 11 + ["2085"]
    findings = split({"state": ["50000"], "region": ["25000"], "municipality": municipalities}, unit="SEK")

    [finding] = findings
    assert finding.row == "party:municipality"
    assert (finding.actual, finding.expected) == (D(25020), D(25000))
    assert finding.message == (
        "Budget 2021: kommunernas andel är 25,01 % (25 020 kr), ska vara 25 % (25 000 kr), "
        "räknat på statens andel 49,99 % (50 000 kr) och regionens andel 25 % (25 000 kr). "
        "Avrundning förklarar inte skillnaden."
    )


def test_split_sjuharad_2021_is_one_finding_that_blames_the_state():
    # FK 4 516 + AF 4 516 = 9 032; the region and the municipalities agree on T = 20 000.
    findings = split(
        {"state": ["4516", "4516"], "region": ["5000"], "municipality": ["200", "2500", "200", "770", "250", "250", "580", "250"]}
    )

    [finding] = findings
    assert finding.row == "party:state"
    assert (finding.actual, finding.expected) == (D(9032), D(10000))
    assert finding.message == (
        "Budget 2021: statens andel är 47,46 % (9 032 tkr), ska vara 50 % (10 000 tkr), "
        "räknat på regionens andel 26,27 % (5 000 tkr) och kommunernas andel 26,27 % (5 000 tkr). "
        "Avrundning förklarar inte skillnaden."
    )


def test_split_fitting_amount_is_rounded_to_the_plans_precision():
    # Region 1 010 399 (T 4 041 594-4 041 598) and municipalities 1 010 400 on two lines
    # (T 4 041 596-4 041 604) agree on T 4 041 596-4 041 598, midpoint 4 041 597: the state
    # would be 2 020 798,5, which a plan in whole kronor prints as 2 020 799.
    [finding] = split(
        {"state": ["2000000"], "region": ["1010399"], "municipality": ["505200", "505200"]}, unit="SEK"
    )
    assert finding.expected == D(2020799)
    assert "2 020 799 kr" in finding.message
    assert ",5 kr" not in finding.message


def test_split_without_a_group_blames_the_missing_one():
    # State 2 000 and region 1 000 agree on T = 4 000; the municipalities pay nothing.
    [finding] = split({"state": ["2000"], "region": ["1000"]})
    assert (finding.row, finding.actual, finding.expected) == ("party:municipality", D(0), D(1000))


def test_split_where_only_the_state_pays_blames_the_region_and_the_municipalities():
    # Nothing from the region or the municipalities: the state's 2 000 says T = 4 000.
    [finding] = split({"state": ["2000"], "region": ["0"], "municipality": ["0"]})
    assert (finding.row, finding.actual, finding.expected) == ("party:region", D(0), D(1000))
    assert finding.message == (
        "Budget 2021: regionens andel är 0 % (0 tkr), ska vara 25 % (1 000 tkr); "
        "kommunens andel är 0 % (0 tkr), ska vara 25 % (1 000 tkr), räknat på statens andel 100 % (2 000 tkr). "
        "Avrundning förklarar inte skillnaden."
    )


def test_split_says_nothing_without_contributions():
    assert split({}) == []


# ---------------------------------------------------------------------------
# SPLIT in a whole plan: columns are judged on their own amounts


def plan(**changes) -> dict:
    data = {
        "format": "finsam-plan/2",
        "federation": {"name": "Samordningsförbundet Kant"},
        "members": [
            {"id": "fk", "name": "Försäkringskassan", "kind": "forsakringskassan"},
            {"id": "af", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"},
            {"id": "region", "name": "Region Kant", "kind": "region"},
            {"id": "norr", "name": "Norrby", "kind": "municipality", "key_share": "0.5"},
            {"id": "soder", "name": "Söderby", "kind": "municipality", "key_share": "0.5"},
        ],
        "plan": {"year": 2025, "last_year": 2026, "unit": "SEK"},
        "columns": [{"id": "b2025", "year": 2025, "kind": "budget"}, {"id": "p2026", "year": 2026, "kind": "plan"}],
        # 2025 to the öre; 2026 in whole kronor, each line rounded from an exact split of 4 000 002.
        "contributions": [
            {"member": "fk", "amounts": {"b2025": "2000000.50", "p2026": 2000001}},
            {"member": "region", "amounts": {"b2025": "1000000.25", "p2026": 1000001}},
            {"member": "norr", "amounts": {"b2025": "500000.13", "p2026": 500000}},
            {"member": "soder", "amounts": {"b2025": "500000.12", "p2026": 500000}},
        ],
        "costs": [{"id": "insats", "label": "Insats", "group": "intervention", "amounts": {"b2025": 4000000, "p2026": 4000000}}],
    }
    data.update(copy.deepcopy(changes))
    return data


def findings_for(data: dict) -> list:
    return validate_document(read_plan_data(data))


def test_a_column_printed_with_ore_does_not_make_another_columns_kronor_exact():
    # 2026: state 2 000 001 is T 4 000 001-4 000 003, region 1 000 001 is 4 000 002-4 000 006,
    # municipalities 1 000 000 on two lines 3 999 996-4 000 004: T 4 000 002 fits. Measured
    # to the öre (as if 2025's decimals applied) it would not.
    assert findings_for(plan()) == []


def test_contributions_printed_only_as_a_total_give_no_split_or_key_findings():
    data = plan(
        contributions=[{"id": "bidrag", "label": "Medlemsbidrag", "amounts": {"b2025": 4000001, "p2026": 4000002}}],
        equity={"opening": {"year": 2025, "amount": 100}},
    )
    document = read_plan_data(data)
    assert validate_document(document) == []
    from budgets.totals import compute_totals

    # The chain works: 100 + 1 = 101, then + 2 = 103.
    assert [link.closing for link in compute_totals(document).chain] == [D(101), D(103)]


def test_negative_other_income_counts_in_the_result():
    data = plan(
        income=[{"id": "ranta", "label": "Negativ ränta", "kind": "other", "amounts": {"b2025": "-1250.50"}}],
        equity={"opening": {"year": 2025, "amount": 10000}},
    )
    from budgets.totals import compute_totals

    totals = compute_totals(read_plan_data(data))
    # 4 000 001 contributions − 1 250,50 − 4 000 000 costs.
    assert totals.column("b2025").result == D("-1249.50")
    assert totals.chain[0].closing == D("8750.50")


@pytest.mark.parametrize(
    "subtotal, flagged",
    [(4000000, False), ("4000000.00", False), (3999999, True), ("4000000.01", True)],
)
def test_a_printed_subtotal_of_a_cost_group_is_checked(subtotal, flagged):
    data = plan(stated={"b2025": {"subtotals": [{"label": "Summa insatskostnader", "groups": ["intervention"], "amount": subtotal}]}})
    findings = findings_for(data)

    assert [finding.code for finding in findings] == (["STATED_TOTAL"] if flagged else [])
    if flagged:
        assert findings[0].message.startswith("Budget 2025: Summa insatskostnader anges till")
        assert findings[0].row == "total:subtotal"


# ---------------------------------------------------------------------------
# MUNICIPAL_KEY: the key's precision and the amount's own rounding


def key(amount, key_share, total, places="0.01", unit="tkr", plan_precision=None) -> list:
    return check_municipal_key(
        column=COLUMN,
        amounts=[KeyedAmount("mark", "Mark", D(amount), D(key_share))],
        municipal_total=D(total),
        precision=D(places),
        unit=unit,
        plan_precision=plan_precision,
    )


@pytest.mark.parametrize(
    "amount, key_share, total, places, unit, flagged",
    [
        # Key 0,16 to two decimals on 5 000 tkr: 25 tkr for the key, 0,5 for the amount.
        ("775", "0.16", "5000", "0.01", "tkr", False),
        ("774", "0.16", "5000", "0.01", "tkr", True),
        ("825", "0.16", "5000", "0.01", "tkr", False),
        ("826", "0.16", "5000", "0.01", "tkr", True),
        ("770", "0.16", "5000", "0.01", "tkr", True),  # Sjuhärad's Mark
        # To a tenth of a tkr the amount's own rounding is 0,05, to a hundredth 0,005.
        ("775.0", "0.16", "5000", "0.01", "tkr", False),
        ("774.9", "0.16", "5000", "0.01", "tkr", True),
        ("774.99", "0.16", "5000", "0.01", "tkr", True),
        # DOMAIN: a key of 0,0737 on 1 000 tkr printed as 74 tkr is correct (0,05 + 0,5).
        ("74", "0.0737", "1000", "0.0001", "tkr", False),
        ("75", "0.0737", "1000", "0.0001", "tkr", True),
        ("73", "0.0737", "1000", "0.0001", "tkr", True),
        # Kronor with öre: 25 000 kr for the key and half an öre for the amount.
        ("775000.00", "0.16", "5000000", "0.01", "SEK", False),
        ("774999.99", "0.16", "5000000", "0.01", "SEK", True),
        ("775000", "0.16", "5000000", "0.01", "SEK", False),
        ("774999", "0.16", "5000000", "0.01", "SEK", True),
    ],
)
def test_municipal_key_edges(amount, key_share, total, places, unit, flagged):
    findings = key(amount, key_share, total, places, unit)
    assert [finding.code for finding in findings] == (["MUNICIPAL_KEY"] if flagged else [])


def test_a_key_printed_in_percent_is_read_as_a_fraction():
    members = plan()["members"]
    members[3]["key_share"] = "60 %"
    members[4]["key_share"] = "40 %"
    document = read_plan_data(plan(members=members))
    assert [member.key_share for member in document.members[3:]] == [D("0.60"), D("0.40")]
    # Both pay half: against 60 % and 40 % each is 100 000 kr off, beyond 5 000 kr.
    assert [(f.code, f.member) for f in validate_document(document)] == [
        ("MUNICIPAL_KEY", "norr"),
        ("MUNICIPAL_KEY", "soder"),
        ("MUNICIPAL_KEY", "norr"),
        ("MUNICIPAL_KEY", "soder"),
    ]


# ---------------------------------------------------------------------------
# INTERVENTION_PARTIES: parties, not members


@pytest.mark.parametrize(
    "kinds, flagged",
    [
        ([], False),  # no data
        (["municipality"], True),
        (["municipality", "municipality"], True),  # two municipalities are one party
        (["region", "region"], True),
        (["forsakringskassan"], True),
        (["state"], False),  # the combined state line is FK and AF: two parties
        (["forsakringskassan", "arbetsformedlingen"], False),
        (["region", "municipality"], False),
        (["arbetsformedlingen", "municipality", "municipality"], False),
    ],
)
def test_intervention_parties_counts_parties(kinds, flagged):
    findings = check_intervention_parties(intervention="enter", name="Enter", member_kinds=kinds)
    assert [finding.code for finding in findings] == (["INTERVENTION_PARTIES"] if flagged else [])


def test_intervention_parties_message_names_the_one_party():
    [finding] = check_intervention_parties(
        intervention="enter", name="Enter", member_kinds=["municipality", "municipality"]
    )
    assert finding.message == "Insatsen Enter har bara en part (kommunerna); minst två av förbundets parter ska delta."
    assert finding.severity == "warning"


# ---------------------------------------------------------------------------
# Messages never show two different numbers alike


@pytest.mark.parametrize(
    "first, second, places, texts",
    [
        (D("20.025"), D(20), 1, ("20,03 %", "20 %")),
        (D("20.0001"), D(20), 1, ("20,0001 %", "20 %")),
        (D("20.4"), D(20), 1, ("20,4 %", "20 %")),
        (D(20), D(20), 1, ("20 %", "20 %")),
        (D("49.999"), D(50), 2, ("49,999 %", "50 %")),
    ],
)
def test_distinct_percents(first, second, places, texts):
    assert distinct_texts(first, second, format_percent, places) == texts


def test_an_admin_share_just_above_the_goal_shows_the_decimals_that_differ():
    [finding] = check_admin_share(column=COLUMN, share=D("20.025"), goal=D(20))
    assert finding.message == "Budget 2021: administrationen är 20,03 % av kostnaderna, målet är högst 20 %."
    [finding] = check_intervention_share(column=COLUMN, share=D("79.9999"), goal=D(80))
    assert finding.message == "Budget 2021: insatser och samverkan får 79,9999 % av kostnaderna, målet är minst 80 %."


def test_a_stated_total_off_by_a_fraction_shows_it():
    [finding] = check_stated_total(column=COLUMN, total="costs", stated=D(100), computed=D("100.004"), unit="SEK")
    assert finding.message == (
        "Budget 2021: kostnaderna anges till 100 kr men raderna summerar till 100,004 kr (skillnad 0,004 kr)."
    )


def test_negative_equity_of_a_fraction_is_not_shown_as_zero():
    [finding] = check_negative_equity(column=COLUMN, closing=D("-0.004"), unit="SEK")
    assert "−0,004 kr" in finding.message


def test_a_split_just_off_shows_enough_decimals():
    # State 50,004 %: two decimals would print "50 %" twice.
    [finding] = split({"state": ["50004.00"], "region": ["24998.00"], "municipality": ["24998.00"]}, unit="SEK")
    assert "statens andel är 50,004 % (50 004 kr), ska vara 50 % (49 996 kr)" in finding.message
