"""The follow-up's recording pages: the plan's list of follow-ups, typing the outcome,
the import with its preview and mapping, the mapping page and file, participants;
who may see and change them."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.models import AccountMapping, FollowUp, Outcome, ParticipantOutcome
from followup.services import open_follow_up

pytestmark = pytest.mark.django_db

PERIOD = "2025-04-30"

BOOKS = """#KONTO 3911 "Bidrag Habo kommun"
#KONTO 5410 "Förbrukningsinventarier"
#VER A 1 20250115 ""
{
#TRANS 3911 {} -100000.00
#TRANS 1930 {} 100000.00
}
#VER A 2 20250220 ""
{
#TRANS 5410 {} 25000.50
#TRANS 1930 {} -25000.50
}
""".encode("cp437")


@pytest.fixture
def follow_up(personas):
    return open_follow_up(plan=personas["plan_a"], period_end=date(2025, 4, 30))


def url(name, plan, period=None):
    kwargs = {"pk": plan.pk} if period is None else {"pk": plan.pk, "period_end": period}
    return reverse(f"followup:{name}", kwargs=kwargs)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def stored(follow_up):
    return {row.line.slug: row.amount for row in Outcome.objects.filter(follow_up=follow_up).select_related("line")}


def line_pk(plan, slug):
    return plan.lines.get(slug=slug).pk


# ---------------------------------------------------------------------------
# Who may do what


READ_PAGES = ["list", "mapping", "mapping_csv", "outcome", "participants"]
WRITE_POSTS = ["list", "mapping", "mapping_upload", "outcome", "participants", "import", "import_map", "import_save"]
PER_PERIOD = {"outcome", "participants", "import", "import_map", "import_save"}


@pytest.mark.parametrize("page", READ_PAGES)
def test_board_members_and_accountants_read_and_outsiders_get_404(client_for, personas, follow_up, page):
    plan = personas["plan_a"]
    address = url(page, plan, PERIOD if page in PER_PERIOD else None)
    assert client_for("board_a").get(address).status_code == 200
    assert client_for("accountant").get(address).status_code == 200
    assert client_for("chief_b").get(address).status_code == 404


@pytest.mark.parametrize("page", WRITE_POSTS)
def test_board_members_may_not_write_and_outsiders_get_404(client_for, personas, follow_up, page):
    plan = personas["plan_a"]
    address = url(page, plan, PERIOD if page in PER_PERIOD else None)
    assert client_for("board_a").post(address, {"version": 1}).status_code == 403
    assert client_for("chief_b").post(address, {"version": 1}).status_code == 404
    assert FollowUp.objects.get(pk=follow_up.pk).version == 1


def test_a_draft_plan_has_no_follow_up(client_for, personas):
    draft = personas["plan_b"]
    client = client_for("superuser")
    assert client.get(url("list", draft)).status_code == 404
    assert client.get(url("outcome", draft, "2023-04-30")).status_code == 404


def test_the_import_page_is_for_the_chief_only(client_for, personas, follow_up):
    assert client_for("board_a").get(url("import", personas["plan_a"], PERIOD)).status_code == 403
    assert client_for("chief_a").get(url("import", personas["plan_a"], PERIOD)).status_code == 200


def test_an_unknown_period_is_404(client_for, personas, follow_up):
    client = client_for("chief_a")
    assert client.get(url("outcome", personas["plan_a"], "2025-05-31")).status_code == 404
    assert client.get(url("outcome", personas["plan_a"], "2025-02-30")).status_code == 404


# ---------------------------------------------------------------------------
# The list and opening a period


def test_the_adopted_plans_page_links_to_its_follow_up(client_for, personas):
    response = client_for("board_a").get(reverse("budgets:plan", kwargs={"pk": personas["plan_a"].pk}))
    assert f'href="{url("list", personas["plan_a"])}"' in response.content.decode()


def test_the_chief_opens_tertial_1_from_a_preset(client_for, personas):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    assert "Tertial 1 (januari–april): 2025-04-30" in text(client.get(url("list", plan)))
    response = client.post(url("list", plan), {"period": "2025-04-30"})
    assert response.status_code == 302
    assert response["Location"] == url("outcome", plan, PERIOD)
    listing = client.get(url("list", plan))
    assert f'href="{url("detail", plan, PERIOD)}"' in listing.content.decode()


def test_the_chief_opens_any_date_and_is_told_about_a_bad_one(client_for, personas):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    assert client.post(url("list", plan), {"period": "other", "other_date": "2025-06-15"}).status_code == 302
    assert FollowUp.objects.get(plan=plan).period_end == date(2025, 6, 15)
    bad = client.post(url("list", plan), {"period": "other", "other_date": "15/6"})
    assert bad.status_code == 400
    assert "”15/6” är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-04-30." in text(bad)
    outside = client.post(url("list", plan), {"period": "other", "other_date": "2024-12-31"})
    assert outside.status_code == 400
    assert "Slutdatumet ska ligga i planens budgetår 2025." in text(outside)
    assert FollowUp.objects.filter(plan=plan).count() == 1


# ---------------------------------------------------------------------------
# Typing


def test_the_grid_shows_the_budget_beside_each_line(client_for, personas, follow_up):
    page = client_for("chief_a").get(url("outcome", personas["plan_a"], PERIOD)).content.decode()
    row = re.search(r'<tr data-line="cost:enter">(.*?)</tr>', page, re.S).group(1)
    assert "3 439 000" in row
    contribution = re.search(r'<tr data-line="contribution:habo">(.*?)</tr>', page, re.S).group(1)
    assert "206 300" in contribution


def test_typing_the_outcome_stores_it_and_an_empty_cell_is_none(client_for, personas, follow_up):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    response = client.post(
        url("outcome", plan, PERIOD),
        {"version": 1, f"outcome-{line_pk(plan, 'enter')}": "1 146 000", f"outcome-{line_pk(plan, 'habo')}": "103 150,50",
         f"outcome-{line_pk(plan, 'kansli')}": ""},
    )
    assert response.status_code == 302
    assert stored(follow_up) == {"enter": Decimal("1146000"), "habo": Decimal("103150.50")}
    follow_up.refresh_from_db()
    assert (follow_up.source, follow_up.version) == ("typed", 2)
    board = client_for("board_a").get(url("outcome", plan, PERIOD)).content.decode()
    assert "1 146 000" in re.search(r'<tr data-line="cost:enter">(.*?)</tr>', board, re.S).group(1)
    assert "<input" not in re.search(r"<table.*?</table>", board, re.S).group(0)


def test_a_cell_that_is_not_a_number_saves_nothing(client_for, personas, follow_up):
    plan = personas["plan_a"]
    response = client_for("chief_a").post(
        url("outcome", plan, PERIOD),
        {"version": 1, f"outcome-{line_pk(plan, 'enter')}": "1 146 000", f"outcome-{line_pk(plan, 'kansli')}": "12 kr"},
    )
    assert response.status_code == 400
    assert "Kansli: Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50." in text(response)
    assert stored(follow_up) == {}


def test_a_grid_from_an_older_version_is_refused(client_for, personas, follow_up):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    client.post(url("outcome", plan, PERIOD), {"version": 1, f"outcome-{line_pk(plan, 'enter')}": "5"})
    response = client.post(url("outcome", plan, PERIOD), {"version": 1, f"outcome-{line_pk(plan, 'enter')}": "7"})
    assert response.status_code == 409
    assert "Någon annan har ändrat uppföljningen sedan du öppnade sidan." in text(response)
    assert stored(follow_up) == {"enter": Decimal("5")}


# ---------------------------------------------------------------------------
# Importing through the page


def upload(client, plan, name, content, kind):
    return client.post(url("import", plan, PERIOD), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_a_sie_import_lists_unmapped_accounts_maps_them_and_saves(client_for, personas, follow_up):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    preview = upload(client, plan, "bok.se", BOOKS, "sie")
    assert preview.status_code == 200
    page = text(preview)
    assert "Konton utan rad i planen" in page
    assert "3911 Bidrag Habo kommun: −100 000 kr" in page
    assert "5410 Förbrukningsinventarier: 25 000,5 kr" in page
    refused = client.post(url("import_save", plan, PERIOD))
    assert refused.status_code == 400
    assert "Kontona 3911, 5410 har ingen rad i planen. Koppla dem innan utfallet sparas." in text(refused)
    assert stored(follow_up) == {}
    client.post(url("import_map", plan, PERIOD), {"map-3911": line_pk(plan, "habo"), "map-5410": line_pk(plan, "kansli")})
    assert sorted(AccountMapping.objects.values_list("account", "line_slug")) == [("3911", "habo"), ("5410", "kansli")]
    again = client.get(url("import", plan, PERIOD) + "?visa=1")
    assert "Konton utan rad i planen" not in text(again)
    assert client.post(url("import_save", plan, PERIOD)).status_code == 302
    assert stored(follow_up) == {"habo": Decimal("100000.00"), "kansli": Decimal("25000.50")}
    follow_up.refresh_from_db()
    assert (follow_up.source, follow_up.source_name) == ("sie", "bok.se")


def test_a_csv_import_replaces_the_periods_outcome(client_for, personas, follow_up):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    client.post(url("outcome", plan, PERIOD), {"version": 1, f"outcome-{line_pk(plan, 'enter')}": "5"})
    preview = upload(client, plan, "u.csv", "rad;belopp\nkansli;12 500,50\n".encode(), "table")
    assert preview.status_code == 200
    assert client.post(url("import_save", plan, PERIOD)).status_code == 302
    assert stored(follow_up) == {"kansli": Decimal("12500.50")}


def test_a_hostile_upload_is_refused_with_its_file_and_line(client_for, personas, follow_up):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    garbage = upload(client, plan, "bok.se", b"\x00\x01\x02garbage", "sie")
    assert garbage.status_code == 400
    assert "bok.se: Filen är ingen SIE-fil (den innehåller binära data)." in text(garbage)
    bad = upload(client, plan, "bok.se", b'#VER A 1 20250110 ""\n{\n#TRANS 5410 {} 1,5\n}\n', "sie")
    assert bad.status_code == 400
    assert "bok.se: Rad 3: beloppet ”1,5” är inget belopp (t.ex. -1250.50)." in text(bad)
    assert stored(follow_up) == {}


def test_an_import_prepared_before_another_change_is_refused(client_for, personas, follow_up):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    upload(client, plan, "u.csv", "rad;belopp\nkansli;1\n".encode(), "table")
    client.post(url("outcome", plan, PERIOD), {"version": 1, f"outcome-{line_pk(plan, 'enter')}": "5"})
    client.post(url("import_save", plan, PERIOD))
    assert stored(follow_up) == {"enter": Decimal("5")}


# ---------------------------------------------------------------------------
# The mapping page and file


def test_the_mapping_page_adds_changes_and_removes_mappings(client_for, personas):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    assert client.post(url("mapping", plan), {"new-account": "5410", "new-line": line_pk(plan, "kansli")}).status_code == 302
    assert list(AccountMapping.objects.values_list("account", "line_slug")) == [("5410", "kansli")]
    page = client.get(url("mapping", plan)).content.decode()
    assert re.search(rf'<option value="{line_pk(plan, "kansli")}" selected>Kansli</option>', page)
    client.post(url("mapping", plan), {"map-5410": line_pk(plan, "styrelse")})
    assert list(AccountMapping.objects.values_list("account", "line_slug")) == [("5410", "styrelse")]
    client.post(url("mapping", plan), {"map-5410": ""})
    assert not AccountMapping.objects.exists()
    no_line = client.post(url("mapping", plan), {"new-account": "6110", "new-line": ""})
    assert no_line.status_code == 400
    assert "Välj en rad i planen för kontot 6110." in text(no_line)
    bad = client.post(url("mapping", plan), {"new-account": "hyra", "new-line": line_pk(plan, "kansli")})
    assert bad.status_code == 400
    assert "Ny koppling rad 1, kolumn konto: ”hyra” är inget kontonummer eller objekt:&lt;dimension&gt;:&lt;id&gt;." in bad.content.decode()


def test_the_mapping_file_goes_in_and_out(client_for, personas):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    content = "konto;rad\n5410;kansli\nobjekt:1:100;Enter\n".encode()
    response = client.post(url("mapping_upload", plan), {"file": SimpleUploadedFile("k.csv", content)})
    assert response.status_code == 302
    download = client_for("board_a").get(url("mapping_csv", plan))
    assert download["Content-Disposition"] == 'attachment; filename="kontokopplingar-sodra-vatterbygden.csv"'
    assert download.content.decode("utf-8-sig") == "konto;rad\r\n5410;kansli\r\nobjekt:1:100;enter\r\n"
    client = client_for("chief_a")
    bad = client.post(url("mapping_upload", plan), {"file": SimpleUploadedFile("k.csv", b"konto;rad\n5410;nope\n")})
    assert bad.status_code == 400
    assert "k.csv rad 2, kolumn rad: planen har ingen rad ”nope”." in text(bad)
    assert list(AccountMapping.objects.order_by("account").values_list("account", "line_slug")) == [
        ("5410", "kansli"),
        ("objekt:1:100", "enter"),
    ]


# ---------------------------------------------------------------------------
# Participants


def test_the_chief_records_women_and_men_per_intervention(client_for, personas, follow_up):
    plan = personas["plan_a"]
    enter = plan.interventions.get(name="Enter")
    client = client_for("chief_a")
    response = client.post(url("participants", plan, PERIOD), {"version": 1, f"women-{enter.pk}": "12", f"men-{enter.pk}": "9"})
    assert response.status_code == 302
    assert list(ParticipantOutcome.objects.values_list("intervention__name", "women", "men")) == [("Enter", 12, 9)]
    bad = client.post(url("participants", plan, PERIOD), {"version": 2, f"women-{enter.pk}": "tolv"})
    assert bad.status_code == 400
    assert list(ParticipantOutcome.objects.values_list("women", "men")) == [(12, 9)]
    board = text(client_for("board_a").get(url("participants", plan, PERIOD)))
    assert "Enter" in board and " 12 9 " in board
