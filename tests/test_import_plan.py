"""`manage.py import_plan`: what the person running it sees, and what the database holds afterwards.

Bad files are the Södra Vätterbygden seed plan with one thing broken; every refusal
must name the JSON path of the problem and leave the database as it was.
"""

import copy
import json
import os
import re
import sqlite3
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from budgets.models import BudgetLine, LineAmount, Plan
from budgets.planfile import _to_json
from federations.models import Federation
from interventions.models import Intervention

PROJECT_DIR = Path(__file__).resolve().parents[1]
BASE_PLAN = "sodra-vatterbygden-2025"
NOTHING_IMPORTED = "Nothing was imported."


# ---------------------------------------------------------------------------
# Helpers


def database_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Federation, Plan, BudgetLine, LineAmount, Intervention)
    }


def plan_text(data) -> str:
    """Plan data as a file would hold it; amounts as JSON integers or decimal strings."""
    return json.dumps(_to_json(data), ensure_ascii=False, indent=2)


def import_plans(*paths, replace=False) -> list[str]:
    """Run the command; return the lines it printed."""
    output = StringIO()
    arguments = [str(path) for path in paths] + (["--replace"] if replace else [])
    call_command("import_plan", *arguments, stdout=output)
    return output.getvalue().splitlines()


def refusal_lines(*paths, replace=False) -> list[str]:
    """Run the command expecting a refusal; return the lines of its message."""
    with pytest.raises(CommandError) as refusal:
        import_plans(*paths, replace=replace)
    return str(refusal.value).splitlines()


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list:
    return [int(index) if index else key for key, index in _PATH_PART.findall(path)]


def _parent(data, path: str):
    parts = _parts(path)
    for part in parts[:-1]:
        data = data[part]
    return data, parts[-1]


# Mutations of the base plan. Each takes the plan data (with Decimals) and its
# text and returns the text or bytes to write. Paths use the notation of the
# messages ("costs[3].amounts.b2025"), so a case reads as cause and effect.

_RAW = "\u0000raw\u0000"


def setting(path: str, value):
    def mutate(data, text):
        parent, key = _parent(data, path)
        parent[key] = value
        return plan_text(data)

    return mutate


def setting_literal(path: str, literal: str):
    """Set a value to JSON text that the writer would never produce (1e13, NaN)."""

    def mutate(data, text):
        parent, key = _parent(data, path)
        parent[key] = _RAW
        written = plan_text(data)
        assert written.count(json.dumps(_RAW)) == 1
        return written.replace(json.dumps(_RAW), literal)

    return mutate


def removing(path: str):
    def mutate(data, text):
        parent, key = _parent(data, path)
        del parent[key]
        return plan_text(data)

    return mutate


def renaming(path: str, new_key: str):
    def mutate(data, text):
        parent, key = _parent(data, path)
        parent[new_key] = parent.pop(key)
        return plan_text(data)

    return mutate


def appending(path: str, item):
    def mutate(data, text):
        parent, key = _parent(data, path)
        parent[key].append(item)
        return plan_text(data)

    return mutate


def whole_file(content):
    def mutate(data, text):
        return content(data, text) if callable(content) else content

    return mutate


MEMBER_KINDS = "'forsakringskassan', 'arbetsformedlingen', 'state', 'region' or 'municipality'"
COST_GROUPS = "'intervention', 'reserve', 'operations', 'administration' or 'unspecified'"
TOO_LARGE = "is too large (amounts must be below 10 000 000 000 000)"

