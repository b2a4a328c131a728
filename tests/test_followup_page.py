"""The follow-up page: the variance table, the chief's forecasts and comments, the equity
forecast, participants and the chart; who may read and who may write."""

import datetime
import html as html_lib
import re
from decimal import Decimal

import pytest

from budgets.models import BudgetLine
from followup.models import FollowUp, Forecast, Outcome, ParticipantOutcome, VarianceComment
from interventions.models import Intervention

APRIL = datetime.date(2025, 4, 30)
URL = "/plan/{pk}/uppfoljning/2025-04-30/"


def text_of(page: str, element_id: str) -> str:
    """The text of the element with this id, tags stripped, spaces squeezed."""
    match = re.search(rf'id="{re.escape(element_id)}"[^>]*>(.*?)</(td|dd|div|ul|p)>', page, re.S)
    assert match, f"no element {element_id}"
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def tertial_of(plan) -> FollowUp:
    """A first tertial of the plan: outcome on Enter and Kansli, a forecast for Enter, and
    Enter's participants planned and to date."""
    follow_up = FollowUp.objects.create(plan=plan, period_end=APRIL, source="typed")
    lines = {line.slug: line for line in plan.lines.filter(section=BudgetLine.Section.COST)}
    Outcome.objects.create(follow_up=follow_up, line=lines["enter"], amount=Decimal(1000000))
    Outcome.objects.create(follow_up=follow_up, line=lines["kansli"], amount=Decimal(290000))
    Forecast.objects.create(follow_up=follow_up, line=lines["enter"], amount=Decimal(3500000))
    enter = Intervention.objects.get(plan=plan, slug="enter")
    # As adopted with planned participants (an adopted plan refuses saves; update() is the fixture's way in).
    Intervention.objects.filter(pk=enter.pk).update(participants_women=20, participants_men=15)
    ParticipantOutcome.objects.create(follow_up=follow_up, intervention=enter, women=12, men=8)
    return follow_up


@pytest.fixture
def follow_up(personas):
    return tertial_of(personas["plan_a"])


def page(client, follow_up):
    response = client.get(URL.format(pk=follow_up.plan_id))
    assert response.status_code == 200
    return response.content.decode()


def test_the_chief_sees_budget_outcome_forecast_and_variance_in_their_cells(client_for, follow_up):
    html = page(client_for("chief_a"), follow_up)
    # Enter: the chief's forecast 3 500 000 against the budget 3 439 000: 61 000 more cost.
    assert [text_of(html, f"cell-cost-enter-{column}") for column in ("budget", "outcome", "used", "forecast", "variance")] == [
        "3 439 000", "1 000 000", "29 %", "3 500 000", "+61 000 (sämre än budget)"
    ]
    # Kansli: 290 000 to date and 245/365 of 870 000 to come = 873 972,60.
    assert text_of(html, "cell-cost-kansli-forecast") == "873 973"
    assert text_of(html, "cell-cost-kansli-variance") == "+3 973 (sämre än budget)"
    # A line with no outcome keeps its budget.
    assert text_of(html, "cell-cost-nova-forecast") == "4 408 000"
    assert text_of(html, "cell-cost-nova-outcome") == ""
    # The result: budget −655 500; forecast −655 500 − 61 000 − 3 972,60.
    assert text_of(html, "cell-total-result-budget") == "\u2212655 500"
    assert text_of(html, "cell-total-result-forecast") == "\u2212720 473"
    assert text_of(html, "cell-total-result-variance") == "\u221264 973 (sämre än budget)"
    assert text_of(html, "cell-group-intervention-variance") == "+61 000 (sämre än budget)"


def test_the_page_shows_the_equity_forecast_the_summary_and_the_participants(client_for, follow_up):
    html = page(client_for("board_a"), follow_up)
    # 2 279 601 at the start of 2024, −519 101 in the forecast for 2024: 1 760 500.
    assert text_of(html, "equity-opening") == "1 760 500"
    assert text_of(html, "equity-closing") == "1 040 027"
    assert text_of(html, "equity-budget-closing") == "1 105 000"
    assert text_of(html, "summary").startswith(
        "Årets resultat 2025 beräknas bli \u2212720 473 kr, 64 973 kr sämre än budgeterade \u2212655 500 kr."
    )
    row = re.search(r'id="participants-enter">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">(\d*)</td>', row) == ["20", "12", "15", "8"]
    assert 'alt="Liggande stapeldiagram' in html


