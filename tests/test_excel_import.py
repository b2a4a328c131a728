"""Excel out and back in: the workbook's numbers, a round trip without change,
edits that come back as changes, new lines, and every refusal of a file that
cannot be applied."""

import io
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from budgets.editing.contributions import contributions_update
from budgets.excel import FIRST_AMOUNT_COLUMN, plan_csv, plan_grid, plan_workbook
from budgets.excel_import import ExcelRefused, compare, excel_apply, preview, read_workbook
from budgets.models import BudgetLine, LineAmount, Plan
from budgets.selectors import plan_overview
from budgets.services import StaleEdit
from budgets.planfile import read_plan_file
from budgets.services import plan_import
from federations.models import Member
from tests.conftest import SEED_PLAN_DIR


def stored_seed(name):
    return plan_import(document=read_plan_file((SEED_PLAN_DIR / f"{name}.json").read_bytes()))


@pytest.fixture
def draft_a(db):
    plan = stored_seed("sodra-vatterbygden-2025")
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT, adopted_on=None)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def adopted_b(db):
    return stored_seed("harnosand-timra-2017")


def editable(plan):
    return openpyxl.load_workbook(io.BytesIO(plan_workbook(plan)))


def saved(book) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def row_of(sheet, key) -> int:
    for cell in sheet["A"]:
        if cell.value == key:
            return cell.row
    raise AssertionError(f"no row {key}")


def stored(plan, line, column):
    amount = LineAmount.objects.filter(line=line, column=column).first()
    return amount.amount if amount else None


def first_cost_line(plan, group="intervention"):
    return plan.lines.filter(section="cost", cost_group=group).order_by("order", "pk").first()


def test_the_sheet_shows_each_total_as_a_formula_with_the_server_value(draft_a):
    grid = plan_grid(draft_a)
    totals = plan_overview(draft_a).totals
    sheet = editable(draft_a)["Budget"]
    costs = row_of(sheet, "total:costs")
    assert sheet.cell(costs, FIRST_AMOUNT_COLUMN + 1).value.startswith("=")
    # The cached values a viewer shows without recalculating are the server's totals.
    values = openpyxl.load_workbook(io.BytesIO(plan_workbook(draft_a)), data_only=True)["Budget"]
    for index, column in enumerate(totals.columns):
        assert Decimal(str(values.cell(costs, FIRST_AMOUNT_COLUMN + 1 + index).value)) == column.costs
        result = values.cell(row_of(sheet, "total:result"), FIRST_AMOUNT_COLUMN + 1 + index).value
        assert Decimal(str(result)) == column.result
    assert grid.row("total:contributions").cells[0].value == totals.columns[0].contributions


def test_the_sheet_is_protected_except_the_input_cells(draft_a):
    sheet = editable(draft_a)["Budget"]
    assert sheet.protection.sheet
    line = first_cost_line(draft_a)
    row = row_of(sheet, f"line:{line.pk}")
    assert sheet.cell(row, FIRST_AMOUNT_COLUMN + 1).protection.locked is False
    assert sheet.cell(row_of(sheet, "total:costs"), FIRST_AMOUNT_COLUMN + 1).protection.locked is True
    assert sheet.cell(row, FIRST_AMOUNT_COLUMN + 1).number_format.startswith("[$-41D]#,##0")


def test_the_hidden_sheet_names_the_plan_version_rows_and_columns(draft_a):
    book = editable(draft_a)
    ids = book["Id"]
    assert ids.sheet_state == "hidden"
    facts = {row[0].value: row[1].value for row in ids.iter_rows(min_row=1, max_row=6)}
    assert facts["plan"] == draft_a.pk and facts["version"] == draft_a.version
    keys = [cell.value for cell in ids["B"]]
    for column in draft_a.columns.all():
        assert f"column:{column.pk}" in keys
    assert f"line:{first_cost_line(draft_a).pk}" in keys


def test_the_csv_has_the_same_rows_and_numbers(draft_a):
    text = plan_csv(draft_a)
    totals = plan_overview(draft_a).totals
    costs_row = next(line for line in text.splitlines() if line.startswith("total:costs,"))
    assert costs_row.split(",")[2] == format(totals.columns[0].costs.normalize(), "f")
    assert "Summa medlemsbidrag" in text


