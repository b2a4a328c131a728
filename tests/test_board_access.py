"""Who reads a draft of the board's side, before and after it is sent, on every reading path:
the plan page, its history, the PDF and its preview, Excel and CSV, the comments, and the
start page's list. A board member is told a draft not yet sent does not exist, as an outsider is."""

import datetime

import pytest
from django.urls import reverse

from board.models import Comment
from board.services import plan_send

READING_PATHS = ("budgets:plan", "budgets:history", "reports:preview", "budgets:excel", "budgets:csv", "board:comments")
PERSONAS = ("anonymous", "chief_a", "board_a", "board_b", "contact_a", "chief_b", "accountant", "superuser")


def send(people, kind="board"):
    return plan_send(
        plan=people["draft_a"], kind=kind, meeting_date=datetime.date(2026, 11, 20), acting_user=people["chief_a"], seen_version=None
    )


def statuses(client, people, plan, names=READING_PATHS):
    """{persona: [status per path]}; a redirect to the login page is "login"."""
    result = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(people[persona])
        row = []
        for name in names:
            response = client.get(reverse(name, args=[plan.pk]))
            row.append("login" if response.status_code == 302 and "/konto/logga-in/" in response["Location"] else response.status_code)
        result[persona] = row
    return result


def expected(**overrides):
    table = {
        "anonymous": ["login"] * len(READING_PATHS),
        "chief_a": [200] * len(READING_PATHS),
        "board_a": [404] * len(READING_PATHS),
        "board_b": [404] * len(READING_PATHS),
        "contact_a": [404] * len(READING_PATHS),
        "chief_b": [404] * len(READING_PATHS),
        "accountant": [200] * len(READING_PATHS),
        "superuser": [200] * len(READING_PATHS),
    }
    table.update({name: [status] * len(READING_PATHS) for name, status in overrides.items()})
    return table


def test_a_draft_not_sent_is_hidden_from_the_board_and_member_contacts(client, board_personas):
    assert statuses(client, board_personas, board_personas["draft_a"]) == expected()


def test_a_draft_sent_to_the_board_is_read_by_its_board_only(client, board_personas):
    send(board_personas)
    assert statuses(client, board_personas, board_personas["draft_a"]) == expected(board_a=200)


def test_a_draft_sent_to_the_consultation_is_read_by_member_contacts_too(client, board_personas):
    send(board_personas, kind="consultation")
    assert statuses(client, board_personas, board_personas["draft_a"]) == expected(board_a=200, contact_a=200)


def test_the_adopted_plan_stays_readable_by_the_board(client, board_personas):
    got = statuses(client, board_personas, board_personas["plan_a"], names=("budgets:plan", "board:comments"))
    assert got["board_a"] == [200, 200]
    assert got["contact_a"] == [200, 200]
    assert got["board_b"] == [404, 404]
    assert got["chief_b"] == [404, 404]


