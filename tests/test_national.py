"""The national overview: who reads it, which plans it shows, its figures cell by cell,
sorting, the region filter, the country's totals, the downloads and the query count."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import BudgetLine, LineAmount
from budgets.planfile import read_plan_data
from budgets.services import plan_adopt, plan_import, plan_new_revision
from federations.access import ADMINISTRATORS_GROUP, NATIONAL_GROUP
from federations.models import Federation, Role
from tests.core.plans import rich_plan

URL = "/nationell-oversikt/"


def federation_plan(name: str, region: str, *, adopt=True, shown=True, user=None):
    """A copy of the core suite's hand-worked plan (budget 2025: the state 2 000 000, the
    region 1 000 000, the municipalities 1 000 000; costs 4 100 000 of which administration
    400 000; other income 200 000; equity at the end of 2025 1 800 000,25) for a federation."""
    data = rich_plan(federation={"name": name})
    data["members"][2]["name"] = region
    plan = plan_import(document=read_plan_data(data))
    if adopt:
        plan = plan_adopt(plan=plan, adopted_on=date(2024, 11, 20), reference="§ 12", acting_user=user)
    Federation.objects.filter(pk=plan.federation_id).update(in_national_view=shown)
    return plan


@pytest.fixture
def national_user(django_user_model):
    user = django_user_model.objects.create_user("nationell", password="secret-nationell")
    user.groups.add(Group.objects.get_or_create(name=NATIONAL_GROUP)[0])
    return user


@pytest.fixture
def national(national_user):
    client = Client()
    client.force_login(national_user)
    return client


def cells(response, row_id: str) -> dict[str, str]:
    """The row's cells by column key, as shown (spaces collapsed)."""
    html = response.content.decode()
    row = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"no row {row_id}"
    found = {
        key: re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text))).strip()
        for key, text in re.findall(r'<td[^>]*data-key="([a-z_]+)"[^>]*>(.*?)</td>', row.group(1), re.S)
    }
    name = re.search(r'<th scope="row">(.*?)</th>', row.group(1), re.S)
    found["name"] = unescape(name.group(1)).strip()
    return found


def row_ids(response) -> list[str]:
    return re.findall(r'<tr id="row-([a-z0-9-]+)"', response.content.decode())


def test_the_overview_shows_each_opted_in_federations_plan_figures_in_their_cells(db, national):
    federation_plan("Samordningsförbundet Kärnan", "Region Kärnan")

    response = national.get(URL)

    assert response.status_code == 200
    row = cells(response, "row-samordningsforbundet-karnan")
    assert row == {
        "name": "Samordningsförbundet Kärnan",
        "region": "Region Kärnan",
        "year": "2025",
        "state": "2 000 000",
        "region_party": "1 000 000",
        "municipality": "1 000 000",
        "contributions": "4 000 000",
        "costs": "4 100 000",
        "result": "100 000",
        # 400 000 of 4 100 000
        "admin_share": "9,8 %",
        "equity": "1 800 000",
        # 1 800 000,25 of 4 000 000, above the default guidance's 20 %
        "equity_percent": "45 % över taket",
        "ceiling_percent": "20 %",
        "errors": "0",
        "warnings": row["warnings"],
        "individual": "1",
        "structural": "0",
        "women": "",
        "men": "",
    }
    assert int(row["warnings"]) >= 1  # the equity above the ceiling, at least


def test_only_opted_in_federations_latest_adopted_plan_is_shown(db, national, admin_user):
    first = federation_plan("Samordningsförbundet Kärnan", "Region Kärnan")
    federation_plan("Samordningsförbundet Västby", "Region Västby", shown=False)
    federation_plan("Samordningsförbundet Österby", "Region Österby", adopt=False)
    # Kärnan adopts a revision with 100 000 more other income: its result doubles.
    revision = plan_new_revision(plan=first, acting_user=admin_user)
    esf = BudgetLine.objects.get(plan=revision, slug="esf")
    LineAmount.objects.filter(line=esf, column__year=2025, column__kind="budget").update(amount=Decimal(300000))
    plan_adopt(plan=revision, adopted_on=date(2025, 3, 1), reference="§ 3", acting_user=admin_user)

    response = national.get(URL)

    assert row_ids(response) == ["samordningsforbundet-karnan", "total"]
    assert cells(response, "row-samordningsforbundet-karnan")["result"] == "200 000"