def test_a_label_that_looks_like_a_formula_stays_text(draft_a):
    line = first_cost_line(draft_a)
    line.label = '=HYPERLINK("http://example.com","klicka")'
    line.save()
    assert "'=HYPERLINK" in plan_csv(draft_a)
    sheet = editable(draft_a)["Budget"]
    cell = sheet.cell(row_of(sheet, f"line:{line.pk}"), 2)
    assert cell.data_type == "s" and cell.value == line.label


def test_every_seed_plan_makes_the_round_trip_without_change(seed_plans, tmp_path):
    for slug, plan in seed_plans.items():
        path = tmp_path / f"{slug}.xlsx"
        call_command("export_excel", slug, str(plan.year), "-o", str(path), stdout=io.StringIO())
        output = io.StringIO()
        call_command("import_excel", str(path), stdout=output)
        assert output.getvalue().strip().endswith("no change"), slug
        plan.refresh_from_db()
        assert plan.version == 1


def test_edited_cells_and_a_new_line_are_previewed_then_stored_together(draft_a):
    book = editable(draft_a)
    sheet = book["Budget"]
    column = draft_a.columns.order_by("order").first()
    letter_index = FIRST_AMOUNT_COLUMN + 1
    line = first_cost_line(draft_a)
    member = draft_a.members.filter(kind=Member.Kind.MUNICIPALITY).first()
    sheet.cell(row_of(sheet, f"line:{line.pk}"), letter_index).value = 1234567.25
    sheet.cell(row_of(sheet, f"member:{member.pk}"), letter_index).value = "300 000"
    new_row = row_of(sheet, "new:cost:operations")
    sheet.cell(new_row, 2).value = "Utbildningsdag"
    sheet.cell(new_row, letter_index).value = 45000
    changes = compare(draft_a, read_workbook(saved(book)))
    cells = {(change.row, change.new) for change in changes.changes}
    assert (line.label, "1 234 567,25") in cells
    assert (member.name, "300 000") in cells
    assert [(new.label, new.group) for new in changes.new_lines] == [("Utbildningsdag", "operations")]
    result = preview(draft_a, changes)
    assert result.results[0][1] != result.results[0][2]

    excel_apply(plan=draft_a, changes=changes, acting_user=None)
    assert stored(draft_a, line, column) == Decimal("1234567.25")
    contribution = BudgetLine.objects.get(plan=draft_a, member=member)
    assert stored(draft_a, contribution, column) == Decimal(300000)
    new_line = BudgetLine.objects.get(plan=draft_a, label="Utbildningsdag")
    assert new_line.cost_group == "operations" and stored(draft_a, new_line, column) == Decimal(45000)


def test_formulas_and_labels_of_totals_are_ignored(draft_a):
    book = editable(draft_a)
    sheet = book["Budget"]
    sheet.cell(row_of(sheet, "total:costs"), FIRST_AMOUNT_COLUMN + 1).value = 1
    sheet.cell(row_of(sheet, "total:result"), 2).value = "Vinst"
    changes = compare(draft_a, read_workbook(saved(book)))
    assert changes.is_empty


@pytest.mark.parametrize(
    "typed, message",
    [
        ("12,5x", '"12,5x" är inte ett belopp'),
        (-5, '"-5" är inte ett belopp (Beloppet får inte vara negativt.)'),
        (1234.56789, '"1234.56789" är inte ett belopp (Ange högst 4 decimaler.)'),
        ("=C7*2", '"=C7*2" är inte ett belopp (formler läses inte in; skriv beloppet)'),
        (True, '"True" är inte ett belopp'),
    ],
)
def test_a_cell_that_is_not_an_amount_is_refused_with_its_address(draft_a, typed, message):
    book = editable(draft_a)
    sheet = book["Budget"]
    row = row_of(sheet, f"line:{first_cost_line(draft_a).pk}")
    sheet.cell(row, FIRST_AMOUNT_COLUMN + 2).value = typed  # column D
    with pytest.raises(ExcelRefused) as refused:
        compare(draft_a, read_workbook(saved(book)))
    assert refused.value.problems == [f"Budget!D{row}: {message}"]


