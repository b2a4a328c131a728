"""The plan-file reader's refusals word for word, what it accepts at the edges, and the
file the writer prints: every problem line is compared whole, path and message."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from budgets import planfile
from budgets.planfile import (
    PlanFileError,
    address_name,
    comparable,
    dump_plan_file,
    plan_file_data,
    read_plan_data,
    read_plan_file,
)

pytestmark = pytest.mark.core
D = Decimal

EVERY_KEY_PLAN = Path(__file__).resolve().parent.parent / "plans" / "every-key.json"


def every_key() -> dict:
    return json.loads(EVERY_KEY_PLAN.read_text(encoding="utf-8"))


def _with(change) -> dict:
    data = every_key()
    change(data)
    return data


def _problems(data) -> list[str]:
    with pytest.raises(PlanFileError) as refusal:
        read_plan_data(data)
    return refusal.value.problems


def _goals(**values):
    return lambda d: d["federation"]["goals"].update(values)


def _kept_federation(**values):
    return lambda d: d["adopted_copy"]["federation"].update(values)


def _kept_band(**values):
    return lambda d: d["adopted_copy"]["guidance"]["2024"].update(values)


@pytest.mark.parametrize(
    "change, problem",
    [
        (_goals(equity_floor=-1), "federation.goals.equity_floor: -1 is negative"),
        (_goals(admin_share_max="100.0001"), 'federation.goals.admin_share_max: "100.0001" is not a percentage between 0 and 100'),
        (_goals(admin_share_max=-1), "federation.goals.admin_share_max: -1 is not a percentage between 0 and 100"),
        (_goals(admin_share_max="27.1234"), 'federation.goals.admin_share_max: "27.1234" has more than 3 decimals'),
        (
            lambda d: d["interventions"][0]["funding"]["b2026"].update(granted="-0.5"),
            'interventions[0].funding.b2026.granted: "-0.5" is negative',
        ),
        (lambda d: d["interventions"][0].update(utilization="1.5"), 'interventions[0].utilization: "1.5" is not a fraction between 0 and 1'),
        (lambda d: d["interventions"][0].update(utilization="0.12345"), 'interventions[0].utilization: "0.12345" has more than 4 decimals'),
        (lambda d: d["plan"].update(adopted_on="2025-02-30"), 'plan.adopted_on: "2025-02-30" is not a date (YYYY-MM-DD)'),
        (lambda d: d["plan"].update(adopted_on=20251120), "plan.adopted_on: 20251120 is not a date (YYYY-MM-DD)"),
        (lambda d: d["plan"].update(precision=0), "plan.precision: 0 is not above zero"),
        (lambda d: d["federation"].update(org_number="2220001234"), 'federation.org_number: "2220001234" does not have the form NNNNNN-NNNN'),
        (lambda d: d["federation"].update(founded="2009-02-30"), 'federation.founded: "2009-02-30" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)'),
        (lambda d: d["meetings"][0].update(date="2026"), 'meetings[0].date: "2026" is not a date (YYYY-MM-DD or YYYY-MM)'),
        (lambda d: d["meetings"][0].update(date=5), "meetings[0].date: 5 is not a date (YYYY-MM-DD or YYYY-MM)"),
        (lambda d: d["members"][3].update(key_share="100.5 %"), 'members[3].key_share: "100.5 %" is not a percentage between 0 and 100'),
        (lambda d: d["members"][3].update(key_share="0.1234567"), 'members[3].key_share: "0.1234567" has more than 6 decimals'),
        (_kept_federation(org_number="x"), 'adopted_copy.federation.org_number: "x" is not empty or NNNNNN-NNNN'),
        (
            _kept_federation(founded="2009-13"),
            'adopted_copy.federation.founded: "2009-13" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)',
        ),
        (
            _kept_band(ceiling_percent=20),
            'adopted_copy.guidance.2024.ceiling_percent: 20 is not a number written as text ("20.000")',
        ),
        (_kept_band(valid_from="2013-02-30"), 'adopted_copy.guidance.2024.valid_from: "2013-02-30" is not a date (YYYY-MM-DD)'),
        (_kept_band(valid_from=None), "adopted_copy.guidance.2024.valid_from: null is not a date (YYYY-MM-DD)"),
        (lambda d: d["members"][0].update(id="Fk"), 'members[0].id: "Fk" is not an id (lower-case letters, digits, - and _, at most 80 characters)'),
        (lambda d: d["members"][1].update(id=5), "members[1].id: 5 is not an id (lower-case letters, digits, - and _, at most 80 characters)"),
        (lambda d: d["columns"][4].update(year="2027"), 'columns[4].year: "2027" is not a year'),
        (lambda d: d["columns"][4].update(year=True), "columns[4].year: true is not a year"),
        (lambda d: d["columns"][4].update(year=2101), "columns[4].year: 2101 is not a year between 1990 and 2100"),
        (lambda d: d["costs"][1]["amounts"].update(b2026=None), "costs[1].amounts.b2026: null is not a number"),
        (lambda d: d["costs"][1]["amounts"].update(b2026=[1]), "costs[1].amounts.b2026: [1] is not a number"),
        (lambda d: d["costs"][1]["amounts"].update(b2026="1e3"), 'costs[1].amounts.b2026: "1e3" is not a number'),
        (lambda d: d["costs"][1]["amounts"].update(b2026="12\n"), 'costs[1].amounts.b2026: "12\\n" is not a number'),
        (
            lambda d: d["costs"][1]["amounts"].update(b2026=10**13),
            "costs[1].amounts.b2026: 10000000000000 is too large (amounts must be below 10 000 000 000 000)",
        ),
        (
            lambda d: d["income"][0].update(id="a" * 81),
            f'income[0].id: "{"a" * 81}" is not an id (lower-case letters, digits, - and _, at most 80 characters)',
        ),
        # An input that holds amounts read from the file shows them as the file has them.
        (lambda d: d.update(equity=[D("1.5")]), 'equity: expected an object, got ["1.5"]'),
    ],
)
def test_each_refusal_word_for_word(change, problem):
    assert _problems(_with(change)) == [problem]


def test_a_decimal_from_the_file_is_shown_as_written():
    data = every_key()
    data["interventions"][0]["funding"]["b2026"]["granted"] = "@"
    text = json.dumps(data, ensure_ascii=False).replace('"@"', "-0.50")

    with pytest.raises(PlanFileError) as refusal:
        read_plan_file(text)

    assert refusal.value.problems == ["interventions[0].funding.b2026.granted: -0.50 is negative"]


@pytest.mark.parametrize(
    "change, read, value",
    [
        # Blank text, not null, where the profile said nothing.
        (_kept_federation(org_number=""), lambda doc: doc.adopted_copy.federation.org_number, ""),
        (_kept_federation(founded=""), lambda doc: doc.adopted_copy.federation.founded, ""),
        (_kept_federation(founded="2009"), lambda doc: doc.adopted_copy.federation.founded, "2009"),
        (_kept_federation(short_name=""), lambda doc: doc.adopted_copy.federation.short_name, ""),
        (lambda d: d["members"][3].update(key_share="100 %"), lambda doc: doc.members[3].key_share, D("1.00")),
        (lambda d: d["members"][3].update(key_share="0.123456"), lambda doc: doc.members[3].key_share, D("0.123456")),
        (lambda d: d["meetings"][0].update(date="2026-02"), lambda doc: doc.meetings[0].date, "2026-02"),
        (lambda d: d["plan"].update(adopted_on="2025-11-20"), lambda doc: doc.plan.adopted_on.isoformat(), "2025-11-20"),
        # The largest amount and the longest id the format allows.
        (
            lambda d: d["costs"][1]["amounts"].update(b2026="9999999999999.9999"),
            lambda doc: doc.costs[1].amounts["b2026"],
            D("9999999999999.9999"),
        ),
        (lambda d: d["income"][0].update(id="a" * 80), lambda doc: doc.income[0].id, "a" * 80),
    ],
)
def test_what_the_reader_accepts_at_the_edges(change, read, value):
    document = read_plan_data(_with(change))

    assert read(document) == value
    assert str(read(document)) == str(value)


# The value types below are built once, when the module is imported; built afresh here
# with the arguments the format gives them, each refuses in the reader's words.


@pytest.mark.parametrize(
    "allowed, value, outcome",
    [
        ("any", "2009", "2009"),
        ("any", "2009-05", "2009-05"),
        ("any", "2009-05-01", "2009-05-01"),
        ("any", "2009-13", '"2009-13" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)'),
        ("any", 2009, "2009 is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        ("day-or-month", "2026-02", "2026-02"),
        ("day-or-month", "2026-02-03", "2026-02-03"),
        ("day-or-month", "2026", '"2026" is not a date (YYYY-MM-DD or YYYY-MM)'),
        ("day-or-month", "2026-2", '"2026-2" is not a date (YYYY-MM-DD or YYYY-MM)'),
        ("day-or-month", "2026-02-30", '"2026-02-30" is not a date (YYYY-MM-DD or YYYY-MM)'),
    ],
)
def test_partial_dates(allowed, value, outcome):
    check = planfile._partial_date(allowed)
    try:
        assert check(value) == outcome
    except PydanticCustomError as refusal:
        assert refusal.message() == outcome


PERCENT = (D(0), D(100), "a percentage")
FRACTION = (D(0), D(1), "a fraction")


@pytest.mark.parametrize(
    "bounds, places, as_printed, value, outcome",
    [
        (PERCENT, 3, False, "0", "0"),
        (PERCENT, 3, False, "100", "100"),
        (PERCENT, 3, False, "27.50", "27.5"),  # a goal is a number, not a printed amount
        (PERCENT, 3, False, "27.125", "27.125"),
        (PERCENT, 3, False, "-0.001", '"-0.001" is not a percentage between 0 and 100'),
        (PERCENT, 3, False, "100.001", '"100.001" is not a percentage between 0 and 100'),
        (PERCENT, 3, False, "27.1234", '"27.1234" has more than 3 decimals'),
        (FRACTION, 4, False, "0", "0"),
        (FRACTION, 4, False, "1", "1"),
        (FRACTION, 4, False, "0.9000", "0.9"),
        (FRACTION, 4, False, "0.1234", "0.1234"),
        (FRACTION, 4, False, "0.12345", '"0.12345" has more than 4 decimals'),
        (FRACTION, 6, True, "0.50", "0.50"),
        (FRACTION, 6, True, "0.500000000", "0.500000"),
        (FRACTION, 6, True, "1", "1"),
        (FRACTION, 6, True, "1.0", "1.0"),
        (FRACTION, 6, True, "1.0000001", '"1.0000001" is not a fraction between 0 and 1'),
    ],
)
def test_bounded_numbers(bounds, places, as_printed, value, outcome):
    check = planfile._bounded(*bounds, places=places, as_printed=as_printed)
    try:
        assert str(check(value)) == outcome
    except PydanticCustomError as refusal:
        assert refusal.message() == outcome


def test_bounded_numbers_are_not_as_printed_unless_asked():
    assert str(planfile._bounded(*PERCENT, places=3)("27.50")) == "27.5"


@pytest.mark.parametrize(
    "kind, value, accepted",
    [
        (lambda: planfile._text(5), "", True),
        (lambda: planfile._text(5), "abcde", True),
        (lambda: planfile._text(5), "abcdef", False),
        (lambda: planfile._text(5, min_length=1), "", False),
        (lambda: planfile._strict_text(5), "", True),
        (lambda: planfile._strict_text(5), "abcdef", False),
        (lambda: planfile._strict_text(5, min_length=1), "", False),
        (lambda: planfile._strict_text(), "x" * 10_000, True),
        (lambda: planfile._strict_text(), 5, False),
    ],
)
def test_text_limits(kind, value, accepted):
    adapter = TypeAdapter(kind())
    if accepted:
        assert adapter.validate_python(value) == value
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


def test_a_file_nested_too_deeply():
    with pytest.raises(PlanFileError) as refusal:
        read_plan_file("[" * 100_000)

    assert refusal.value.problems == ["(file): not valid JSON: nested too deeply"]


def test_the_refusal_reads_one_problem_a_line():
    error = PlanFileError(["costs[0].label: is required", "plan.year: is required"])

    assert str(error) == "costs[0].label: is required\nplan.year: is required"


def test_the_written_file_is_indented_by_two_and_keeps_swedish_letters():
    text = dump_plan_file(read_plan_data(every_key()))
    lines = text.splitlines()

    assert lines[:4] == [
        "{",
        '  "format": "finsam-plan/2",',
        '  "federation": {',
        '    "name": "Samordningsförbundet Alla Nycklar",',
    ]
    assert '"name": "Försäkringskassan"' in text
    assert text.endswith("}\n")


def test_a_key_share_in_percent_is_written_in_percent():
    data = plan_file_data(read_plan_data(_with(lambda d: d["members"][3].update(key_share="16.5 %"))))

    assert data["members"][3]["key_share"] == "16.5 %"


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Härnösand/Timrå", "harnosand-timra"),
        ("Samordningsförbundet Kärnan", "samordningsforbundet-karnan"),
        # Cut at the longest address name, never ending in a dash.
        ("a" * 79 + " b", "a" * 79),
        ("!!!", ""),
    ],
)
def test_address_name(name, slug):
    assert address_name(name) == slug


@pytest.mark.parametrize(
    "left, right, equal",
    [
        ({"a": [1]}, {"a": [2]}, False),
        ({"a": ["1.50"]}, {"a": [D("1.5")]}, True),
        ({"a": False}, {"a": None}, False),
    ],
)
def test_comparable_lists_and_flags(left, right, equal):
    assert (comparable(left) == comparable(right)) is equal


def _intervention(**values):
    return lambda d: d["interventions"][0].update(values)


def _as_totals(data):
    """Contributions printed only as totals of all members, in two lines."""
    data["contributions"] = [
        {"id": "alla", "label": "Medlemsavgifter", "amounts": {"b2026": 4000000}},
        {"id": "extra", "label": "Extra avgifter", "amounts": {"b2026": 100000}},
    ]


@pytest.mark.parametrize(
    "change, problems",
    [
        (
            lambda d: (d["federation"].pop("short_name"), d["federation"].update(name="!!!")),
            ['federation.name: "!!!" has no letter or digit to make the federation\'s address name from'],
        ),
        (
            lambda d: d["federation"].update(short_name="–"),
            ['federation.short_name: "–" has no letter or digit to make the federation\'s address name from'],
        ),
        (lambda d: d["plan"].update(last_year=2025), ["plan.last_year: 2025 is before plan.year 2026"]),
        (lambda d: d["plan"].update(last_year=2037), ["plan.last_year: 2037 is more than ten years after plan.year 2026"]),
        (lambda d: d["members"].append(dict(d["members"][1])), ['members[5].id: duplicate id "af"']),
        (lambda d: d["columns"].append(dict(d["columns"][0])), ['columns[5].id: duplicate id "u2024"']),
        (lambda d: d["income"].append(dict(d["income"][0])), ['income[2].id: duplicate id "esf"']),
        (lambda d: d["costs"].append(dict(d["costs"][0])), ['costs[5].id: duplicate id "steget"']),
        (
            lambda d: d["interventions"].append(copy.deepcopy(d["interventions"][0])),
            ['interventions[1].id: duplicate id "steget"'],
        ),
        (
            lambda d: (_as_totals(d), d["contributions"][1].pop("label")),
            ["contributions[1]: names a member, or gives an id and a label for a total of all members"],
        ),
        (
            lambda d: (_as_totals(d), d["contributions"][1].pop("id")),
            ["contributions[1]: names a member, or gives an id and a label for a total of all members"],
        ),
        (
            lambda d: (_as_totals(d), d["contributions"][1].update(id="alla")),
            ['contributions[1].id: duplicate id "alla"'],
        ),
        (
            lambda d: d["contributions"].append({"id": "alla", "label": "Alla", "amounts": {}}),
            ["contributions: lines per member and a total of all members cannot be mixed"],
        ),
        (
            lambda d: d["contributions"][0].update(id="x"),
            ["contributions[0].id: a member's contribution has no id; its member names it"],
        ),
        (
            lambda d: d["contributions"][0].update(label="x"),
            ["contributions[0].label: a member's contribution has no label; its member names it"],
        ),
        (lambda d: d["contributions"][1].update(member="fk"), ['contributions[1].member: "fk" has a contribution already']),
        (lambda d: d["contributions"][1].update(member="nope"), ['contributions[1].member: "nope" is not a member id']),
        (lambda d: d["contributions"][0]["amounts"].update(x=1), ['contributions[0].amounts.x: "x" is not a column id']),
        (lambda d: d["income"][1]["amounts"].update(x=1), ['income[1].amounts.x: "x" is not a column id']),
        (lambda d: d["costs"][1]["amounts"].update({"a b": 1}), ['costs[1].amounts["a b"]: "a b" is not a column id']),
        (lambda d: d["costs"][0].update(intervention="nope"), ['costs[0].intervention: "nope" is not an intervention id']),
        (
            lambda d: d["costs"][0].update(group="operations"),
            ['costs[0].intervention: only lines in the group "intervention" name an intervention'],
        ),
        (lambda d: d["stated"].update(zz={}), ['stated.zz: "zz" is not a column id']),
        (
            lambda d: d["stated"]["u2024"]["subtotals"][0].update(groups=["administration", "administration"]),
            ["stated.u2024.subtotals[0].groups: a group is listed twice"],
        ),
        (lambda d: d["plan"].update(revises=2), ["plan.revises: revision 2 is not before this plan's revision 2"]),
        (
            lambda d: (d["plan"].pop("revision"), d["plan"].update(revises=1)),
            ["plan.revises: revision 1 is not before this plan's revision 1"],
        ),
        (_intervention(owner="nope"), ['interventions[0].owner: "nope" is not a member id']),
        (lambda d: d["interventions"][0]["members"].append("nope"), ['interventions[0].members[4]: "nope" is not a member id']),
        (lambda d: d["interventions"][0]["members"].append("fk"), ["interventions[0].members: a member is listed twice"]),
        (lambda d: d["interventions"][0]["markings"].append("LTS PRIO"), ["interventions[0].markings: a marking is listed twice"]),
        (
            lambda d: d["interventions"][0]["municipal_allocation"].update(nope=1),
            ['interventions[0].municipal_allocation.nope: "nope" is not a member id'],
        ),
        (
            lambda d: d["interventions"][0]["funding"].update(x9={"granted": 1}),
            ['interventions[0].funding.x9: "x9" is not a column id'],
        ),
        (
            lambda d: d["interventions"][0]["participants"].update(men=36),
            ["interventions[0].participants: women (45) and men (36) are more than the total (80)"],
        ),
        (
            lambda d: d["plan"].update(status="draft"),
            ['adopted_copy: only an adopted plan keeps a copy of shared data; plan.status is "draft"'],
        ),
        (
            lambda d: d["adopted_copy"]["categories"].update({"Okänd": "Okänd"}),
            ['adopted_copy.categories["Okänd"]: "Okänd" is not the sus_category of an intervention'],
        ),
        (
            lambda d: d["adopted_copy"]["markings"].update({"Okänd": "Okänd"}),
            ['adopted_copy.markings["Okänd"]: "Okänd" is not a marking of an intervention'],
        ),
        (
            lambda d: d["adopted_copy"]["guidance"].update({"2030": None}),
            ['adopted_copy.guidance.2030: "2030" is not the year of a column'],
        ),
        (lambda d: d["costs"][0].update(label="a\x00b"), ["costs[0].label: contains a NUL character (\\u0000)"]),
    ],
)
def test_each_cross_reference_problem_word_for_word(change, problems):
    assert _problems(_with(change)) == problems


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["plan"].update(last_year=2026),
        lambda d: d["plan"].update(last_year=2036),
        lambda d: d["interventions"][0]["participants"].update(men=35),
        lambda d: d["interventions"][0]["participants"].update(total=None),
        lambda d: d["plan"].update(revision=1, revises=None),
        _as_totals,
        lambda d: d["adopted_copy"].update(categories={}, markings={}, guidance={}),
    ],
)
def test_what_the_cross_references_allow(change):
    document = read_plan_data(_with(change))

    assert document.format == "finsam-plan/2"


def test_a_year_is_accepted_from_1990_to_2100_inclusive():
    assert [planfile._year(year) for year in (1990, 2100)] == [1990, 2100]
    for year in (1989, 2101):
        with pytest.raises(PydanticCustomError) as refusal:
            planfile._year(year)
        assert str(refusal.value) == f"{year} is not a year between 1990 and 2100"