def test_a_federation_chooses_on_its_page_whether_it_is_shown(db, national, django_user_model):
    plan = federation_plan("Samordningsförbundet Kärnan", "Region Kärnan", shown=False)
    chief = django_user_model.objects.create_user("chef", password="secret-chef")
    board = django_user_model.objects.create_user("ledamot", password="secret-ledamot")
    Role.objects.create(user=chief, federation=plan.federation, kind="chief")
    Role.objects.create(user=board, federation=plan.federation, kind="board")
    setting = reverse("federations:national_setting", args=[plan.federation.slug])
    assert row_ids(national.get(URL)) == []
    assert "Inget förbund visar ännu" in national.get(URL).content.decode()

    reader = Client()
    reader.force_login(board)
    assert reader.post(setting, {"in_national_view": "on"}).status_code == 403
    assert not Federation.objects.get(pk=plan.federation_id).in_national_view

    client = Client()
    client.force_login(chief)
    page = client.get(reverse("federations:detail", args=[plan.federation.slug]))
    assert "Visa förbundets fastställda planer i den nationella översikten" in page.content.decode()
    response = client.post(setting, {"in_national_view": "on"}, follow=True)
    assert "Förbundets fastställda planer visas i den nationella översikten." in response.content.decode()
    assert row_ids(national.get(URL)) == ["samordningsforbundet-karnan", "total"]

    client.post(setting, {})
    assert not Federation.objects.get(pk=plan.federation_id).in_national_view
    assert row_ids(national.get(URL)) == []


def test_only_the_national_level_and_administrators_read_it(db, django_user_model, national_user):
    federation_plan("Samordningsförbundet Kärnan", "Region Kärnan")
    chief = django_user_model.objects.create_user("chef", password="secret-chef")
    Role.objects.create(user=chief, federation=Federation.objects.get(), kind="chief")
    accountant = django_user_model.objects.create_user("ekonom", password="secret-ekonom", is_staff=True)
    administrator = django_user_model.objects.create_user("admin2", password="secret-admin2", is_staff=True)
    administrator.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0])
    expected = {chief: 403, accountant: 403, administrator: 200, national_user: 200}
    for user, status in expected.items():
        client = Client()
        client.force_login(user)
        assert client.get(URL).status_code == status, user.username
    assert Client().get(URL)["Location"].startswith(reverse("login"))
    # The start page links to it for those who may read it.
    for user, status in expected.items():
        client = Client()
        client.force_login(user)
        assert ("Nationell översikt" in client.get("/").content.decode()) == (status == 200)
    # An account that was closed reads nothing.
    client = Client()
    client.force_login(national_user)
    national_user.is_active = False
    national_user.save()
    assert client.get(URL)["Location"].startswith(reverse("login"))


@pytest.fixture
def three(db, admin_user):
    """Three federations in two regions, with results 100 000, 200 000 and 0."""
    plans = {}
    for name, region, income in [
        ("Samordningsförbundet Kärnan", "Region Mitt", 200000),
        ("Samordningsförbundet Västby", "Region Väst", 300000),
        ("Samordningsförbundet Österby", "Region Mitt", 100000),
    ]:
        data = rich_plan(federation={"name": name})
        data["members"][2]["name"] = region
        data["income"][0]["amounts"]["b2025"] = income
        plan = plan_import(document=read_plan_data(data))
        plans[name] = plan_adopt(plan=plan, adopted_on=date(2024, 11, 20), reference="§ 1", acting_user=admin_user)
    Federation.objects.update(in_national_view=True)
    return plans