def test_a_swedish_amount_typed_as_text_is_read(draft_a):
    book = editable(draft_a)
    sheet = book["Budget"]
    line = first_cost_line(draft_a)
    sheet.cell(row_of(sheet, f"line:{line.pk}"), FIRST_AMOUNT_COLUMN + 1).value = "1 250 000,50"
    [change] = compare(draft_a, read_workbook(saved(book))).changes
    assert change.new_value == "1250000.50"


def test_new_rows_outside_a_group_or_without_name_are_refused(draft_a):
    book = editable(draft_a)
    sheet = book["Budget"]
    member_row = row_of(sheet, "party:state") - 1
    sheet.insert_rows(member_row + 1)
    sheet.cell(member_row + 1, 2).value = "Ny kommun"
    nameless = row_of(sheet, "new:income")
    sheet.cell(nameless, FIRST_AMOUNT_COLUMN + 1).value = 100
    with pytest.raises(ExcelRefused) as refused:
        compare(draft_a, read_workbook(saved(book)))
    assert refused.value.problems == [
        f"Budget!B{member_row + 1}: nya medlemmar läggs till under Medlemmar i planen, inte i Excel-filen.",
        f"Budget!B{nameless}: den nya raden saknar namn.",
    ]


def test_a_row_inserted_inside_a_group_becomes_a_line_of_that_group(draft_a):
    book = editable(draft_a)
    sheet = book["Budget"]
    line = first_cost_line(draft_a, "administration")
    row = row_of(sheet, f"line:{line.pk}")
    sheet.insert_rows(row + 1)
    sheet.cell(row + 1, 2).value = "Revision"
    sheet.cell(row + 1, FIRST_AMOUNT_COLUMN + 1).value = 30000
    changes = compare(draft_a, read_workbook(saved(book)))
    assert [(new.label, new.group) for new in changes.new_lines] == [("Revision", "administration")]


def test_a_file_of_another_plan_is_refused(draft_a, adopted_b):
    other = adopted_b
    with pytest.raises(ExcelRefused) as refused:
        compare(draft_a, read_workbook(plan_workbook(other)))
    assert refused.value.problems[0].startswith("Filen gäller en annan plan (Härnösand/Timrå 2017)")


def test_a_file_of_an_older_version_is_refused_and_nothing_is_stored(draft_a):
    raw = plan_workbook(draft_a)
    member = draft_a.members.first()
    column = draft_a.columns.first()
    contributions_update(plan=draft_a, amounts={member.pk: {column.pk: Decimal(1)}}, acting_user=None, seen_version=None)
    draft_a.refresh_from_db()
    with pytest.raises(ExcelRefused) as refused:
        compare(draft_a, read_workbook(raw))
    assert "version 1 av planen" in refused.value.problems[0] and "nu version 2" in refused.value.problems[0]


def test_saving_after_someone_else_changed_the_plan_stores_nothing(draft_a):
    book = editable(draft_a)
    sheet = book["Budget"]
    line = first_cost_line(draft_a)
    column = draft_a.columns.order_by("order").first()
    before = stored(draft_a, line, column)
    sheet.cell(row_of(sheet, f"line:{line.pk}"), FIRST_AMOUNT_COLUMN + 1).value = 7
    new_row = row_of(sheet, "new:cost:reserve")
    sheet.cell(new_row, 2).value = "Ny reserv"
    changes = compare(draft_a, read_workbook(saved(book)))
    Plan.objects.filter(pk=draft_a.pk).update(version=draft_a.version + 1)
    with pytest.raises(StaleEdit):
        excel_apply(plan=draft_a, changes=changes, acting_user=None)
    assert stored(draft_a, line, column) == before
    assert not BudgetLine.objects.filter(plan=draft_a, label="Ny reserv").exists()


