"""Who may do what: every URL of the app, for every persona, GET and POST, against one table.

A URL without a row in MATRIX fails the test, so a new page cannot ship without
a decision about who may use it. Each request runs in a savepoint that is rolled
back, so a POST that deletes or creates something does not affect the next one.

Outcomes:
  login  a redirect to the login page
  ok     the view ran for this person: a page (200), a redirect after a save or a
         refusal with a message (302), a form with errors (400), a stale save (409)
  405    the view does not take this method (asked only after access is granted)
  403    may see the plan but not do this
  404    told the plan does not exist
"""

import datetime

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from django.utils import timezone

from board.models import Comment, Sending
from budgets.models import Plan
from federations.models import Federation, Role

PERSONAS = ("anonymous", "chief_a", "board_a", "chief_b", "accountant", "superuser")

# Reading a plan: its chief, its board and the accountants; not another federation's chief.
READ = ("login", "ok", "ok", "404", "ok", "ok")
# Changing a draft plan: its chief and a superuser only; accountants correct data in the admin.
WRITE = ("login", "ok", "403", "404", "403", "ok")
# The same for a view that takes POST only (or GET only): the other method is told so
# once access is granted.
WRITE_OTHER_METHOD = ("login", "405", "403", "404", "403", "405")
# A download: read access, GET only.
READ_OTHER_METHOD = ("login", "405", "405", "404", "405", "405")
# The administrator's pages: superusers (and the administrators' group), never accountants.
ADMINISTRATOR = ("login", "403", "403", "403", "403", "ok")
# A federation's people: administrators only; its chief and board are refused, others told it does not exist.
MANAGE = ("login", "403", "403", "404", "403", "ok")
MANAGE_OTHER_METHOD = ("login", "403", "403", "404", "403", "405")
# The national overview: administrators and the national level; no federation's people.
NATIONAL = ("login", "403", "403", "403", "403", "ok")
NATIONAL_OTHER_METHOD = ("login", "403", "403", "403", "403", "405")
# Starting a comment: the board of a draft sent to it (the world's plan is), never the chief,
# an accountant or a superuser, who answer or read.
COMMENT = ("login", "403", "ok", "404", "403", "403")
# Anyone signed in, about themselves.
OWN = ("login", "ok", "ok", "ok", "ok", "ok")
# The follow-up of a plan's year: the world's plan is a draft, which has no year to follow up
# (tests/test_followup_page.py and test_followup_report.py cover an adopted plan's).
DRAFT_FOLLOW_UP = ("login", "404", "404", "404", "404", "404")
# The appendix of changes of a plan that has no other version (tests/test_compare.py covers one that has).
NO_OTHER_VERSION = ("login", "404", "404", "404", "404", "404")

