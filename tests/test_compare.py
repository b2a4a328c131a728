"""What changed between two versions of a plan: the page /plan/<pk>/andringar/?mot=<pk>.

Södra Vätterbygden 2025 (adopted) against its next revision or next year's plan,
edited here the way the chief would: an amount, a chapter, an intervention."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from board.models import Sending
from budgets.models import BudgetLine, Chapter, LineAmount
from budgets.services import plan_new_revision, plan_roll_forward
from compare.diff import word_diff
from interventions.models import Intervention, InterventionFunding
from tests.cells import cell


def _changes_url(plan, base=None):
    url = reverse("compare:changes", args=[plan.pk])
    return f"{url}?mot={base.pk}" if base is not None else url


def _set_amount(plan, section, slug, column_slug, amount):
    LineAmount.objects.filter(
        line__plan=plan, line__section=section, line__slug=slug, column__slug=column_slug
    ).update(amount=Decimal(amount))


@pytest.fixture
def revision(personas):
    """A new revision of plan A, sent to its board, so that its board member reads it."""
    draft = plan_new_revision(plan=personas["plan_a"], acting_user=personas["chief_a"])
    Sending.objects.create(plan=draft, kind="board", meeting_date=datetime.date(2026, 11, 20), sent_at=timezone.now(), plan_version=draft.version)
    return draft


@pytest.fixture
def next_year(personas):
    return plan_roll_forward(plan=personas["plan_a"], acting_user=personas["chief_a"])


def test_a_changed_amount_shows_old_and_new_in_its_row_and_column(client_for, personas, revision):
    _set_amount(revision, "cost", "enter", "b2025", 3_500_000)
    _set_amount(revision, "contribution", "habo", "p2026", 210_000)
    response = client_for("chief_a").get(_changes_url(revision))
    assert response.status_code == 200
    html = response.content.decode()
    assert cell(html, "cost:enter", "b2025").value == "3 439 000 → 3 500 000"
    assert "cell-changed" in cell(html, "cost:enter", "b2025").classes
    # The line's other columns are unchanged and show the amount alone.
    assert cell(html, "cost:enter", "p2026").value == "3 526 000"
    # A member's contribution, matched by the member.
    assert cell(html, "contribution:habo", "p2026").value == "206 300 → 210 000"
    # Lines without a change are not listed.
    assert 'data-row="cost:nova"' not in html
    # The sums the change moves: costs 61 000 up, the result 61 000 down.
    old_costs, new_costs = (
        Decimal(part.replace(" ", "").replace("\u2212", "-"))
        for part in cell(html, "total:costs", "b2025").value.split(" → ")
    )
    assert new_costs - old_costs == 61_000
    old_result, new_result = (
        Decimal(part.replace(" ", "").replace("\u2212", "-"))
        for part in cell(html, "total:result", "b2025").value.split(" → ")
    )
    assert new_result - old_result == -61_000
    assert 'data-row="total:costs" data-col="p2027"' in html
    # Habo's 3 700 more moves the contributions of Plan 2026 only.
    assert cell(html, "total:contributions", "b2025").value == "11 190 000"
    assert "cell-changed" in cell(html, "total:contributions", "p2026").classes
    assert "Ändringar sedan 2025 (fastställd" in html


def test_added_and_removed_lines_are_listed_with_their_amounts(client_for, personas, revision):
    line = BudgetLine.objects.get(plan=revision, section="cost", slug="fia")
    line.delete()
    new_line = BudgetLine.objects.create(
        plan=revision, section="cost", slug="ny-rad", label="Ny kostnad", cost_group="operations", order=99
    )
    LineAmount.objects.create(line=new_line, column=revision.columns.get(slug="b2025"), amount=Decimal(125_000))
    html = client_for("chief_a").get(_changes_url(revision)).content.decode()
    assert cell(html, "cost:ny-rad", "b2025").value == "125 000"
    assert cell(html, "cost:fia", "b2025").value == "634 000"
    assert 'data-line="cost:ny-rad"' in html and "ny rad" in html
    assert "borttagen rad" in html


def test_next_year_compares_the_years_both_plans_have(client_for, personas, next_year):
    # Last year's budget 2025 is this year's forecast 2025: the roll-forward carried it over.
    _set_amount(next_year, "cost", "nova", "f2025", 4_500_000)
    _set_amount(next_year, "cost", "nova", "b2026", 4_600_000)
    response = client_for("chief_a").get(_changes_url(next_year))
    html = response.content.decode()
    assert "Ändringar sedan 2025 (fastställd" in html
    assert cell(html, "cost:nova", "f2025").value == "4 408 000 → 4 500 000"
    assert cell(html, "cost:nova", "b2026").value == "4 535 000 → 4 600 000"
    assert "Budget 2025 → Prognos 2025" in html
    assert "Plan 2026 → Budget 2026" in html
    # Lines the roll-forward only moved are not changes.
    assert 'data-line="cost:enter"' not in html


def test_a_chapter_shows_its_words_removed_and_added_with_html_as_text(client_for, personas, revision):
    chapter = Chapter.objects.filter(plan=revision).order_by("order", "pk").first()
    chapter.body = chapter.body + "\n\nNytt stycke <script>alert(1)</script> & mer."
    chapter.save()
    html = client_for("chief_a").get(_changes_url(revision)).content.decode()
    assert "<ins>\n\nNytt stycke &lt;script&gt;alert(1)&lt;/script&gt; &amp; mer.</ins>" in html
    assert "<script>alert(1)" not in html


def test_word_diff_marks_only_the_changed_words_and_escapes_them():
    assert word_diff("Vi stödjer <b>unga</b> vuxna", "Vi stödjer <b>äldre</b> vuxna") == (
        "Vi stödjer &lt;b&gt;<del>unga</del><ins>äldre</ins>&lt;/b&gt; vuxna"
    )
    assert word_diff("", "{{ x }}") == "<ins>{{ x }}</ins>"


def test_a_long_chapter_is_compared_sentence_by_sentence_in_a_moment():
    import time

    from finsam.lib.limits import CHAPTER_BODY_MAX_CHARS

    sentences = [f"Mening nummer {number} om samverkan och stöd." for number in range(5000)]
    old = " ".join(sentences)[:CHAPTER_BODY_MAX_CHARS]
    new = old.replace("nummer 700 om", "nummer 700 kring")
    started = time.process_time()
    marked = word_diff(old, new)
    assert time.process_time() - started < 2
    assert "Mening nummer 700 <del>om</del><ins>kring</ins> samverkan" in marked
    # A passage too long to compare word by word is shown removed and added whole.
    assert word_diff("a " * 1000, "b " * 1000) == f"<del>{'a ' * 1000}</del><ins>{'b ' * 1000}</ins>"


def test_an_intervention_shows_its_changed_fields_and_grants(client_for, personas, revision):
    intervention = Intervention.objects.get(plan=revision, slug="enter")
    intervention.name = "Enter <i>2.0</i>"
    intervention.description = intervention.description.replace("hösten 2024", "våren 2024")
    intervention.save()
    InterventionFunding.objects.create(
        intervention=intervention, column=revision.columns.get(slug="b2025"), granted=Decimal(1_000_000)
    )
    html = client_for("chief_a").get(_changes_url(revision)).content.decode()
    assert "Enter &lt;i&gt;2.0&lt;/i&gt;" in html
    assert "genomlysningen <del>hösten</del><ins>våren</ins> 2024" in html
    assert cell(html, "funding:enter", "b2025").value == "→ 1 000 000"


def test_plan_fields_and_members_are_compared(client_for, personas, revision):
    type(revision).objects.filter(pk=revision.pk).update(title="Ny titel")
    revision.members.filter(slug="habo").update(population=99_999)
    html = client_for("chief_a").get(_changes_url(revision)).content.decode()
    assert "Ny titel" in html
    assert "folkmängd 99 999" in html


def test_the_plan_page_leads_to_what_changed(client_for, personas, revision):
    html = client_for("board_a").get(reverse("budgets:plan", args=[revision.pk])).content.decode()
    assert f'href="{reverse("compare:changes", args=[revision.pk])}" id="changes-link">Ändringar</a>' in html


def test_nothing_changed_says_so(client_for, personas, revision):
    html = client_for("board_a").get(_changes_url(revision)).content.decode()
    assert "Inget har ändrats." in html


def test_the_board_reads_and_the_outsider_is_told_nothing_exists(client_for, personas, revision):
    assert client_for("board_a").get(_changes_url(revision, personas["plan_a"])).status_code == 200
    assert client_for("accountant").get(_changes_url(revision, personas["plan_a"])).status_code == 200
    assert client_for("chief_b").get(_changes_url(revision, personas["plan_a"])).status_code == 404
    assert client_for(None).get(_changes_url(revision)).status_code == 302


def test_another_federations_plan_to_compare_with_is_not_found(client_for, personas, revision):
    # The chief of A can read neither B's plan nor compare with it; nor can a superuser
    # compare plans of two federations.
    assert client_for("chief_a").get(_changes_url(revision, personas["plan_b"])).status_code == 404
    assert client_for("superuser").get(_changes_url(revision, personas["plan_b"])).status_code == 404
    assert client_for("chief_b").get(_changes_url(personas["plan_b"], revision)).status_code == 404


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "١", "9" * 40, "1 OR 1=1", "\x00"])
def test_a_bad_version_to_compare_with_is_not_found(client_for, personas, value):
    url = reverse("compare:changes", args=[personas["plan_a"].pk])
    assert client_for("chief_a").get(url, {"mot": value}).status_code == 404


def test_without_another_version_the_page_says_so(client_for, personas):
    html = client_for("chief_a").get(_changes_url(personas["plan_a"])).content.decode()
    assert "Förbundet har ingen annan version av planen att jämföra med." in html


def test_the_selector_offers_the_federations_versions_and_defaults_to_the_revised_one(client_for, personas, revision):
    html = client_for("chief_a").get(_changes_url(revision)).content.decode()
    assert f'<option value="{personas["plan_a"].pk}" selected>2025 (fastställd' in html
    assert f'value="{personas["plan_b"].pk}"' not in html


# ---------------------------------------------------------------------------
# The appendix "Ändringar sedan …" as a PDF, rendered by the task worker

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _appendix_url(plan, base, name="compare:pdf"):
    return f"{reverse(name, args=[plan.pk])}?mot={base.pk}"


@pytest.fixture
def database_queue():
    """Tasks queued in the database, as in production, instead of run at once."""
    from django.tasks import task_backends
    from django.test import override_settings
    from django.utils.connection import Local

    def forget():
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)

    with override_settings(TASKS=DATABASE_QUEUE):
        forget()
        yield
    forget()


def _forbidden(*args, **kwargs):
    raise AssertionError("a web request rendered a PDF")


def test_a_web_request_never_renders_the_appendix(client_for, personas, revision, database_queue, monkeypatch):
    from django.core.management import call_command

    from compare import services
    from compare.models import RenderedChanges

    client = client_for("board_a")
    with monkeypatch.context() as web:
        web.setattr(services, "render_changes", _forbidden)
        waiting = client.get(_appendix_url(revision, personas["plan_a"]))
        status = client.get(_appendix_url(revision, personas["plan_a"], "compare:pdf_status"))
    assert waiting.status_code == 202
    assert "Dokumentet skapas" in waiting.content.decode()
    assert f'hx-get="{_appendix_url(revision, personas["plan_a"], "compare:pdf_status")}"' in waiting.content.decode()
    assert "Dokumentet skapas" in status.content.decode()
    assert RenderedChanges.objects.get().status == RenderedChanges.Status.PENDING

    monkeypatch.setattr(services, "render_changes", lambda html: b"%PDF-1.7 appendix")
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", batch=True, startup_delay=False, interval=0)

    with monkeypatch.context() as web:
        web.setattr(services, "render_changes", _forbidden)
        download = client.get(_appendix_url(revision, personas["plan_a"]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        'attachment; filename="andringar-sodra-vatterbygden-2025-revision-2-sedan-2025.pdf"'
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.7 appendix"


def test_the_appendix_html_is_read_as_html5_reads_it(personas, revision):
    from budgets.selectors import plan_queryset
    from compare.services import changes_html
    from reports.weasy import parse_print_html
    from tests.core.test_print_tree import html5_tree, tree

    _set_amount(revision, "cost", "enter", "b2025", 3_500_000)
    chapter = Chapter.objects.filter(plan=revision).order_by("order", "pk").first()
    chapter.body = chapter.body + "\n\nEn ny mening <b>här</b> </del></ins>."
    chapter.save()
    html = changes_html(plan_queryset().get(pk=revision.pk), plan_queryset().get(pk=personas["plan_a"].pk))

    assert "<ins>" in html
    assert tree(parse_print_html(html)) == html5_tree(html)


@pytest.mark.parametrize("in_render_process", [False, True])
def test_the_appendix_pdf_shows_the_changes(client_for, personas, revision, settings, in_render_process):
    settings.PDF_RENDER_IN_CHILD = in_render_process
    _set_amount(revision, "cost", "enter", "b2025", 3_500_000)
    chapter = Chapter.objects.filter(plan=revision).order_by("order", "pk").first()
    chapter.body = chapter.body + "\n\nEn ny mening <b>här</b>."
    chapter.save()
    response = client_for("chief_a").get(_appendix_url(revision, personas["plan_a"]))
    assert response.status_code == 200
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(BytesIO(b"".join(response.streaming_content))).pages).split()
    )
    assert "Bilaga: Ändringar sedan 2025 (fastställd" in text
    assert "3 439 000 → 3 500 000" in text
    assert "En ny mening <b>här</b>." in text


def test_the_appendix_is_for_readers_of_both_plans_only(client_for, personas, revision):
    assert client_for("chief_b").get(_appendix_url(revision, personas["plan_a"])).status_code == 404
    assert client_for("chief_a").get(_appendix_url(revision, personas["plan_b"])).status_code == 404
    assert client_for("chief_a").get(f"{reverse('compare:pdf', args=[revision.pk])}?mot=x").status_code == 404


def test_a_plan_with_only_newer_versions_asks_which_to_compare_with(client_for, personas, next_year):
    html = client_for("chief_a").get(_changes_url(personas["plan_a"])).content.decode()
    assert "Välj vilken version planen ska jämföras med." in html
    assert f'<option value="{next_year.pk}">2026 (utkast)</option>' in html
