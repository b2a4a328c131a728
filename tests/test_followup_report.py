"""The tertial report (delårsrapport): its numbers read back from the PDF, kept once sent
to the board, the render_report command, and the export for Försäkringskassan."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook
from pypdf import PdfReader

from budgets.models import BudgetLine
from followup.models import FollowUp, Forecast, VarianceComment
from tests.test_followup_page import tertial_of
from tests.test_reports_worker import database_queue  # noqa: F401 (fixture)

BASE = "/plan/{pk}/uppfoljning/2025-04-30/"


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        " ".join(line.split())
        for page in reader.pages
        for line in page.extract_text(extraction_mode="layout").splitlines()
    ]


def row_line(pdf: bytes, label: str) -> str:
    found = [line for line in pdf_lines(pdf) if line.startswith(label + " ")]
    assert len(found) == 1, found
    return found[0][len(label) + 1 :]


@pytest.fixture
def follow_up(personas):
    """The page tests' tertial, with the chief's comment on Kansli."""
    follow_up = tertial_of(personas["plan_a"])
    kansli = BudgetLine.objects.get(plan=follow_up.plan, section=BudgetLine.Section.COST, slug="kansli")
    VarianceComment.objects.create(follow_up=follow_up, line=kansli, text="Ny lokal från mars.")
    return follow_up


def test_the_report_html_is_read_as_html5_reads_it(follow_up):
    from followup.report import report_html
    from followup.selectors import follow_up_overview
    from reports.weasy import parse_print_html
    from tests.core.test_print_tree import html5_tree, tree

    html = report_html(follow_up_overview(follow_up))

    assert tree(parse_print_html(html)) == html5_tree(html)


@pytest.mark.parametrize("in_render_process", [False, True])
def test_the_report_carries_the_summary_the_table_and_the_comments(client_for, follow_up, settings, in_render_process):
    settings.PDF_RENDER_IN_CHILD = in_render_process
    response = client_for("board_a").get(BASE.format(pk=follow_up.plan_id) + "delarsrapport.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    text = pdf_text(pdf)
    assert "Delårsrapport Tertial 1 (januari–april 2025)" in text
    assert "Årets resultat 2025 beräknas bli \u2212720 473 kr, 64 973 kr sämre än budgeterade \u2212655 500 kr." in text
    assert "Eget kapital vid utgången av 2025 beräknas till 1 040 027 kr" in text
    # Budget, outcome, share used, forecast, variance and the chief's comment, in that order.
    assert row_line(pdf, "Enter *") == "3 439 000 1 000 000 29 % 3 500 000 +61 000"
    assert row_line(pdf, "Kansli") == "870 000 290 000 33 % 873 973 +3 973 Ny lokal från mars."
    # No income recorded yet: no result to date.
    assert "Årets resultat \u2212655 500 \u2212720 473 \u221264 973" in pdf_lines(pdf)
    assert "Enter 20 12 15 8" in text


def test_a_report_marked_sent_is_kept_as_it_was(client_for, follow_up):
    client = client_for("chief_a")
    url = BASE.format(pk=follow_up.plan_id)
    assert client.post(url + "skickad-till-styrelsen/").status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.sent_to_board_on is not None
    assert follow_up.report_pdf
    # A later change of the forecast does not change the report the board got.
    Forecast.objects.filter(follow_up=follow_up).update(amount=Decimal(4000000))
    kept = client.get(url + "delarsrapport.pdf")
    assert "Årets resultat 2025 beräknas bli \u2212720 473 kr" in pdf_text(b"".join(kept.streaming_content))
    assert "Skickad till styrelsen" in client.get(url).content.decode()


def test_only_the_chief_marks_the_report_sent(client_for, follow_up):
    url = BASE.format(pk=follow_up.plan_id) + "skickad-till-styrelsen/"
    assert client_for("board_a").post(url).status_code == 403
    assert client_for("chief_b").post(url).status_code == 404
    assert client_for("chief_a").get(url).status_code == 405
    follow_up.refresh_from_db()
    assert follow_up.sent_to_board_on is None


def test_render_report_writes_the_report(follow_up, tmp_path):
    out = tmp_path / "rapport.pdf"
    output = io.StringIO()
    call_command("render_report", "sodra-vatterbygden", "2025", "--to", "2025-04-30", "-o", str(out), stdout=output)
    assert output.getvalue().strip() == f"wrote {out} (of the current figures)"
    assert "\u2212720 473 kr" in pdf_text(out.read_bytes())


def test_render_report_refuses_a_date_without_follow_up(follow_up, tmp_path):
    with pytest.raises(CommandError, match="there is no follow-up of sodra-vatterbygden 2025 to 2025-08-31") as error:
        call_command("render_report", "sodra-vatterbygden", "2025", "--to", "2025-08-31", "-o", str(tmp_path / "x.pdf"))
    assert error.value.returncode == 2


def test_the_export_for_forsakringskassan_lists_each_intervention(client_for, follow_up):
    client = client_for("board_a")
    response = client.get(BASE.format(pk=follow_up.plan_id) + "forsakringskassan.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Insats",
        "Budget 2025",
        "Utfall till och med 2025-04-30",
        "Prognos helår",
        "Deltagare kvinnor",
        "Deltagare män",
        "Planerade deltagare kvinnor",
        "Planerade deltagare män",
    ]
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["Enter"] == ["3439000", "1000000", "3500000", "12", "8", "20", "15"]
    assert by_name["NOVA - Stöd i förändring"][:3] == ["4408000", "", "4408000"]

    workbook = load_workbook(io.BytesIO(client.get(BASE.format(pk=follow_up.plan_id) + "forsakringskassan.xlsx").content))
    sheet = workbook.active
    values = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Enter"] == (3439000, 1000000, 3500000, 12, 8, 20, 15)


def test_an_outsider_gets_no_export_or_report(client_for, follow_up):
    client = client_for("chief_b")
    for suffix in ("forsakringskassan.csv", "forsakringskassan.xlsx", "delarsrapport.pdf"):
        assert client.get(BASE.format(pk=follow_up.plan_id) + suffix).status_code == 404


def test_a_comment_is_shown_as_written_on_the_page_and_in_the_report(client_for, follow_up):
    written = "<b>{{ plan.pk }}</b> & {% now 'Y' %}"
    VarianceComment.objects.filter(follow_up=follow_up).update(text=written)
    client = client_for("board_a")
    page = client.get(BASE.format(pk=follow_up.plan_id)).content.decode()
    assert "&lt;b&gt;{{ plan.pk }}&lt;/b&gt; &amp; {% now &#x27;Y&#x27; %}" in page
    report = client.get(BASE.format(pk=follow_up.plan_id) + "delarsrapport.pdf")
    assert written in pdf_text(b"".join(report.streaming_content))


# ---------------------------------------------------------------------------
# Rendered by the task worker, never in a web request


def test_a_web_request_never_renders_the_report(client_for, follow_up, database_queue, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from followup import report
    from followup.models import ReportStatus
    from tests.test_reports_worker import _forbidden, run_worker

    url = BASE.format(pk=follow_up.plan_id)
    chief = client_for("chief_a")
    with monkeypatch.context() as web:
        web.setattr(report, "report_pdf", _forbidden)
        waiting = chief.get(url + "delarsrapport.pdf")
        again = chief.get(url + "delarsrapport/status/")
        # Marking it sent before it is made says so and keeps nothing.
        refused = chief.post(url + "skickad-till-styrelsen/", follow=True)

    assert waiting.status_code == 202
    assert "Rapporten skapas" in waiting.content.decode()
    assert f'hx-get="{url}delarsrapport/status/"' in waiting.content.decode()
    assert "Rapporten skapas" in again.content.decode()
    assert "Rapporten skapas. Markera den som skickad när den är klar." in refused.content.decode()
    assert DBTaskResult.objects.count() == 1
    follow_up.refresh_from_db()
    assert (follow_up.report_status, follow_up.sent_to_board_on) == (ReportStatus.PENDING, None)

    monkeypatch.setattr(report, "report_pdf", lambda overview: b"%PDF-1.7 tertial")
    run_worker(monkeypatch)

    with monkeypatch.context() as web:
        web.setattr(report, "report_pdf", _forbidden)
        download = chief.get(url + "delarsrapport.pdf")
        sent = chief.post(url + "skickad-till-styrelsen/")
    assert b"".join(download.streaming_content) == b"%PDF-1.7 tertial"
    assert sent.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.sent_to_board_on is not None
    assert follow_up.report_pdf.read() == b"%PDF-1.7 tertial"


def test_a_changed_follow_up_gets_a_new_report_and_a_failure_can_be_retried(
    client_for, follow_up, database_queue, monkeypatch
):
    from followup import report
    from tests.test_reports_worker import run_worker

    url = BASE.format(pk=follow_up.plan_id)
    board = client_for("board_a")
    board.get(url + "delarsrapport.pdf")
    monkeypatch.setattr(report, "report_pdf", lambda overview: 1 / 0)
    run_worker(monkeypatch)

    failed = board.get(url + "delarsrapport.pdf")
    assert failed.status_code == 503
    assert "Rapporten kunde inte skapas just nu" in failed.content.decode()
    assert board.post(url + "delarsrapport/forsok-igen/").status_code == 302
    monkeypatch.setattr(report, "report_pdf", lambda overview: b"%PDF first")
    run_worker(monkeypatch)
    assert b"".join(board.get(url + "delarsrapport.pdf").streaming_content) == b"%PDF first"

    FollowUp.objects.filter(pk=follow_up.pk).update(version=follow_up.version + 5)
    assert board.get(url + "delarsrapport.pdf").status_code == 202
    monkeypatch.setattr(report, "report_pdf", lambda overview: b"%PDF second")
    run_worker(monkeypatch)
    assert b"".join(board.get(url + "delarsrapport.pdf").streaming_content) == b"%PDF second"
