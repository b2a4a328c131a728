"""The start page, the plan page and the history page, as each persona sees them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import LineAmount
from budgets.services import plan_new_revision
from tests.cells import cell, row_values


def text_of(response) -> str:
    """The page's text as a reader sees it: tags gone, white space folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def plan_url(plan, name="budgets:plan"):
    return reverse(name, args=[plan.pk])


# ---------------------------------------------------------------------------
# Start page


def test_anonymous_visitors_are_sent_to_the_login_page(client_for, personas):
    response = client_for(None).get(reverse("budgets:start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_login_page_is_in_swedish(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Logga in" in text and "Användarnamn" in text and "Lösenord" in text


def test_a_chief_sees_their_own_plans_with_the_checks_verdict(client_for, personas):
    text = text_of(client_for("chief_a").get(reverse("budgets:start")))
    assert "Södra Vätterbygden 2025" in text
    assert "Höglandet" not in text and "Sjuhärad" not in text


def table_rows(response) -> list[list[str]]:
    """The body rows of the page's table, as the texts of their cells."""
    html = response.content.decode()
    body = html[html.index("<tbody") :]
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def test_the_start_page_counts_errors_and_warnings_per_plan(client_for, personas):
    response = client_for("accountant").get(reverse("budgets:start"))
    assert response.status_code == 200
    rows = {cells[0]: cells for cells in table_rows(response)}
    # Federation, year, revision, status, last change, errors, warnings.
    # One SPLIT finding for 2021 and one STATED_TOTAL for 2022.
    assert rows["Sjuhärad"][5:] == ["2", "3"]
    assert rows["Härnösand/Timrå"][5:] == ["2", "0"]
    assert rows["Höglandet"][5:] == ["0", "0"]
    assert rows["Södra Vätterbygden"][1:4] == ["2025", "1", "Fastställd"]


def test_the_start_page_sorts_by_a_column(client_for, personas):
    client = client_for("accountant")
    years = [int(cells[1]) for cells in table_rows(client.get(reverse("budgets:start"), {"sort": "year"}))]
    assert years == [2017, 2021, 2022, 2023, 2025]
    years = [int(cells[1]) for cells in table_rows(client.get(reverse("budgets:start"), {"sort": "-year"}))]
    assert years == [2025, 2023, 2022, 2021, 2017]


# ---------------------------------------------------------------------------
# Plan page


def test_the_plan_page_shows_the_budget_with_swedish_numbers(client_for, personas):
    response = client_for("chief_a").get(plan_url(personas["plan_a"]))
    assert response.status_code == 200
    html = response.content
    # Contributions, costs, result and the equity chain of Södra Vätterbygden, each in its cell.
    assert cell(html, "total:contributions", "b2025").value == "11 190 000"
    assert cell(html, "total:costs", "b2025").value == "11 845 500"
    assert cell(html, "total:result", "b2025").value == "−655 500"
    assert row_values(html, "total:closing_equity") == {
        # Budget 2024 beside Prognos 2024 keeps its own closing equity; the chain runs
        # through the forecast.
        "b2024": "2 071 101",
        "f2024": "1 760 500",
        "b2025": "1 105 000",
        "p2026": "732 000",
        "p2027": "77 000",
    }
    assert row_values(html, "equity:opening") == {
        "b2024": "2 279 601", "f2024": "2 279 601", "b2025": "1 760 500", "p2026": "1 105 000", "p2027": "732 000"
    }
    state = cell(html, "party:state", "f2024")
    assert (state.value, state.share) == ("5 574 000", "50 %")
    assert cell(html, "share:administration", "b2025").value == "9,6 %"
    assert "Administrationens andel av kostnaderna" in text_of(response)


def test_the_plan_page_lists_findings_errors_first_and_marks_their_cells(client_for, personas, seed_plans):
    personas["accountant"]
    response = client_for("superuser").get(plan_url(seed_plans["sjuharad"]))
    text = text_of(response)
    panel = text[text.index("Kontroller") :]
    assert "2 fel" in panel and "3 varningar" in panel
    # Each finding reads as a plain title first, its code after it.
    assert "Fördelningen 50/25/25 (fel) SPLIT 2021: statens andel är 47,46 %" in panel
    assert "Kommunernas fördelningsnyckel (varning) MUNICIPAL_KEY 2021: Mark betalar 770 tkr" in panel
    assert panel.index("statens andel är 47,46 %") < panel.index("Mark betalar 770 tkr")
    html = response.content.decode()
    # The SPLIT finding marks the state's subtotal cell for 2021 and links to it.
    assert 'href="#cell-partystate-b2021"' in html
    state = cell(html, "party:state", "b2021")
    assert (state.value, state.share, state.marks) == ("9 032", "47,46 %", ["!"])
    assert "has-error" in state.classes
    mark = cell(html, "member:mark", "b2022")
    assert (mark.value, mark.marks) == ("770", ["?"])
    assert "has-warning" in mark.classes


def test_a_printed_total_that_differs_is_shown_beside_the_computed_one(client_for, seed_plans, personas):
    html = client_for("superuser").get(plan_url(seed_plans["harnosand-timra"])).content.decode()
    costs = cell(html, "total:costs", "p2019")
    assert (costs.value, costs.stated) == ("3 732", "angivet 3 731")


def test_a_board_member_reads_the_plan_without_edit_controls(client_for, personas):
    response = client_for("board_a").get(plan_url(personas["plan_a"]))
    assert response.status_code == 200
    text = text_of(response)
    assert "11 845 500" in text
    assert "Fastställ" not in text.replace("Fastställd", "")
    assert "Ny revision" not in text and "Ny plan för nästa år" not in text
    assert "<form" not in response.content.decode().split("Logga ut")[1]


@pytest.mark.parametrize("persona", ["chief_b"])
def test_an_outsider_gets_404_for_another_federations_plan(client_for, personas, persona):
    client = client_for(persona)
    plan = personas["plan_a"]
    for name in ["budgets:plan", "budgets:history"]:
        assert client.get(plan_url(plan, name)).status_code == 404
    for name in ["budgets:adopt", "budgets:revise", "budgets:roll_forward"]:
        assert client.post(plan_url(plan, name)).status_code == 404


def test_the_404_page_is_in_swedish(client_for, personas):
    response = client_for("chief_b").get(plan_url(personas["plan_a"]))
    assert "Sidan finns inte" in text_of(response)


def test_the_plan_page_query_count_does_not_grow_with_the_plan(client_for, personas, seed_plans):
    # Two drafts: an adopted plan reads the guidance kept with it instead of the table.
    client = client_for("superuser")
    small = seed_plans["sydostra-skane"]
    large = plan_new_revision(plan=seed_plans["sodra-vatterbygden"], acting_user=personas["superuser"])
    counts = []
    for plan in [small, large]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(plan_url(plan)).status_code == 200
        counts.append(len(queries))
    assert LineAmount.objects.filter(line__plan=large).count() > 4 * LineAmount.objects.filter(line__plan=small).count()
    assert counts[0] == counts[1]


# ---------------------------------------------------------------------------
# History


def test_the_history_page_names_who_changed_what(client_for, personas):
    from budgets.models import BudgetLine

    plan = personas["plan_b"]
    line = BudgetLine.objects.get(plan=plan, slug="styrelse")
    amount = line.amounts.get(column__slug="b2023")
    amount._history_user = personas["chief_b"]
    amount.amount = 75000
    amount.save()

    text = text_of(client_for("chief_b").get(plan_url(plan, "budgets:history")))
    assert "Berit Annan" in text
    assert "Ändrad: Belopp: Styrelse, 2023" in text
    assert "70 000 → 75 000" in text
