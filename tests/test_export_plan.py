"""`manage.py export_plan`: a stored plan written back as a `finsam-plan/2` file.

What the format carries must survive import -> export (modulo key order and
number spelling), amounts are never written as floats, and the number of
queries does not depend on the size of the plan.
"""

import copy
import json
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import LineAmount
from budgets.planfile import _to_json, comparable, read_plan_data, read_plan_file
from budgets.selectors import plan_document, plan_queryset
from budgets.services import plan_import

from .conftest import SEED_PLAN_DIR as SEED_DIR

DECIMAL_TEXT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def import_plan(path) -> tuple[str, int]:
    """Import a plan file with the command; return the federation slug and year it printed."""
    output = StringIO()
    call_command("import_plan", str(path), "--replace", stdout=output)
    _imported, slug, year = output.getvalue().split()
    return slug, int(year)


def export_plan(slug: str, year: int, path) -> str:
    call_command("export_plan", slug, str(year), "-o", str(path))
    return path.read_text(encoding="utf-8")


def plan_data(raw) -> dict:
    return json.loads(raw, parse_float=Decimal)


def amounts_of(data: dict):
    """Every amount in a plan file, with its path."""
    for section in ("contributions", "income", "costs"):
        for index, line in enumerate(data.get(section) or []):
            for column, amount in line["amounts"].items():
                yield f"{section}[{index}].amounts.{column}", amount
    for column, totals in (data.get("stated") or {}).items():
        for key, amount in totals.items():
            if amount is not None:
                yield f"stated.{column}.{key}", amount
    opening = (data.get("equity") or {}).get("opening")
    if opening:
        yield "equity.opening.amount", opening["amount"]
    for key, amount in ((data.get("federation") or {}).get("goals") or {}).items():
        if amount is not None:
            yield f"federation.goals.{key}", amount


# ---------------------------------------------------------------------------
# Round trip


def test_a_seed_plan_survives_import_and_export(db, seed_plan_path, tmp_path):
    slug, year = import_plan(seed_plan_path)

    exported = export_plan(slug, year, tmp_path / "exported.json")

    # The seeds are first-edition files; read, they are second-edition plans.
    source = plan_data(seed_plan_path.read_bytes())
    assert source["format"] == "finsam-plan/1"
    data = plan_data(exported)
    # A first-edition file has no copy of shared data; an adopted plan took one at import.
    kept = data.pop("adopted_copy", None)
    assert (kept is not None) == (source["plan"].get("status") == "adopted")
    assert comparable(data) == comparable({**source, "format": "finsam-plan/2"})


def test_an_exported_plan_imports_again_unchanged(db, seed_plan_path, tmp_path):
    slug, year = import_plan(seed_plan_path)
    first = export_plan(slug, year, tmp_path / "first.json")

    # The strict reader accepts what the writer writes, and a second round changes nothing.
    read_plan_file(first.encode("utf-8"))
    assert import_plan(tmp_path / "first.json") == (slug, year)
    second = export_plan(slug, year, tmp_path / "second.json")

    assert second == first


def test_it_writes_to_standard_output_without_a_file_name(db, seed_plans, tmp_path):
    output = StringIO()

    call_command("export_plan", "sodra-vatterbygden", "2025", stdout=output)

    text = output.getvalue()
    assert text == export_plan("sodra-vatterbygden", 2025, tmp_path / "plan.json")
    data = plan_data(text)
    assert data["format"] == "finsam-plan/2"
    assert data["federation"]["name"] == "Samordningsförbundet Södra Vätterbygden"
    assert data["plan"]["year"] == 2025


def test_it_writes_swedish_letters_as_they_are(db, seed_plans, tmp_path):
    text = export_plan("sodra-vatterbygden", 2025, tmp_path / "plan.json")

    assert '"short_name": "Södra Vätterbygden"' in text
    assert "\\u00f6" not in text


@pytest.mark.parametrize(
    "slug, year, message",
    [
        ("nowhere", 2025, "there is no plan for nowhere 2025"),
        ("sodra-vatterbygden", 2024, "there is no plan for sodra-vatterbygden 2024"),
    ],
)
def test_it_refuses_a_plan_that_is_not_stored(db, seed_plans, tmp_path, slug, year, message):
    target = tmp_path / "plan.json"

    with pytest.raises(CommandError) as refusal:
        call_command("export_plan", slug, str(year), "-o", str(target))

    assert str(refusal.value) == message
    assert not target.exists()


def test_it_says_when_it_cannot_write_the_file(db, seed_plans, tmp_path):
    target = tmp_path / "no-such-folder" / "plan.json"

    with pytest.raises(CommandError) as refusal:
        call_command("export_plan", "sodra-vatterbygden", "2025", "-o", str(target))

    assert str(refusal.value) == f"{target}: cannot write the file: No such file or directory"


# ---------------------------------------------------------------------------
# Number spelling


def test_exported_amounts_are_integers_or_decimal_strings(db, seed_plan_path, tmp_path):
    slug, year = import_plan(seed_plan_path)
    text = export_plan(slug, year, tmp_path / "exported.json")
    float_literals = []

    data = json.loads(text, parse_float=lambda literal: float_literals.append(literal) or Decimal(literal))

    assert float_literals == []
    amounts = list(amounts_of(data))
    assert amounts
    for path, amount in amounts:
        assert type(amount) is int or (type(amount) is str and DECIMAL_TEXT.match(amount)), (path, amount)