def test_sorting_by_a_column_and_filtering_by_region(national, three):
    by_result = national.get(URL, {"sort": "result", "order": "desc"})
    assert row_ids(by_result) == [
        "samordningsforbundet-vastby", "samordningsforbundet-karnan", "samordningsforbundet-osterby", "total",
    ]
    assert 'aria-sort="descending"' in by_result.content.decode()
    ascending = national.get(URL, {"sort": "result", "order": "asc"})
    assert row_ids(ascending)[:3] == [
        "samordningsforbundet-osterby", "samordningsforbundet-karnan", "samordningsforbundet-vastby",
    ]

    mitt = national.get(URL, {"region": "Region Mitt", "sort": "name"})
    assert row_ids(mitt) == ["samordningsforbundet-karnan", "samordningsforbundet-osterby", "total"]
    total = cells(mitt, "row-total")
    assert (total["contributions"], total["result"], total["costs"]) == ("8 000 000", "100 000", "8 200 000")
    # An unknown region or column is ignored, not an error.
    assert len(row_ids(national.get(URL, {"region": "<script>", "sort": "password"}))) == 4


def test_the_country_total_sums_every_row(national, three):
    total = cells(national.get(URL), "row-total")
    assert total["name"] == "Hela landet"
    assert (total["state"], total["region_party"], total["municipality"]) == ("6 000 000", "3 000 000", "3 000 000")
    assert (total["contributions"], total["costs"], total["result"]) == ("12 000 000", "12 300 000", "300 000")
    # 1 200 000 of 12 300 000
    assert total["admin_share"] == "9,8 %"
    assert total["individual"] == "3"


def test_csv_and_excel_hold_the_rows_shown(national, three):
    response = national.get(URL, {"region": "Region Mitt", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="nationell-oversikt.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Förbund", "Region", "År", "Staten"]
    assert [row[0] for row in rows[1:]] == ["Samordningsförbundet Kärnan", "Samordningsförbundet Österby", "Hela landet"]
    header = rows[0]
    karnan = dict(zip(header, rows[1]))
    assert (karnan["Bidrag totalt"], karnan["Resultat"], karnan["Administration"]) == ("4000000", "100000", "9,8")
    assert karnan["Eget kapital vid årets slut"] == "1800000"

    workbook = openpyxl.load_workbook(io.BytesIO(national.get(URL, {"format": "xlsx"}).content))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Förbund"
    by_name = {row[0]: dict(zip(values[0], row)) for row in values[1:]}
    assert set(by_name) == {
        "Samordningsförbundet Kärnan", "Samordningsförbundet Västby", "Samordningsförbundet Österby", "Hela landet",
    }
    assert by_name["Samordningsförbundet Västby"]["Resultat"] == 200000
    assert by_name["Hela landet"]["Bidrag totalt"] == 12000000


def test_the_query_count_does_not_grow_with_the_federations(national, three, admin_user):
    national.get(URL)  # the figures of each adopted plan are computed once and kept
    with CaptureQueriesContext(connection) as three_federations:
        assert national.get(URL).status_code == 200
    for name in ("Samordningsförbundet Norrå", "Samordningsförbundet Söderå"):
        data = rich_plan(federation={"name": name})
        plan = plan_import(document=read_plan_data(data))
        plan_adopt(plan=plan, adopted_on=date(2024, 11, 20), reference="§ 1", acting_user=admin_user)
    Federation.objects.update(in_national_view=True)
    national.get(URL)
    with CaptureQueriesContext(connection) as five_federations:
        response = national.get(URL)
    assert len(row_ids(response)) == 6
    assert 0 < len(five_federations) == len(three_federations)


def test_federation_names_are_shown_as_written_never_run(db, national):
    federation_plan('{{ 7|add:"1300" }} <b>Förbund</b>', "Region {% now 'Y' %}")
    html = national.get(URL).content.decode()
    assert "{{ 7|add:&quot;1300&quot; }} &lt;b&gt;Förbund&lt;/b&gt;" in html
    assert "Region {% now &#x27;Y&#x27; %}" in html
    assert "1307" not in html


def test_adopting_a_plan_keeps_its_figures_for_the_overview(db, django_capture_on_commit_callbacks):
    from national.models import PlanSummary

    with django_capture_on_commit_callbacks(execute=True):
        plan = federation_plan("Samordningsförbundet Kärnan", "Region Kärnan")
    kept = PlanSummary.objects.get(plan=plan).figures
    assert (kept["contributions"], kept["result"], kept["region_name"]) == ("4000000", "100000", "Region Kärnan")
