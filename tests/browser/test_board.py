"""The board's side in a real browser: the chief sends a draft to the board; a board member
reads it and comments on a budget line; the chief answers, changes that line and resolves the
comment; the comparison shows the change; the board member got the e-mails; an outsider sees
none of it. axe-core on the new pages, at full width and on a phone."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from board.models import Comment
from budgets.models import BudgetLine, LineAmount
from budgets.services import plan_new_revision
from tests.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def page_for(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    sign_in(page, username, f"secret-{username}")
    return page


def both_widths(page, name):
    assert axe_violations(page) == [], name
    screenshot(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == [], f"{name} at 390 px"
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_the_board_reads_comments_and_the_chief_answers(page, browser, live_server, personas, django_user_model):
    for name in ("chief_a", "board_a", "chief_b"):
        django_user_model.objects.filter(pk=personas[name].pk).update(email=f"{name}@example.se")
    draft = plan_new_revision(plan=personas["plan_a"], acting_user=personas["chief_a"])
    plan_url = f"{page.base_url}/plan/{draft.pk}/"
    mail.outbox.clear()

    # Before the draft is sent the board member is told it does not exist.
    board = page_for(browser, live_server, "board_a")
    assert board.goto(plan_url).status == 404

    # The chief sends it to the board for the meeting on 2026-11-20.
    sign_in(page, "chief_a", "secret-chief_a")
    page.goto(plan_url)
    page.get_by_role("link", name="Skicka planen").click()
    expect(page.get_by_role("heading", name="Skicka planen")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Till styrelsen").check()
    page.get_by_label("Mötesdatum").fill("2026-11-20")
    page.get_by_role("button", name="Skicka", exact=True).click()
    expect(page.locator("body")).to_contain_text("Planen är skickad till styrelsen inför mötet 2026-11-20.")
    expect(page.locator("#sent-status")).to_contain_text("Förslag till styrelsen, mötet 2026-11-20.")

    # The board member reads it and comments on the line Enter.
    assert board.goto(plan_url).status == 200
    expect(board.locator("#sent-status")).to_contain_text("Förslag till styrelsen, mötet 2026-11-20.")
    board.get_by_role("link", name="Ny kommentar").click()
    board.get_by_label("Gäller").select_option(label="Enter")
    board.get_by_label("Kommentar", exact=True).fill("Varför ökar Enter med 242 000 kr?\nFler deltagare?")
    board.get_by_role("button", name="Skicka kommentaren").click()
    expect(board.locator("body")).to_contain_text("Kommentaren är sparad.")
    expect(board.locator(".comment-body").first).to_contain_text("Varför ökar Enter med 242 000 kr?")
    thread = Comment.objects.get(plan=draft)
    enter = BudgetLine.objects.get(plan=draft, slug="enter")
    assert (thread.anchor_kind, thread.anchor_id, thread.author_id) == ("line", enter.pk, personas["board_a"].pk)
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["board_a@example.se"], "Förslag till styrelsen: Södra Vätterbygden verksamhetsplan 2025"),
        (["chief_a@example.se"], "Ny kommentar på Södra Vätterbygden verksamhetsplan 2025"),
    ]

    # The chief answers on the thread, changes the line and resolves the comment.
    page.goto(f"{plan_url}kommentarer/{thread.pk}/")
    page.get_by_label("Svar", exact=True).fill("Fler deltagare från hösten; se kapitlet om Enter.")
    page.get_by_role("button", name="Skicka svaret").click()
    expect(page.locator("body")).to_contain_text("Svaret är sparat.")
    page.goto(f"{plan_url}rader/")
    page.get_by_label("Enter, Budget 2025").fill("3 400 000")
    page.get_by_role("button", name="Spara kostnaderna").click()
    expect(page.locator("body")).to_contain_text("sparad")
    assert LineAmount.objects.get(line=enter, column__slug="b2025").amount == 3400000
    page.goto(f"{plan_url}kommentarer/{thread.pk}/")
    page.get_by_role("button", name="Markera som löst").click()
    expect(page.locator("body")).to_contain_text("Kommentaren är markerad som löst.")
    thread.refresh_from_db()
    assert thread.status == "resolved"

    # The board member sees the change flagged, the marker by the line and the answer.
    board.goto(plan_url)
    expect(board.locator("#changed-since-sending")).to_contain_text("Ändrad efter att den skickades till styrelsen")
    expect(board.locator(f"#marker-line-{enter.pk}")).to_contain_text("1 kommentar")
    expect(board.locator("#cell-lineenter-b2025")).to_contain_text("3 400 000")
    board.locator("#kommentarer").scroll_into_view_if_needed()
    both_widths(board, "board-plan")
    # What changed since the adopted revision the draft was made from: the edited line.
    board.get_by_role("link", name="Ändringar", exact=True).click()
    changed = board.locator('[data-row="cost:enter"][data-col="b2025"]')
    expect(changed).to_have_text("3 439 000 → 3 400 000")
    assert axe_violations(board) == []
    board.goto(f"{plan_url}kommentarer/?status=all")
    expect(board.locator(".comment-answer")).to_contain_text("Fler deltagare från hösten")
    both_widths(board, "board-comments")
    board.goto(f"{plan_url}kommentarer/{thread.pk}/")
    assert axe_violations(board) == []
    board.goto(f"{page.base_url}/konto/aviseringar/")
    assert axe_violations(board) == []
    assert [(message.to, message.subject) for message in mail.outbox][2:] == [
        (["board_a@example.se"], "Svar på din kommentar: Södra Vätterbygden verksamhetsplan 2025"),
    ]

    # The outsider sees none of it.
    outsider = page_for(browser, live_server, "chief_b")
    for path in ("", "kommentarer/", f"kommentarer/{thread.pk}/", "pdf/"):
        assert outsider.goto(plan_url + path).status == 404, path
    assert not any("chief_b@example.se" in message.to for message in mail.outbox)
