"""Hostile or broken files on the Excel paths: each gets a Swedish refusal, nothing
is stored, and reading stays within bounded time and memory."""

import io
import tracemalloc
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from budgets.excel import FORMAT_NAME, plan_workbook
from budgets.excel_import import MAX_FILE_BYTES, ExcelUnusable, read_workbook
from budgets.models import Plan
from budgets.planfile import read_plan_file
from budgets.services import plan_import
from tests.conftest import SEED_PLAN_DIR


@pytest.fixture
def draft(db):
    plan = plan_import(document=read_plan_file((SEED_PLAN_DIR / "sodra-vatterbygden-2025.json").read_bytes()))
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT, adopted_on=None)
    plan.refresh_from_db()
    return plan


def with_extra_member(raw: bytes, name: str, content: bytes = b"x") -> bytes:
    """The workbook with one more part in its zip, as Excel writes macros or external links."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return output.getvalue()


def zip_bomb() -> bytes:
    """A small file whose sheet unpacks to 300 MB of spaces."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(300):
                sheet.write(block)
    return output.getvalue()


def many_rows(count: int) -> bytes:
    """A workbook in the export's shape with `count` rows in the budget sheet."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("Budget")
    for row in range(count):
        sheet.write_row(row, 0, ["", f"Rad {row}", row])
    ids = book.add_worksheet("Id")
    ids.write_row(0, 0, ["format", FORMAT_NAME])
    ids.write_row(1, 0, ["plan", 1])
    ids.write_row(2, 0, ["version", 1])
    book.close()
    return output.getvalue()


def refusal(raw: bytes) -> str:
    with pytest.raises(ExcelUnusable) as unusable:
        read_workbook(raw)
    return str(unusable.value)


def test_a_file_that_is_no_workbook_is_refused(draft):
    assert refusal(b"{\"format\": \"finsam-plan/1\"}").startswith("Filen är ingen Excel-fil (.xlsx).")
    empty_zip = io.BytesIO()
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("readme.txt", "hej")
    assert refusal(empty_zip.getvalue()).startswith("Filen är ingen Excel-fil (.xlsx).")
    truncated = plan_workbook(draft)[:2000]
    assert "Excel" in refusal(truncated)


def test_a_workbook_not_made_by_the_export_is_refused(draft):
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    book.add_worksheet("Blad1").write(0, 0, 1)
    book.close()
    assert "bladen Budget och Id saknas" in refusal(output.getvalue())


def test_macros_and_links_to_other_workbooks_are_refused(draft):
    raw = plan_workbook(draft)
    assert "makron" in refusal(with_extra_member(raw, "xl/vbaProject.bin"))
    assert "länkar till andra arbetsböcker" in refusal(with_extra_member(raw, "xl/externalLinks/externalLink1.xml"))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(draft):
    raw = zip_bomb()
    assert len(raw) < 2 * 1024 * 1024
    tracemalloc.start()
    message = refusal(raw)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert message == "Filen packas upp till orimligt mycket data och läses inte."
    assert peak < 10 * 1024 * 1024


def test_a_sheet_of_a_hundred_thousand_rows_is_refused_in_bounded_memory(draft):
    raw = many_rows(100_000)
    tracemalloc.start()
    message = refusal(raw)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert message == "Bladet Budget har fler än 5 000 rader; en plans budget har några hundra."
    assert peak < 50 * 1024 * 1024


def test_too_large_a_file_is_refused_without_reading_it(draft):
    assert refusal(b"PK" + b"\0" * MAX_FILE_BYTES).startswith("Filen är 10 MB; en Excel-fil får vara högst 10 MB.")


def test_the_command_refuses_a_50_mb_file_as_unusable(draft, tmp_path):
    path = tmp_path / "stor.xlsx"
    with path.open("wb") as sparse:
        sparse.truncate(50 * 1024 * 1024)
    with pytest.raises(CommandError) as unusable:
        call_command("import_excel", str(path), stdout=io.StringIO())
    assert unusable.value.returncode == 2


def test_bad_files_uploaded_in_the_browser_are_refused_and_nothing_is_stored(client, draft, django_user_model):
    from federations.models import Role

    chief = django_user_model.objects.create_user(username="chief", password="x")
    Role.objects.create(user=chief, federation=draft.federation, kind=Role.Kind.CHIEF)
    client.force_login(chief)
    raw = plan_workbook(draft)
    version = draft.version
    files = [
        (b"not a workbook", "Filen är ingen Excel-fil"),
        (with_extra_member(raw, "xl/vbaProject.bin"), "Filen innehåller makron."),
        (zip_bomb(), "orimligt mycket data"),
        (many_rows(6000), "fler än 5 000 rader"),
        (b"PK" + b"\0" * (11 * 1024 * 1024), "en Excel-fil får vara högst 10 MB"),
    ]
    for content, message in files:
        response = client.post(
            reverse("budgets:excel_upload", args=[draft.pk]), {"file": SimpleUploadedFile("budget.xlsm", content)}
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == version