def test_an_adopted_plan_reads_an_unchanged_file_but_refuses_changes(adopted_b):
    plan = adopted_b
    assert plan.is_adopted
    assert compare(plan, read_workbook(plan_workbook(plan))).is_empty
    book = editable(plan)
    sheet = book["Budget"]
    sheet.cell(row_of(sheet, f"line:{first_cost_line(plan).pk}"), FIRST_AMOUNT_COLUMN + 1).value = 1
    with pytest.raises(ExcelRefused) as refused:
        compare(plan, read_workbook(saved(book)))
    assert "fastställd" in refused.value.problems[0]


def test_import_excel_exit_codes(draft_a, tmp_path):
    good = tmp_path / "plan.xlsx"
    good.write_bytes(plan_workbook(draft_a))
    book = editable(draft_a)
    sheet = book["Budget"]
    line = first_cost_line(draft_a)
    row = row_of(sheet, f"line:{line.pk}")
    sheet.cell(row, FIRST_AMOUNT_COLUMN + 1).value = 99
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(saved(book))
    sheet.cell(row, FIRST_AMOUNT_COLUMN + 1).value = "12,5x"
    bad_cell = tmp_path / "bad.xlsx"
    bad_cell.write_bytes(saved(book))
    not_excel = tmp_path / "plan.json"
    not_excel.write_text("{}")

    with pytest.raises(CommandError) as unusable:
        call_command("import_excel", str(not_excel), stdout=io.StringIO())
    assert unusable.value.returncode == 2 and "ingen Excel-fil" in str(unusable.value)

    output = io.StringIO()
    call_command("import_excel", str(edited), "--dry-run", stdout=output)
    assert f"Budget!C{row}" in output.getvalue() and "dry run" in output.getvalue()
    assert stored(draft_a, line, draft_a.columns.order_by("order").first()) != Decimal(99)
    with pytest.raises(CommandError) as refused:
        call_command("import_excel", str(bad_cell), stdout=io.StringIO())
    assert refused.value.returncode == 1 and '"12,5x" är inte ett belopp' in str(refused.value)
    call_command("import_excel", str(edited), stdout=io.StringIO())
    assert stored(draft_a, line, draft_a.columns.order_by("order").first()) == Decimal(99)
    with pytest.raises(CommandError) as stale:
        call_command("import_excel", str(good), stdout=io.StringIO())
    assert stale.value.returncode == 1 and "planen har ändrats sedan dess" in str(stale.value)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_file_saved_by_libreoffice_calc_is_read(draft_a, tmp_path):
    book = editable(draft_a)
    sheet = book["Budget"]
    line = first_cost_line(draft_a)
    sheet.cell(row_of(sheet, f"line:{line.pk}"), FIRST_AMOUNT_COLUMN + 1).value = 654321.5
    new_row = row_of(sheet, "new:income")
    sheet.cell(new_row, 2).value = "Ränta"
    sheet.cell(new_row, FIRST_AMOUNT_COLUMN + 1).value = 1200
    source = tmp_path / "edited.xlsx"
    source.write_bytes(saved(book))
    out_dir = tmp_path / "calc"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xlsx", "--outdir", str(out_dir), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    converted = (out_dir / "edited.xlsx").read_bytes()
    assert converted != source.read_bytes()
    changes = compare(draft_a, read_workbook(converted))
    assert [(change.row, change.new) for change in changes.changes] == [(line.label, "654 321,5")]
    assert [(new.label, new.section) for new in changes.new_lines] == [("Ränta", "income")]


def test_a_new_plan_without_contributions_has_a_row_for_every_member(db):
    from budgets.creation import NewMember, plan_create_blank
    from federations.models import Federation

    federation = Federation.objects.create(slug="norrby", name="Norrby")
    plan = plan_create_blank(
        federation=federation,
        year=2027,
        last_year=2028,
        unit="SEK",
        members=[NewMember("Försäkringskassan", "forsakringskassan"), NewMember("Alby kommun", "municipality")],
        acting_user=None,
    )
    book = editable(plan)
    sheet = book["Budget"]
    member = plan.members.get(name="Alby kommun")
    sheet.cell(row_of(sheet, f"member:{member.pk}"), FIRST_AMOUNT_COLUMN + 2).value = 5000
    [change] = compare(plan, read_workbook(saved(book))).changes
    assert (change.row, change.column, change.old, change.new) == ("Alby kommun", "Budget 2027", "", "5 000")