BAD_FILES = [
    pytest.param(
        whole_file('{"format": "finsam-plan/1",'),
        "(file): not valid JSON: Expecting property name enclosed in double quotes at line 1 column 28",
        id="not-json",
    ),
    pytest.param(whole_file(b""), "(file): not valid JSON: Expecting value at line 1 column 1", id="empty-file"),
    pytest.param(
        whole_file(lambda data, text: f"[{text}]"), "(file): expected a JSON object, got list", id="a-list"
    ),
    pytest.param(
        whole_file(b'{"federation": {"name": "S\xf6dra V\xe4tterbygden"}}'),
        "(file): not UTF-8 text (byte 26)",
        id="not-utf-8",
    ),
    pytest.param(
        whole_file(lambda data, text: '{"format": "finsam-plan/1", ' + text[1:]),
        '(file): not valid JSON: duplicate key "format"',
        id="duplicate-json-key",
    ),
    pytest.param(
        setting_literal("costs[0].amounts.b2025", "NaN"), "(file): not valid JSON: NaN is not a number", id="nan"
    ),
    pytest.param(
        setting("format", "finsam-plan/3"),
        'format: "finsam-plan/3" is not a supported format (expected "finsam-plan/2" or "finsam-plan/1")',
        id="wrong-format",
    ),
    pytest.param(removing("format"), "format: is required", id="missing-format"),
    pytest.param(removing("plan.year"), "plan.year: is required", id="missing-plan-year"),
    pytest.param(
        renaming("federation.website", "webiste"), "federation.webiste: is not a known key", id="unknown-key"
    ),
    pytest.param(
        setting("members", {"fk": "Försäkringskassan"}),
        'members: expected a list, got {"fk": "Försäkringskassan"}',
        id="object-for-list",
    ),
    pytest.param(setting("plan.year", "2025"), 'plan.year: "2025" is not a year', id="year-as-text"),
    pytest.param(
        setting("columns[0].year", 1989), "columns[0].year: 1989 is not a year between 1990 and 2100", id="year-range"
    ),
    pytest.param(
        setting("interventions[0].long_term", "yes"),
        'interventions[0].long_term: expected true or false, got "yes"',
        id="text-for-boolean",
    ),
    pytest.param(
        setting("members[4].kind", "kommun"),
        f'members[4].kind: "kommun" is not one of {MEMBER_KINDS}',
        id="unknown-member-kind",
    ),
    pytest.param(
        setting("columns[0].kind", "outcome"),
        "columns[0].kind: \"outcome\" is not one of 'actual', 'forecast', 'budget' or 'plan'",
        id="unknown-column-kind",
    ),
    pytest.param(
        setting("costs[3].group", "admin"),
        f'costs[3].group: "admin" is not one of {COST_GROUPS}',
        id="unknown-cost-group",
    ),
    pytest.param(
        setting("costs[3].amounts.b2025", "12,5x"),
        'costs[3].amounts.b2025: "12,5x" is not a number',
        id="amount-not-a-number",
    ),
    pytest.param(
        setting("costs[0].amounts.b2025", True),
        "costs[0].amounts.b2025: true is not a number",
        id="amount-boolean",
    ),
    pytest.param(
        setting_literal("costs[0].amounts.b2025", "1e13"),
        f"costs[0].amounts.b2025: 1E+13 {TOO_LARGE}",
        id="amount-too-large-exponent",
    ),
    pytest.param(
        setting("contributions[0].amounts.b2025", 99999999999999),
        f"contributions[0].amounts.b2025: 99999999999999 {TOO_LARGE}",
        id="amount-too-large",
    ),
    pytest.param(
        setting("costs[0].amounts.b2025", -3439000),
        "costs[0].amounts.b2025: -3439000 is negative; amounts are positive and the section gives the sign",
        id="negative-cost",
    ),
    pytest.param(
        setting("costs[0].amounts.b2025", "3439000.12345"),
        'costs[0].amounts.b2025: "3439000.12345" has more than 4 decimals',
        id="too-many-decimals",
    ),
    pytest.param(
        appending("columns", {"id": "b2025", "year": 2026, "kind": "plan"}),
        'columns[5].id: duplicate id "b2025"',
        id="duplicate-column-id",
    ),
    pytest.param(setting("costs[1].id", "enter"), 'costs[1].id: duplicate id "enter"', id="duplicate-cost-id"),
    pytest.param(setting("members[1].id", "fk"), 'members[1].id: duplicate id "fk"', id="duplicate-member-id"),
    pytest.param(
        setting("contributions[0].member", "hab"),
        'contributions[0].member: "hab" is not a member id',
        id="contribution-unknown-member",
    ),
    pytest.param(
        setting("contributions[1].member", "habo"),
        'contributions[1].member: "habo" has a contribution already',
        id="contribution-twice",
    ),
    pytest.param(
        setting("costs[0].amounts.b2028", 1000),
        'costs[0].amounts.b2028: "b2028" is not a column id',
        id="amount-unknown-column",
    ),
    pytest.param(
        setting("costs[0].intervention", "entre"),
        'costs[0].intervention: "entre" is not an intervention id',
        id="cost-unknown-intervention",
    ),
    pytest.param(
        setting("costs[14].intervention", "enter"),
        'costs[14].intervention: only lines in the group "intervention" name an intervention',
        id="administration-names-intervention",
    ),
    pytest.param(
        setting("interventions[0].members", ["fk", "nowhere"]),
        'interventions[0].members[1]: "nowhere" is not a member id',
        id="intervention-unknown-party",
    ),
    pytest.param(
        setting("stated.b2028", {"costs": 1000}),
        'stated.b2028: "b2028" is not a column id',
        id="stated-unknown-column",
    ),
    pytest.param(
        setting("plan.adopted_on", "2024-13-01"),
        'plan.adopted_on: "2024-13-01" is not a date (YYYY-MM-DD)',
        id="bad-date",
    ),
    pytest.param(
        setting("meetings", [{"date": "2024", "body": "board"}]),
        'meetings[0].date: "2024" is not a date (YYYY-MM-DD or YYYY-MM)',
        id="meeting-date-year-only",
    ),
    pytest.param(
        setting("plan.last_year", 2024), "plan.last_year: 2024 is before plan.year 2025", id="last-year-before-year"
    ),
    pytest.param(
        setting("interventions[1].participants", {"total": 10, "women": 6, "men": 5}),
        "interventions[1].participants: women (6) and men (5) are more than the total (10)",
        id="participants-more-than-total",
    ),
    pytest.param(
        setting("members[4].key_share", "1.5"),
        'members[4].key_share: "1.5" is not a fraction between 0 and 1',
        id="key-share-above-one",
    ),
    pytest.param(
        setting("interventions[0].utilization", "1.2"),
        'interventions[0].utilization: "1.2" is not a fraction between 0 and 1',
        id="utilization-above-one",
    ),
    pytest.param(
        setting("federation.org_number", "2220001234"),
        'federation.org_number: "2220001234" does not have the form NNNNNN-NNNN',
        id="org-number-form",
    ),
]


