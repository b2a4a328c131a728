"""Comments on a sent draft: written by a board member on a budget line, answered, resolved and
reopened by the chief, shown by the line on the plan page and in the list; kept read-only with
an adopted plan; plain text with a length limit."""

import datetime

from django.urls import reverse

from board.models import COMMENT_MAX_CHARS, Comment
from board.services import plan_send
from budgets.editing.lines import line_move
from budgets.models import BudgetLine
from budgets.services import plan_adopt


def send(people):
    return plan_send(
        plan=people["draft_a"], kind="board", meeting_date=datetime.date(2026, 11, 20), acting_user=people["chief_a"], seen_version=None
    )


def cost_line(plan):
    return BudgetLine.objects.filter(plan=plan, section="cost").order_by("order", "pk").first()


def rows(plan):
    return list(
        Comment.objects.filter(plan=plan)
        .order_by("pk")
        .values_list("author__username", "parent__author__username", "anchor_kind", "anchor_id", "anchor_label", "body", "status")
    )


def test_a_board_member_comments_on_a_line_and_the_chief_answers_resolves_and_reopens(client, board_personas):
    draft = board_personas["draft_a"]
    send(board_personas)
    line = cost_line(draft)
    client.force_login(board_personas["board_a"])
    response = client.post(reverse("board:comments", args=[draft.pk]), {"anchor": f"line-{line.pk}", "body": "Varför ökar <b>lokalerna</b>?"})
    assert response.status_code == 302
    thread = Comment.objects.get(plan=draft)
    assert response["Location"] == reverse("board:comment", args=[draft.pk, thread.pk])
    assert rows(draft) == [("board_a", None, "line", line.pk, line.label, "Varför ökar <b>lokalerna</b>?", "open")]

    client.force_login(board_personas["chief_a"])
    assert client.post(reverse("board:comment", args=[draft.pk, thread.pk]), {"body": "Ny hyra från juli."}).status_code == 302
    assert client.post(reverse("board:comment_resolve", args=[draft.pk, thread.pk])).status_code == 302
    assert rows(draft) == [
        ("board_a", None, "line", line.pk, line.label, "Varför ökar <b>lokalerna</b>?", "resolved"),
        ("chief_a", "board_a", "line", line.pk, line.label, "Ny hyra från juli.", "open"),
    ]
    thread.refresh_from_db()
    assert thread.resolved_by == board_personas["chief_a"] and thread.resolved_at is not None
    assert client.post(reverse("board:comment_reopen", args=[draft.pk, thread.pk])).status_code == 302
    thread.refresh_from_db()
    assert (thread.status, thread.resolved_by, thread.resolved_at) == ("open", None, None)
    # Every change is in the comment's history: written, resolved, reopened.
    assert list(thread.history.order_by("history_date").values_list("status", "history_user__username")) == [
        ("open", "board_a"),
        ("resolved", "chief_a"),
        ("open", "chief_a"),
    ]


def test_the_plan_page_marks_the_line_and_shows_the_thread_escaped(client, board_personas):
    draft = board_personas["draft_a"]
    send(board_personas)
    line = cost_line(draft)
    Comment.objects.create(
        plan=draft, anchor_kind="line", anchor_id=line.pk, anchor_label=line.label, author=board_personas["board_a"], body="<script>x</script>{{ plan }}"
    )
    client.force_login(board_personas["board_a"])
    page = client.get(reverse("budgets:plan", args=[draft.pk])).content.decode()
    assert f'id="marker-line-{line.pk}"' in page
    assert "1 kommentar<span" in page
    assert "&lt;script&gt;x&lt;/script&gt;{{ plan }}" in page
    assert "<script>x</script>" not in page
    assert "Förslag till styrelsen, mötet 2026-11-20." in page


