"""The Excel and CSV downloads and the upload with its preview, as each persona sees them."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from board.models import Sending
from budgets.excel import FIRST_AMOUNT_COLUMN, plan_workbook
from budgets.models import LineAmount, Plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def draft_a(personas):
    plan = personas["plan_a"]
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT, adopted_on=None)
    plan.refresh_from_db()
    # Sent to the board, so that its board member reads it.
    Sending.objects.create(
        plan=plan, kind="board", meeting_date=datetime.date(2026, 11, 20), sent_at=timezone.now(), plan_version=plan.version
    )
    return plan


def upload(client, plan, raw: bytes, name="budget.xlsx"):
    return client.post(
        reverse("budgets:excel_upload", args=[plan.pk]), {"file": SimpleUploadedFile(name, raw, content_type=XLSX)}
    )


def edited(plan, key, value, column_offset=1):
    book = openpyxl.load_workbook(io.BytesIO(plan_workbook(plan)))
    sheet = book["Budget"]
    row = next(cell.row for cell in sheet["A"] if cell.value == key)
    sheet.cell(row, FIRST_AMOUNT_COLUMN + column_offset).value = value
    output = io.BytesIO()
    book.save(output)
    return output.getvalue(), row


def first_cost_line(plan):
    return plan.lines.filter(section="cost").order_by("cost_group", "order", "pk").first()


def amount(line, column):
    stored = LineAmount.objects.filter(line=line, column=column).first()
    return stored.amount if stored else None


@pytest.mark.parametrize(
    "persona, status",
    [("chief_a", 200), ("board_a", 200), ("accountant", 200), ("chief_b", 404)],
)
def test_who_may_download_the_excel_and_the_csv(client_for, draft_a, persona, status):
    client = client_for(persona)
    response = client.get(reverse("budgets:excel", args=[draft_a.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == XLSX
        assert 'filename="sodra-vatterbygden-2025.xlsx"' in response["Content-Disposition"]
        assert zipfile.is_zipfile(io.BytesIO(response.content))
    response = client.get(reverse("budgets:csv", args=[draft_a.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Summa medlemsbidrag" in response.content.decode("utf-8-sig")


def test_signed_out_visitors_are_sent_to_sign_in(client_for, draft_a):
    client = client_for(None)
    for name in ("budgets:excel", "budgets:csv", "budgets:excel_upload"):
        response = client.get(reverse(name, args=[draft_a.pk]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona, status", [("board_a", 403), ("accountant", 403), ("chief_b", 404)])
def test_only_the_chief_may_read_a_file_in(client_for, draft_a, persona, status):
    client = client_for(persona)
    raw, _row = edited(draft_a, f"line:{first_cost_line(draft_a).pk}", 5)
    assert client.get(reverse("budgets:excel_upload", args=[draft_a.pk])).status_code == status
    assert upload(client, draft_a, raw).status_code == status
    assert client.post(reverse("budgets:excel_save", args=[draft_a.pk])).status_code == status
    assert amount(first_cost_line(draft_a), draft_a.columns.order_by("order").first()) != Decimal(5)


def test_the_plan_page_offers_the_downloads_and_the_upload_to_the_chief(client_for, draft_a):
    page = client_for("chief_a").get(reverse("budgets:plan", args=[draft_a.pk])).content.decode()
    assert "Ladda ner Excel" in page and "Läs in Excel" in page
    page = client_for("board_a").get(reverse("budgets:plan", args=[draft_a.pk])).content.decode()
    assert "Ladda ner Excel" in page and "Läs in Excel" not in page


def test_an_adopted_plan_cannot_take_a_file(client_for, personas):
    plan = personas["plan_a"]
    assert plan.is_adopted
    assert client_for("chief_a").get(reverse("budgets:excel_upload", args=[plan.pk])).status_code == 403


def test_upload_preview_then_save_stores_every_change(client_for, draft_a):
    client = client_for("chief_a")
    line = first_cost_line(draft_a)
    column = draft_a.columns.order_by("order").first()
    raw, row = edited(draft_a, f"line:{line.pk}", 777000)
    response = upload(client, draft_a, raw)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Budget!C{row}" in page and "777 000" in page and line.label in page
    assert "Kontroller efter ändringarna" in page
    assert amount(line, column) != Decimal(777000)  # nothing stored by the preview

    response = client.post(reverse("budgets:excel_save", args=[draft_a.pk]))
    assert response.status_code == 302
    assert amount(line, column) == Decimal(777000)
    page = client.get(response["Location"]).content.decode()
    assert "Excel-filen är inläst: 1 celler ändrade och 0 nya rader." in page


def test_a_refused_cell_is_named_and_nothing_is_stored(client_for, draft_a):
    client = client_for("chief_a")
    line = first_cost_line(draft_a)
    raw, row = edited(draft_a, f"line:{line.pk}", "12,5x", column_offset=2)
    version = draft_a.version
    response = upload(client, draft_a, raw)
    assert response.status_code == 400
    assert f"Budget!D{row}: &quot;12,5x&quot; är inte ett belopp" in response.content.decode()
    draft_a.refresh_from_db()
    assert draft_a.version == version


def test_saving_after_the_plan_changed_is_refused(client_for, draft_a):
    client = client_for("chief_a")
    line = first_cost_line(draft_a)
    column = draft_a.columns.order_by("order").first()
    before = amount(line, column)
    raw, _row = edited(draft_a, f"line:{line.pk}", 123)
    assert upload(client, draft_a, raw).status_code == 200
    Plan.objects.filter(pk=draft_a.pk).update(version=draft_a.version + 1)
    response = client.post(reverse("budgets:excel_save", args=[draft_a.pk]))
    assert response.status_code == 409
    assert "Ingenting sparades" in response.content.decode()
    assert amount(line, column) == before


def test_save_without_a_preview_says_so(client_for, draft_a):
    response = client_for("chief_a").post(reverse("budgets:excel_save", args=[draft_a.pk]), follow=True)
    assert "Det finns ingen inläst fil att spara" in response.content.decode()


def test_an_upload_without_a_file_is_refused(client_for, draft_a):
    version = draft_a.version
    response = client_for("chief_a").post(reverse("budgets:excel_upload", args=[draft_a.pk]))
    assert response.status_code == 400 and "Välj en Excel-fil" in response.content.decode()
    draft_a.refresh_from_db()
    assert draft_a.version == version
