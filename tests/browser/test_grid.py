"""The budget grid in the browser: a year's costs pasted from a spreadsheet in one block and
saved in one click, keyboard-only entry, a paste that does not fit, live findings, a phone."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from budgets.models import BudgetLine, LineAmount
from tests.browser.conftest import SCREENSHOTS, axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASTE = """(text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def swedish(amount: Decimal) -> str:
    whole, _, fraction = f"{amount:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return grouped if fraction == "00" else f"{grouped},{fraction.rstrip('0')}"


def view_screenshot(page, name, selector):
    """What the screen shows with `selector` at its top (docs/images/ takes these)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("selector => document.querySelector(selector).scrollIntoView()", selector)
    page.wait_for_timeout(200)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def open_grid(page, plan):
    page.goto(f"{page.base_url}/plan/{plan.pk}/budget/")


def test_a_years_cost_budget_is_pasted_in_one_block_and_saved_with_two_page_loads(page, personas):
    plan = personas["plan_b"]  # Höglandet 2023: a draft with 15 cost lines and 4 columns
    sign_in(page, "chief_b", "secret-chief_b")
    page.goto(f"{page.base_url}/plan/{plan.pk}/")
    loads = []
    page.on("load", lambda: loads.append(page.url))

    page.get_by_role("link", name="Redigera budgeten").click()
    cost_rows = page.locator("tbody[data-section=cost] tr.grid-line")
    expect(cost_rows).to_have_count(15)
    keys = cost_rows.evaluate_all("rows => rows.map(row => row.dataset.row)")
    columns = list(plan.columns.order_by("order", "pk"))
    assert len(columns) == 4

    # 15 lines × 4 years, the way a Swedish spreadsheet copies them: spaces between
    # thousands, a decimal comma now and then, one plain number.
    amounts = [
        [Decimal(100_000 * (row + 1) + 2_500 * column) + (Decimal("0.50") if (row + column) % 7 == 0 else 0) for column in range(4)]
        for row in range(15)
    ]
    lines = ["\t".join(swedish(amount) for amount in row) for row in amounts]
    lines[3] = lines[3].replace(" ", "", 1)  # "402500" as well as "402 500"
    block = "\r\n".join(lines) + "\r\n"

    page.locator("tbody[data-section=cost] input.grid-cell").first.focus()
    page.evaluate(PASTE, block)
    expect(page.locator("#grid-message")).to_contain_text("Inklistrat: 15 rader × 4 kolumner")

    # The totals on screen follow before anything is saved.
    costs = page.locator("#summary-costs td")
    for column in range(4):
        expect(costs.nth(column)).to_have_text(swedish(sum(row[column] for row in amounts)))
    assert len(loads) == 1
    view_screenshot(page, "grid", "#grid-message")

    page.get_by_role("button", name="Spara budgeten").click()
    expect(page.get_by_role("status").first).to_contain_text("Budgeten är sparad")
    assert page.url.rstrip("/").endswith(f"/plan/{plan.pk}")
    assert len(loads) <= 2, loads

    by_line = {
        (line_id, column_id): amount
        for line_id, column_id, amount in LineAmount.objects.filter(line__plan=plan, line__section="cost").values_list(
            "line_id", "column_id", "amount"
        )
    }
    for row, key in enumerate(keys):
        line = BudgetLine.objects.get(pk=int(key[1:]))
        assert [by_line.get((line.pk, column.pk)) for column in columns] == amounts[row], line.label


def test_cells_are_filled_from_the_keyboard_alone(page, personas):
    plan = personas["plan_b"]
    sign_in(page, "chief_b", "secret-chief_b")
    open_grid(page, plan)
    page.get_by_label("Aneby kommun 2023", exact=True).focus()
    page.keyboard.type("150 000")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Eksjö kommun 2023"
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Aneby kommun 2024"
    page.keyboard.type("160 000")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Eksjö kommun 2023"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.value") == "150 000"
    page.get_by_role("button", name="Spara budgeten").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Budgeten är sparad")
    stored = {
        column: amount
        for column, amount in LineAmount.objects.filter(line__plan=plan, line__member__name="Aneby kommun").values_list(
            "column__label", "amount"
        )
    }
    assert Decimal("150000") in stored.values() and Decimal("160000") in stored.values()


def test_a_block_that_does_not_fit_or_holds_a_word_changes_nothing_and_says_why(page, personas):
    plan = personas["plan_b"]
    sign_in(page, "chief_b", "secret-chief_b")
    open_grid(page, plan)
    last = page.locator("tbody[data-section=cost] tr.grid-line").first.locator("input.grid-cell").last
    label = last.get_attribute("aria-label")
    before = page.locator("input.grid-cell").evaluate_all("cells => cells.map(cell => cell.value)")

    last.focus()
    page.evaluate(PASTE, "1\t2\n3\t4")
    message = page.locator("#grid-message")
    expect(message).to_contain_text(f"Blocket är 2 rader × 2 kolumner, men från {label} finns bara plats för")
    expect(message).to_contain_text("× 1 kolumner. Inget är ändrat.")

    first = page.locator("tbody[data-section=cost] input.grid-cell").first
    first.focus()
    page.evaluate(PASTE, "100 000\t12,5x\n200 000\t300 000")
    expect(message).to_contain_text("Rad 1, kolumn 2 i blocket, ”12,5x”, är inte ett tal")
    expect(message).to_contain_text("Inget är ändrat.")
    page.evaluate(PASTE, "1 000\t2 000 000\t3 000 000 4 000")
    expect(message).to_contain_text("”3 000 000 4 000”, är inte ett tal")
    assert page.locator("input.grid-cell").evaluate_all("cells => cells.map(cell => cell.value)") == before


def test_findings_and_totals_follow_the_typing_without_a_page_load(page, personas):
    plan = personas["plan_b"]
    sign_in(page, "chief_b", "secret-chief_b")
    open_grid(page, plan)
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.get_by_label("Aneby kommun 2023", exact=True).fill("1 150 000")
    panel = page.locator(".edit-findings-top")
    expect(panel).to_contain_text("2023: kommunernas andel är")
    expect(page.locator("#grid-live-status")).to_contain_text("Summorna är uppdaterade")
    assert axe_violations(page) == []
    assert loads == []
    assert not LineAmount.objects.filter(line__member__name="Aneby kommun", amount=Decimal("1150000")).exists()


def test_on_a_phone_the_grid_scrolls_inside_itself(browser, live_server, personas):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    page = context.new_page()
    page.base_url = live_server.url
    try:
        sign_in(page, "chief_b", "secret-chief_b")
        open_grid(page, personas["plan_b"])
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        scroller = page.locator(".grid-scroll").first
        assert scroller.evaluate("element => element.scrollWidth > element.clientWidth")
        page.get_by_label("Aneby kommun 2025", exact=True).focus()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        scroller.evaluate("element => { element.scrollLeft = 0; }")
        view_screenshot(page, "grid-390", "h1")
    finally:
        context.close()


def test_the_grid_has_no_serious_accessibility_violations(page, personas):
    plan = personas["plan_b"]
    sign_in(page, "chief_b", "secret-chief_b")
    open_grid(page, plan)
    assert axe_violations(page) == []
    # A refused save: the error summary takes focus and lists the cell. The save waits for
    # the live update the typing starts, as a person reading the totals would: the test
    # server shares one SQLite connection between its threads, and two requests at once
    # would read each other's rows.
    with page.expect_response(lambda response: response.url.endswith("/budget/summor/")):
        page.get_by_label("Aneby kommun 2023", exact=True).fill("12,5x")
    page.get_by_role("button", name="Spara budgeten").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Aneby kommun 2023: Bara siffror, mellanslag mellan tusental och decimalkomma")
    assert axe_violations(page) == []
