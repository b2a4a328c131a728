"""Reading plans in a real browser: who sees what, the findings, keyboard use, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_chief_signs_in_and_sees_the_split_finding_at_its_cell(page, personas, seed_plans):
    from federations.models import Role

    Role.objects.create(user=personas["chief_a"], federation=seed_plans["sjuharad"].federation, kind="chief")
    sign_in(page, "chief_a", "secret-chief_a")
    expect(page.get_by_role("heading", name="Mina planer")).to_be_visible()
    page.get_by_role("link", name="Sjuhärad", exact=True).click()

    panel = page.locator("#findings-panel")
    expect(panel).to_contain_text("2 fel")
    expect(panel).to_contain_text("Fördelningen 50/25/25")
    expect(panel).to_contain_text("2021: statens andel är 47,46 % (9 032 tkr), ska vara 50 % (10 000 tkr)")
    cell = page.locator("#cell-partystate-b2021")
    expect(cell).to_have_class(re.compile("has-error"))
    expect(cell).to_contain_text("9 032")
    # The finding links to its cell.
    panel.get_by_role("link", name=re.compile("statens andel är 47,46 %")).click()
    assert page.url.endswith("#cell-partystate-b2021")
    screenshot(page, "plan-page-with-finding")


def test_the_start_page_is_a_sortable_table(page, personas):
    sign_in(page, "accountant", "secret-accountant")
    table = page.locator("table")
    expect(table).to_contain_text("Sjuhärad")
    page.get_by_role("link", name="År").click()
    years = [int(text) for text in page.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    assert years == sorted(years)
    screenshot(page, "start-page")


def test_a_board_member_reads_without_edit_controls(page, personas):
    sign_in(page, "board_a", "secret-board_a")
    page.get_by_role("link", name="Södra Vätterbygden").click()
    expect(page.locator("#budget-table")).to_contain_text("11 845 500")
    expect(page.get_by_role("button", name="Fastställ")).to_have_count(0)
    expect(page.get_by_role("button", name="Ny revision")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Redigera planen")).to_have_count(0)


def test_an_outsider_is_told_the_plan_does_not_exist(page, personas):
    sign_in(page, "chief_b", "secret-chief_b")
    response = page.goto(f"{page.base_url}/plan/{personas['plan_a'].pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Sidan finns inte")).to_be_visible()


def test_the_login_works_from_the_keyboard(page, personas):
    page.goto(f"{page.base_url}/konto/logga-in/")
    page.keyboard.type("chief_a")  # focus starts in the user name field
    page.keyboard.press("Tab")
    page.keyboard.type("secret-chief_a")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Mina planer")).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/plan/{plan}/", "/plan/{plan}/historik/", "/konto/logga-in/"])
def test_pages_have_no_serious_accessibility_violations(page, personas, seed_plans, path):
    sign_in(page, "superuser", "secret-superuser")
    page.goto(page.base_url + path.format(plan=seed_plans["sjuharad"].pk))
    assert axe_violations(page) == []
