"""`validate_plan` on a plan file: plain numbers in its JSON, never an exponent."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from budgets.validation import Finding, GuidanceBand
from tests.core.plans import rich_plan

pytestmark = pytest.mark.core
D = Decimal


@pytest.fixture
def band_from_mid_2024(monkeypatch):
    # The command reads the guidance bands from the database; here one band, 20 %.
    band = GuidanceBand(
        valid_from=datetime.date(2024, 7, 1),
        valid_until=None,
        contributions_from=D(0),
        contributions_to=None,
        ceiling_percent=D(20),
    )
    monkeypatch.setattr("budgets.management.commands.validate_plan.guidance_bands", lambda: [band])


def run(tmp_path, data, *options) -> tuple[str, int]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("validate_plan", "--file", str(path), *options, stdout=out)
    except SystemExit as exit:
        return out.getvalue(), exit.code
    return out.getvalue(), 0


def test_json_numbers_are_plain_decimal_strings(tmp_path, band_from_mid_2024):
    # The ceiling is 4 000 000 × 20 / 100, which Decimal division gives as 8E+5.
    output, status = run(tmp_path, rich_plan(), "--format", "json")
    findings = json.loads(output)["findings"]

    assert status == 0
    assert [(f["code"], f["column"], f["row"], f["actual"], f["expected"], f["difference"]) for f in findings] == [
        ("EQUITY_CEILING", "u2024", "total:closing_equity", "1700000.25", "800000", "900000.25"),
        ("EQUITY_CEILING", "b2025", "total:closing_equity", "1800000.25", "800000", "1000000.25"),
        ("EQUITY_CEILING", "p2026", "total:closing_equity", "1700000.25", "800000", "900000.25"),
    ]
    assert "E+" not in output
    assert findings[0]["severity"] == "warning"
    assert "1 700 000,25 kr" in findings[0]["message"]


def test_json_of_a_finding_with_an_exponent():
    from budgets.management.commands.validate_plan import Command

    data = Command._json_finding(
        Finding("STATED_TOTAL", "error", "x", actual=D("5E+3"), expected=D("5000.00"), difference=None)
    )

    assert (data["actual"], data["expected"], data["difference"]) == ("5000", "5000", None)


def test_errors_give_exit_status_one_and_a_line_each(tmp_path, band_from_mid_2024):
    output, status = run(tmp_path, rich_plan(stated={"b2024": {"closing_equity": "900000.01"}}))

    assert status == 1
    lines = output.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["ERROR", "STATED_TOTAL"],
        ["WARNING", "EQUITY_CEILING"],
        ["WARNING", "EQUITY_CEILING"],
        ["WARNING", "EQUITY_CEILING"],
    ]
    assert "900 000,01 kr" in lines[0] and "900 000 kr" in lines[0]
