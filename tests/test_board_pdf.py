"""A sent draft's PDF says whom it was sent to, for which meeting; the kept PDF of the version
before the sending is not served for it."""

import datetime
from io import BytesIO

from django.urls import reverse
from pypdf import PdfReader

from board.services import plan_send


def pdf_text(response) -> str:
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)


def test_the_pdf_of_a_sent_draft_carries_the_meeting_date(client, board_personas):
    draft = board_personas["draft_a"]
    client.force_login(board_personas["chief_a"])
    before = pdf_text(client.get(reverse("reports:pdf", args=[draft.pk])))
    assert "Förslag till styrelsen" not in before
    assert "Inte fastställt av styrelsen" in before
    plan_send(plan=draft, kind="board", meeting_date=datetime.date(2026, 11, 20), acting_user=board_personas["chief_a"], seen_version=draft.version)
    client.force_login(board_personas["board_a"])
    after = pdf_text(client.get(reverse("reports:pdf", args=[draft.pk])))
    assert "Förslag till styrelsen 2026-11-20" in after
    assert "UTKAST" in after
    # The version before the sending is no longer kept.
    assert list(draft.rendered_pdfs.values_list("plan_version", flat=True)) == [draft.version]


def test_the_adopted_plan_has_no_stamp(client, board_personas):
    client.force_login(board_personas["board_a"])
    text = pdf_text(client.get(reverse("reports:pdf", args=[board_personas["plan_a"].pk])))
    assert "Fastställd av styrelsen 20 november 2024" in text
    assert "Förslag till" not in text