# ---------------------------------------------------------------------------
# Fixtures


@pytest.fixture
def base_plan_path(seed_plan_paths) -> Path:
    return next(path for path in seed_plan_paths if path.stem == BASE_PLAN)


@pytest.fixture
def base_plan_data(base_plan_path) -> dict:
    return json.loads(base_plan_path.read_bytes(), parse_float=Decimal)


@pytest.fixture
def other_plan_stored(db, seed_plan_paths) -> Plan:
    """Another federation's plan, so that "unchanged" is checked on a database that holds something."""
    path = next(path for path in seed_plan_paths if path.stem == "hoglandet-2023")
    assert import_plans(path) == ["imported hoglandet 2023"]
    return Plan.objects.get(federation__slug="hoglandet", year=2023)


@pytest.fixture
def bad_plan_file(tmp_path, base_plan_path, base_plan_data):
    def write(mutate) -> Path:
        content = mutate(copy.deepcopy(base_plan_data), base_plan_path.read_text(encoding="utf-8"))
        path = tmp_path / "bad-plan.json"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write


# ---------------------------------------------------------------------------
# Importing


def test_it_imports_every_seed_plan_and_says_so(db, seed_plan_paths):
    printed = import_plans(*seed_plan_paths)

    assert printed == [
        "imported harnosand-timra 2017",
        "imported hoglandet 2023",
        "imported sjuharad 2022",
        "imported sodra-vatterbygden 2025",
        "imported sydostra-skane 2021",
    ]
    stored = set(Plan.objects.values_list("federation__slug", "year"))
    assert stored == {
        ("harnosand-timra", 2017),
        ("hoglandet", 2023),
        ("sjuharad", 2022),
        ("sodra-vatterbygden", 2025),
        ("sydostra-skane", 2021),
    }


