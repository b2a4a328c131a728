"""Downloading and previewing the plan document: who may, what they get, and the
PDF kept per plan version.

Tasks run at once in the tests (the immediate backend), so a download that asks the
worker for the PDF gets it in the same response; tests/test_reports_worker.py shows the
web request itself never renders. Rendering is replaced by a counter in the access tests;
one test renders for real.
"""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import BooleanObject

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


def body(response) -> bytes:
    return b"".join(response.streaming_content)


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
    assert body(response).startswith(b"%PDF")


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
# The PDF kept per plan version


def test_an_adopted_plan_is_rendered_once_and_then_served_as_kept(client_for, personas, renders):
    plan = personas["plan_a"]
    assert plan.is_adopted
    client = client_for("board_a")

    first = body(client.get(pdf_url(plan)))
    second = body(client.get(pdf_url(plan)))

    assert len(renders) == 1
    stored = RenderedPlan.objects.get(plan=plan)
    assert stored.pdf.read() == first == second == FAKE_PDF + b"1"
    assert stored.plan_version == plan.version
    assert stored.status == RenderedPlan.Status.READY


def test_a_draft_is_kept_until_it_changes_and_then_rendered_once_more(client_for, personas, renders):
    plan = personas["plan_b"]  # Höglandet, a draft
    assert not plan.is_adopted
    client = client_for("chief_b")

    first = body(client.get(pdf_url(plan)))
    again = body(client.get(pdf_url(plan)))
    Plan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
    changed = body(client.get(pdf_url(plan)))
    changed_again = body(client.get(pdf_url(plan)))

    assert len(renders) == 2
    assert first == again == FAKE_PDF + b"1"
    assert changed == changed_again == FAKE_PDF + b"2"
    # Only the current version's PDF is kept.
    assert list(RenderedPlan.objects.filter(plan=plan).values_list("plan_version", flat=True)) == [plan.version + 1]


def test_the_pdf_of_an_older_version_is_removed_from_storage(client_for, personas, renders):
    plan = personas["plan_b"]
    client = client_for("chief_b")
    client.get(pdf_url(plan))
    older = RenderedPlan.objects.get(plan=plan)
    storage, name = older.pdf.storage, older.pdf.name
    assert storage.exists(name)

    Plan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
    client.get(pdf_url(plan))

    assert not storage.exists(name)


def test_a_later_revision_has_its_number_in_the_file_name(client_for, personas, renders):
    plan = personas["plan_b"]
    Plan.objects.filter(pk=plan.pk).update(revision=3)

    response = client_for("chief_b").get(pdf_url(plan))

    assert response["Content-Disposition"] == 'attachment; filename="verksamhetsplan-hoglandet-2023-revision-3.pdf"'


# ---------------------------------------------------------------------------
# When rendering fails


def test_a_rendering_failure_shows_a_swedish_message_and_a_retry_button(client_for, personas, monkeypatch, caplog):
    def broken(report):
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr(services, "render_pdf", broken)
    plan = personas["plan_a"]

    response = client_for("chief_a").get(pdf_url(plan))

    assert response.status_code == 503
    page = response.content.decode()
    assert "Dokumentet kunde inte skapas just nu" in page
    assert f'action="{reverse("reports:pdf_retry", args=[plan.pk])}"' in page
    assert "Försök igen</button>" in page
    assert "the renderer fell over" not in page
    assert "Traceback" not in page
    assert "rendering the PDF of plan" in caplog.text
    assert RenderedPlan.objects.get(plan=plan).status == RenderedPlan.Status.FAILED


def test_a_failed_render_is_not_tried_again_until_the_user_asks(client_for, personas, renders, monkeypatch):
    plan = personas["plan_a"]
    client = client_for("board_a")
    monkeypatch.setattr(services, "render_pdf", lambda report: 1 / 0)
    client.get(pdf_url(plan))
    monkeypatch.setattr(services, "render_pdf", lambda report: FAKE_PDF)

    still_failed = client.get(pdf_url(plan))
    retried = client.post(reverse("reports:pdf_retry", args=[plan.pk]))
    after = client.get(pdf_url(plan))

    assert still_failed.status_code == 503
    assert retried.status_code == 302
    assert retried["Location"] == pdf_url(plan)
    assert body(after) == FAKE_PDF


def test_an_outsider_cannot_ask_for_a_retry(client_for, personas, renders):
    response = client_for("chief_b").post(reverse("reports:pdf_retry", args=[personas["plan_a"].pk]))

    assert response.status_code == 404
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

    pdf = body(response)
    reader = PdfReader(BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Fastställd av styrelsen 20 november 2024" in text
    assert pdf_row(pdf_layout_text(pdf), "Eget kapital vid årets slut") == [
        "2 071 101", "1 760 500", "1 105 000", "732 000", "77 000"
    ]
    assert reader.metadata.title == "Samordningsförbundet Södra Vätterbygden – Verksamhetsplan 2025 med budget 2025 och plan 2026-2027"


def _structure(node, found):
    """The structure elements under `node`, by type (/H1, /Table, /TH, /Figure…)."""
    node = node.get_object()
    if isinstance(node, dict):
        if "/S" in node:
            found.setdefault(node["/S"], []).append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            _structure(kid, found)
    return found


def test_the_pdf_is_tagged_for_accessibility(client_for, personas):
    response = client_for("board_a").get(pdf_url(personas["plan_a"]))

    catalog = PdfReader(BytesIO(body(response))).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert catalog["/Lang"] == "sv"
    # The reader's window shows the document's title, not its file name.
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    structure = _structure(catalog["/StructTreeRoot"], {})
    assert len(structure["/H1"]) == 1
    assert [figure["/Alt"] for figure in structure["/Figure"]] == [
        "Årshjul: årets tolv månader, med de månader som har möten eller fasta datum markerade",
        "Diagram: kostnader per grupp",
        "Diagram: eget kapital vid årets slut per år",
    ]
    # Every table cell names its header cells.
    header_ids = {header["/ID"] for header in structure["/TH"]}
    cells = structure["/TD"]
    assert cells
    assert all(cell["/A"]["/Headers"] and set(cell["/A"]["/Headers"]) <= header_ids for cell in cells)
