"""The plan page, the budget grid and its live totals ask the database the same number
of questions whatever the number of interventions (and so of lines and amounts)."""

from html import unescape
import re
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import LineAmount
from budgets.services import plan_import
from budgets.synthetic import synthetic_plan_document
from interventions.models import Intervention


def _plans():
    # Drafts both (an adopted plan reads its kept guidance instead of the table).
    small = plan_import(document=synthetic_plan_document(interventions=2, columns=2, year=2024))
    large = plan_import(document=synthetic_plan_document(interventions=40, columns=8))
    assert not small.is_adopted and not large.is_adopted
    assert Intervention.objects.filter(plan=large).count() == 20 * Intervention.objects.filter(plan=small).count()
    assert LineAmount.objects.filter(line__plan=large).count() > 10 * LineAmount.objects.filter(line__plan=small).count()
    return small, large


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200
    return len(queries.captured_queries)


def _grid_post(client, plan) -> str:
    """The grid's inputs as the page shows them, urlencoded as htmx sends them."""
    page = client.get(f"/plan/{plan.pk}/budget/").content.decode()
    form = page.split('id="budget-grid"', 1)[1].split("</form>", 1)[0]
    data = []
    for attributes in re.findall(r"<input\b([^>]*)>", form):
        name = re.search(r'name="([^"]+)"', attributes)
        value = re.search(r'value="([^"]*)"', attributes)
        if name and 'type="checkbox"' not in attributes:
            data.append((name.group(1), unescape(value.group(1)) if value else ""))
    return urlencode(data)


def test_the_plan_page_asks_as_often_for_40_interventions_as_for_2(db, admin_client):
    small, large = _plans()
    counts = [_queries(lambda plan=plan: admin_client.get(f"/plan/{plan.pk}/")) for plan in (small, large)]
    assert counts[0] == counts[1]


def test_the_grid_and_its_live_totals_ask_as_often_for_40_interventions_as_for_2(db, admin_client):
    small, large = _plans()
    pages = [_queries(lambda plan=plan: admin_client.get(f"/plan/{plan.pk}/budget/")) for plan in (small, large)]
    assert pages[0] == pages[1]
    live = []
    for plan in (small, large):
        body = _grid_post(admin_client, plan)
        assert "amount-" in body
        live.append(
            _queries(
                lambda plan=plan, body=body: admin_client.post(
                    f"/plan/{plan.pk}/budget/summor/", body, content_type="application/x-www-form-urlencoded"
                )
            )
        )
    assert live[0] == live[1]
