"""The follow-up's recording pages in a real browser: opening a tertial, typing and
pasting the outcome, importing a SIE file with its mapping, participants; axe-core
on every page, and the pages on a phone."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

BOOKS = """#KONTO 3911 "Bidrag Habo kommun"
#KONTO 5410 "Förbrukningsinventarier"
#VER A 1 20250115 ""
{
#TRANS 3911 {} -100000.00
#TRANS 1930 {} 100000.00
}
#VER A 2 20250220 ""
{
#TRANS 5410 {} 25000.50
#TRANS 1930 {} -25000.50
}
""".encode("cp437")


def paste(page, selector, text):
    """A paste as the browser delivers one from a spreadsheet."""
    page.locator(selector).focus()
    page.evaluate(
        """([selector, text]) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            document.querySelector(selector).dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        [selector, text],
    )


def test_the_chief_opens_tertial_1_types_and_pastes_the_outcome(page, personas):
    from followup.models import FollowUp, Outcome

    plan = personas["plan_a"]
    sign_in(page, "chief_a", "secret-chief_a")
    page.goto(f"{page.base_url}/plan/{plan.pk}/")
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    expect(page.get_by_role("heading", name="Uppföljning av budgetåret 2025")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Tertial 1 (januari–april): 2025-04-30").check()
    page.get_by_role("button", name="Börja uppföljningen").click()
    expect(page.get_by_role("heading", name="Utfall till och med 2025-04-30")).to_be_visible()
    assert axe_violations(page) == []

    enter = plan.lines.get(slug="enter")
    nova = plan.lines.get(slug="nova")
    fia = plan.lines.get(slug="fia")
    page.get_by_label("Utfall, Enter", exact=True).fill("1 146 000")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.name") == f"outcome-{nova.pk}"
    paste(page, f"#id_outcome-{nova.pk}", "1 469 000\n211 000,50\n")
    expect(page.locator("#grid-message")).to_have_text("2 rutor ifyllda. Spara för att behålla dem.")
    expect(page.locator(f"#id_outcome-{fia.pk}")).to_have_value("211 000,50")
    paste(page, f"#id_outcome-{nova.pk}", "1 469 000\n12 kr\n")
    expect(page.locator("#grid-message")).to_contain_text("Rad 2 i blocket, ”12 kr”, är inget belopp")
    screenshot(page, "followup-outcome")
    page.get_by_role("button", name="Spara utfallet").click()
    expect(page.get_by_text("Utfallet är sparat.")).to_be_visible()
    follow_up = FollowUp.objects.get(plan=plan, period_end=date(2025, 4, 30))
    assert dict(Outcome.objects.filter(follow_up=follow_up).values_list("line__slug", "amount")) == {
        "enter": Decimal("1146000"),
        "nova": Decimal("1469000"),
        "fia": Decimal("211000.50"),
    }


def test_the_chief_imports_a_sie_file_maps_its_accounts_and_saves(page, personas, tmp_path):
    from followup.models import FollowUp, Outcome
    from followup.services import open_follow_up

    plan = personas["plan_a"]
    follow_up = open_follow_up(plan=plan, period_end=date(2025, 4, 30))
    books = tmp_path / "bok.se"
    books.write_bytes(BOOKS)
    sign_in(page, "chief_a", "secret-chief_a")
    page.goto(f"{page.base_url}/plan/{plan.pk}/uppfoljning/2025-04-30/las-in/")
    assert axe_violations(page) == []
    page.get_by_label("Fil", exact=True).set_input_files(str(books))
    page.get_by_role("button", name="Visa förhandsvisning").click()
    expect(page.locator("#unmapped")).to_contain_text("3911 Bidrag Habo kommun: −100 000 kr")
    expect(page.get_by_role("button", name="Spara utfallet (ersätter periodens utfall)")).to_be_disabled()
    assert axe_violations(page) == []
    page.get_by_label("3911", exact=True).select_option(label="Habo kommun")
    page.get_by_label("5410", exact=True).select_option(label="Kansli")
    page.get_by_role("button", name="Spara kopplingarna och räkna om").click()
    expect(page.locator("#unmapped")).to_have_count(0)
    screenshot(page, "followup-import-preview")
    page.get_by_role("button", name="Spara utfallet (ersätter periodens utfall)").click()
    expect(page.get_by_text("Utfallet från bok.se är sparat: 2 rader.")).to_be_visible()
    assert dict(Outcome.objects.filter(follow_up=follow_up).values_list("line__slug", "amount")) == {
        "habo": Decimal("100000.00"),
        "kansli": Decimal("25000.50"),
    }
    assert FollowUp.objects.get(pk=follow_up.pk).source == "sie"

    page.goto(f"{page.base_url}/plan/{plan.pk}/uppfoljning/konton/")
    expect(page.locator("#mapping-table")).to_contain_text("5410")
    assert axe_violations(page) == []
    page.goto(f"{page.base_url}/plan/{plan.pk}/uppfoljning/2025-04-30/deltagare/")
    page.get_by_label("Kvinnor, Enter", exact=True).fill("12")
    page.get_by_role("button", name="Spara deltagarna").click()
    expect(page.get_by_text("Deltagarna är sparade.")).to_be_visible()
    assert axe_violations(page) == []


def test_the_board_reads_the_outcome_without_inputs(page, personas):
    from followup.services import open_follow_up

    plan = personas["plan_a"]
    open_follow_up(plan=plan, period_end=date(2025, 4, 30))
    sign_in(page, "board_a", "secret-board_a")
    page.goto(f"{page.base_url}/plan/{plan.pk}/uppfoljning/2025-04-30/utfall/")
    expect(page.locator("#outcome-table")).to_contain_text("3 439 000")
    expect(page.locator("#outcome-table input")).to_have_count(0)
    expect(page.get_by_role("link", name="Läs in utfall")).to_have_count(0)
    assert axe_violations(page) == []


@pytest.mark.parametrize("address", ["", "2025-04-30/utfall/"])
def test_on_a_phone_the_pages_fit_and_the_grid_scrolls_inside_itself(browser, live_server, personas, address):
    from followup.services import open_follow_up

    plan = personas["plan_a"]
    open_follow_up(plan=plan, period_end=date(2025, 4, 30))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    page = context.new_page()
    page.base_url = live_server.url
    try:
        sign_in(page, "chief_a", "secret-chief_a")
        page.goto(f"{page.base_url}/plan/{plan.pk}/uppfoljning/{address}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"followup-{'outcome' if address else 'list'}-390.png"))
    finally:
        context.close()
