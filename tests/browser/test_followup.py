"""The follow-up page in a real browser: the chief sets a forecast and explains a variance,
the board reads; accessibility at full width and on a phone."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import expect

from budgets.models import LineAmount
from followup.models import FollowUp, Forecast, Outcome, ParticipantOutcome, VarianceComment
from interventions.models import Intervention
from tests.browser.conftest import SCREENSHOTS, axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

APRIL = datetime.date(2025, 4, 30)


def tertial(plan):
    """A first tertial: a third of every line's budget, Enter and the office above that."""
    follow_up = FollowUp.objects.create(plan=plan, period_end=APRIL, source="sie", source_name="bokforing.se")
    special = {"enter": Decimal(1400000), "kansli": Decimal(340000), "nya-insatser": Decimal(0)}
    for amount in LineAmount.objects.filter(line__plan=plan, column__slug="b2025").select_related("line"):
        value = special.get(amount.line.slug, (amount.amount / 3).quantize(Decimal(1000), rounding=ROUND_HALF_UP))
        Outcome.objects.create(follow_up=follow_up, line=amount.line, amount=value)
    VarianceComment.objects.create(follow_up=follow_up, group="intervention", text="Enter har fler deltagare än planerat.")
    for slug, planned, women, men in (("enter", (40, 30), 22, 15), ("nova", (25, 25), 9, 11)):
        Intervention.objects.filter(plan=plan, slug=slug).update(participants_women=planned[0], participants_men=planned[1])
        ParticipantOutcome.objects.create(
            follow_up=follow_up, intervention=Intervention.objects.get(plan=plan, slug=slug), women=women, men=men
        )
    return follow_up


def test_the_chief_sets_a_forecast_and_explains_it(page, personas):
    plan = personas["plan_a"]
    follow_up = tertial(plan)
    sign_in(page, "chief_a", "secret-chief_a")
    page.goto(f"{page.base_url}/plan/{plan.pk}/uppfoljning/2025-04-30/")
    expect(page.get_by_role("heading", name="Uppföljning Tertial 1 (januari–april 2025)")).to_be_visible()
    page.get_by_label("Prognos för Kansli").fill("1 020 000")
    page.get_by_label("Kommentar till Kansli").fill("Ny lokal från mars.")
    page.get_by_role("button", name="Spara prognoser och kommentarer").click()
    expect(page.get_by_role("status")).to_contain_text("Prognoser och kommentarer är sparade.")
    expect(page.locator("#cell-cost-kansli-forecast")).to_have_text("1 020 000")
    expect(page.locator("#cell-cost-kansli-variance")).to_contain_text("+150 000")
    assert Forecast.objects.get(follow_up=follow_up, line__slug="kansli").amount == Decimal(1020000)
    assert axe_violations(page) == []
    screenshot(page, "followup")
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == []
    screenshot(page, "followup-390")
    # The tertial report of the same figures, kept beside the screenshots to look at.
    report = page.request.get(f"{page.base_url}/plan/{plan.pk}/uppfoljning/2025-04-30/delarsrapport.pdf")
    assert report.status == 200
    assert report.body().startswith(b"%PDF")
    (SCREENSHOTS / "tertial-report.pdf").write_bytes(report.body())


def test_the_board_reads_the_follow_up(page, personas):
    plan = personas["plan_a"]
    tertial(plan)
    sign_in(page, "board_a", "secret-board_a")
    page.goto(f"{page.base_url}/plan/{plan.pk}/uppfoljning/2025-04-30/")
    expect(page.locator("#cell-group-intervention-comment")).to_have_text("Enter har fler deltagare än planerat.")
    expect(page.get_by_role("button", name="Spara prognoser och kommentarer")).to_have_count(0)
    expect(page.get_by_role("img", name="Liggande stapeldiagram")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "followup-board")
