"""Who may open and use the edit pages: the chief of a draft plan only.

Board members get 403 on every edit URL whatever the method, people outside
the federation 404, and an adopted plan is 403 even for its chief. The
fixtures and helpers here are shared by the other edit tests.
"""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from board.models import Sending
from budgets.models import BudgetLine, Meeting, Plan
from budgets.planfile import read_plan_file
from budgets.services import plan_import, plan_new_revision
from federations.models import Role
from tests.conftest import SEED_PLAN_PATHS

STALE_TEXT = "Någon annan har ändrat planen sedan du öppnade sidan. Här är de nuvarande värdena – gör om din ändring."


@pytest.fixture(scope="module")
def edit_world(django_db_setup, django_db_blocker):
    """The five seed plans, the people around them and a draft of Södra Vätterbygden 2025 sent to its board,
    made once per module and rolled back after it; each test runs in a savepoint inside.

    chief_a edits Södra Vätterbygden, board_a reads it, chief_b is Höglandet's chief
    (the outsider), chief_sjuharad edits Sjuhärad.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        plans = {}
        for path in SEED_PLAN_PATHS:
            plan = plan_import(document=read_plan_file(path.read_bytes()))
            plans[plan.federation.slug] = plan
        users = {}
        for name, slug, kind in [
            ("chief_a", "sodra-vatterbygden", Role.Kind.CHIEF),
            ("board_a", "sodra-vatterbygden", Role.Kind.BOARD),
            ("chief_b", "hoglandet", Role.Kind.CHIEF),
            ("chief_sjuharad", "sjuharad", Role.Kind.CHIEF),
        ]:
            users[name] = get_user_model().objects.create_user(username=name, password=f"secret-{name}")
            Role.objects.create(user=users[name], federation=plans[slug].federation, kind=kind)
        draft = plan_new_revision(plan=plans["sodra-vatterbygden"], acting_user=users["chief_a"])
        # Sent to the board, so that its board member reads it (before that, the draft is
        # hidden from the board: tests/test_board_access.py).
        Sending.objects.create(
            plan=draft, kind="board", meeting_date=datetime.date(2026, 11, 20), sent_at=timezone.now(), plan_version=draft.version
        )
        yield {
            "users": {name: user.pk for name, user in users.items()},
            "plans": {slug: plan.pk for slug, plan in plans.items()},
            "draft_a": draft.pk,
        }
        transaction.set_rollback(True)


@pytest.fixture
def world(edit_world, db, settings):
    settings.AXES_ENABLED = False
    return edit_world


@pytest.fixture
def draft_a(world):
    """Södra Vätterbygden 2025 as a draft: revision 2 of the adopted plan."""
    return Plan.objects.select_related("federation").get(pk=world["draft_a"])


@pytest.fixture
def seed(world):
    """The seed plans as imported: federation slug -> Plan."""
    return {slug: Plan.objects.select_related("federation").get(pk=pk) for slug, pk in world["plans"].items()}


@pytest.fixture
def sign_in(client, world):
    """A test client signed in as the named person (anonymous for None)."""

    def sign_in_as(name):
        client.logout()
        if name is not None:
            client.force_login(get_user_model().objects.get(pk=world["users"][name]))
        return client

    return sign_in_as


@pytest.fixture
def chief(sign_in):
    return sign_in("chief_a")


def version_of(plan) -> int:
    return Plan.objects.get(pk=plan.pk).version


def post(client, url, data=None, *, plan, version=None):
    """POST as the page's form would, with the plan version the page was rendered with."""
    return client.post(url, {"version": version_of(plan) if version is None else version, **(data or {})})