def test_the_list_filters_open_and_resolved(client, board_personas):
    draft = board_personas["draft_a"]
    send(board_personas)
    Comment.objects.create(plan=draft, author=board_personas["board_a"], body="Öppen fråga")
    Comment.objects.create(plan=draft, author=board_personas["board_a"], body="Besvarad fråga", status="resolved")
    client.force_login(board_personas["board_a"])
    url = reverse("board:comments", args=[draft.pk])
    open_page = client.get(url).content.decode()
    resolved_page = client.get(url + "?status=resolved").content.decode()
    all_page = client.get(url + "?status=all").content.decode()
    assert ("Öppen fråga" in open_page, "Besvarad fråga" in open_page) == (True, False)
    assert ("Öppen fråga" in resolved_page, "Besvarad fråga" in resolved_page) == (False, True)
    assert ("Öppen fråga" in all_page, "Besvarad fråga" in all_page) == (True, True)
    # An unknown filter shows the open ones, as without a filter.
    assert client.get(url + "?status=<x>").status_code == 200


def test_changes_after_sending_are_shown_as_such(client, board_personas):
    draft = board_personas["draft_a"]
    sending = send(board_personas)
    client.force_login(board_personas["board_a"])
    notice = "Ändrad efter att den skickades till styrelsen"
    assert notice not in client.get(reverse("budgets:plan", args=[draft.pk])).content.decode()
    line_move(plan=draft, line=cost_line(draft), direction="down", acting_user=board_personas["chief_a"], seen_version=sending.plan_version)
    draft.refresh_from_db()
    assert draft.version > sending.plan_version
    client.force_login(board_personas["board_a"])
    page = client.get(reverse("budgets:plan", args=[draft.pk])).content.decode()
    assert f"{notice} {sending.sent_at.date().isoformat()}." in page


def test_a_comment_too_long_or_empty_is_refused_with_a_message(client, board_personas):
    draft = board_personas["draft_a"]
    send(board_personas)
    client.force_login(board_personas["board_a"])
    url = reverse("board:comments", args=[draft.pk])
    response = client.post(url, {"anchor": "plan", "body": "x" * (COMMENT_MAX_CHARS + 1)})
    assert response.status_code == 400
    assert f"Kommentaren får vara högst {COMMENT_MAX_CHARS} tecken; den är {COMMENT_MAX_CHARS + 1} tecken." in response.content.decode()
    response = client.post(url, {"anchor": "plan", "body": "   "})
    assert response.status_code == 400
    assert "Skriv en kommentar." in response.content.decode()
    response = client.post(url, {"anchor": "line-999999", "body": "Fråga"})
    assert response.status_code == 400
    assert "Välj en plats i planen." in response.content.decode()
    assert Comment.objects.filter(plan=draft).count() == 0


def test_a_line_of_another_plan_is_not_a_place_in_this_one(client, board_personas):
    draft = board_personas["draft_a"]
    send(board_personas)
    client.force_login(board_personas["board_a"])
    other_line = cost_line(board_personas["plan_b"])
    response = client.post(reverse("board:comments", args=[draft.pk]), {"anchor": f"line-{other_line.pk}", "body": "Fråga"})
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_an_adopted_plans_comments_are_kept_read_only(client, board_personas):
    draft = board_personas["draft_a"]
    send(board_personas)
    thread = Comment.objects.create(plan=draft, author=board_personas["board_a"], body="Fråga före beslutet")
    draft.refresh_from_db()
    plan_adopt(plan=draft, adopted_on=datetime.date(2026, 11, 20), reference="", acting_user=board_personas["chief_a"])
    client.force_login(board_personas["board_a"])
    page = client.get(reverse("board:comments", args=[draft.pk])).content.decode()
    assert "Fråga före beslutet" in page
    assert "Planen är fastställd. Kommentarerna sparas med den och kan inte längre ändras." in page
    assert 'id="comment-form"' not in page
    assert client.post(reverse("board:comments", args=[draft.pk]), {"anchor": "plan", "body": "Till"}).status_code == 403
    client.force_login(board_personas["chief_a"])
    assert client.post(reverse("board:comment", args=[draft.pk, thread.pk]), {"body": "Svar"}).status_code == 403
    assert client.post(reverse("board:comment_resolve", args=[draft.pk, thread.pk])).status_code == 403
    assert rows(draft) == [("board_a", None, "plan", None, "", "Fråga före beslutet", "open")]


