"""Starting from nothing: an administrator creates a federation and invites its
chief, who sets a password, starts a plan in the wizard or reads a plan file in."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import Plan
from federations.access import ADMINISTRATORS_GROUP
from federations.models import Federation, Role
from tests.conftest import SEED_PLAN_DIR


@pytest.fixture
def people(db, django_user_model):
    def user(name, **fields):
        return django_user_model.objects.create_user(username=name, password=f"secret-{name}", **fields)

    federation = Federation.objects.create(slug="sjuharad", name="Sjuhärads samordningsförbund", short_name="Sjuhärad")
    other = Federation.objects.create(slug="annat", name="Annat förbund")
    chief, board, outsider = user("chief"), user("board"), user("outsider")
    Role.objects.create(user=chief, federation=federation, kind=Role.Kind.CHIEF)
    Role.objects.create(user=board, federation=federation, kind=Role.Kind.BOARD)
    Role.objects.create(user=outsider, federation=other, kind=Role.Kind.CHIEF)
    administrator = user("administrator")
    administrator.groups.add(Group.objects.create(name=ADMINISTRATORS_GROUP))
    return {
        "federation": federation,
        "chief": chief,
        "board": board,
        "outsider": outsider,
        "accountant": user("accountant", is_staff=True),
        "superuser": user("superuser", is_staff=True, is_superuser=True),
        "administrator": administrator,
    }


def as_user(client, people, name):
    client.force_login(people[name])
    return client


MEMBERS = "\n".join(
    [
        "Staten (FK+AF); staten",
        "Västra Götalandsregionen; region",
        "Borås stad; kommun; 114 000; 0,42",
        "Bollebygds kommun;; 9 800; 0,04",
        "Herrljunga kommun;; 9 500; 0,04",
        "Marks kommun\t\t35 000\t0,13",
        "Svenljunga kommun;; 10 800; 0,04",
        "Tranemo kommun;; 12 000; 0,33",
    ]
)


@pytest.mark.parametrize("name, status", [("superuser", 302), ("administrator", 302), ("accountant", 403), ("chief", 403)])
def test_only_administrators_create_federations(client, people, name, status):
    response = as_user(client, people, name).post(
        reverse("federations:list"), {"name": "Samordningsförbundet Norr", "short_name": "Norr", "org_number": "2220001234"}
    )
    assert response.status_code == status
    assert Federation.objects.filter(slug="norr").exists() == (status == 302)
    if status == 302:
        assert Federation.objects.get(slug="norr").org_number == "222000-1234"


def test_a_federation_with_a_taken_address_is_refused(client, people):
    response = as_user(client, people, "superuser").post(reverse("federations:list"), {"name": "Sjuhärad"})
    assert response.status_code == 400
    assert "Det finns redan ett förbund med adressen sjuharad." in response.content.decode()


@pytest.mark.parametrize(
    "name, detail, manage",
    [("superuser", 200, 302), ("administrator", 200, 302), ("chief", 200, 403), ("board", 403, 403), ("accountant", 403, 403), ("outsider", 404, 404)],
)
def test_who_sees_a_federation_and_who_gives_roles(client, people, name, detail, manage):
    client = as_user(client, people, name)
    assert client.get(reverse("federations:detail", args=["sjuharad"])).status_code == detail
    response = client.post(
        reverse("federations:role_create", args=["sjuharad"]), {"email": "ny@example.se", "kind": Role.Kind.BOARD}
    )
    assert response.status_code == manage
    assert Role.objects.filter(user__email="ny@example.se").exists() == (manage == 302)
    role = Role.objects.get(user=people["board"])
    assert client.post(reverse("federations:role_delete", args=["sjuharad", role.pk])).status_code == manage


def test_the_invited_chief_sets_a_password_and_signs_in(client, people):
    federation = people["federation"]
    as_user(client, people, "administrator").post(
        reverse("federations:role_create", args=["sjuharad"]),
        {"email": "Karin.Chef@Example.se", "first_name": "Karin", "last_name": "Chef", "kind": Role.Kind.CHIEF},
    )
    role = Role.objects.get(federation=federation, user__email="karin.chef@example.se")
    assert role.kind == Role.Kind.CHIEF and not role.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["karin.chef@example.se"]
    assert "Sjuhärad" in message.subject and "karin.chef@example.se" in message.body
    link = re.search(r"https?://\S+", message.body).group(0)
    client.logout()
    set_page = client.get(link, follow=True)
    assert "Välj lösenord" in set_page.content.decode()
    response = client.post(
        set_page.redirect_chain[-1][0], {"new_password1": "Vattenkanna-37", "new_password2": "Vattenkanna-37"}
    )
    assert response.status_code == 302
    assert client.login(username="karin.chef@example.se", password="Vattenkanna-37")
    # The link is spent once the password is set.
    assert "Länken är använd eller för gammal" in client.get(link, follow=True).content.decode()


def test_giving_a_known_person_another_role_sends_no_invitation(client, people):
    as_user(client, people, "superuser").post(
        reverse("federations:role_create", args=["sjuharad"]), {"email": "", "kind": Role.Kind.CHIEF}
    )
    people["board"].email = "bo@example.se"
    people["board"].save()
    response = client.post(reverse("federations:role_create", args=["sjuharad"]), {"email": "bo@example.se", "kind": Role.Kind.CHIEF})
    assert response.status_code == 302
    assert Role.objects.get(user=people["board"]).kind == Role.Kind.CHIEF
    assert mail.outbox == []


@pytest.mark.parametrize("name, status", [("chief", 200), ("superuser", 200), ("board", 403), ("outsider", 404)])
def test_who_may_start_or_import_a_plan(client, people, name, status):
    client = as_user(client, people, name)
    assert client.get(reverse("federations:plan_new", args=["sjuharad"])).status_code == status
    assert client.get(reverse("federations:plan_file_upload", args=["sjuharad"])).status_code == status
    response = client.post(reverse("federations:plan_new", args=["sjuharad"]), {"year": 2027, "last_year": 2029, "unit": "SEK", "members": MEMBERS})
    assert response.status_code == (302 if status == 200 else status)
    assert client.post(reverse("federations:plan_file_store", args=["sjuharad"])).status_code == (302 if status == 200 else status)


def test_the_wizard_makes_the_members_and_the_columns_from_the_years(client, people):
    response = as_user(client, people, "chief").post(
        reverse("federations:plan_new", args=["sjuharad"]), {"year": 2027, "last_year": 2029, "unit": "tkr", "members": MEMBERS}
    )
    plan = Plan.objects.get(federation=people["federation"], year=2027)
    assert response["Location"] == reverse("budgets:plan", args=[plan.pk])
    assert plan.unit == "tkr" and plan.status == Plan.Status.DRAFT
    assert [str(column) for column in plan.columns.all()] == ["Prognos 2026", "Budget 2027", "Plan 2028", "Plan 2029"]
    members = list(plan.members.all())
    assert len(members) == 8
    assert [(m.name, m.kind) for m in members[:2]] == [("Staten (FK+AF)", "state"), ("Västra Götalandsregionen", "region")]
    marks = next(m for m in members if m.name == "Marks kommun")
    assert (marks.kind, marks.population, str(marks.key_share), marks.key_share_places) == ("municipality", 35000, "0.130000", 2)
    page = client.get(response["Location"]).content.decode()
    assert "8 medlemmar och 4 kolumner" in page


def test_the_wizard_names_the_line_of_a_bad_member_and_stores_nothing(client, people):
    members = "Borås stad; kommun; många\nNågon förening\nBorås stad; kommun"
    response = as_user(client, people, "chief").post(
        reverse("federations:plan_new", args=["sjuharad"]), {"year": 2027, "last_year": 2026, "unit": "SEK", "members": members}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rad 1, folkmängd: Ange folkmängden som ett heltal, t.ex. 12 500." in page
    assert "Rad 2: ange slag för Någon förening" in page
    assert "Sista planåret ska vara budgetåret eller högst tio år senare." in page
    assert not Plan.objects.exists()


def test_a_second_plan_for_the_same_year_is_refused(client, people):
    client = as_user(client, people, "chief")
    values = {"year": 2027, "last_year": 2027, "unit": "SEK", "members": MEMBERS}
    client.post(reverse("federations:plan_new", args=["sjuharad"]), values)
    response = client.post(reverse("federations:plan_new", args=["sjuharad"]), values)
    assert response.status_code == 400 and "Förbundet har redan en plan för 2027." in response.content.decode()
    assert Plan.objects.count() == 1


def upload_plan_file(client, content: bytes, name="plan.json"):
    return client.post(
        reverse("federations:plan_file_upload", args=["sjuharad"]), {"file": SimpleUploadedFile(name, content, "application/json")}
    )


def test_a_plan_file_is_previewed_then_stored(client, people):
    client = as_user(client, people, "chief")
    response = upload_plan_file(client, (SEED_PLAN_DIR / "sjuharad-2022.json").read_bytes())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Planfil för 2022" in page and "Ingenting är sparat ännu." in page
    assert not Plan.objects.exists()
    response = client.post(reverse("federations:plan_file_store", args=["sjuharad"]))
    plan = Plan.objects.get(federation=people["federation"], year=2022)
    assert response["Location"] == reverse("budgets:plan", args=[plan.pk])
    # A second time the year is taken: refused, nothing replaced.
    upload_plan_file(client, (SEED_PLAN_DIR / "sjuharad-2022.json").read_bytes())
    response = client.post(reverse("federations:plan_file_store", args=["sjuharad"]))
    assert response.status_code == 409 and "redan en plan för 2022" in response.content.decode()
    assert Plan.objects.count() == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ((SEED_PLAN_DIR / "hoglandet-2023.json").read_bytes(), "Filen är en plan för Höglandet, inte för Sjuhärad."),
        (b"PK\x03\x04 not json", "Filen lästes inte in. Ingenting har sparats."),
        (b'{"format": "finsam-plan/1"}', "Filen lästes inte in. Ingenting har sparats."),
        (b" " * (2 * 1024 * 1024 + 1), "Filen är större än 2 MB"),
    ],
)
def test_a_plan_file_that_cannot_be_stored_is_refused(client, people, content, message):
    response = upload_plan_file(as_user(client, people, "chief"), content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Plan.objects.exists()
