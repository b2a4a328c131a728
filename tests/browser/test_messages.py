"""What the chief is told and where focus goes, in a real browser: the error summary after a
failed save, findings that focus their cell, the key helper's own errors, confirmation
steps, links between years, ISO dates, the focus ring, and every edit page at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from budgets.models import BudgetLine, Plan
from federations.models import Role
from tests.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVE = "() => { const e = document.activeElement; return {id: e.id, tag: e.tagName, cls: e.className, text: e.textContent.trim().slice(0, 200)}; }"


def active(page) -> dict:
    return page.evaluate(ACTIVE)


def tab_to(page, locator, presses: int = 60) -> None:
    """Press Tab until the locator's element has focus, as a keyboard user gets there."""
    handle = locator.element_handle()
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("element => element === document.activeElement", handle):
            return
    raise AssertionError("never reached by Tab")


def focus_ring(page) -> dict:
    """The focused element's outline, and whether the browser considers it keyboard focus."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {visible: element.matches(':focus-visible'), style: style.outlineStyle,
                    width: parseFloat(style.outlineWidth), color: style.outlineColor};
        }"""
    )


def contrast(color_a: str, color_b: str) -> float:
    def luminance(color):
        red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", color)[:3])
        channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    lighter, darker = sorted((luminance(color_a), luminance(color_b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def assert_ring(page, against: str) -> None:
    ring = focus_ring(page)
    assert ring["visible"], ring
    assert ring["style"] == "solid" and ring["width"] >= 2, ring
    # WCAG 1.4.11: the ring stands out from what is around it by 3:1.
    assert contrast(ring["color"], against) >= 3, ring


@pytest.fixture
def sjuharad_for_chief(personas, seed_plans):
    """Sjuhärad 2022, editable by the chief of Höglandet (chief_b): it has findings."""
    plan = seed_plans["sjuharad"]
    Role.objects.create(user=personas["chief_b"], federation=plan.federation, kind=Role.Kind.CHIEF)
    return plan


# ---------------------------------------------------------------------------
# Focus after a failed save, and links that move focus


def test_a_failed_save_focuses_the_error_summary_and_its_links_focus_the_fields(page, personas):
    plan = personas["plan_b"]
    sign_in(page, "chief_b", "secret-chief_b")
    page.goto(f"{page.base_url}/plan/{plan.pk}/bidrag/")
    page.get_by_label("Aneby kommun, 2023").fill("12,5x")
    page.get_by_label("Vetlanda kommun, 2024").fill("abc")
    page.get_by_role("button", name="Spara medlemsbidragen").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Inget är sparat.")
    links = summary.get_by_role("link")
    expect(links).to_have_text(["Aneby kommun, 2023", "Vetlanda kommun, 2024"])
    screenshot(page, "error-summary")
    assert axe_violations(page) == []

    # From the keyboard: Tab to the second link, Enter, and the field has focus.
    tab_to(page, links.nth(1))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Vetlanda kommun, 2024")).to_be_focused()
    # And with the mouse.
    links.nth(0).click()
    expect(page.get_by_label("Aneby kommun, 2023")).to_be_focused()
    expect(page.get_by_label("Aneby kommun, 2023")).to_have_value("12,5x")


def test_a_failed_save_of_a_crispy_form_lists_its_fields(page, personas):
    plan = personas["plan_b"]
    sign_in(page, "chief_b", "secret-chief_b")
    page.goto(f"{page.base_url}/plan/{plan.pk}/medlemmar/")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    first = summary.get_by_role("link").first
    target = first.get_attribute("href").lstrip("#")
    first.click()
    assert active(page)["id"] == target


def test_a_findings_link_focuses_its_cell_or_the_input_that_edits_it(page, sjuharad_for_chief):
    plan = sjuharad_for_chief
    sign_in(page, "chief_b", "secret-chief_b")
    page.goto(f"{page.base_url}/plan/{plan.pk}/")
    panel = page.locator("#findings-panel")
    panel.get_by_role("link", name=re.compile("statens andel är 47,46 %")).click()
    expect(page.locator("#cell-partystate-b2021")).to_be_focused()

    # On the contributions page the same kind of link lands in the grid, on the amount to change.
    page.goto(f"{page.base_url}/plan/{plan.pk}/bidrag/")
    mark = panel.locator(".finding[data-code=MUNICIPAL_KEY]").filter(has_text="Mark").first
    mark.get_by_role("link").click()
    focused = active(page)
    assert focused["tag"] == "INPUT"
    member = plan.members.get(name__startswith="Mark")
    assert re.fullmatch(rf"id_r{member.pk}-amount-\d+", focused["id"]), focused
    # The column is the one the finding names.
    href = mark.get_by_role("link").get_attribute("href")
    column = plan.columns.get(slug=href.rsplit("-", 1)[1])
    assert focused["id"] == f"id_r{member.pk}-amount-{column.pk}"


def test_the_key_helper_shows_its_error_at_itself_with_focus(page, sjuharad_for_chief):
    plan = sjuharad_for_chief  # its key is population, and its members have none
    sign_in(page, "chief_b", "secret-chief_b")
    page.goto(f"{page.base_url}/plan/{plan.pk}/bidrag/")
    helper = page.locator("#key")
    # The plan's own key is the one offered.
    expect(helper.get_by_label("folkmängd")).to_be_checked()
    expect(helper).to_contain_text("Planens fördelningsnyckel: folkmängd. Folkmängd saknas för")

    helper.get_by_role("button", name="Fyll i kommunernas belopp").click()

    assert page.url.endswith("#key")
    summary = helper.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Folkmängd saknas för")
    expect(page.locator(".error-summary")).to_have_count(1)
    expect(summary).to_be_in_viewport()
    screenshot(page, "key-helper-error")


# ---------------------------------------------------------------------------
# Confirmation steps and links between years


def test_adopting_needs_a_confirmation_and_cancelling_changes_nothing(page, personas):
    plan = personas["plan_b"]
    sign_in(page, "chief_b", "secret-chief_b")
    page.goto(f"{page.base_url}/plan/{plan.pk}/")
    page.get_by_label("Fastställd av styrelsen den").fill("2022-11-25")
    page.get_by_role("button", name="Fastställ", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fastställ planen")
    expect(page.locator("main")).to_contain_text("Fastställd av styrelsen den 2022-11-25.")
    screenshot(page, "confirm-adoption")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Avbryt").click()
    assert Plan.objects.get(pk=plan.pk).status == "draft"
    expect(page.get_by_role("navigation", name="Redigera planen")).to_be_visible()

    page.get_by_label("Fastställd av styrelsen den").fill("2022-11-25")
    page.get_by_role("button", name="Fastställ", exact=True).click()
    # Keyboard only: Tab to the confirming button and press Enter.
    tab_to(page, page.get_by_role("button", name="Fastställ", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Planen är fastställd")
    adopted = Plan.objects.get(pk=plan.pk)
    assert (adopted.status, str(adopted.adopted_on)) == ("adopted", "2022-11-25")
    expect(page.locator(".status-adopted")).to_have_text("Fastställd 2022-11-25")


def test_after_rolling_forward_the_plans_link_to_each_other(page, personas):
    plan = personas["plan_a"]
    sign_in(page, "chief_a", "secret-chief_a")
    page.goto(f"{page.base_url}/plan/{plan.pk}/")
    page.get_by_role("button", name="Ny plan för nästa år").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny plan för nästa år")
    assert not Plan.objects.filter(federation=plan.federation, year=2026).exists()
    page.get_by_role("button", name="Gör planen för 2026").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("verksamhetsplan 2026")
    page.get_by_role("link", name="Föregående år: plan 2025").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("verksamhetsplan 2025")
    page.get_by_role("link", name="Nästa år: plan 2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("verksamhetsplan 2026")


def test_removing_the_printed_totals_asks_first(page, personas):
    plan = personas["plan_b"]
    sign_in(page, "chief_b", "secret-chief_b")
    page.goto(f"{page.base_url}/plan/{plan.pk}/")
    page.get_by_role("button", name="Ta bort angivna summor").click()
    expect(page.locator("main")).to_contain_text("Summorna för 4 kolumner tas bort")
    page.get_by_role("link", name="Avbryt").click()
    assert plan.stated_totals.count() == 4


# ---------------------------------------------------------------------------
# Dates


def test_dates_are_shown_as_iso_on_the_plan_page_and_in_the_history(browser, live_server, personas):
    plan = personas["plan_b"]
    for locale in ("sv-SE", "en-US"):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
        page = context.new_page()
        page.base_url = live_server.url
        # Labels are in the browser's language: sign in by the fields themselves.
        page.goto(f"{page.base_url}/konto/logga-in/")
        page.locator("#id_username").fill("chief_b")
        page.locator("#id_password").fill("secret-chief_b")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state("networkidle")
        page.goto(f"{page.base_url}/plan/{plan.pk}/")
        if locale == "sv-SE":
            date_field = page.locator("input[name=adopted_on]")
            assert date_field.get_attribute("type") == "text"
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_field.input_value())
            date_field.fill("2022-11-25")
            page.get_by_role("button", name="Fastställ", exact=True).click()
            page.get_by_role("button", name="Fastställ", exact=True).click()
        expect(page.locator(".status-adopted")).to_contain_text("2022-11-25")
        page.goto(f"{page.base_url}/plan/{plan.pk}/historik/")
        times = page.locator("tbody tr td:first-child").all_inner_texts()
        assert times and all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text) for text in times), times
        expect(page.locator("tbody")).to_contain_text("→ 2022-11-25")
        context.close()


# ---------------------------------------------------------------------------
# Focus ring, contrast and narrow screens


def test_a_focus_ring_shows_on_the_login_form_the_navbar_and_the_plan_pages_buttons(page, personas):
    page.goto(f"{page.base_url}/konto/logga-in/")
    tab_to(page, page.get_by_label("Lösenord"))
    assert_ring(page, "rgb(246, 247, 249)")
    tab_to(page, page.get_by_role("button", name="Logga in"))
    assert_ring(page, "rgb(246, 247, 249)")

    sign_in(page, "chief_b", "secret-chief_b")
    page.goto(f"{page.base_url}/plan/{personas['plan_b'].pk}/")
    navbar = page.get_by_role("navigation", name="Huvudmeny")
    tab_to(page, navbar.get_by_role("link", name="Mina planer"))
    assert_ring(page, "rgb(29, 63, 110)")  # on the blue bar
    tab_to(page, navbar.get_by_role("button", name="Logga ut"))
    assert_ring(page, "rgb(29, 63, 110)")
    tab_to(page, page.get_by_role("link", name="Förhandsvisa"))
    assert_ring(page, "rgb(246, 247, 249)")
    tab_to(page, page.get_by_role("button", name="Ny plan för nästa år"))
    assert_ring(page, "rgb(255, 255, 255)")  # in a white card


def test_remove_on_the_chapters_page_has_enough_contrast(page, personas):
    plan = personas["plan_b"]
    sign_in(page, "chief_b", "secret-chief_b")
    page.goto(f"{page.base_url}/plan/{plan.pk}/kapitel/")
    button = page.locator(".card-header").get_by_role("link", name=re.compile("^Ta bort")).first
    colors = button.evaluate(
        """element => {
            let background = 'rgba(0, 0, 0, 0)', node = element;
            const layers = [];
            while (node) { const color = getComputedStyle(node).backgroundColor; if (!color.endsWith(', 0)')) layers.push(color); node = node.parentElement; }
            return {color: getComputedStyle(element).color, layers};
        }"""
    )
    # The card header is a translucent grey over white: mix it as the browser does.
    base = [255, 255, 255]
    for layer in reversed(colors["layers"]):
        parts = [float(part) for part in re.findall(r"[\d.]+", layer)]
        alpha = parts[3] if len(parts) == 4 else 1
        base = [parts[i] * alpha + base[i] * (1 - alpha) for i in range(3)]
    background = "rgb({}, {}, {})".format(*(round(value) for value in base))
    assert contrast(colors["color"], background) >= 4.5, (colors, background)
    assert axe_violations(page) == []


def _edit_paths(plan) -> list[str]:
    member = plan.members.first()
    intervention = plan.interventions.first()
    line = plan.lines.filter(section=BudgetLine.Section.COST).first()
    chapter = plan.chapters.first()
    meeting = plan.meetings.first()
    paths = [
        "", "redigera/", "medlemmar/", f"medlemmar/{member.pk}/", f"medlemmar/{member.pk}/ta-bort/", "kolumner/",
        "bidrag/", "rader/", f"rad/{line.pk}/ta-bort/", "insatser/", "insatser/ny/", f"insatser/{intervention.pk}/",
        "kapitel/", f"kapitel/{chapter.pk}/ta-bort/", "moten/", "aktiviteter/", "historik/",
    ]
    if meeting:
        paths.append(f"moten/{meeting.pk}/ta-bort/")
    return paths


@pytest.mark.parametrize("width", [320, 390])
def test_every_edit_page_reflows_without_sideways_scrolling(browser, live_server, personas, width):
    plan = personas["plan_b"]
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="sv-SE")
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, "chief_b", "secret-chief_b")
    wide = {}
    for path in _edit_paths(plan):
        page.goto(f"{page.base_url}/plan/{plan.pk}/{path}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide[path] = scroll_width
    # A failed save too: its error summary and field errors.
    page.goto(f"{page.base_url}/plan/{plan.pk}/bidrag/")
    page.get_by_label("Aneby kommun, 2023").fill("x")
    page.get_by_role("button", name="Spara medlemsbidragen").click()
    if page.evaluate("document.documentElement.scrollWidth") > width:
        wide["bidrag/ (errors)"] = page.evaluate("document.documentElement.scrollWidth")
    assert wide == {}
    if width == 320:
        screenshot(page, "contributions-error-320")
        assert axe_violations(page) == []
        for path, name in [("", "plan-page"), ("rader/", "lines"), ("kapitel/", "chapters")]:
            page.goto(f"{page.base_url}/plan/{plan.pk}/{path}")
            screenshot(page, f"{name}-320")
            assert axe_violations(page) == [], path
    else:
        page.goto(f"{page.base_url}/plan/{plan.pk}/")
        screenshot(page, "plan-page-390")
    context.close()