def test_a_stale_sending_is_refused_and_nothing_is_stored(client, board_personas):
    draft = board_personas["draft_a"]
    client.force_login(board_personas["chief_a"])
    url = reverse("board:send", args=[draft.pk])
    response = client.post(url, {"kind": "board", "meeting_date": "2026-11-20", "version": draft.version - 1})
    assert response.status_code == 400
    assert "Någon annan har ändrat planen medan du tittade på den." in response.content.decode()
    response = client.post(url, {"kind": "board", "meeting_date": "20/11/2026", "version": draft.version})
    assert response.status_code == 400
    assert "Ange datum som ÅÅÅÅ-MM-DD." in response.content.decode()
    assert draft.sendings.count() == 0
    response = client.post(url, {"kind": "board", "meeting_date": "2026-11-20", "version": draft.version})
    assert response.status_code == 302
    assert list(draft.sendings.values_list("kind", "meeting_date", "sent_by__username", "plan_version")) == [
        ("board", datetime.date(2026, 11, 20), "chief_a", draft.version + 1)
    ]
    # The plan's history says so.
    history = client.get(reverse("budgets:history", args=[draft.pk])).content.decode()
    assert "Skapad: Utskick: Till styrelsen, mötet 2026-11-20" in history


HOSTILE = ["\x00", "a\x00b", "<script>alert(1)</script>", "{{ plan }}{% debug %}", "x" * 100_000, "", " "]


def test_hostile_input_to_every_form_of_the_board_never_breaks(client, board_personas):
    draft = board_personas["draft_a"]
    send(board_personas)
    thread = Comment.objects.create(plan=draft, author=board_personas["board_a"], body="Fråga")
    before = rows(draft)
    client.force_login(board_personas["board_a"])
    for value in HOSTILE:
        for data in ({"anchor": "plan", "body": value}, {"anchor": value, "body": "Fråga"}, {"anchor": ["plan", value], "body": [value, "x"]}):
            response = client.post(reverse("board:comments", args=[draft.pk]), data)
            assert response.status_code in (302, 400), (data, response.status_code)
            assert "<script>alert(1)</script>" not in response.content.decode()
        assert client.get(reverse("board:comments", args=[draft.pk]), {"status": value, "plats": value}).status_code == 200
    # Only a plausible post was stored ("{{ plan }}{% debug %}" and the script, as typed).
    stored = [row[5] for row in rows(draft)[len(before):]]
    assert stored == ["<script>alert(1)</script>", "{{ plan }}{% debug %}"]
    client.force_login(board_personas["chief_a"])
    for value in HOSTILE:
        assert client.post(reverse("board:comment", args=[draft.pk, thread.pk]), {"body": value}).status_code in (302, 400)
        response = client.post(reverse("board:send", args=[draft.pk]), {"kind": value, "meeting_date": value, "version": value})
        assert response.status_code == 400
        assert client.post(reverse("board:preferences"), {"plan_sent": value, "new_comment": [value, "on"]}).status_code == 302
    assert draft.sendings.count() == 1
    assert [row[5] for row in rows(draft) if row[1] == "board_a"] == ["<script>alert(1)</script>", "{{ plan }}{% debug %}"]
    assert len(rows(draft)) == 1 + 2 + 2


def test_an_interventions_comment_is_marked_by_its_cost_line(client, board_personas):
    draft = board_personas["draft_a"]
    send(board_personas)
    line = BudgetLine.objects.filter(plan=draft, intervention__isnull=False).order_by("pk").first()
    client.force_login(board_personas["board_a"])
    response = client.post(
        reverse("board:comments", args=[draft.pk]), {"anchor": f"intervention-{line.intervention_id}", "body": "Hur många deltar?"}
    )
    assert response.status_code == 302
    assert rows(draft) == [("board_a", None, "intervention", line.intervention_id, line.intervention.name, "Hur många deltar?", "open")]
    page = client.get(reverse("budgets:plan", args=[draft.pk])).content.decode()
    assert f'id="marker-intervention-{line.intervention_id}"' in page
    assert f"Insats: {line.intervention.name}" in page