def test_exponents_are_written_plainly_and_printed_decimals_kept(db, seed_plans, tmp_path):
    text = export_plan("sodra-vatterbygden", 2025, tmp_path / "plan.json")
    for written, spelled_otherwise in [
        ('"b2024": 3197000,', '"b2024": 3.1970E+6,'),
        ('"b2025": 3439000,', '"b2025": 3439000.50,'),
        ('"p2026": 3526000,', '"p2026": "3526000.2500",'),
    ]:
        assert text.count(written) == 1
        text = text.replace(written, spelled_otherwise)
    source = tmp_path / "source.json"
    source.write_text(text, encoding="utf-8")
    import_plan(source)

    exported = export_plan("sodra-vatterbygden", 2025, tmp_path / "exported.json")

    enter = plan_data(exported)["costs"][0]
    assert enter["id"] == "enter"
    # An amount's printed precision is part of what it says: "3439000.50" is to the öre.
    assert enter["amounts"] == {
        "b2024": 3197000,
        "f2024": 3175601,
        "b2025": "3439000.50",
        "p2026": "3526000.2500",
        "p2027": 3615000,
    }
    assert '"b2025": "3439000.50"' in exported
    assert "E+" not in exported and "e+" not in exported


def test_a_key_share_keeps_the_decimals_it_is_printed_with(db, seed_plans, tmp_path):
    text = export_plan("sjuharad", 2022, tmp_path / "plan.json")
    assert '"key_share": "0.5"' in text
    source = tmp_path / "source.json"
    source.write_text(text.replace('"key_share": "0.5"', '"key_share": "0.50"'), encoding="utf-8")
    import_plan(source)

    exported = export_plan("sjuharad", 2022, tmp_path / "exported.json")

    boras = [member for member in plan_data(exported)["members"] if member["id"] == "boras"][0]
    assert boras["key_share"] == "0.50"
    mark = [member for member in plan_data(exported)["members"] if member["id"] == "mark"][0]
    assert mark["key_share"] == "0.16"


# ---------------------------------------------------------------------------
# Queries


def queries_for_document(plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        plan_document(plan_queryset().get(pk=plan.pk))
    return len(queries.captured_queries)


def test_the_query_count_does_not_grow_with_the_plan(seed_plans):
    def size(plan):
        return LineAmount.objects.filter(line__plan=plan).count() + plan.interventions.count()

    plans = sorted(seed_plans.values(), key=size)
    smallest, largest = plans[0], plans[-1]
    assert size(largest) > 3 * size(smallest)

    assert queries_for_document(largest) == queries_for_document(smallest)


def test_the_query_count_is_the_same_for_a_plan_twice_as_big(db, seed_plan_paths):
    path = next(path for path in seed_plan_paths if path.stem == "sjuharad-2022")
    data = plan_data(path.read_bytes())
    original = plan_import(document=read_plan_data(copy.deepcopy(data)))

    bigger = copy.deepcopy(data)
    bigger["federation"]["short_name"] = "Sjuhärad större"
    for intervention in data["interventions"]:
        bigger["interventions"].append({**copy.deepcopy(intervention), "id": intervention["id"] + "-2"})
    for line in data["costs"]:
        line_copy = {**copy.deepcopy(line), "id": line["id"] + "-2"}
        if line.get("intervention"):
            line_copy["intervention"] = line["intervention"] + "-2"
        bigger["costs"].append(line_copy)
    doubled = plan_import(document=read_plan_data(_to_json(bigger)))
    assert doubled.interventions.count() == 2 * original.interventions.count()
    assert doubled.lines.count() > original.lines.count()

    assert queries_for_document(doubled) == queries_for_document(original)


# ---------------------------------------------------------------------------
# The second edition: everything a plan holds


EVERY_KEY_PLAN = Path(__file__).resolve().parent / "plans" / "every-key.json"


def test_a_plan_with_every_optional_key_survives_import_and_export(db, tmp_path):
    slug, year = import_plan(EVERY_KEY_PLAN)

    exported = export_plan(slug, year, tmp_path / "exported.json")

    assert comparable(plan_data(exported)) == comparable(plan_data(EVERY_KEY_PLAN.read_bytes()))
    data = plan_data(exported)
    # Written as the source writes them: a key in percent, amounts to the öre, negative income.
    assert [member.get("key_share") for member in data["members"]][3:] == ["60 %", "0.40"]
    assert data["income"][0]["amounts"]["b2026"] == "125000.10"
    assert data["income"][1]["amounts"]["u2024"] == "-1250.50"
    assert data["contributions"][0]["amounts"]["b2026"] == "2100000.00"
    assert data["interventions"][0]["funding"] == {
        "b2026": {"granted": 3000000, "share": "0.9"},
        "p2027": {"granted": "3000000.5", "share": None},
    }
    assert (data["plan"]["revision"], data["plan"]["revises"], data["plan"]["precision"]) == (2, 1, "0.01")
    assert data["stated"]["b2026"]["subtotals"][1] == {
        "label": "Delsumma verksamhet",
        "groups": ["intervention", "reserve", "operations"],
        "amount": 3100000,
    }


def test_a_first_edition_file_is_upgraded_on_import(db, tmp_path):
    source = plan_data(next(SEED_DIR.glob("sjuharad-2022.json")).read_bytes())
    assert source["format"] == "finsam-plan/1"
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(_to_json(source), ensure_ascii=False), encoding="utf-8")
    slug, year = import_plan(path)

    data = plan_data(export_plan(slug, year, tmp_path / "v2.json"))

    assert data["format"] == "finsam-plan/2"
    assert comparable({**data, "format": None}) == comparable({**source, "format": None})
