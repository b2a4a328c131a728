"""A federation from nothing to a checked plan and an Excel round trip, in the browser:
the administrator creates the federation and invites its chief; the chief sets a password,
starts a 2027 plan in the wizard, downloads the budget as Excel, edits it (with openpyxl,
then once more through LibreOffice Calc), reads it back, checks the preview and saves."""

import re
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from playwright.sync_api import expect

from budgets.models import Plan
from budgets.selectors import plan_overview
from tests.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

MEMBERS = """Försäkringskassan
Arbetsförmedlingen
Region Norrby; region
Alby kommun; kommun; 20 000; 0,20
Bro kommun; kommun; 30 000; 0,30
Dal kommun; kommun; 15 000; 0,15
Ed kommun; kommun; 25 000; 0,25
Fors kommun; kommun; 10 000; 0,10"""

# What the chief types into the Budget 2027 column: the statutory split exactly.
CONTRIBUTIONS = {
    "Försäkringskassan": 1_000_000,
    "Arbetsförmedlingen": 1_000_000,
    "Region Norrby": 1_000_000,
    "Alby kommun": 200_000,
    "Bro kommun": 300_000,
    "Dal kommun": 150_000,
    "Ed kommun": 250_000,
    "Fors kommun": 100_000,
}


def rows_by_label(sheet):
    return {row[1].value: row[1].row for row in sheet.iter_rows(min_row=5) if row[1].value}


def budget_column(sheet) -> int:
    return next(cell.column for cell in sheet[4] if cell.value == "Budget 2027")


def edit_workbook(path, typed_costs):
    """Type the contributions and the new cost lines; returns the sheet's own sums."""
    book = openpyxl.load_workbook(path)
    sheet = book["Budget"]
    column = budget_column(sheet)
    rows = rows_by_label(sheet)
    for name, amount in CONTRIBUTIONS.items():
        sheet.cell(rows[name], column).value = amount
    for key, (label, amount) in typed_costs.items():
        row = next(cell.row for cell in sheet["A"] if cell.value == key)
        sheet.cell(row, 2).value = label
        sheet.cell(row, column).value = amount
    book.save(path)
    contributions = sum(Decimal(amount) for amount in CONTRIBUTIONS.values())
    costs = sum(Decimal(amount) for _label, amount in typed_costs.values())
    return contributions, costs


def upload_and_save(page, plan, path, expected_cells):
    page.goto(f"{page.base_url}/plan/{plan.pk}/")
    page.get_by_role("link", name="Läs in Excel").click()
    screenshot(page, "excel-upload")
    assert axe_violations(page) == []
    page.get_by_label("Excel-fil (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Visa ändringarna").click()
    changes = page.locator("#excel-changes")
    expect(changes).to_contain_text(f"{expected_cells} ändrade celler")
    expect(changes).to_contain_text("Försäkringskassan")
    expect(changes).to_contain_text("1 000 000")
    expect(page.locator("#excel-findings")).to_be_visible()
    screenshot(page, "excel-preview")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status").first).to_contain_text("Excel-filen är inläst")


