"""The plan-file reader and writer: amounts stay exact Decimals with the decimals they
were written with, a written file reads back the same, and a bad file is refused
with one line per problem naming where it is."""

import json
from decimal import Decimal

import pytest

from budgets.planfile import (
    PlanFileError,
    comparable,
    dump_plan_file,
    parse_json,
    plan_file_data,
    read_plan_data,
    read_plan_file,
)
from budgets.totals import compute_totals
from tests.core.plans import RICH_CHAIN, rich_plan

pytestmark = pytest.mark.core
D = Decimal


def test_amounts_are_exact_decimals_never_floats():
    document = read_plan_data(parse_json(json.dumps(rich_plan()).replace('"300000.25"', "300000.25")))
    reserve = next(line for line in document.costs if line.id == "reserv")

    assert reserve.amounts["u2024"] == D("300000.25")
    assert isinstance(reserve.amounts["u2024"], Decimal)
    assert parse_json("{\"a\": 0.1}") == {"a": D("0.1")}


def test_a_written_plan_reads_back_the_same():
    document = read_plan_data(rich_plan())
    text = dump_plan_file(document)
    again = read_plan_file(text)

    assert again == document
    assert dump_plan_file(again) == text
    assert [(l.year, l.column, l.opening, l.result, l.closing) for l in compute_totals(again).chain] == RICH_CHAIN


def test_the_writer_keeps_ore_and_printed_decimals_and_writes_whole_numbers_as_integers():
    data = plan_file_data(read_plan_data(rich_plan()))
    reserve = next(line for line in data["costs"] if line["id"] == "reserv")
    esf = data["income"][0]

    assert reserve["amounts"]["u2024"] == "300000.25"
    assert reserve["amounts"]["b2024"] == 500000
    assert esf["amounts"]["u2024"] == "100000.50"  # printed to the öre, and kept so
    assert data["members"][3]["key_share"] == "0.60"  # the key's printed precision is kept
    assert data["equity"]["opening"] == {"year": 2024, "amount": 1000000}
    text = dump_plan_file(read_plan_data(rich_plan()))
    assert "E+" not in text and "e+" not in text
    assert text.endswith("}\n")


@pytest.mark.parametrize(
    "written, read",
    # An amount keeps the precision it is printed with: "1866.50" is to the öre.
    [(1866, D(1866)), ("1866.50", D("1866.50")), ("1E+3", None), ("1000.0000", D("1000.0000")), ("0.0001", D("0.0001"))],
)
def test_line_amounts_as_written(written, read):
    data = rich_plan()
    data["costs"][2]["amounts"]["b2025"] = written
    if read is None:
        with pytest.raises(PlanFileError):
            read_plan_data(data)
        return
    document = read_plan_data(data)

    assert document.costs[2].amounts["b2025"] == read
    assert str(document.costs[2].amounts["b2025"]) == str(read)


def _problems(data) -> list[str]:
    with pytest.raises(PlanFileError) as refusal:
        read_plan_data(data)
    return refusal.value.problems


def _with(change):
    data = rich_plan()
    change(data)
    return data


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda d: d["costs"][0]["amounts"].update(b2025="12,5x"), 'costs[0].amounts.b2025: "12,5x" is not a number'),
        (lambda d: d["costs"][0]["amounts"].update(b2025=-1), "costs[0].amounts.b2025: -1 is negative"),
        (lambda d: d["costs"][0]["amounts"].update(b2025="0.00001"), "costs[0].amounts.b2025: \"0.00001\" has more than 4 decimals"),
        (lambda d: d["costs"][0]["amounts"].update(b2025=10**13), "costs[0].amounts.b2025: 10000000000000 is too large"),
        (lambda d: d["costs"][0]["amounts"].update(b2025=True), "costs[0].amounts.b2025: true is not a number"),
        (lambda d: d["costs"][0]["amounts"].update(x2030=1), 'costs[0].amounts.x2030: "x2030" is not a column id'),
        (lambda d: d["contributions"][0].update(member="nobody"), 'contributions[0].member: "nobody" is not a member id'),
        (lambda d: d["members"].append(dict(d["members"][0])), 'members[5].id: duplicate id "fk"'),
        (lambda d: d["columns"][0].update(kind="guess"), "columns[0].kind"),
        (lambda d: d["columns"][0].update(year=1989), "columns[0].year: 1989 is not a year between 1990 and 2100"),
        (lambda d: d["plan"].update(last_year=2024), "plan.last_year: 2024 is before plan.year 2025"),
        (lambda d: d["members"][3].update(key_share="1.5"), 'members[3].key_share: "1.5" is not a fraction between 0 and 1'),
        (lambda d: d["interventions"][0].update(start="2025-13"), 'interventions[0].start: "2025-13" is not a date'),
        (lambda d: d.update(surprise=1), "surprise: is not a known key"),
        (lambda d: d.pop("costs"), "costs: is required"),
    ],
)
def test_a_bad_plan_names_the_place_and_the_problem(change, problem):
    problems = _problems(_with(change))

    assert any(line.startswith(problem) for line in problems), problems


def test_every_problem_is_named_at_once():
    def two_problems(data):
        data["costs"][0]["amounts"]["b2025"] = "x"
        data["contributions"][1]["amounts"]["p2026"] = -5

    problems = _problems(_with(two_problems))

    assert len(problems) == 2
    assert any(line.startswith('costs[0].amounts.b2025: "x" is not a number') for line in problems)
    assert any(line.startswith("contributions[1].amounts.p2026: -5 is negative") for line in problems)


@pytest.mark.parametrize(
    "raw, problem",
    [
        (b"\xff\xfe", "(file): not UTF-8 text"),
        ('{"a": NaN}', "(file): not valid JSON: NaN is not a number"),
        ('{"a": 1, "a": 2}', "(file): not valid JSON: duplicate key \"a\""),
        ("{", "(file): not valid JSON"),
        ("[1]", "(file): expected a JSON object, got list"),
        ('{"format": "finsam-plan/0"}', 'format: "finsam-plan/0" is not a supported format'),
    ],
)
def test_an_unreadable_file(raw, problem):
    with pytest.raises(PlanFileError) as refusal:
        read_plan_file(raw)

    assert refusal.value.problems[0].startswith(problem)


@pytest.mark.parametrize(
    "left, right, equal",
    [
        ({"a": "1866.50"}, {"a": 1866.5}, True),
        ({"a": 1000}, {"a": "1000.00"}, True),
        ({"a": None, "b": []}, {}, True),
        ({"a": 1}, {"a": 2}, False),
        ({"a": "text"}, {"a": "Text"}, False),
    ],
)
def test_comparable(left, right, equal):
    right = {key: (D(str(value)) if isinstance(value, float) else value) for key, value in right.items()}
    assert (comparable(left) == comparable(right)) is equal
