"""The year at a glance (årshjul): its dates, on the start page and in the plan's PDF."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from board.models import Sending
from budgets.models import Meeting
from budgets.planfile import MeetingData
from budgets.year_wheel import DEADLINE, MEETING, year_wheel
from reports.pdf import render_html, render_pdf
from reports.services import plan_report


def _events(wheel):
    return [(event.date_text, event.kind, event.label, event.past) for event in wheel.events]


def test_the_fixed_dates_of_a_year():
    wheel = year_wheel(year=2026, meetings=[])
    assert [(event.date, event.label) for event in wheel.events] == [
        (datetime.date(2026, 3, 31), "Årsredovisningen för 2025 klar (inom tre månader från årets slut)"),
        (datetime.date(2026, 4, 30), "Tertial 1 (januari–april 2026) slut: uppföljning och delårsrapport till styrelsen"),
        (datetime.date(2026, 8, 31), "Tertial 2 (januari–augusti 2026) slut: uppföljning och delårsrapport till styrelsen"),
        (datetime.date(2026, 11, 30), "Verksamhetsplan och budget för 2027 fastställd av styrelsen"),
    ]
    assert all(event.kind == DEADLINE for event in wheel.events)


def test_meetings_go_into_their_month_in_date_order_and_other_years_are_left_out():
    meetings = [
        MeetingData(date="2026-11-12", body="board", topic="Budget 2027"),
        MeetingData(date="2026-03", body="members", topic=None),
        MeetingData(date="2025-12-01", body="board", topic="Förra året"),
        MeetingData(date="2026-03-31", body="board", topic="Årsredovisning"),
    ]
    wheel = year_wheel(year=2026, meetings=meetings)
    march = wheel.months[2]
    assert march.name == "mars"
    assert [(event.date_text, event.kind, event.label) for event in march.events] == [
        # A meeting dated by its month only comes first: "in March".
        ("2026-03", MEETING, "Medlemssamråd"),
        ("2026-03-31", MEETING, "Styrelse: Årsredovisning"),
        ("2026-03-31", DEADLINE, "Årsredovisningen för 2025 klar (inom tre månader från årets slut)"),
    ]
    november = [(event.date_text, event.label) for event in wheel.months[10].events]
    assert november == [("2026-11-12", "Styrelse: Budget 2027"), ("2026-11-30", "Verksamhetsplan och budget för 2027 fastställd av styrelsen")]
    assert "Förra året" not in str(_events(wheel))


def test_dates_before_today_are_past_and_the_month_is_current():
    wheel = year_wheel(year=2026, meetings=[], today=datetime.date(2026, 8, 31))
    assert [(event.date_text, event.past) for event in wheel.events] == [
        ("2026-03-31", True),
        ("2026-04-30", True),
        ("2026-08-31", False),
        ("2026-11-30", False),
    ]
    assert [month.number for month in wheel.months if month.current] == [8]
    # A printed plan has no today: nothing is past.
    assert not any(event.past for event in year_wheel(year=2026, meetings=[]).events)


def test_the_wheel_is_decoration_and_escapes_nothing_it_was_not_given():
    svg = str(year_wheel(year=2026, meetings=[MeetingData(date="2026-05-02", body="board", topic="<script>")]).svg)
    assert svg.startswith("<svg ") and 'aria-hidden="true"' in svg
    assert "<script>" not in svg
    assert svg.count("<path ") == 12


@pytest.fixture
def plan_with_meetings(personas):
    plan = personas["plan_a"]
    type(plan).objects.filter(pk=plan.pk).update(status="draft")
    # Sent to the board, so that its board member reads the draft.
    Sending.objects.create(plan=plan, kind="board", meeting_date=datetime.date(2025, 5, 20), sent_at=timezone.now(), plan_version=plan.version)
    Meeting.objects.create(plan=plan, date="2025-05-20", body="board", topic="Tertialrapport <b>1</b>")
    Meeting.objects.create(plan=plan, date="2025-10", body="preparatory", topic="")
    plan.refresh_from_db()
    return plan


def test_the_start_page_shows_the_year_of_the_users_federation(client_for, plan_with_meetings, settings, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2025, 6, 1))
    html = client_for("board_a").get(reverse("budgets:start")).content.decode()
    assert "Södra Vätterbygden: årshjul 2025" in html
    assert '<time datetime="2025-05-20">2025-05-20</time> Styrelse: Tertialrapport &lt;b&gt;1&lt;/b&gt;' in html
    assert '<time datetime="2025-10">2025-10</time> Beredningsgrupp' in html
    # 31 March has passed on 1 June, 30 November has not.
    assert (
        '<time datetime="2025-03-31">2025-03-31</time> <strong>Senast:</strong> Årsredovisningen för 2024 klar '
        '(inom tre månader från årets slut) <span class="change-badge">passerat</span>'
    ) in html
    assert "Verksamhetsplan och budget för 2026 fastställd av styrelsen</li>" in html
    # Only the user's own federation.
    assert "Höglandet: årshjul" not in html


def test_the_plan_pdf_has_the_year_at_a_glance(plan_with_meetings, settings):
    settings.PDF_RENDER_IN_CHILD = False
    report = plan_report(type(plan_with_meetings).objects.select_related("federation").get(pk=plan_with_meetings.pk))
    html = render_html(report)
    assert "Tertialrapport &lt;b&gt;1&lt;/b&gt;" in html
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(render_pdf(report))).pages).split())
    assert "Årshjul 2025" in text
    assert "2025-05-20 Styrelse: Tertialrapport <b>1</b>" in text
    assert "Senast: Verksamhetsplan och budget för 2026 fastställd av styrelsen" in text