def test_it_stores_the_amounts_of_the_file(db, base_plan_path):
    import_plans(base_plan_path)

    plan = Plan.objects.get(federation__slug="sodra-vatterbygden", year=2025)
    assert plan.federation.name == "Samordningsförbundet Södra Vätterbygden"
    assert plan.unit == "SEK"
    assert plan.lines.filter(section=BudgetLine.Section.COST).count() == 15

    def column_total(section, column):
        amounts = LineAmount.objects.filter(line__plan=plan, line__section=section, column__slug=column)
        return amounts.aggregate(total=Sum("amount"))["total"]

    # The document prints these totals for its budget year.
    assert column_total(BudgetLine.Section.COST, "b2025") == Decimal("11845500")
    assert column_total(BudgetLine.Section.CONTRIBUTION, "b2025") == Decimal("11190000")
    enter = LineAmount.objects.get(line__plan=plan, line__slug="enter", column__slug="b2025")
    assert enter.amount == Decimal("3439000")
    assert enter.line.intervention.name == "Enter"


def test_it_refuses_a_plan_that_is_stored_already(other_plan_stored, seed_plan_paths):
    path = next(path for path in seed_plan_paths if path.stem == "hoglandet-2023")
    before = database_counts()

    assert refusal_lines(path) == [
        f"{path}: a plan for hoglandet 2023 exists already (use --replace to replace it)",
        NOTHING_IMPORTED,
    ]
    assert database_counts() == before


def test_it_replaces_a_stored_plan_when_asked(db, base_plan_path, base_plan_data, tmp_path):
    import_plans(base_plan_path)
    before = database_counts()
    changed = copy.deepcopy(base_plan_data)
    changed["plan"]["title"] = "Verksamhetsplan 2025, reviderad"
    changed["costs"] = [line for line in changed["costs"] if line["id"] != "genomlysning"]
    revised = tmp_path / "revised.json"
    revised.write_text(plan_text(changed), encoding="utf-8")

    assert refusal_lines(revised) == [
        f"{revised}: a plan for sodra-vatterbygden 2025 exists already (use --replace to replace it)",
        NOTHING_IMPORTED,
    ]
    assert Plan.objects.get(federation__slug="sodra-vatterbygden").title.startswith("Verksamhetsplan 2025 med")

    assert import_plans(revised, replace=True) == ["imported sodra-vatterbygden 2025"]

    plan = Plan.objects.get(federation__slug="sodra-vatterbygden")
    assert plan.title == "Verksamhetsplan 2025, reviderad"
    assert not plan.lines.filter(slug="genomlysning").exists()
    after = database_counts()
    assert after["Federation"] == before["Federation"]
    assert after["Plan"] == before["Plan"]
    assert after["BudgetLine"] == before["BudgetLine"] - 1
    assert after["Intervention"] == before["Intervention"]


def test_it_imports_nothing_when_a_later_plan_is_stored_already(other_plan_stored, seed_plan_paths, base_plan_path):
    stored = next(path for path in seed_plan_paths if path.stem == "hoglandet-2023")
    before = database_counts()

    # Södra Vätterbygden is new and is written first; the refusal of Höglandet must undo it.
    assert refusal_lines(base_plan_path, stored) == [
        f"{stored}: a plan for hoglandet 2023 exists already (use --replace to replace it)",
        NOTHING_IMPORTED,
    ]
    assert database_counts() == before
    assert not Federation.objects.filter(slug="sodra-vatterbygden").exists()


def test_it_refuses_the_same_plan_twice_in_one_run(db, base_plan_path, tmp_path):
    duplicate = tmp_path / "copy.json"
    duplicate.write_bytes(base_plan_path.read_bytes())

    assert refusal_lines(base_plan_path, duplicate) == [
        f"{duplicate}: the same plan (sodra-vatterbygden 2025) as {base_plan_path}",
        NOTHING_IMPORTED,
    ]
    assert database_counts() == dict.fromkeys(database_counts(), 0)


