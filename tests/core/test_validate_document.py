"""`validate_document` putting the rules together: the plan's own rounding and unit reach
every rule, a column where the keyed municipalities pay nothing, and the equity ceiling
after a year without contributions. The figures are worked out by hand in each test.
"""

import datetime
from decimal import Decimal

import pytest

from budgets.planfile import read_plan_data
from budgets.validation import GuidanceBand, validate_document
from tests.core.plans import rich_plan

pytestmark = pytest.mark.core
D = Decimal


def findings(data, codes, bands=()):
    return [
        (f.code, f.column, f.row, f.message)
        for f in validate_document(read_plan_data(data), bands=bands)
        if f.code in codes
    ]


def keyed_plan(precision=None) -> dict:
    """Norrby pays 600 300 kr instead of 600 000 in every column: the municipalities
    together 1 000 300 beside the state's 2 000 000 and the region's 1 000 000, and a
    key of 0,6000 / 0,4000 printed to four decimals."""
    data = rich_plan()
    data["members"][3]["key_share"], data["members"][4]["key_share"] = "0.6000", "0.4000"
    norr = next(line for line in data["contributions"] if line.get("member") == "norr")
    norr["amounts"] = {column: 600300 for column in norr["amounts"]}
    if precision is not None:
        data["plan"]["precision"] = precision
    return data


def test_the_plans_own_rounding_to_thousands_explains_300_kr_in_the_split_and_the_key():
    # Rounded to 1 000 kr, each line may be 500 kr off: 300 kr is rounding.
    assert findings(keyed_plan(precision=1000), {"SPLIT", "MUNICIPAL_KEY"}) == []


def test_without_the_plans_rounding_300_kr_is_named_in_the_split_and_the_key_in_kronor():
    # 1 000 300 of 4 000 300 is 25,01 %; Norrby's 600 300 is 60,01 % of 1 000 300, where
    # 60 % is 600 180 and Söderby's 40 % is 400 120.
    assert [finding for finding in findings(keyed_plan(), {"SPLIT", "MUNICIPAL_KEY"}) if finding[1] == "b2025"] == [
        (
            "SPLIT",
            "b2025",
            "party:municipality",
            "Budget 2025: kommunernas andel är 25,01 % (1 000 300 kr), ska vara 25 % (1 000 000 kr), "
            "räknat på statens andel 50 % (2 000 000 kr) och regionens andel 25 % (1 000 000 kr). "
            "Avrundning förklarar inte skillnaden.",
        ),
        (
            "MUNICIPAL_KEY",
            "b2025",
            "member:norr",
            "Budget 2025: Norrby kommun betalar 600 300 kr, 60,01 % av kommunernas 1 000 300 kr; "
            "enligt fördelningsnyckeln (60 %) ska det vara 600 180 kr.",
        ),
        (
            "MUNICIPAL_KEY",
            "b2025",
            "member:soder",
            "Budget 2025: Söderby kommun betalar 400 000 kr, 39,99 % av kommunernas 1 000 300 kr; "
            "enligt fördelningsnyckeln (40 %) ska det vara 400 120 kr.",
        ),
    ]


def test_a_column_where_the_keyed_municipalities_pay_nothing_is_a_split_error_not_a_key_error():
    data = rich_plan()
    for line in data["contributions"]:
        if line.get("member") in ("norr", "soder"):
            del line["amounts"]["p2026"]

    assert findings(data, {"SPLIT", "MUNICIPAL_KEY"}) == [
        (
            "SPLIT",
            "p2026",
            "party:municipality",
            "Plan 2026: kommunens andel är 0 % (0 kr), ska vara 25 % (1 000 000 kr), "
            "räknat på statens andel 66,67 % (2 000 000 kr) och regionens andel 33,33 % (1 000 000 kr). "
            "Avrundning förklarar inte skillnaden.",
        )
    ]


def test_the_ceiling_is_checked_in_the_years_after_one_without_contributions():
    # The actual for 2024 has no contributions: from 10 000 000 its result of
    # 100 000,50 − 3 400 000,25 leaves 6 700 000,25; 2025 adds 100 000 and 2026 takes it
    # away again. 20 % of the 4 000 000 in contributions is 800 000.
    data = rich_plan()
    for line in data["contributions"]:
        del line["amounts"]["u2024"]
    data["equity"]["opening"]["amount"] = 10000000
    band = GuidanceBand(
        valid_from=datetime.date(2020, 1, 1),
        valid_until=None,
        contributions_from=D(0),
        contributions_to=None,
        ceiling_percent=D(20),
    )

    assert findings(data, {"EQUITY_CEILING"}, bands=[band]) == [
        (
            "EQUITY_CEILING",
            "b2025",
            "total:closing_equity",
            "2025: eget kapital vid årets slut är 6 800 000,25 kr, 170 % av årets medlemsbidrag; "
            "riktlinjen är högst 20 % (800 000 kr).",
        ),
        (
            "EQUITY_CEILING",
            "p2026",
            "total:closing_equity",
            "2026: eget kapital vid årets slut är 6 700 000,25 kr, 167,5 % av årets medlemsbidrag; "
            "riktlinjen är högst 20 % (800 000 kr).",
        ),
    ]


def test_municipalities_that_pay_zero_in_a_column_are_no_key_error():
    data = rich_plan()
    for line in data["contributions"]:
        if line.get("member") in ("norr", "soder"):
            line["amounts"]["p2026"] = 0
    assert findings(data, {"MUNICIPAL_KEY"}) == []


def test_the_intervention_rules_name_the_intervention_and_its_period_in_the_plans_unit():
    data = rich_plan()
    data["interventions"][0]["end"] = "2025-06"
    data["interventions"].append({"id": "bron", "name": "Bron", "kind": "structural", "members": ["fk"]})

    assert findings(data, {"INTERVENTION_PARTIES", "INTERVENTION_PERIOD"}) == [
        (
            "INTERVENTION_PARTIES",
            None,
            None,
            "Insatsen Bron har bara en part (Försäkringskassan); minst två av förbundets parter ska delta.",
        ),
        (
            "INTERVENTION_PERIOD",
            "p2026",
            "intervention:steget",
            "Plan 2026: insatsen Steget har kostnader (3 000 000 kr) utanför sin period 2024-03 – 2025-06.",
        ),
    ]
