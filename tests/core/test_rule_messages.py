"""What a reader sees of each finding: its title and its whole message, word for word,
with the figures as the app prints them; and the INTERVENTION_COST rule at its edges.

The messages are compared whole because every part of them is read: the year or the
column it opens with, the figures, and what the rule asks for.
"""

from decimal import Decimal

import pytest

from budgets.planfile import read_plan_data
from budgets.validation import (
    CODES,
    TITLES,
    ColumnRef,
    Finding,
    KeyedAmount,
    check_admin_share,
    check_equity_ceiling,
    check_equity_floor,
    check_intervention_cost,
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
from tests.core.plans import rich_plan

pytestmark = pytest.mark.core
D = Decimal
COLUMN = ColumnRef(id="b2025", year=2025, name="Budget 2025")


@pytest.mark.parametrize(
    "findings, title, message",
    [
        (
            lambda: check_equity_ceiling(
                column=COLUMN, closing=D(900), contributions=D(4000), ceiling_percent=D(20), unit="tkr"
            ),
            "Eget kapital över riktlinjen",
            "2025: eget kapital vid årets slut är 900 tkr, 22,5 % av årets medlemsbidrag; "
            "riktlinjen är högst 20 % (800 tkr).",
        ),
        (
            # A thousandth of a krona above the ceiling: both figures show as many decimals
            # as it takes not to look equal.
            lambda: check_equity_ceiling(
                column=COLUMN, closing=D("800000.001"), contributions=D(4000000), ceiling_percent=D(20), unit="SEK"
            ),
            "Eget kapital över riktlinjen",
            "2025: eget kapital vid årets slut är 800 000,001 kr, 20,00000003 % av årets medlemsbidrag; "
            "riktlinjen är högst 20 % (800 000 kr).",
        ),
        (
            # A ceiling with decimals of its own: the guidance's percent and the ceiling
            # show as many decimals as it takes to differ from the closing equity's.
            lambda: check_equity_ceiling(
                column=COLUMN, closing=D("200020"), contributions=D(1000000), ceiling_percent=D("20.001"), unit="SEK"
            ),
            "Eget kapital över riktlinjen",
            "2025: eget kapital vid årets slut är 200 020 kr, 20,002 % av årets medlemsbidrag; "
            "riktlinjen är högst 20,001 % (200 010 kr).",
        ),
        (
            lambda: check_equity_ceiling(
                column=COLUMN, closing=D("800000.003"), contributions=D("4000000.01"), ceiling_percent=D(20), unit="SEK"
            ),
            "Eget kapital över riktlinjen",
            "2025: eget kapital vid årets slut är 800 000,003 kr, 20,00000002 % av årets medlemsbidrag; "
            "riktlinjen är högst 20 % (800 000,002 kr).",
        ),
        (
            lambda: check_equity_floor(column=COLUMN, closing=D("499999.99"), floor=D(500000), unit="SEK"),
            "Eget kapital under förbundets mål",
            "2025: eget kapital vid årets slut är 499 999,99 kr, under förbundets mål på minst 500 000 kr.",
        ),
        (
            lambda: check_equity_floor(column=COLUMN, closing=D("499999.999"), floor=D(500000), unit="SEK"),
            "Eget kapital under förbundets mål",
            "2025: eget kapital vid årets slut är 499 999,999 kr, under förbundets mål på minst 500 000 kr.",
        ),
        (
            lambda: check_negative_equity(column=COLUMN, closing=D("-0.001"), unit="SEK"),
            "Eget kapital under noll",
            "2025: eget kapital vid årets slut blir −0,001 kr; ett samordningsförbund får inte låna.",
        ),
        (
            lambda: check_admin_share(column=COLUMN, share=D("10.01"), goal=D(10)),
            "Administrationens andel",
            "Budget 2025: administrationen är 10,01 % av kostnaderna, målet är högst 10 %.",
        ),
        (
            lambda: check_intervention_share(column=COLUMN, share=D("79.99"), goal=D(80)),
            "Andelen till insatser och samverkan",
            "Budget 2025: insatser och samverkan får 79,99 % av kostnaderna, målet är minst 80 %.",
        ),
        (
            lambda: check_stated_total(column=COLUMN, total="result", stated=D(1), computed=D(2), unit="tkr"),
            "Summa som inte stämmer",
            "Budget 2025: resultatet anges till 1 tkr men intäkter minus kostnader ger 2 tkr (skillnad 1 tkr).",
        ),
        (
            lambda: check_stated_total(
                column=COLUMN, total="subtotal", stated=D(1), computed=D("1.001"), unit="tkr", label="Personal"
            ),
            "Summa som inte stämmer",
            "Budget 2025: Personal anges till 1 tkr men raderna summerar till 1,001 tkr (skillnad 0,001 tkr).",
        ),
        (
            lambda: check_intervention_parties(intervention="steget", name="Steget", member_kinds=["region"]),
            "Insats med färre än två parter",
            "Insatsen Steget har bara en part (regionerna); minst två av förbundets parter ska delta.",
        ),
        (
            lambda: check_intervention_period(
                intervention="steget", name="Steget", start="2026", end=None, costs=[(COLUMN, D(5))], unit="tkr"
            ),
            "Kostnad utanför insatsens period",
            "Budget 2025: insatsen Steget har kostnader (5 tkr) utanför sin period 2026 – ….",
        ),
        (
            lambda: check_intervention_period(
                intervention="steget", name="Steget", start=None, end="2024-06", costs=[(COLUMN, D(5))], unit="tkr"
            ),
            "Kostnad utanför insatsens period",
            "Budget 2025: insatsen Steget har kostnader (5 tkr) utanför sin period … – 2024-06.",
        ),
        (
            lambda: check_intervention_cost(
                intervention="steget",
                name="Steget",
                column=COLUMN,
                cost=D(950),
                lines_total=D(900),
                tolerance=D("0.5"),
                unit="tkr",
            ),
            "Insatsens kostnad stämmer inte med kostnadsraderna",
            "Budget 2025: insatsen Steget kostar 950 tkr enligt beviljat belopp och räknad andel, "
            "men kostnadsraderna för den är 900 tkr.",
        ),
        (
            lambda: check_municipal_key(
                column=COLUMN,
                amounts=[KeyedAmount("mark", "Mark", D(700), D("0.16"))],
                municipal_total=D(5000),
                precision=D("0.01"),
                unit="tkr",
            ),
            "Kommunernas fördelningsnyckel",
            "Budget 2025: Mark betalar 700 tkr, 14 % av kommunernas 5 000 tkr; "
            "enligt fördelningsnyckeln (16 %) ska det vara 800 tkr.",
        ),
        (
            lambda: check_split(
                column=COLUMN,
                lines={"state": [D(2000000)], "region": [D(1000000)], "municipality": [D(505000), D(505000)]},
                unit="SEK",
            ),
            "Fördelningen 50/25/25",
            "Budget 2025: kommunernas andel är 25,19 % (1 010 000 kr), ska vara 25 % (1 000 000 kr), "
            "räknat på statens andel 49,88 % (2 000 000 kr) och regionens andel 24,94 % (1 000 000 kr). "
            "Avrundning förklarar inte skillnaden.",
        ),
    ],
)
def test_a_finding_reads_in_full(findings, title, message):
    [finding] = findings()

    assert (finding.title, finding.message) == (title, message)
    assert finding.as_dict()["title"] == title
    # validate_plan --format json prints the column and the year of each finding.
    assert (finding.as_dict()["column"], finding.as_dict()["year"]) == (
        (None, None) if finding.code == "INTERVENTION_PARTIES" else ("b2025", 2025)
    )


def test_members_messages_in_full():
    assert [(f.title, f.message, f.severity) for f in check_members([])] == [
        ("Medlemmar som saknas", "Försäkringskassan är inte medlem i förbundet.", "error"),
        ("Medlemmar som saknas", "Arbetsförmedlingen är inte medlem i förbundet.", "error"),
        ("Medlemmar som saknas", "Förbundet har ingen region som medlem.", "error"),
        ("Medlemmar som saknas", "Förbundet har ingen kommun som medlem.", "error"),
    ]
    assert check_members(["forsakringskassan", "arbetsformedlingen", "region", "municipality"]) == []


def test_every_code_has_a_plain_title():
    assert set(TITLES) == set(CODES)
    for code in CODES:
        title = Finding(code, "warning", "").title
        assert title and title != code


# ---------------------------------------------------------------------------
# INTERVENTION_COST: the linked cost lines against the granted amount times the
# counted share, within the tolerance given (inclusive).


@pytest.mark.parametrize(
    "lines_total, flagged, actual",
    [
        (D("949.5"), False, None),
        (D("950.5"), False, None),
        (D("949.49"), True, D("949.49")),
        (D("950.51"), True, D("950.51")),
        (D(950), False, None),
        (None, True, D(0)),  # no linked line at all: nothing budgeted
    ],
)
def test_intervention_cost_edge(lines_total, flagged, actual):
    findings = check_intervention_cost(
        intervention="steget",
        name="Steget",
        column=COLUMN,
        cost=D(950),
        lines_total=lines_total,
        tolerance=D("0.5"),
        unit="tkr",
    )

    assert [
        (f.code, f.severity, f.column, f.year, f.row, f.intervention, f.actual, f.expected, f.difference)
        for f in findings
    ] == (
        [
            (
                "INTERVENTION_COST",
                "warning",
                "b2025",
                2025,
                "intervention:steget",
                "steget",
                actual,
                D(950),
                actual - D(950),
            )
        ]
        if flagged
        else []
    )


def _cost_findings(data, costs):
    return [
        (f.column, f.actual, f.expected)
        for f in validate_document(read_plan_data(data), intervention_costs=costs)
        if f.code == "INTERVENTION_COST"
    ]


def test_intervention_cost_in_a_whole_plan_column_by_column():
    # Steget's lines: b2024 3 000 000, f2024 2 800 000, u2024 2 500 000, b2025 and p2026 3 000 000.
    costs = {"steget": {"b2024": D(3000000), "u2024": D("2500000.5"), "b2025": D("3000000.49"), "p2026": D(2900000)}}

    assert _cost_findings(rich_plan(), costs) == [
        # Whole kronor: half a krona either way is rounding, more is not.
        ("p2026", D(3000000), D(2900000)),
    ]
    costs["steget"]["u2024"] = D("2500000.51")
    assert _cost_findings(rich_plan(), costs) == [
        ("u2024", D(2500000), D("2500000.51")),
        ("p2026", D(3000000), D(2900000)),
    ]


def test_intervention_cost_without_linked_lines_and_with_ore_lines():
    data = rich_plan()
    data["interventions"].append({"id": "bron", "name": "Bron", "kind": "structural", "members": ["fk", "region"]})
    # A grant for an intervention no cost line is linked to: all of it is missing.
    assert _cost_findings(data, {"bron": {"b2025": D(100)}}) == [("b2025", D(0), D(100))]
    # Lines written in öre: the tolerance is half an öre.
    data["costs"][0]["amounts"]["b2025"] = "3000000.10"
    assert _cost_findings(data, {"steget": {"b2025": D("3000000.105")}}) == []
    assert _cost_findings(data, {"steget": {"b2025": D("3000000.11")}}) == [
        ("b2025", D("3000000.10"), D("3000000.11"))
    ]
    # A cost not given for a column: nothing said about it.
    assert _cost_findings(data, {"steget": {}}) == []


def test_intervention_cost_finding_read_whole_from_a_whole_plan():
    # The finding names the intervention by its name, in the plan's unit, and points at
    # the intervention's row; a grant for an id the plan does not have is named by the id.
    data = rich_plan()
    findings = [
        (f.intervention, f.row, f.message)
        for f in validate_document(
            read_plan_data(data), intervention_costs={"steget": {"p2026": D(2900000)}, "okand": {"b2025": D(5)}}
        )
        if f.code == "INTERVENTION_COST"
    ]

    assert findings == [
        (
            "steget",
            "intervention:steget",
            "Plan 2026: insatsen Steget kostar 2 900 000 kr enligt beviljat belopp och räknad andel, "
            "men kostnadsraderna för den är 3 000 000 kr.",
        ),
        (
            "okand",
            "intervention:okand",
            "Budget 2025: insatsen okand kostar 5 kr enligt beviljat belopp och räknad andel, "
            "men kostnadsraderna för den är 0 kr.",
        ),
    ]


def test_intervention_period_skips_a_zero_cost_and_goes_on():
    # 2023 costs nothing, so nothing is said of it; 2024 and 2026 are outside 2025.
    costs = [(ColumnRef(id=f"p{year}", year=year, name=str(year)), amount) for year, amount in
             ((2023, D(0)), (2024, D("0.5")), (2025, D(7)), (2026, D(3)))]
    findings = check_intervention_period(
        intervention="steget", name="Steget", start="2025-02", end="2025-11", costs=costs, unit="tkr"
    )

    assert [(f.code, f.severity, f.column, f.year, f.actual, f.expected, f.difference) for f in findings] == [
        ("INTERVENTION_PERIOD", "warning", "p2024", 2024, D("0.5"), D(0), D("0.5")),
        ("INTERVENTION_PERIOD", "warning", "p2026", 2026, D(3), D(0), D(3)),
    ]


def _key_findings(amounts, total, plan_precision=None):
    return check_municipal_key(
        column=COLUMN,
        amounts=[KeyedAmount(member, member.title(), D(amount), D(share)) for member, amount, share in amounts],
        municipal_total=D(total),
        precision=D("0.01"),
        unit="SEK",
        plan_precision=plan_precision,
    )


@pytest.mark.parametrize(
    "amount, flagged",
    # 16 % of 5 100 is 816; the key printed to 0,01 allows 25,5 and the whole-krona
    # amount another 0,5: 790 and 842 are exactly at the edge and pass.
    [(790, False), (789, True), (842, False), (843, True)],
)
def test_municipal_key_edge_is_inclusive(amount, flagged):
    findings = _key_findings([("mark", amount, "0.16")], 5100)

    assert [(f.member, f.actual, f.expected) for f in findings] == ([("mark", D(amount), D(816))] if flagged else [])


def test_municipal_key_checks_every_municipality_after_one_that_fits():
    findings = _key_findings([("mark", 800, "0.16"), ("borg", 3000, "0.64"), ("ulla", 1300, "0.20")], 5100)

    assert [(f.member, f.row, f.actual, f.expected, f.difference) for f in findings] == [
        ("borg", "member:borg", D(3000), D(3264), D(-264)),
        ("ulla", "member:ulla", D(1300), D(1020), D(280)),
    ]


def test_municipal_key_allows_for_the_plans_own_rounding():
    # 774 600 against 800 000: the key allows 25 000; rounded to thousands the amount
    # may be 500 off as well, to the krona only 0,50.
    assert _key_findings([("mark", 774600, "0.16")], 5000000, plan_precision=D(1000)) == []
    assert [f.actual for f in _key_findings([("mark", 774600, "0.16")], 5000000)] == [D(774600)]


def test_municipal_key_message_shows_the_share_to_one_decimal():
    [finding] = _key_findings([("mark", 728, "0.16")], 5000)

    assert finding.message == (
        "Budget 2025: Mark betalar 728 kr, 14,6 % av kommunernas 5 000 kr; "
        "enligt fördelningsnyckeln (16 %) ska det vara 800 kr."
    )


def test_municipal_key_expected_amount_rounded_as_the_plan_rounds():
    # 16 % of 5 123 000 is 819 680; a plan rounded to thousands shows 820 000.
    [rounded] = _key_findings([("mark", 700000, "0.16")], 5123000, plan_precision=D(1000))
    [exact] = _key_findings([("mark", 700000, "0.16")], 5123000)

    assert "ska det vara 820 000 kr." in rounded.message
    assert "ska det vara 819 680 kr." in exact.message
    assert rounded.expected == exact.expected == D("819680.00")


@pytest.mark.parametrize("member_kinds", [["region"], ["municipality", "municipality"], ["forsakringskassan"]])
def test_intervention_parties_figures(member_kinds):
    [finding] = check_intervention_parties(intervention="steget", name="Steget", member_kinds=member_kinds)

    assert (finding.severity, finding.actual, finding.expected, finding.difference, finding.row) == (
        "warning", D(1), D(2), D(-1), None
    )


@pytest.mark.parametrize(
    "lines, plan_precision, message, expected",
    [
        (
            # Amounts beyond the öre are shown to four decimals, the fitting amount
            # rounded to the finest printed precision.
            {"state": [D("2000000.12345")], "region": [D(1000000)], "municipality": [D("1010000.12345")]},
            None,
            "Budget 2025: kommunens andel är 25,19 % (1 010 000,1235 kr), ska vara 25 % (1 000 000,0617 kr), "
            "räknat på statens andel 49,88 % (2 000 000,1235 kr) och regionens andel 24,94 % (1 000 000 kr). "
            "Avrundning förklarar inte skillnaden.",
            D("1000000.06173"),
        ),
        (
            # A plan rounded to thousands: the state and the region agree on 4 000 600,
            # whose quarter is shown as the plan rounds it.
            {"state": [D(2000300)], "region": [D(1000000)], "municipality": [D(1010000)]},
            D(1000),
            "Budget 2025: kommunens andel är 25,19 % (1 010 000 kr), ska vara 25 % (1 000 000 kr), "
            "räknat på statens andel 49,88 % (2 000 300 kr) och regionens andel 24,94 % (1 000 000 kr). "
            "Avrundning förklarar inte skillnaden.",
            D(1000000),
        ),
    ],
)
def test_split_message_precision(lines, plan_precision, message, expected):
    [finding] = check_split(column=COLUMN, lines=lines, unit="SEK", plan_precision=plan_precision)

    assert (finding.message, finding.row, finding.expected) == (message, "party:municipality", expected)
    assert (finding.year, finding.actual, finding.difference) == (2025, lines["municipality"][0], lines["municipality"][0] - expected)


def test_split_blames_a_party_that_pays_nothing_with_a_printable_zero():
    # No region line: the state and the municipalities agree on 4 000 000, the region's
    # 1 000 000 is missing. validate_plan --format json prints the figures through plain().
    from finsam.lib.money import plain

    [finding] = check_split(
        column=COLUMN, lines={"state": [D(2000000)], "municipality": [D(1000000)]}, unit="SEK"
    )

    assert finding.row == "party:region"
    assert [str(plain(value)) for value in (finding.actual, finding.expected, finding.difference)] == [
        "0", "1000000", "-1000000"
    ]
    assert "regionens andel är 0 % (0 kr), ska vara 25 % (1 000 000 kr)" in finding.message


def test_stated_total_difference_shown_to_at_most_eight_decimals():
    [finding] = check_stated_total(
        column=COLUMN, total="costs", stated=D("1.0000000105"), computed=D(1), unit="tkr"
    )

    assert finding.message.endswith("(skillnad 0,00000001 tkr).")


def test_municipal_key_total_shown_to_four_decimals():
    [finding] = _key_findings([("mark", 700, "0.16")], "5000.12345")

    assert "av kommunernas 5 000,1235 kr;" in finding.message


@pytest.mark.parametrize(
    "shares, precision",
    [
        ([D("0.16"), D("0.5"), D("0.34")], D("0.01")),
        ([D("0.50"), D("0.30"), D("0.20")], D("0.01")),
        ([D("0.0737"), D("0.9263")], D("0.0001")),
        ([D(1), D(0)], D(1)),  # a key written in whole numbers
        ([], D(1)),
    ],
)
def test_key_printed_precision(shares, precision):
    from budgets.validation import key_precision

    assert key_precision(shares) == precision


def test_decimals_added_to_tell_numbers_apart_stop_at_eight():
    from budgets.validation import distinct_texts
    from finsam.lib.formatting import format_percent

    assert distinct_texts(D("20.00000001"), D(20), format_percent, 2) == ("20,00000001 %", "20 %")
    assert distinct_texts(D("20.000000001"), D(20), format_percent, 2) == ("20 %", "20 %")


def test_a_grant_with_no_linked_line_within_half_a_unit():
    data = rich_plan()
    data["interventions"].append({"id": "bron", "name": "Bron", "kind": "structural", "members": ["fk", "region"]})

    assert _cost_findings(data, {"bron": {"b2025": D("0.5")}}) == []
    assert _cost_findings(data, {"bron": {"b2025": D("0.75")}}) == [("b2025", D(0), D("0.75"))]


def test_amounts_in_messages_are_rounded_to_the_ore():
    [finding] = check_equity_floor(column=COLUMN, closing=D("499999.125"), floor=D(500000), unit="SEK")

    assert "är 499 999,13 kr, under förbundets mål på minst 500 000 kr." in finding.message