def test_the_pdf_of_a_draft_is_served_to_the_board_only_once_sent(client, board_personas):
    draft = board_personas["draft_a"]
    client.force_login(board_personas["board_a"])
    assert client.get(reverse("reports:pdf", args=[draft.pk])).status_code == 404
    assert client.get(reverse("reports:pdf_status", args=[draft.pk])).status_code == 404
    send(board_personas)
    response = client.get(reverse("reports:pdf", args=[draft.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    client.force_login(board_personas["board_b"])
    assert client.get(reverse("reports:pdf", args=[draft.pk])).status_code == 404


def test_the_start_page_lists_a_draft_for_the_board_only_once_sent(client, board_personas):
    draft_url = reverse("budgets:plan", args=[board_personas["draft_a"].pk])
    client.force_login(board_personas["board_a"])
    page = client.get(reverse("budgets:start")).content.decode()
    assert reverse("budgets:plan", args=[board_personas["plan_a"].pk]) in page
    assert draft_url not in page
    send(board_personas)
    assert draft_url in client.get(reverse("budgets:start")).content.decode()
    client.force_login(board_personas["contact_a"])
    assert draft_url not in client.get(reverse("budgets:start")).content.decode()


@pytest.mark.parametrize(
    "persona, status",
    [("chief_a", 200), ("board_a", 404), ("contact_a", 404), ("board_b", 404), ("chief_b", 404), ("accountant", 403), ("superuser", 200)],
)
def test_only_the_chief_opens_the_sending_page(client, board_personas, persona, status):
    client.force_login(board_personas[persona])
    assert client.get(reverse("board:send", args=[board_personas["draft_a"].pk])).status_code == status


def test_a_board_member_may_not_send_a_sent_draft_again(client, board_personas):
    send(board_personas)
    client.force_login(board_personas["board_a"])
    response = client.post(reverse("board:send", args=[board_personas["draft_a"].pk]), {"kind": "board", "meeting_date": "2026-12-01", "version": 1})
    assert response.status_code == 403
    assert board_personas["draft_a"].sendings.count() == 1


def test_an_adopted_plan_cannot_be_sent(client, board_personas):
    client.force_login(board_personas["chief_a"])
    plan = board_personas["plan_a"]
    response = client.post(reverse("board:send", args=[plan.pk]), {"kind": "board", "meeting_date": "2026-12-01", "version": plan.version})
    assert response.status_code == 403
    assert plan.sendings.count() == 0


@pytest.mark.parametrize(
    "persona, status, stored",
    [
        ("anonymous", "login", 0),
        ("chief_a", 403, 0),
        ("board_a", 302, 1),
        ("board_b", 404, 0),
        ("contact_a", 404, 0),
        ("chief_b", 404, 0),
        ("accountant", 403, 0),
    ],
)
def test_who_may_comment_on_a_draft_sent_to_the_board(client, board_personas, persona, status, stored):
    send(board_personas)
    draft = board_personas["draft_a"]
    if persona != "anonymous":
        client.force_login(board_personas[persona])
    response = client.post(reverse("board:comments", args=[draft.pk]), {"anchor": "plan", "body": "En fråga."})
    got = "login" if response.status_code == 302 and "/konto/logga-in/" in response["Location"] else response.status_code
    assert got == status
    assert Comment.objects.filter(plan=draft).count() == stored


def test_a_member_contact_comments_only_on_a_draft_sent_to_the_consultation(client, board_personas):
    draft = board_personas["draft_a"]
    send(board_personas)
    client.force_login(board_personas["contact_a"])
    url = reverse("board:comments", args=[draft.pk])
    assert client.post(url, {"anchor": "plan", "body": "Kommunens synpunkt."}).status_code == 404
    send(board_personas, kind="consultation")
    assert client.post(url, {"anchor": "plan", "body": "Kommunens synpunkt."}).status_code == 302
    assert list(Comment.objects.filter(plan=draft).values_list("author__username", "body")) == [("contact_a", "Kommunens synpunkt.")]


@pytest.mark.parametrize("persona, status", [("board_a", 403), ("contact_a", 403), ("accountant", 403), ("board_b", 404), ("chief_b", 404)])
def test_readers_may_not_answer_resolve_or_reopen(client, board_personas, persona, status):
    send(board_personas, kind="consultation")
    draft = board_personas["draft_a"]
    comment = Comment.objects.create(plan=draft, author=board_personas["board_a"], body="Fråga")
    client.force_login(board_personas[persona])
    for name, data in (("board:comment", {"body": "Svar"}), ("board:comment_resolve", {}), ("board:comment_reopen", {})):
        assert client.post(reverse(name, args=[draft.pk, comment.pk]), data).status_code == status, name
    comment.refresh_from_db()
    assert (comment.status, comment.replies.count()) == ("open", 0)


def test_a_comment_of_another_plan_is_not_found_through_this_one(client, board_personas):
    send(board_personas)
    other = Comment.objects.create(plan=board_personas["plan_b"], author=board_personas["chief_b"], body="Höglandets")
    client.force_login(board_personas["chief_a"])
    assert client.get(reverse("board:comment", args=[board_personas["draft_a"].pk, other.pk])).status_code == 404
    assert client.post(reverse("board:comment_resolve", args=[board_personas["draft_a"].pk, other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == "open"


def test_only_an_administrator_gives_the_member_contact_role(client, board_personas):
    federation = board_personas["plan_a"].federation
    data = {"email": "ny@example.se", "kind": "member", "member_name": "Vaggeryds kommun"}
    for persona in ("accountant", "chief_a", "board_a"):
        client.force_login(board_personas[persona])
        assert client.post(reverse("federations:role_create", args=[federation.slug]), data).status_code == 403, persona
    assert not federation.roles.filter(user__email="ny@example.se").exists()
    client.force_login(board_personas["superuser"])
    response = client.post(reverse("federations:role_create", args=[federation.slug]), data)
    assert response.status_code == 302
    assert list(federation.roles.filter(user__email="ny@example.se").values_list("kind", "member_name")) == [("member", "Vaggeryds kommun")]


def test_a_member_contact_needs_the_member_it_speaks_for(client, board_personas):
    federation = board_personas["plan_a"].federation
    client.force_login(board_personas["superuser"])
    response = client.post(
        reverse("federations:role_create", args=[federation.slug]), {"email": "ny@example.se", "kind": "member", "member_name": "  "}
    )
    assert response.status_code == 400
    assert "Ange vilken medlem kontaktpersonen företräder." in response.content.decode()
    assert not federation.roles.filter(user__email="ny@example.se").exists()


def test_no_page_of_the_adopted_plan_links_the_board_to_a_draft_not_sent(client, board_personas):
    adopted, draft = board_personas["plan_a"], board_personas["draft_a"]
    draft_url = reverse("budgets:plan", args=[draft.pk])
    client.force_login(board_personas["board_a"])
    pages = [reverse("budgets:plan", args=[adopted.pk]), reverse("compare:changes", args=[adopted.pk])]
    for page in pages:
        text = client.get(page).content.decode()
        assert draft_url not in text and "revision 2" not in text, page
    assert client.get(reverse("compare:changes", args=[adopted.pk]) + f"?mot={draft.pk}").status_code == 404
    send(board_personas)
    assert draft_url in client.get(pages[0]).content.decode()
    assert "revision 2" in client.get(pages[1]).content.decode()