def text_of(response) -> str:
    """The page's text without tags, spaces collapsed: what a reader sees."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def finding_codes(response) -> list[str]:
    return re.findall(r'data-code="([A-Z_]+)"', response.content.decode())


def edit_urls(plan) -> list[tuple[str, str]]:
    """Every edit URL of the plan, with the methods it takes ("GET POST", "GET" or "POST")."""
    member = plan.members.first()
    column = plan.columns.first()
    line = plan.lines.filter(section=BudgetLine.Section.COST).first()
    chapter = plan.chapters.first()
    if plan.is_adopted:
        # Nothing can be added to an adopted plan; the answer comes before any row is looked up.
        meeting = plan.meetings.first() or Meeting(pk=999_999)
        activity = plan.activities.first() or Meeting(pk=999_999)
    else:
        meeting = plan.meetings.first() or Meeting.objects.create(plan=plan, date="2025-02-01", body="board")
        activity = plan.activities.first() or plan.activities.create(name="Frukostmöte")
    intervention = plan.interventions.first()
    pk = plan.pk
    return [
        (reverse("edit:profile", args=[pk]), "GET POST"),
        (reverse("edit:members", args=[pk]), "GET POST"),
        (reverse("edit:member", args=[pk, member.pk]), "GET POST"),
        (reverse("edit:member_delete", args=[pk, member.pk]), "GET POST"),
        (reverse("edit:columns", args=[pk]), "GET POST"),
        (reverse("edit:column_move", args=[pk, column.pk]), "POST"),
        (reverse("edit:column_delete", args=[pk, column.pk]), "GET POST"),
        (reverse("edit:contributions", args=[pk]), "GET POST"),
        (reverse("edit:contributions_key", args=[pk]), "POST"),
        (reverse("edit:lines", args=[pk]), "GET"),
        (reverse("edit:lines_save", args=[pk, "kostnader"]), "POST"),
        (reverse("edit:line_create", args=[pk, "intakter"]), "POST"),
        (reverse("edit:line_move", args=[pk, line.pk]), "POST"),
        (reverse("edit:line_delete", args=[pk, line.pk]), "GET POST"),
        (reverse("edit:chapters", args=[pk]), "GET POST"),
        (reverse("edit:chapter", args=[pk, chapter.pk]), "POST"),
        (reverse("edit:chapter_move", args=[pk, chapter.pk]), "POST"),
        (reverse("edit:chapter_delete", args=[pk, chapter.pk]), "GET POST"),
        (reverse("edit:meetings", args=[pk]), "GET POST"),
        (reverse("edit:meeting_create", args=[pk]), "POST"),
        (reverse("edit:meeting_move", args=[pk, meeting.pk]), "POST"),
        (reverse("edit:meeting_delete", args=[pk, meeting.pk]), "GET POST"),
        (reverse("edit:activities", args=[pk]), "GET POST"),
        (reverse("edit:activity_create", args=[pk]), "POST"),
        (reverse("edit:activity_move", args=[pk, activity.pk]), "POST"),
        (reverse("edit:activity_delete", args=[pk, activity.pk]), "GET POST"),
        (reverse("interventions:list", args=[pk]), "GET"),
        (reverse("interventions:create", args=[pk]), "GET POST"),
        (reverse("interventions:edit", args=[pk, intervention.pk]), "GET POST"),
        (reverse("interventions:delete", args=[pk, intervention.pk]), "GET POST"),
    ]


def _answers(client, plan, urls):
    """{(url, method): status} for GET and POST of every URL, nothing else changed."""
    answers = {}
    for url, _methods in urls:
        answers[(url, "GET")] = client.get(url).status_code
        answers[(url, "POST")] = post(client, url, {"direction": "up"}, plan=plan).status_code
    return answers


def test_the_chief_opens_every_edit_page_of_a_draft(chief, draft_a):
    for url, methods in edit_urls(draft_a):
        response = chief.get(url)
        assert response.status_code == (200 if "GET" in methods else 405), url


def test_a_board_member_gets_403_on_every_edit_url_and_nothing_changes(sign_in, draft_a):
    urls = edit_urls(draft_a)
    version = version_of(draft_a)
    answers = _answers(sign_in("board_a"), draft_a, urls)
    assert set(answers.values()) == {403}, [key for key, status in answers.items() if status != 403]
    assert version_of(draft_a) == version


def test_the_chief_of_another_federation_gets_404_on_every_edit_url(sign_in, draft_a):
    urls = edit_urls(draft_a)
    version = version_of(draft_a)
    answers = _answers(sign_in("chief_b"), draft_a, urls)
    assert set(answers.values()) == {404}, [key for key, status in answers.items() if status != 404]
    assert version_of(draft_a) == version


def test_an_adopted_plan_is_403_on_every_edit_url_even_for_its_chief(sign_in, seed):
    adopted = seed["sodra-vatterbygden"]
    assert adopted.is_adopted
    urls = edit_urls(adopted)
    version = version_of(adopted)
    answers = _answers(sign_in("chief_a"), adopted, urls)
    assert set(answers.values()) == {403}, [key for key, status in answers.items() if status != 403]
    assert version_of(adopted) == version


def test_someone_not_signed_in_is_sent_to_the_login_page(sign_in, draft_a):
    client = sign_in(None)
    for url, _methods in edit_urls(draft_a):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_the_edit_pages_of_another_federations_objects_are_404(chief, draft_a, seed):
    other = seed["hoglandet"]
    response = chief.get(reverse("edit:member", args=[draft_a.pk, other.members.first().pk]))
    assert response.status_code == 404
    response = post(
        chief, reverse("edit:line_move", args=[draft_a.pk, other.lines.first().pk]), {"direction": "up"}, plan=draft_a
    )
    assert response.status_code == 404
    response = chief.get(reverse("interventions:edit", args=[draft_a.pk, other.interventions.first().pk]))
    assert response.status_code == 404


def test_the_plan_page_shows_the_edit_nav_to_the_chief_of_a_draft_only(sign_in, draft_a, seed):
    response = sign_in("chief_a").get(reverse("budgets:plan", args=[draft_a.pk]))
    assert 'aria-label="Redigera planen"' in response.content.decode()
    assert reverse("edit:contributions", args=[draft_a.pk]) in response.content.decode()

    response = sign_in("board_a").get(reverse("budgets:plan", args=[draft_a.pk]))
    assert 'aria-label="Redigera planen"' not in response.content.decode()

    response = sign_in("chief_a").get(reverse("budgets:plan", args=[seed["sodra-vatterbygden"].pk]))
    assert 'aria-label="Redigera planen"' not in response.content.decode()


@pytest.mark.parametrize(
    "name, label",
    [
        ("edit:profile", "Förbund och plan"),
        ("edit:members", "Medlemmar"),
        ("edit:columns", "Kolumner"),
        ("edit:contributions", "Medlemsbidrag"),
        ("edit:lines", "Intäkter och kostnader"),
        ("interventions:list", "Insatser"),
        ("edit:chapters", "Kapitel"),
        ("edit:meetings", "Möten"),
        ("edit:activities", "Aktiviteter"),
    ],
)
def test_every_edit_page_marks_itself_in_the_nav_and_shows_the_findings(chief, draft_a, name, label):
    response = chief.get(reverse(name, args=[draft_a.pk]))
    html = response.content.decode()
    current = re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page">([^<]+)</a>', html)
    assert current == [(reverse(name, args=[draft_a.pk]), label)]
    assert 'id="findings-panel"' in html
    if name != "interventions:list":  # the list has no form that saves
        assert f'name="version" value="{version_of(draft_a)}"' in html


GARBAGE = ["", "x" * 400, "-1", "1e999", "99999999999999999999999", "12,5,5", "\x00", "2025-02-30", "<script>"]


def test_no_input_makes_an_edit_page_fail(chief, draft_a):
    """Whatever is posted to any edit URL, the answer is a redirect, a page with errors,
    the stale message or 404 for a row removed by an earlier post: never a server error."""
    urls = edit_urls(draft_a)
    names = set()
    for url, methods in urls:
        if "GET" in methods:
            names.update(re.findall(r'name="([^"]+)"', chief.get(url).content.decode()))
    names -= {"csrfmiddlewaretoken", "version"}
    for garbage in GARBAGE:
        for url, methods in urls:
            if "POST" not in methods:
                continue
            response = post(chief, url, {name: garbage for name in names}, plan=draft_a)
            assert response.status_code in (302, 400, 404, 409), (url, garbage, response.status_code)


def test_a_view_given_a_queryset_loads_the_plan_with_it_under_the_same_access_rules(world, draft_a, rf):
    from django.core.exceptions import PermissionDenied
    from django.db.models import Value
    from django.http import Http404, HttpResponse

    from budgets.editing.base import edit_view

    loaded = {}

    def record(request, plan):
        loaded[request.user.username] = plan
        return HttpResponse()

    row_only = edit_view(
        "GET", queryset=lambda: Plan.objects.select_related("federation").annotate(loaded_by=Value("row only"))
    )(record)
    full = edit_view("GET")(record)
    users = {name: get_user_model().objects.get(pk=pk) for name, pk in world["users"].items()}

    def call(view, name):
        request = rf.get("/")
        request.user = users[name]
        return view(request, draft_a.pk)

    assert call(row_only, "chief_a").status_code == 200
    assert loaded["chief_a"].loaded_by == "row only"
    assert call(full, "chief_a").status_code == 200
    assert not hasattr(loaded["chief_a"], "loaded_by")
    with pytest.raises(PermissionDenied):
        call(row_only, "board_a")
    with pytest.raises(Http404):
        call(row_only, "chief_b")