def test_a_federation_from_nothing_to_an_excel_round_trip(page, browser, live_server, django_user_model, tmp_path):
    django_user_model.objects.create_superuser("admin", email="admin@example.se", password="admin-secret-1")
    sign_in(page, "admin", "admin-secret-1")
    page.get_by_role("link", name="Förbund och roller").click()
    page.get_by_label("Namn*", exact=True).fill("Samordningsförbundet Norrby")
    page.get_by_label("Kort namn").fill("Norrby")
    page.get_by_label("Organisationsnummer").fill("222000-1234")
    screenshot(page, "federations")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Skapa förbundet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samordningsförbundet Norrby")

    page.get_by_label("E-postadress").fill("chef@norrby.se")
    page.get_by_label("Förnamn").fill("Nora")
    page.get_by_label("Roll*", exact=True).select_option(label="Förbundschef (redigerar)")
    page.get_by_role("button", name="Ge roll och bjud in").click()
    expect(page.get_by_role("status").first).to_contain_text("chef@norrby.se är inbjuden som förbundschef")
    expect(page.locator("body")).to_contain_text("Nora")
    screenshot(page, "federation")
    assert axe_violations(page) == []

    # The chief, in a browser of her own, follows the link in the e-mail.
    [invitation] = mail.outbox
    link = re.search(r"https?://\S+", invitation.body).group(0)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE", accept_downloads=True)
    chief = context.new_page()
    chief.base_url = live_server.url
    chief.set_default_timeout(15_000)
    chief.goto(link)
    chief.get_by_label("Nytt lösenord").fill("Norrby-planen-2027")
    chief.get_by_label("Samma lösenord igen").fill("Norrby-planen-2027")
    screenshot(chief, "password-set")
    assert axe_violations(chief) == []
    chief.get_by_role("button", name="Spara lösenordet").click()
    expect(chief.get_by_role("heading", level=1)).to_have_text("Lösenordet är valt")
    assert axe_violations(chief) == []
    sign_in(chief, "chef@norrby.se", "Norrby-planen-2027")

    # The wizard: 2027 with two outlook years, eight members pasted as a list.
    chief.get_by_role("link", name="Ny plan").click()
    chief.get_by_label("Budgetår").fill("2027")
    chief.get_by_label("Sista planår").fill("2029")
    chief.get_by_label("Medlemmar").fill(MEMBERS)
    screenshot(chief, "plan-wizard")
    assert axe_violations(chief) == []
    chief.get_by_role("button", name="Skapa planen").click()
    expect(chief.get_by_role("status").first).to_contain_text("8 medlemmar och 4 kolumner")
    plan = Plan.objects.get(federation__slug="norrby", year=2027)
    assert [str(column) for column in plan.columns.all()] == ["Prognos 2026", "Budget 2027", "Plan 2028", "Plan 2029"]

    # Excel out, edited with openpyxl, back in.
    with chief.expect_download() as download:
        chief.get_by_role("link", name="Ladda ner Excel").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "norrby-2027.xlsx"
    typed = {
        "new:cost:intervention": ("Jobbspåret", 2_400_000),
        "new:cost:operations": ("Utbildning", 600_000),
        "new:cost:administration": ("Kansli", 800_000),
    }
    contributions, costs = edit_workbook(path, typed)
    upload_and_save(chief, plan, path, expected_cells=8)
    totals = plan_overview(plan).totals.column("b2027")
    assert (totals.contributions, totals.costs, totals.result) == (contributions, costs, contributions - costs)
    expect(chief.locator("#findings-panel")).to_contain_text("0 fel")
    screenshot(chief, "plan-after-excel")

    # Once more through LibreOffice Calc: the reserve gets a line, saved by Calc.
    if shutil.which("soffice"):
        with chief.expect_download() as download:
            chief.get_by_role("link", name="Ladda ner Excel").click()
        second = tmp_path / "second" / "norrby-2027.xlsx"
        second.parent.mkdir()
        download.value.save_as(second)
        book = openpyxl.load_workbook(second)
        sheet = book["Budget"]
        row = next(cell.row for cell in sheet["A"] if cell.value == "new:cost:reserve")
        sheet.cell(row, 2).value = "Reserv"
        sheet.cell(row, budget_column(sheet)).value = 200_000
        sheet.cell(rows_by_label(sheet)["Försäkringskassan"], budget_column(sheet)).value = 1_000_000
        book.save(second)
        calc = tmp_path / "calc"
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xlsx", "--outdir", str(calc), str(second)],
            check=True, capture_output=True, timeout=120,
        )
        chief.goto(f"{chief.base_url}/plan/{plan.pk}/las-in-excel/")
        chief.get_by_label("Excel-fil (.xlsx)").set_input_files(str(calc / "norrby-2027.xlsx"))
        chief.get_by_role("button", name="Visa ändringarna").click()
        expect(chief.locator("#excel-new-lines")).to_contain_text("Reserv")
        chief.get_by_role("button", name="Spara").click()
        expect(chief.get_by_role("status").first).to_contain_text("0 celler ändrade och 1 nya rader")
        totals = plan_overview(plan).totals.column("b2027")
        assert totals.costs == costs + 200_000
    context.close()


def test_a_chief_reads_a_plan_file_in_through_the_browser(page, django_user_model):
    from federations.models import Federation, Role
    from tests.conftest import SEED_PLAN_DIR

    federation = Federation.objects.create(slug="sjuharad", name="Sjuhärads samordningsförbund", short_name="Sjuhärad")
    chief = django_user_model.objects.create_user("chef-sjuharad", password="chef-sjuharad-1")
    Role.objects.create(user=chief, federation=federation, kind=Role.Kind.CHIEF)
    sign_in(page, "chef-sjuharad", "chef-sjuharad-1")
    page.goto(f"{page.base_url}/forbund/sjuharad/")
    page.get_by_role("link", name="Läs in planfil").click()
    assert axe_violations(page) == []
    page.get_by_label("Planfil (finsam-plan, .json)").set_input_files(str(SEED_PLAN_DIR / "sjuharad-2022.json"))
    page.get_by_role("button", name="Visa innehållet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planfil för 2022")
    expect(page.locator("#plan-file-totals")).to_be_visible()
    screenshot(page, "plan-file-preview")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Spara planen").click()
    expect(page.get_by_role("status").first).to_contain_text("Planen för 2022 är inläst från filen.")
    assert Plan.objects.filter(federation=federation, year=2022).exists()