MATRIX = {
    # url name                   GET                                          POST
    "health":                    (("ok",) * 6,                                ("405",) * 6),
    "login":                     (("ok",) * 6,                                ("ok",) * 6),
    "logout":                    (("405",) * 6,                               ("login",) * 6),
    "budgets:start":             (("login", "ok", "ok", "ok", "ok", "ok"),    ("login", "ok", "ok", "ok", "ok", "ok")),
    "budgets:plan":              (READ,                                       READ),
    "budgets:history":           (READ,                                       READ),
    "budgets:adopt":             (WRITE_OTHER_METHOD,                        WRITE),
    "budgets:revise":            (WRITE_OTHER_METHOD,                        WRITE),
    "budgets:roll_forward":      (WRITE_OTHER_METHOD,                        WRITE),
    "budgets:clear_stated":      (WRITE_OTHER_METHOD,                        WRITE),
    "reports:preview":           (READ,                                       READ),
    "reports:pdf":               (READ,                                       READ),
    "reports:pdf_status":        (READ,                                       READ),
    "reports:pdf_retry":         (READ_OTHER_METHOD,                          READ),
    "edit:profile":              (WRITE,                                      WRITE),
    "edit:members":              (WRITE,                                      WRITE),
    "edit:member":               (WRITE,                                      WRITE),
    "edit:member_delete":        (WRITE,                                      WRITE),
    "edit:columns":              (WRITE,                                      WRITE),
    "edit:column_move":          (WRITE_OTHER_METHOD,                        WRITE),
    "edit:column_delete":        (WRITE,                                      WRITE),
    "edit:grid":                 (WRITE,                                      WRITE),
    "edit:grid_live":            (WRITE_OTHER_METHOD,                        WRITE),
    "edit:contributions":        (WRITE,                                      WRITE),
    "edit:contributions_key":    (WRITE_OTHER_METHOD,                        WRITE),
    "edit:lines":                (WRITE,                                      WRITE_OTHER_METHOD),
    "edit:lines_save":           (WRITE_OTHER_METHOD,                        WRITE),
    "edit:line_create":          (WRITE_OTHER_METHOD,                        WRITE),
    "edit:line_move":            (WRITE_OTHER_METHOD,                        WRITE),
    "edit:line_delete":          (WRITE,                                      WRITE),
    "edit:chapters":             (WRITE,                                      WRITE),
    "edit:chapter":              (WRITE_OTHER_METHOD,                        WRITE),
    "edit:chapter_move":         (WRITE_OTHER_METHOD,                        WRITE),
    "edit:chapter_delete":       (WRITE,                                      WRITE),
    "edit:meetings":             (WRITE,                                      WRITE),
    "edit:meeting_create":       (WRITE_OTHER_METHOD,                        WRITE),
    "edit:meeting_move":         (WRITE_OTHER_METHOD,                        WRITE),
    "edit:meeting_delete":       (WRITE,                                      WRITE),
    "edit:activities":           (WRITE,                                      WRITE),
    "edit:activity_create":      (WRITE_OTHER_METHOD,                        WRITE),
    "edit:activity_move":        (WRITE_OTHER_METHOD,                        WRITE),
    "edit:activity_delete":      (WRITE,                                      WRITE),
    "interventions:list":        (WRITE,                                      WRITE_OTHER_METHOD),
    "interventions:create":      (WRITE,                                      WRITE),
    "interventions:edit":        (WRITE,                                      WRITE),
    "interventions:delete":      (WRITE,                                      WRITE),
    "budgets:excel":             (READ,                                       READ_OTHER_METHOD),
    "budgets:csv":               (READ,                                       READ_OTHER_METHOD),
    "budgets:excel_upload":      (WRITE,                                      WRITE),
    "budgets:excel_save":        (WRITE_OTHER_METHOD,                        WRITE),
    # An invitation's link (here an invalid one) and the page after it: anyone.
    "password_set":              (("ok",) * 6,                                ("ok",) * 6),
    "password_set_done":         (("ok",) * 6,                                ("405",) * 6),
    "federations:list":          (ADMINISTRATOR,                              ADMINISTRATOR),
    "federations:detail":        (WRITE,                                      WRITE_OTHER_METHOD),
    "federations:role_create":   (MANAGE_OTHER_METHOD,                       MANAGE),
    "federations:role_delete":   (MANAGE_OTHER_METHOD,                       MANAGE),
    "federations:plan_new":      (WRITE,                                      WRITE),
    "federations:plan_file_upload": (WRITE,                                   WRITE),
    "federations:plan_file_store": (WRITE_OTHER_METHOD,                      WRITE),
    "federations:national_setting": (WRITE_OTHER_METHOD,                     WRITE),
    "national:overview":         (NATIONAL,                                   NATIONAL_OTHER_METHOD),
    "followup:detail":           (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:report_pdf":       (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:report_sent":      (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:report_status":    (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:report_retry":     (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:fk_export":        (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:list":             (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:mapping":          (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:mapping_csv":      (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:mapping_upload":   (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:outcome":          (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:import":           (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:import_map":       (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:import_save":      (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "followup:participants":     (DRAFT_FOLLOW_UP,                            DRAFT_FOLLOW_UP),
    "compare:changes":           (READ,                                       READ_OTHER_METHOD),
    # The world's plan has no other version to compare with: nothing to render.
    "compare:pdf":               (NO_OTHER_VERSION,                           NO_OTHER_VERSION),
    "compare:pdf_status":        (NO_OTHER_VERSION,                           NO_OTHER_VERSION),
    "board:send":                (WRITE,                                      WRITE),
    "board:comments":            (READ,                                       COMMENT),
    "board:comment":             (READ,                                       WRITE),
    "board:comment_resolve":     (WRITE_OTHER_METHOD,                        WRITE),
    "board:comment_reopen":      (WRITE_OTHER_METHOD,                        WRITE),
    "board:preferences":         (OWN,                                        OWN),
}


def app_url_names() -> list[tuple[str, dict, list[str]]]:
    """Every named URL of the app (the Django admin has its own permissions and is left
    out), with the default arguments its pattern passes to the view and the names of
    the arguments in its path."""
    found = []

    def walk(patterns, namespace=None, parameters=()):
        for pattern in patterns:
            names = [*parameters, *getattr(pattern.pattern, "converters", {})]
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns, pattern.namespace or namespace, names)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found.append((name, pattern.default_args, names))

    walk(get_resolver().url_patterns)
    return found


@pytest.fixture
def world(seed_plans, django_user_model):
    """Federation A is Sydöstra Skåne (a draft with meetings, activities, chapters and
    interventions, sent to its board, with a comment of its board member); federation B is
    Höglandet. A board member's view of a draft not sent is in tests/test_board_access.py."""
    plan = seed_plans["sydostra-skane"]
    Plan.objects.filter(pk=plan.pk).update(status="draft")
    plan.refresh_from_db()
    federation_a = plan.federation
    federation_b = Federation.objects.get(slug="hoglandet")
    users = {}
    for name, fields in [
        ("chief_a", {}),
        ("board_a", {}),
        ("chief_b", {}),
        ("accountant", {"is_staff": True}),
        ("superuser", {"is_staff": True, "is_superuser": True}),
    ]:
        users[name] = django_user_model.objects.create_user(name, password=f"secret-{name}", **fields)
    Role.objects.create(user=users["chief_a"], federation=federation_a, kind="chief")
    Role.objects.create(user=users["board_a"], federation=federation_a, kind="board")
    Role.objects.create(user=users["chief_b"], federation=federation_b, kind="chief")
    Sending.objects.create(
        plan=plan, kind="board", meeting_date=datetime.date(plan.year - 1, 11, 20), sent_at=timezone.now(), plan_version=plan.version
    )
    Comment.objects.create(plan=plan, author=users["board_a"], body="Varför ökar lokalkostnaden?")
    return plan, users


def url_arguments(plan, name) -> dict:
    rows = {
        "chapter": plan.chapters.first(),
        "meeting": plan.meetings.first(),
        "activity": plan.activities.first(),
    }
    # "edit:meeting_move" and "edit:meeting_delete" take a meeting.
    row_kind = name.partition(":")[2].removesuffix("_move").removesuffix("_delete")
    return {
        "pk": plan.pk,
        "member_pk": plan.members.filter(kind="municipality").first().pk,
        "column_pk": plan.columns.first().pk,
        "line_pk": plan.lines.filter(section="cost").first().pk,
        "intervention_pk": plan.interventions.first().pk,
        "section_slug": "kostnader",
        "row_pk": rows.get(row_kind, rows["chapter"]).pk,
        "slug": plan.federation.slug,
        "role_pk": plan.federation.roles.get(kind="board").pk,
        "uidb64": "MQ",
        "token": "not-a-token",
        "period_end": datetime.date(plan.year, 4, 30),
        "file_format": "csv",
        "comment_pk": plan.comments.first().pk,
    }


def outcome(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    if response.status_code in (200, 302, 400, 409):
        return "ok"
    return str(response.status_code)


def test_every_url_has_a_row_in_the_matrix():
    names = {name for name, _defaults, _parameters in app_url_names()}
    assert sorted(names - set(MATRIX)) == [], "new URLs need a row in MATRIX"
    assert sorted(set(MATRIX) - names) == [], "MATRIX names URLs that no longer exist"


def test_every_persona_gets_what_the_matrix_says(client, world):
    plan, users = world
    differences = []
    for name, _defaults, parameters in app_url_names():
        arguments = url_arguments(plan, name)
        path = reverse(name, kwargs={parameter: arguments[parameter] for parameter in parameters})
        for method_index, method in enumerate(("get", "post")):
            expected = MATRIX[name][method_index]
            for persona_index, persona in enumerate(PERSONAS):
                client.logout()
                if persona != "anonymous":
                    client.force_login(users[persona])
                with transaction.atomic():
                    response = getattr(client, method)(path)
                    transaction.set_rollback(True)
                got = outcome(response)
                if got != expected[persona_index]:
                    differences.append(
                        f"{method.upper():4} {name:26} {persona:10} expected {expected[persona_index]}, got {got}"
                    )
    assert differences == [], "\n" + "\n".join(differences)
