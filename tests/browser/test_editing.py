"""A chief's year in the browser: break the split, fix it with the key helper, add an
intervention with its cost, adopt, and start next year's plan."""

import re

import pytest
from playwright.sync_api import expect

from budgets.models import Plan
from tests.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_chief_edits_checks_adopts_and_rolls_forward(page, personas):
    plan = personas["plan_b"]  # Höglandet 2023, a draft the chief of Höglandet edits
    sign_in(page, "chief_b", "secret-chief_b")
    page.get_by_role("link", name="Höglandet", exact=True).click()
    # The plan came from a document; its printed totals go before the chief starts changing it.
    page.get_by_role("button", name="Ta bort angivna summor").click()
    # A step with lasting effect asks first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ta bort angivna summor")
    page.get_by_role("button", name="Ta bort angivna summor").click()
    expect(page.get_by_role("status").first).to_contain_text("Dokumentets angivna summor är borttagna")

    # A municipality pays more: the statutory split breaks, and the check says so with its numbers.
    edit_nav = page.get_by_role("navigation", name="Redigera planen")
    edit_nav.get_by_role("link", name="Medlemsbidrag").click()
    page.get_by_label("Aneby kommun, 2023").fill("150 000")
    page.get_by_role("button", name="Spara medlemsbidragen").click()
    panel = page.locator("#findings-panel")
    # The municipalities are blamed, with the amount the state and the region agree on, in whole kronor.
    expect(panel).to_contain_text("2023: kommunernas andel är 25,27 % (2 042 690 kr), ska vara 25 % (2 013 500 kr), räknat på")
    expect(panel).to_contain_text("räknat på statens andel 49,82 % (4 027 000 kr) och regionens andel 24,91 % (2 013 500 kr)")
    assert axe_violations(page) == []

    # The key helper shares the municipalities' quarter in equal parts, exactly.
    page.get_by_label("Kolumn").select_option(label="2023")
    page.get_by_label("lika delar").check()
    page.get_by_role("button", name="Fyll i kommunernas belopp").click()
    expect(panel).not_to_contain_text("andel är")
    expect(panel).to_contain_text("0 fel")
    expect(page.locator("#cell-partymunicipality-b2023")).to_contain_text("2 013 500")

    # A new intervention with its parties, participants and grant.
    edit_nav.get_by_role("link", name="Insatser").click()
    page.get_by_role("link", name="Ny insats").click()
    # Required fields carry an asterisk in their label.
    page.get_by_label("Namn*", exact=True).fill("Jobbspåret")
    page.get_by_label("Slag*", exact=True).select_option(label="Individinriktad")
    page.get_by_role("checkbox", name="Försäkringskassan").check()
    page.get_by_role("checkbox", name="Aneby kommun").check()
    page.get_by_label("Start", exact=True).fill("2023")
    page.get_by_label("Kvinnor").fill("10")
    page.get_by_label("Män", exact=True).fill("8")
    page.get_by_label("Beviljat 2023").fill("120 000")
    page.get_by_label("Räknad andel 2023").fill("0,9")
    screenshot(page, "intervention-form")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Lägg till insatsen").click()
    expect(page.locator("body")).to_contain_text("Jobbspåret")

    # Its cost line, linked to it, with the counted 90 % of the grant.
    edit_nav.get_by_role("link", name="Intäkter och kostnader").click()
    costs = page.locator("#kostnader")
    costs.locator("summary", has_text="Lägg till kostnad").click()
    costs.get_by_label("Rubrik", exact=True).fill("Jobbspåret")
    costs.get_by_label("Kostnadsgrupp").select_option(label="Insatser")
    costs.get_by_label("Insats", exact=True).select_option(label="Jobbspåret")
    costs.get_by_role("button", name="Lägg till").click()
    page.get_by_label("Jobbspåret, 2023").fill("108 000")
    page.get_by_role("button", name="Spara kostnaderna").click()

    # The plan page shows the new cost, totals and result; the board adopts the plan.
    edit_nav.get_by_role("link", name="Översikt").click()
    expect(page.locator("#cell-totalcosts-b2023")).to_contain_text("8 162 000")
    expect(page.locator("#cell-totalresult-b2023")).to_contain_text("−108 000")
    page.get_by_label("Fastställd av styrelsen den").fill("2022-11-25")
    page.get_by_label("Diarienummer").fill("2022:7")
    page.get_by_role("button", name="Fastställ", exact=True).click()
    expect(page.locator("main")).to_contain_text("Fastställd av styrelsen den 2022-11-25, Dnr 2022:7.")
    page.get_by_role("button", name="Fastställ", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Planen är fastställd")
    expect(page.get_by_role("navigation", name="Redigera planen")).to_have_count(0)
    adopted = Plan.objects.get(pk=plan.pk)
    assert (adopted.status, adopted.reference, str(adopted.adopted_on)) == ("adopted", "2022:7", "2022-11-25")

    # Next year's plan starts from this one.
    page.get_by_role("button", name="Ny plan för nästa år").click()
    page.get_by_role("button", name="Gör planen för 2024").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("verksamhetsplan 2024")
    expect(page.locator("#budget-table")).to_contain_text("Jobbspåret")
    expect(page.locator("#budget-table thead")).to_contain_text(re.compile(r"Prognos 2023.*Budget 2024.*Plan 2025.*Plan 2026"))


def test_a_board_member_gets_403_on_edit_pages(page, personas):
    sign_in(page, "board_a", "secret-board_a")
    plan = personas["plan_a"]
    for path in ["bidrag/", "rader/", "insatser/", "insatser/ny/", "redigera/", "kapitel/"]:
        response = page.goto(f"{page.base_url}/plan/{plan.pk}/{path}")
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Det här får du inte göra")


def test_an_outsider_gets_404_on_edit_pages(page, personas):
    sign_in(page, "chief_b", "secret-chief_b")
    plan = personas["plan_a"]
    for path in ["bidrag/", "insatser/ny/"]:
        assert page.goto(f"{page.base_url}/plan/{plan.pk}/{path}").status == 404