def test_the_board_reads_without_forms(client_for, follow_up):
    html = page(client_for("board_a"), follow_up)
    assert 'name="forecast-cost-enter"' not in html
    assert "Markera som skickad" not in html


def test_the_chief_saves_forecasts_and_comments_in_one_save(client_for, follow_up):
    client = client_for("chief_a")
    html = page(client, follow_up)
    data = {"version": str(follow_up.version)}
    data.update(dict(re.findall(r'name="((?:forecast|comment)-[a-z0-9-]+)" id="[^"]*" value="([^"]*)"', html)))
    data["forecast-cost-enter"] = ""
    data["forecast-cost-kansli"] = "900 000"
    data["comment-cost-kansli"] = "Ny lokal från mars."
    data["comment-group-administration"] = "Kansliet blir dyrare."
    response = client.post(URL.format(pk=follow_up.plan_id), data)
    assert response.status_code == 302
    assert {forecast.line.slug: forecast.amount for forecast in Forecast.objects.filter(follow_up=follow_up)} == {
        "kansli": Decimal(900000)
    }
    assert sorted((c.line.slug if c.line else c.group, c.text) for c in VarianceComment.objects.filter(follow_up=follow_up)) == [
        ("administration", "Kansliet blir dyrare."),
        ("kansli", "Ny lokal från mars."),
    ]
    follow_up.refresh_from_db()
    assert follow_up.version == 2
    html = page(client, follow_up)
    assert text_of(html, "cell-cost-kansli-forecast") == "900 000"


def test_a_bad_amount_or_a_long_comment_changes_nothing(client_for, follow_up):
    client = client_for("chief_a")
    response = client.post(
        URL.format(pk=follow_up.plan_id),
        {"version": "1", "forecast-cost-kansli": "12,5x", "comment-cost-nova": "x" * 2001},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv högst 2000 tecken (kommentaren har 2001)." in html
    assert "Inget sparades. Rätta det som är markerat." in html
    assert Forecast.objects.filter(follow_up=follow_up).count() == 1
    assert not VarianceComment.objects.filter(follow_up=follow_up).exists()


def test_a_save_from_an_older_page_is_refused(client_for, follow_up):
    FollowUp.objects.filter(pk=follow_up.pk).update(version=5)
    response = client_for("chief_a").post(URL.format(pk=follow_up.plan_id), {"version": "4", "forecast-cost-kansli": "1"})
    assert response.status_code == 409
    assert "Någon annan har ändrat uppföljningen sedan du öppnade sidan." in response.content.decode()
    assert not Forecast.objects.filter(follow_up=follow_up, line__slug="kansli").exists()


@pytest.mark.parametrize(
    "persona, method, status",
    [
        ("chief_b", "get", 404),
        ("chief_b", "post", 404),
        ("board_a", "get", 200),
        ("board_a", "post", 403),
        ("accountant", "get", 200),
        ("chief_a", "get", 200),
    ],
)
def test_who_may_read_and_write(client_for, follow_up, persona, method, status):
    client = client_for(persona)
    url = URL.format(pk=follow_up.plan_id)
    response = client.get(url) if method == "get" else client.post(url, {"version": "1"})
    assert response.status_code == status


@pytest.mark.parametrize("suffix", ["", "delarsrapport.pdf", "forsakringskassan.csv"])
def test_a_draft_plan_has_no_follow_up(client_for, personas, suffix):
    draft = personas["plan_b"]
    assert draft.status == "draft"
    FollowUp.objects.create(plan=draft, period_end=datetime.date(2023, 4, 30))
    client = client_for("superuser")
    assert client.get(f"/plan/{draft.pk}/uppfoljning/2023-04-30/{suffix}").status_code == 404


def test_an_unknown_date_is_not_found(client_for, follow_up):
    client = client_for("chief_a")
    assert client.get(f"/plan/{follow_up.plan_id}/uppfoljning/2025-05-31/").status_code == 404
    assert client.get(f"/plan/{follow_up.plan_id}/uppfoljning/2025-02-30/").status_code == 404


def test_a_plan_without_a_column_for_its_year_is_not_followed_up(client_for, follow_up):
    # As adopted without its budget column (update(): an adopted plan refuses saves).
    from budgets.models import Column

    Column.objects.filter(plan=follow_up.plan, year=2025).update(year=2028)
    assert client_for("chief_a").get(URL.format(pk=follow_up.plan_id)).status_code == 404
