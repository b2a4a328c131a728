"""`manage.py render_plan`: a stored plan or a plan file to PDF."""

import json
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from budgets.models import Plan
from tests.cells import pdf_layout_text, pdf_row
from tests.conftest import SEED_PLAN_DIR

EXIT_UNUSABLE = 2


def pdf_text(path) -> str:
    reader = PdfReader(BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def render(*args) -> str:
    output = StringIO()
    call_command("render_plan", *args, stdout=output)
    return output.getvalue()


def test_it_renders_a_stored_plan(seed_plans, tmp_path):
    out = tmp_path / "plan.pdf"

    printed = render("sodra-vatterbygden", "2025", "-o", str(out))

    assert printed.startswith(f"wrote {out} (")
    text = pdf_text(out)
    assert "Samordningsförbundet Södra Vätterbygden" in text
    assert pdf_row(pdf_layout_text(out.read_bytes()), "Eget kapital vid årets slut") == [
        "2 071 101", "1 760 500", "1 105 000", "732 000", "77 000"
    ]


def test_it_names_the_file_after_the_plan_when_no_output_is_given(seed_plans, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    render("sjuharad", "2022")

    assert "47,46 %" in pdf_text(tmp_path / "verksamhetsplan-sjuharad-2022.pdf")


def test_it_renders_a_plan_file_without_storing_it(db, tmp_path):
    out = tmp_path / "sjuharad.pdf"

    render("--file", str(SEED_PLAN_DIR / "sjuharad-2022.json"), "-o", str(out))

    text = pdf_text(out)
    assert "UTKAST" in text
    assert "47,46 %" in text
    assert "2022: resultatet anges till −573 tkr men intäkter minus kostnader ger 395 tkr (skillnad 968 tkr)." in text
    assert not Plan.objects.exists()


def test_a_bad_plan_file_is_refused_with_exit_status_2_naming_the_place(db, tmp_path):
    data = json.loads((SEED_PLAN_DIR / "hoglandet-2023.json").read_text(encoding="utf-8"))
    data["costs"][3]["amounts"][data["columns"][0]["id"]] = "12,5x"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        render("--file", str(bad), "-o", str(tmp_path / "out.pdf"))

    assert raised.value.returncode == EXIT_UNUSABLE
    assert f'{bad}: costs[3].amounts.{data["columns"][0]["id"]}: "12,5x" is not a number' in str(raised.value)
    assert not (tmp_path / "out.pdf").exists()


def test_a_file_that_is_not_there_is_refused_with_exit_status_2(db, tmp_path):
    missing = tmp_path / "missing.json"

    with pytest.raises(CommandError) as raised:
        render("--file", str(missing))

    assert raised.value.returncode == EXIT_UNUSABLE
    assert str(missing) in str(raised.value)


def test_an_unknown_plan_is_refused_with_exit_status_2(db):
    with pytest.raises(CommandError) as raised:
        render("nowhere", "2025", "-o", "unused.pdf")

    assert raised.value.returncode == EXIT_UNUSABLE
    assert "there is no plan for nowhere 2025" in str(raised.value)


def test_it_wants_a_plan_or_a_file_but_not_both(db):
    with pytest.raises(CommandError) as raised:
        render("sjuharad", "2022", "--file", "plan.json")

    assert raised.value.returncode == EXIT_UNUSABLE
