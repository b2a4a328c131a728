"""The e-mails of the board's side: to whom, with what subject and link, never with another
federation's data, and not to someone who turned that message off."""

import datetime

from django.core import mail
from django.urls import reverse

from board.models import Comment, NotificationPreference
from budgets.services import plan_adopt


def turn_off(user, **preferences):
    NotificationPreference.objects.create(user=user, **preferences)


def sent_mail():
    return sorted((message.to[0], message.subject) for message in mail.outbox)


def send_through_the_page(client, people, capture, kind="board"):
    client.force_login(people["chief_a"])
    draft = people["draft_a"]
    with capture(execute=True):
        response = client.post(reverse("board:send", args=[draft.pk]), {"kind": kind, "meeting_date": "2026-11-20", "version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    return draft


def test_sending_to_the_board_mails_its_board_members_only(client, board_personas, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://plan.example.se"
    draft = send_through_the_page(client, board_personas, django_capture_on_commit_callbacks)
    assert sent_mail() == [("board_a@example.se", "Förslag till styrelsen: Södra Vätterbygden verksamhetsplan 2025")]
    body = mail.outbox[0].body
    assert "Förslaget till Södra Vätterbygden verksamhetsplan 2025 är skickat till styrelsen inför mötet 2026-11-20." in body
    assert f"https://plan.example.se/plan/{draft.pk}/" in body
    assert f"Vad som har ändrats sedan förra versionen, också som bilaga i PDF:\nhttps://plan.example.se/plan/{draft.pk}/andringar/\n" in body
    assert "Höglandet" not in body


def test_sending_to_the_consultation_mails_the_member_contacts(client, board_personas, django_capture_on_commit_callbacks):
    send_through_the_page(client, board_personas, django_capture_on_commit_callbacks, kind="consultation")
    assert sent_mail() == [("contact_a@example.se", "Till medlemssamråd: Södra Vätterbygden verksamhetsplan 2025")]


def test_a_new_comment_mails_the_chief_and_an_answer_the_commenter(client, board_personas, django_capture_on_commit_callbacks):
    draft = send_through_the_page(client, board_personas, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(board_personas["board_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("board:comments", args=[draft.pk]), {"anchor": "plan", "body": "Varför & hur?"})
    assert sent_mail() == [("chief_a@example.se", "Ny kommentar på Södra Vätterbygden verksamhetsplan 2025")]
    assert "Bo Styrelse har kommenterat Södra Vätterbygden verksamhetsplan 2025 (Planen som helhet):" in mail.outbox[0].body
    # Plain text: the commenter's text as typed, not escaped for HTML.
    assert "Varför & hur?" in mail.outbox[0].body
    mail.outbox.clear()
    thread = Comment.objects.get(plan=draft)
    client.force_login(board_personas["chief_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("board:comment", args=[draft.pk, thread.pk]), {"body": "Så här."})
    assert sent_mail() == [("board_a@example.se", "Svar på din kommentar: Södra Vätterbygden verksamhetsplan 2025")]
    assert f"/plan/{draft.pk}/kommentarer/{thread.pk}/" in mail.outbox[0].body


def test_adoption_mails_the_board(board_personas, django_capture_on_commit_callbacks):
    draft = board_personas["draft_a"]
    with django_capture_on_commit_callbacks(execute=True):
        plan_adopt(plan=draft, adopted_on=datetime.date(2026, 11, 20), reference="", acting_user=board_personas["chief_a"])
    assert sent_mail() == [("board_a@example.se", "Fastställd: Södra Vätterbygden verksamhetsplan 2025")]
    assert "Södra Vätterbygden verksamhetsplan 2025 är fastställd av styrelsen 2026-11-20." in mail.outbox[0].body


def test_turned_off_messages_are_not_sent(client, board_personas, django_capture_on_commit_callbacks):
    turn_off(board_personas["board_a"], plan_sent=False, comment_answered=False)
    turn_off(board_personas["chief_a"], new_comment=False)
    draft = send_through_the_page(client, board_personas, django_capture_on_commit_callbacks)
    assert sent_mail() == []
    client.force_login(board_personas["board_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("board:comments", args=[draft.pk]), {"anchor": "plan", "body": "Fråga"})
    thread = Comment.objects.get(plan=draft)
    client.force_login(board_personas["chief_a"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("board:comment", args=[draft.pk, thread.pk]), {"body": "Svar"})
    assert sent_mail() == []
    # The adoption mail was left on.
    with django_capture_on_commit_callbacks(execute=True):
        plan_adopt(plan=draft, adopted_on=datetime.date(2026, 11, 20), reference="", acting_user=board_personas["chief_a"])
    assert sent_mail() == [("board_a@example.se", "Fastställd: Södra Vätterbygden verksamhetsplan 2025")]


def test_the_preferences_page_stores_each_choice(client, board_personas):
    client.force_login(board_personas["board_a"])
    page = client.get(reverse("board:preferences")).content.decode()
    assert page.count('checked') == 4
    response = client.post(reverse("board:preferences"), {"plan_sent": "on", "plan_adopted": "on"})
    assert response.status_code == 302
    assert list(NotificationPreference.objects.values_list("user__username", "plan_sent", "new_comment", "comment_answered", "plan_adopted")) == [
        ("board_a", True, False, False, True)
    ]
    assert client.get(reverse("budgets:start")).content.decode().count(reverse("board:preferences")) == 1
    client.logout()
    assert client.get(reverse("board:preferences")).status_code == 302
