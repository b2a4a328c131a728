"""What changed between two versions of a plan, and the year at a glance, in a real
browser: accessibility at full width and on a phone."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from budgets.models import Chapter, LineAmount, Meeting
from budgets.services import plan_roll_forward
from federations.models import Role
from interventions.models import Intervention
from tests.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def next_year(seed_plans, django_user_model):
    """Södra Vätterbygden's plan for 2026, rolled forward from 2025 and edited a little."""
    plan = seed_plans["sodra-vatterbygden"]
    chief = django_user_model.objects.create_user("chef", password="secret-chef")
    Role.objects.create(user=chief, federation=plan.federation, kind=Role.Kind.CHIEF)
    successor = plan_roll_forward(plan=plan, acting_user=chief)
    for slug, amount in (("enter", 3_600_000), ("nova", 4_700_000)):
        LineAmount.objects.filter(line__plan=successor, line__slug=slug, column__slug="b2026").update(
            amount=Decimal(amount)
        )
    chapter = Chapter.objects.filter(plan=successor).order_by("order", "pk").first()
    chapter.body = chapter.body.replace("förbundet", "samordningsförbundet", 1) + "\n\nUnder 2026 följer vi upp <insatserna> tätare."
    chapter.save()
    Intervention.objects.filter(plan=successor, slug="enter").update(name="Enter (förlängd)", status="active")
    for order, (date, body, topic) in enumerate(
        [
            ("2026-02-12", "board", "Årsredovisning 2025"),
            ("2026-03", "members", "Medlemssamråd"),
            ("2026-05-21", "board", "Tertialrapport 1"),
            ("2026-09-17", "board", "Tertialrapport 2"),
            ("2026-10-08", "preparatory", "Nya insatser 2027"),
            ("2026-11-26", "board", "Verksamhetsplan och budget 2027"),
        ]
    ):
        Meeting.objects.create(plan=successor, date=date, body=body, topic=topic, order=order)
    return plan, successor


def test_the_chief_sees_what_changed_since_last_year(page, next_year):
    previous, plan = next_year
    sign_in(page, "chef", "secret-chef")
    page.goto(f"{page.base_url}/plan/{plan.pk}/")
    page.get_by_role("link", name="Ändringar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ändringar sedan 2025 (fastställd")
    expect(page.locator('td[data-row="cost:enter"][data-col="b2026"]')).to_have_text("3 526 000 → 3 600 000")
    expect(page.locator(".diff-text ins").first).to_be_visible()
    assert "<insatserna>" in page.locator("#kapitel").inner_text()
    expect(page.get_by_label("Jämför med")).to_have_value(str(previous.pk))
    assert axe_violations(page) == []
    screenshot(page, "compare")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    screenshot(page, "compare-390")


def test_the_start_page_shows_the_year_at_a_glance(page, next_year):
    sign_in(page, "chef", "secret-chef")
    expect(page.get_by_role("heading", name="Året i korthet")).to_be_visible()
    wheel = page.locator(".year-wheel-box").first
    expect(wheel.locator("svg path")).to_have_count(12)
    expect(wheel).to_contain_text("2026-05-21 Styrelse: Tertialrapport 1")
    expect(wheel).to_contain_text("Senast: Verksamhetsplan och budget för 2027 fastställd av styrelsen")
    assert axe_violations(page) == []
    page.locator("#arshjul-rubrik").scroll_into_view_if_needed()
    screenshot(page, "arshjul")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    screenshot(page, "arshjul-390")
