"""Properties of the split check and the totals that must hold for every plan.

Plans are built as `finsam-plan/2` data and read with `read_plan_data`, so they
are plans the application accepts. Amounts are generated as whole numbers of the
smallest printed unit (öre in SEK plans, tkr in tkr plans) and turned into
Decimal only at the end; the expectations are worked out with integers and
Fractions, independently of the code under test.
"""

from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets.planfile import read_plan_data
from budgets.totals import compute_totals
from budgets.validation import validate_document

pytestmark = pytest.mark.core

SHARES = {"state": Fraction(1, 2), "region": Fraction(1, 4), "municipality": Fraction(1, 4)}
STATE_MEMBERS = [("fk", "forsakringskassan"), ("af", "arbetsformedlingen"), ("state", "state")]
# Whole numbers of the smallest unit a plan prints: öre (1/100 kr) or tkr.
UNIT_SIZE = {"SEK": Fraction(1, 100), "tkr": Fraction(1)}

PROPERTY_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------
# Building plans


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Whole parts of `total` in proportion to `weights`, each its exact part rounded
    down or up, the parts summing to `total` (Hamilton's method)."""
    exact = [Fraction(total * weight, sum(weights)) for weight in weights]
    parts = [int(part) for part in exact]  # floor: every part is non-negative
    by_remainder = sorted(range(len(weights)), key=lambda index: exact[index] - parts[index], reverse=True)
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    return parts


def as_amount(units: int, unit: str) -> Decimal:
    """A whole number of the smallest unit as the amount a plan file holds."""
    return Decimal(units) / 100 if unit == "SEK" else Decimal(units)


def base_plan(unit: str, years: list[int], members: list[dict]) -> dict:
    return {
        "format": "finsam-plan/2",
        "federation": {"name": "Samordningsförbundet Egenskap"},
        "members": members,
        "plan": {"year": years[0], "last_year": years[-1], "unit": unit},
        "columns": [{"id": f"c{year}", "year": year, "kind": "budget"} for year in years],
        "contributions": [],
        "costs": [],
    }


@st.composite
def split_plans(draw, unit: str):
    """A plan whose contributions are an exact 50/25/25 split of each column's total,
    every group and every line rounded to the plan's smallest unit.

    Returns (data, units) where units[column][party] lists the lines' whole units
    as (member id, units)."""
    years = list(range(2025, 2025 + draw(st.integers(1, 4))))
    state_lines = draw(st.lists(st.sampled_from(STATE_MEMBERS), min_size=1, max_size=3, unique=True))
    regions = [f"region{index}" for index in range(draw(st.integers(1, 3)))]
    municipalities = [f"kommun{index}" for index in range(draw(st.integers(1, 8)))]

    members = [{"id": "fk", "name": "Försäkringskassan", "kind": "forsakringskassan"}]
    members.append({"id": "af", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"})
    if ("state", "state") in state_lines:
        members.append({"id": "state", "name": "Staten (FK+AF)", "kind": "state"})
    members += [{"id": region, "name": region, "kind": "region"} for region in regions]
    members += [{"id": municipality, "name": municipality, "kind": "municipality"} for municipality in municipalities]
    data = base_plan(unit, years, members)

    lines_by_party = {
        "state": [member_id for member_id, _kind in state_lines],
        "region": regions,
        "municipality": municipalities,
    }
    # Totals from 2 000 tkr to 50 000 tkr, or 2 to 50 million kronor with öre.
    low, high = (200_000_000, 5_000_000_000) if unit == "SEK" else (2_000, 50_000)
    amounts: dict[str, dict[str, int]] = {}
    units: dict[str, dict[str, list[tuple[str, int]]]] = {}
    for year in years:
        column_id = f"c{year}"
        total = draw(st.integers(low, high))
        # Each group's quarter or half, rounded to whole units by largest remainder
        # (off by at most half a unit), then each group spread over its lines by
        # weights, every line rounded the same way, so the lines sum to the total.
        # (Rounding each line on its own can move the sum; see the xfail case in
        # test_validation_rules.py::test_split_accepts_lines_each_rounded_from_an_exact_split.)
        group_units = dict(zip(SHARES, largest_remainder(total, [2, 1, 1])))
        units[column_id] = {}
        for party, member_ids in lines_by_party.items():
            weights = draw(st.lists(st.integers(1, 10), min_size=len(member_ids), max_size=len(member_ids)))
            parts = largest_remainder(group_units[party], weights)
            units[column_id][party] = list(zip(member_ids, parts))
            for member_id, part in zip(member_ids, parts):
                amounts.setdefault(member_id, {})[column_id] = part
    data["contributions"] = [
        {"member": member_id, "amounts": {column: str(as_amount(value, unit)) for column, value in by_column.items()}}
        for member_id, by_column in amounts.items()
    ]
    data["costs"] = [
        {"id": "insats", "label": "Insats", "group": "intervention", "amounts": {f"c{year}": 0 for year in years}}
    ]
    return data, units


def line_tolerance(value: int, unit: str) -> Fraction:
    """Half a unit of the precision a line is printed with (DOMAIN.md, "The rules,
    precisely"); a line of 0 was not rounded. `value` is in the smallest units
    (öre or tkr), and the file prints it with as few decimals as it needs."""
    if value == 0:
        return Fraction(0)
    if unit == "tkr" or value % 100 == 0:
        return Fraction(1, 2)
    if value % 10 == 0:
        return Fraction(1, 20)
    return Fraction(1, 200)


def group_tolerances(by_party_units: dict, unit: str) -> dict:
    return {
        party: sum((line_tolerance(value, unit) for _member, value in lines), Fraction(0))
        for party, lines in by_party_units.items()
    }


def deviation(by_party_units: dict, party: str, unit: str) -> Fraction:
    """How far a group is from its statutory share of the column's total, in the plan's unit."""
    size = UNIT_SIZE[unit]
    group = {name: sum(value for _member, value in lines) * size for name, lines in by_party_units.items()}
    return group[party] - SHARES[party] * sum(group.values())


def fits_some_total(by_party_units: dict, tolerances: dict, unit: str) -> bool:
    """Whether one total exists of which every group is its share within its tolerance
    (DOMAIN.md: the lines are rounded from an exact split of a total nobody prints)."""
    size = UNIT_SIZE[unit]
    group = {name: sum(value for _member, value in lines) * size for name, lines in by_party_units.items()}
    low = max((group[party] - tolerances[party]) / SHARES[party] for party in group)
    high = min((group[party] + tolerances[party]) / SHARES[party] for party in group)
    return low <= high


def blamed_alone(by_party_units: dict, tolerances: dict, unit: str) -> str | None:
    """The one group whose leaving out lets the other two agree on a total, if exactly one does."""
    candidates = [
        party
        for party in SHARES
        if fits_some_total({name: lines for name, lines in by_party_units.items() if name != party}, tolerances, unit)
    ]
    return candidates[0] if len(candidates) == 1 else None


def split_findings(data: dict) -> list:
    return [finding for finding in validate_document(read_plan_data(data)) if finding.code == "SPLIT"]


# ---------------------------------------------------------------------------
# SPLIT: correct plans pass, any line moved beyond the tolerance fails


@PROPERTY_SETTINGS
@given(plan=split_plans("SEK"))
def test_an_exact_split_in_kronor_and_ore_never_raises_split(plan):
    data, units = plan
    for by_party in units.values():
        for party in SHARES:
            assert abs(deviation(by_party, party, "SEK")) <= Fraction(1, 200)  # the generator's promise

    assert split_findings(data) == []


@PROPERTY_SETTINGS
@given(plan=split_plans("tkr"))
def test_a_rounded_split_in_tkr_never_raises_split(plan):
    data, units = plan
    for by_party in units.values():
        for party in SHARES:
            assert abs(deviation(by_party, party, "tkr")) <= Fraction(1, 2)

    assert split_findings(data) == []


@PROPERTY_SETTINGS
@given(
    unit=st.sampled_from(["SEK", "tkr"]),
    data_source=st.data(),
)
def test_moving_one_contribution_beyond_the_tolerance_always_raises_split(unit, data_source):
    data, units = data_source.draw(split_plans(unit))
    column_id = data_source.draw(st.sampled_from(sorted(units)))
    party = data_source.draw(st.sampled_from(list(SHARES)))
    line_index = data_source.draw(st.integers(0, len(units[column_id][party]) - 1))
    member_id, line_units = units[column_id][party][line_index]

    # Moving one line by d moves its group's deviation by d * (1 - share); the other
    # groups' deviations move by -d * share. A move of more than
    # (tolerance + current deviation) / (1 - share) takes the group outside its tolerance.
    # Whole units of the plan's currency (whole kronor, whole tkr) keep the printed
    # decimals of the line, and so the document's precision and tolerance, as they were.
    tolerances = group_tolerances(units[column_id], unit)
    tolerance = tolerances[party]
    current = abs(deviation(units[column_id], party, unit))
    share = SHARES[party]
    size = UNIT_SIZE[unit]
    groups = {name: sum(value for _member, value in lines) * size for name, lines in units[column_id].items()}
    others = [name for name in SHARES if name != party]
    # Beyond the printed total: the group's deviation grows by d * (1 - share).
    beyond_printed_total = (tolerance + current) / (1 - share)
    # Beyond every total: the group's interval of totals no longer meets the others'.
    upwards_beyond_every_total = (
        share * min((groups[name] + tolerances[name]) / SHARES[name] for name in others) - groups[party] + tolerance
    )
    downwards_beyond_every_total = (
        groups[party] + tolerance - share * max((groups[name] - tolerances[name]) / SHARES[name] for name in others)
    )
    smallest_units_per_whole = 100 if unit == "SEK" else 1
    extra = data_source.draw(st.integers(0, 1000))
    downwards = data_source.draw(st.booleans())
    threshold = max(beyond_printed_total, downwards_beyond_every_total if downwards else upwards_beyond_every_total)
    move = (floor(threshold) + 1 + extra) * smallest_units_per_whole  # whole kronor or tkr, strictly beyond
    if downwards and line_units < move:
        downwards = False
        threshold = max(beyond_printed_total, upwards_beyond_every_total)
        move = (floor(threshold) + 1 + extra) * smallest_units_per_whole
    new_units = line_units - move if downwards else line_units + move

    moved = [dict(line) for line in data["contributions"]]
    [line] = [line for line in moved if line["member"] == member_id]
    line["amounts"] = {**line["amounts"], column_id: str(as_amount(new_units, unit))}
    data = {**data, "contributions": moved}

    new_by_party = {name: list(lines) for name, lines in units[column_id].items()}
    new_by_party[party][line_index] = (member_id, new_units)
    assert abs(deviation(new_by_party, party, unit)) > tolerance  # the arithmetic above holds
    assert not fits_some_total(new_by_party, tolerances, unit)
    # Whole kronor keep the line's printed decimals, so its tolerance can only shrink (to 0).
    assert line_tolerance(new_units, unit) <= line_tolerance(line_units, unit)

    findings = split_findings(data)
    # One finding, in the column that changed only; where the other groups still agree on
    # a total (as they did before the move), it names the moved group.
    assert [finding.column for finding in findings] == [column_id], findings
    others = {name: lines for name, lines in new_by_party.items() if name != party}
    if blamed_alone(new_by_party, group_tolerances(new_by_party, unit), unit) == party:
        assert findings[0].row == f"party:{party}"
        assert findings[0].actual == as_amount(sum(value for _member, value in new_by_party[party]), unit)
    assert fits_some_total(others, group_tolerances(others, unit), unit)


@st.composite
def perturbed_groups(draw):
    """Group amounts near 50/25/25 (whole units, some groups a few units off) and how
    many lines each group is printed on."""
    unit = draw(st.sampled_from(["SEK", "tkr"]))
    base = draw(st.integers(1_000, 1_000_000)) * 4
    lines = {party: draw(st.integers(1, 8)) for party in SHARES}
    group_units = {party: int(base * share) + draw(st.integers(-12, 12)) for party, share in SHARES.items()}
    return unit, group_units, lines


@PROPERTY_SETTINGS
@given(case=perturbed_groups())
def test_split_flags_a_column_once_naming_the_group_rounding_cannot_explain(case):
    """An oracle in Fractions: nothing is flagged when some total fits every group within
    half a unit of each line's printed precision; otherwise one finding names the group
    whose leaving out lets the others agree, or, where that is not one group, a group
    further than its tolerance from its share of the printed total."""
    unit, group_units, lines = case
    members = [
        {"id": "fk", "name": "Försäkringskassan", "kind": "forsakringskassan"},
        {"id": "af", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"},
    ]
    contributions = []
    by_party_units = {}
    for party, count in lines.items():
        ids = [f"{party}{index}" for index in range(count)]
        members += [{"id": member_id, "name": member_id, "kind": party} for member_id in ids]
        parts = largest_remainder(group_units[party], [1] * count)
        by_party_units[party] = list(zip(ids, parts))
        contributions += [
            {"member": member_id, "amounts": {"c2025": str(as_amount(part, unit))}} for member_id, part in zip(ids, parts)
        ]
    data = base_plan(unit, [2025], members)
    data["contributions"] = contributions

    tolerances = group_tolerances(by_party_units, unit)
    findings = split_findings(data)
    if fits_some_total(by_party_units, tolerances, unit):
        assert findings == []
    else:
        [finding] = findings
        outside = {
            party for party in SHARES if abs(deviation(by_party_units, party, unit)) > tolerances[party]
        }
        alone = blamed_alone(by_party_units, tolerances, unit)
        blamed = finding.row.removeprefix("party:")
        assert blamed == alone if alone is not None else blamed in (outside or set(SHARES))
        assert finding.actual == as_amount(group_units[blamed], unit)


# ---------------------------------------------------------------------------
# Sums are exact decimals


@st.composite
def priced_plans(draw):
    """A plan with contributions, other income and costs, some cells empty, amounts
    with up to four decimals (SEK) or whole (tkr); and the amounts per line."""
    unit = draw(st.sampled_from(["SEK", "tkr"]))
    years = list(range(2030, 2030 + draw(st.integers(1, 4))))
    columns = [f"c{year}" for year in years]
    places = st.integers(0, 4) if unit == "SEK" else st.just(0)

    def amount():
        return st.tuples(st.integers(0, 10**11), places).map(lambda pair: Decimal(pair[0]).scaleb(-pair[1]))

    def cells():
        # A column may be missing from a line: an empty cell, not zero.
        return st.dictionaries(st.sampled_from(columns), amount(), max_size=len(columns))

    members = [
        {"id": "fk", "name": "Försäkringskassan", "kind": "forsakringskassan"},
        {"id": "af", "name": "Arbetsförmedlingen", "kind": "arbetsformedlingen"},
        {"id": "region", "name": "Region", "kind": "region"},
    ]
    municipalities = [f"kommun{index}" for index in range(draw(st.integers(1, 8)))]
    members += [{"id": member_id, "name": member_id, "kind": "municipality"} for member_id in municipalities]
    data = base_plan(unit, years, members)
    data["contributions"] = [
        {"member": member_id, "amounts": draw(cells())} for member_id in ["fk", "af", "region", *municipalities]
    ]
    data["income"] = [
        {"id": f"income{index}", "label": "Intäkt", "kind": "external", "amounts": draw(cells())}
        for index in range(draw(st.integers(0, 3)))
    ]
    groups = ["intervention", "reserve", "operations", "administration"]
    data["costs"] = [
        {"id": f"cost{index}", "label": "Kostnad", "group": draw(st.sampled_from(groups)), "amounts": draw(cells())}
        for index in range(draw(st.integers(1, 6)))
    ]
    if draw(st.booleans()):
        data["equity"] = {"opening": {"year": years[0], "amount": str(draw(amount()))}}
    # The file carries amounts as decimal strings.
    for section in ("contributions", "income", "costs"):
        for line in data[section]:
            line["amounts"] = {column: format(value, "f") for column, value in line["amounts"].items()}
    return data


def exact_sum(values: list[Decimal]) -> Decimal | None:
    """Python's Decimal sum, checked against a Fraction sum so that it is exact too."""
    if not values:
        return None
    total = sum(values, Decimal(0))
    assert Fraction(total) == sum((Fraction(value) for value in values), Fraction(0))
    return total


def assert_exact(actual, expected) -> None:
    if expected is None:
        assert actual is None
    else:
        assert isinstance(actual, Decimal), type(actual)
        assert actual == expected


@PROPERTY_SETTINGS
@given(data=priced_plans())
def test_totals_are_exact_decimal_sums_of_the_lines(data):
    document = read_plan_data(data)
    totals = compute_totals(document)
    kind_of = {member["id"]: member["kind"] for member in data["members"]}
    party_of_kind = {"forsakringskassan": "state", "arbetsformedlingen": "state", "region": "region", "municipality": "municipality"}

    def cells(section, column_id, keep=lambda line: True):
        return [Decimal(line["amounts"][column_id]) for line in data.get(section, []) if keep(line) and column_id in line["amounts"]]

    for column_totals in totals.columns:
        column_id = column_totals.id
        contributions = exact_sum(cells("contributions", column_id))
        assert_exact(column_totals.contributions, contributions)
        for party in SHARES:
            in_party = lambda line: party_of_kind[kind_of[line["member"]]] == party  # noqa: E731
            assert_exact(column_totals.contributions_by_party[party], exact_sum(cells("contributions", column_id, in_party)))
        other_income = exact_sum(cells("income", column_id))
        assert_exact(column_totals.other_income, other_income)
        present = [value for value in (contributions, other_income) if value is not None]
        income = exact_sum(present)
        assert_exact(column_totals.income, income)
        for group in ("intervention", "reserve", "operations", "administration"):
            in_group = lambda line: line["group"] == group  # noqa: E731
            assert_exact(column_totals.costs_by_group[group], exact_sum(cells("costs", column_id, in_group)))
        costs = exact_sum(cells("costs", column_id))
        assert_exact(column_totals.costs, costs)
        result = income - costs if income is not None and costs is not None else None
        assert_exact(column_totals.result, result)

    opening = data.get("equity", {}).get("opening")
    if opening is not None:
        equity = Decimal(opening["amount"])
        for link in totals.chain:
            assert_exact(link.opening, equity)
            assert_exact(link.result, totals.column(link.column).result)
            equity += link.result
            assert_exact(link.closing, equity)
    else:
        assert totals.chain == []
