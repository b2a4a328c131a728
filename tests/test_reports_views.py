"""Downloading and previewing the plan document: who may, what they get, and the
kept PDF of an adopted plan.

Rendering is replaced by a counter in the access tests; one test renders for real.
"""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from budgets.models import Plan
from reports import services
from reports.models import RenderedPlan
from tests.cells import cell, pdf_layout_text, pdf_row

FAKE_PDF = b"%PDF-1.7 fake"


@pytest.fixture
def renders(monkeypatch):
    """Rendering replaced by a stand-in; the list holds one entry per render."""
    calls = []

    def fake_render(report):
        calls.append(report)
        return FAKE_PDF + str(len(calls)).encode()

    monkeypatch.setattr(services, "render_pdf", fake_render)
    return calls


def pdf_url(plan):
    return reverse("reports:pdf", args=[plan.pk])


def preview_url(plan):
    return reverse("reports:preview", args=[plan.pk])


# ---------------------------------------------------------------------------
# Who may download and preview


@pytest.mark.parametrize("persona", ["chief_a", "board_a", "accountant", "superuser"])
def test_everyone_who_can_read_the_plan_can_download_it(client_for, personas, renders, persona):
    plan = personas["plan_a"]

    response = client_for(persona).get(pdf_url(plan))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="verksamhetsplan-sodra-vatterbygden-2025.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["chief_a", "board_a", "accountant"])
def test_everyone_who_can_read_the_plan_can_preview_it(client_for, personas, persona):
    response = client_for(persona).get(preview_url(personas["plan_a"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Samordningsförbundet Södra Vätterbygden" in page
    assert "Verksamhetsplan 2025 med budget 2025 och plan 2026-2027" in page
    # The closing equity of Prognos 2024, and of Budget 2024 beside it.
    assert cell(page, "total:closing_equity", "f2024").value == "1 760 500"
    assert cell(page, "total:closing_equity", "b2024").value == "2 071 101"
    assert cell(page, "total:closing_equity", "p2027").value == "77 000"
    assert reverse("reports:pdf", args=[personas["plan_a"].pk]) in page


@pytest.mark.parametrize("url", [pdf_url, preview_url])
def test_an_outsider_is_told_the_plan_does_not_exist(client_for, personas, renders, url):
    response = client_for("chief_b").get(url(personas["plan_a"]))

    assert response.status_code == 404
    assert renders == []


@pytest.mark.parametrize("url", [pdf_url, preview_url])
def test_an_anonymous_visitor_is_sent_to_sign_in(client_for, personas, renders, url):
    target = url(personas["plan_a"])

    response = client_for(None).get(target)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert renders == []


def test_the_plan_page_offers_the_download_and_the_preview_to_a_board_member(client_for, personas):
    plan = personas["plan_a"]

    page = client_for("board_a").get(reverse("budgets:plan", args=[plan.pk])).content.decode()

    assert f'href="{pdf_url(plan)}"' in page
    assert "Ladda ner PDF" in page
    assert f'href="{preview_url(plan)}"' in page
    assert "Förhandsvisa" in page


# ---------------------------------------------------------------------------
# The kept PDF of an adopted plan


def test_an_adopted_plan_is_rendered_once_and_then_served_as_kept(client_for, personas, renders):
    plan = personas["plan_a"]
    assert plan.is_adopted
    client = client_for("board_a")

    first = client.get(pdf_url(plan))
    second = client.get(pdf_url(plan))

    assert len(renders) == 1
    stored = RenderedPlan.objects.get(plan=plan)
    assert bytes(stored.pdf) == first.content == second.content
    assert stored.plan_version == plan.version


def test_a_kept_pdf_is_served_from_the_database_without_rendering(client_for, personas, renders):
    plan = personas["plan_a"]
    RenderedPlan.objects.create(plan=plan, plan_version=plan.version, pdf=b"%PDF-1.7 kept earlier")

    response = client_for("chief_a").get(pdf_url(plan))

    assert response.content == b"%PDF-1.7 kept earlier"
    assert renders == []


def test_a_changed_adopted_plan_is_rendered_again(client_for, personas, renders):
    plan = personas["plan_a"]
    RenderedPlan.objects.create(plan=plan, plan_version=plan.version, pdf=b"%PDF-1.7 of an older version")
    Plan.objects.filter(pk=plan.pk).update(version=plan.version + 1)

    response = client_for("chief_a").get(pdf_url(plan))

    assert len(renders) == 1
    assert response.content == FAKE_PDF + b"1"
    assert RenderedPlan.objects.get(plan=plan).plan_version == plan.version + 1


def test_a_draft_is_rendered_every_time_and_never_kept(client_for, personas, renders):
    plan = personas["plan_b"]  # Höglandet, a draft
    assert not plan.is_adopted
    client = client_for("chief_b")

    first = client.get(pdf_url(plan))
    second = client.get(pdf_url(plan))

    assert len(renders) == 2
    assert first.content != second.content
    assert not RenderedPlan.objects.exists()


def test_a_later_revision_has_its_number_in_the_file_name(client_for, personas, renders):
    plan = personas["plan_b"]
    Plan.objects.filter(pk=plan.pk).update(revision=3)

    response = client_for("chief_b").get(pdf_url(plan))

    assert response["Content-Disposition"] == 'attachment; filename="verksamhetsplan-hoglandet-2023-revision-3.pdf"'


# ---------------------------------------------------------------------------
# When rendering fails


def test_a_rendering_failure_shows_a_swedish_message_not_an_error_page(client_for, personas, monkeypatch, caplog):
    def broken(report):
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr(services, "render_pdf", broken)

    response = client_for("chief_a").get(pdf_url(personas["plan_a"]))

    assert response.status_code == 503
    page = response.content.decode()
    assert "Dokumentet kunde inte skapas just nu" in page
    assert "the renderer fell over" not in page
    assert "Traceback" not in page
    assert "rendering the PDF of plan" in caplog.text
    assert not RenderedPlan.objects.exists()


def test_a_preview_failure_shows_the_same_message(client_for, personas, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("no")

    monkeypatch.setattr("reports.views.plan_preview_html", broken)

    response = client_for("board_a").get(preview_url(personas["plan_a"]))

    assert response.status_code == 503
    assert "Dokumentet kunde inte skapas just nu" in response.content.decode()


# ---------------------------------------------------------------------------
# For real


def test_the_downloaded_pdf_is_the_plan_document(client_for, personas):
    response = client_for("board_a").get(pdf_url(personas["plan_a"]))

    reader = PdfReader(BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Fastställd av styrelsen 20 november 2024" in text
    assert pdf_row(pdf_layout_text(response.content), "Eget kapital vid årets slut") == [
        "2 071 101", "1 760 500", "1 105 000", "732 000", "77 000"
    ]
    assert reader.metadata.title == "Samordningsförbundet Södra Vätterbygden – Verksamhetsplan 2025 med budget 2025 och plan 2026-2027"