def test_it_refuses_a_file_that_does_not_exist(db, tmp_path):
    missing = tmp_path / "missing.json"

    assert refusal_lines(missing) == [f"{missing}: cannot read the file: No such file or directory", NOTHING_IMPORTED]


# ---------------------------------------------------------------------------
# Bad files


@pytest.mark.parametrize("mutate, problem", BAD_FILES)
def test_it_refuses_a_bad_file_naming_the_problem(other_plan_stored, bad_plan_file, mutate, problem):
    bad = bad_plan_file(mutate)
    before = database_counts()

    assert refusal_lines(bad) == [f"{bad}: {problem}", NOTHING_IMPORTED]
    assert database_counts() == before


@pytest.mark.parametrize("mutate, problem", BAD_FILES)
def test_it_imports_nothing_when_a_bad_file_follows_a_good_one(
    other_plan_stored, seed_plan_paths, bad_plan_file, mutate, problem
):
    good = next(path for path in seed_plan_paths if path.stem == "sjuharad-2022")
    bad = bad_plan_file(mutate)
    before = database_counts()

    assert refusal_lines(good, bad, replace=True) == [f"{bad}: {problem}", NOTHING_IMPORTED]
    assert database_counts() == before
    assert not Federation.objects.filter(slug="sjuharad").exists()


def test_it_names_every_problem_of_a_file(db, bad_plan_file):
    def two_problems(data, text):
        data["plan"]["year"] = "2025"
        data["costs"][3]["amounts"]["b2025"] = "12,5x"
        return plan_text(data)

    bad = bad_plan_file(two_problems)

    assert refusal_lines(bad) == [
        f'{bad}: plan.year: "2025" is not a year',
        f'{bad}: costs[3].amounts.b2025: "12,5x" is not a number',
        NOTHING_IMPORTED,
    ]


def test_the_unchanged_base_file_is_accepted(db, bad_plan_file):
    """The bad files differ from a good one only by their mutation."""
    good = bad_plan_file(whole_file(lambda data, text: plan_text(data)))

    assert import_plans(good) == ["imported sodra-vatterbygden 2025"]


# ---------------------------------------------------------------------------
# As a program: exit status and messages on the terminal


@pytest.fixture(scope="module")
def program_database(tmp_path_factory) -> Path:
    """A migrated SQLite file of its own: a subprocess cannot see the test database."""
    database = tmp_path_factory.mktemp("program") / "db.sqlite3"
    result = run_program(database, "migrate", "--no-input")
    assert result.returncode == 0, result.stderr
    return database


def run_program(database: Path, *arguments) -> subprocess.CompletedProcess:
    environment = {**os.environ, "FINSAM_TESTING": "1", "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def stored_plans(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT COUNT(*) FROM budgets_plan").fetchone()[0]


def test_the_program_imports_a_plan_and_refuses_it_the_second_time(program_database, base_plan_path):
    first = run_program(program_database, "import_plan", str(base_plan_path))

    assert first.returncode == 0, first.stderr
    assert first.stdout == "imported sodra-vatterbygden 2025\n"
    assert stored_plans(program_database) == 1

    second = run_program(program_database, "import_plan", str(base_plan_path))

    assert second.returncode != 0
    assert second.stdout == ""
    assert "a plan for sodra-vatterbygden 2025 exists already (use --replace to replace it)" in second.stderr
    assert "Traceback" not in second.stderr
    assert stored_plans(program_database) == 1


def test_the_program_refuses_a_file_that_is_not_json_without_a_traceback(program_database, tmp_path):
    before = stored_plans(program_database)
    bad = tmp_path / "notes.json"
    bad.write_text("Verksamhetsplan 2025\n", encoding="utf-8")

    result = run_program(program_database, "import_plan", str(bad))

    assert result.returncode == 1
    assert f"{bad}: (file): not valid JSON: Expecting value at line 1 column 1" in result.stderr
    assert NOTHING_IMPORTED in result.stderr
    assert "Traceback" not in result.stderr
    assert stored_plans(program_database) == before
