"""The verksamhetsplan as a PDF: what the board reads in it.

Each seed plan is imported and rendered once for the module (inside a transaction
that is rolled back), and the PDF's text is read back with pypdf. Golden numbers
come from the seed plans; the rest from the plan's own totals, which the plan page
shows too.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import transaction
from pypdf import PdfReader

from budgets.planfile import read_plan_file
from budgets.selectors import plan_queryset
from budgets.services import plan_import
from finsam.lib.formatting import format_number, format_percent
from reports.pdf import (
    PlanReport,
    generated_title,
    render_document,
    render_html,
    report_for_document,
    text_blocks,
)
from reports.services import plan_report
from reports import weasy
from reports.weasy import document_pdf, parse_print_html
from budgets.synthetic import synthetic_plan_document
from tests.cells import cell, pdf_layout_text, pdf_row
from tests.conftest import SEED_PLAN_PATHS
from tests.core.test_print_tree import html5_tree, tree

# pytest-django sets up the test database only for modules that ask for it.
pytestmark = pytest.mark.django_db

SLUGS = ["harnosand-timra", "hoglandet", "sjuharad", "sodra-vatterbygden", "sydostra-skane"]


@dataclass
class RenderedSeed:
    report: PlanReport
    pages: list[str]
    # The text laid out as on the pages, for reading the budget table row by row.
    layout: str
    # The HTML the PDF is laid out from, for reading the budget table cell by cell.
    html: str

    @property
    def text(self) -> str:
        return squeeze("\n".join(self.pages))


def squeeze(text: str) -> str:
    """Text with every run of white space as one space: lines break anywhere in a PDF."""
    return " ".join(text.split())


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> dict[str, RenderedSeed]:
    """Every seed plan stored, rendered from the database as the download view does,
    and read back; the database is left as it was."""
    result = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for path in SEED_PLAN_PATHS:
            plan = plan_import(document=read_plan_file(path.read_bytes()))
            report = plan_report(plan_queryset().get(pk=plan.pk))
            pdf = document_pdf(render_document(report))
            result[plan.federation.slug] = RenderedSeed(
                report, pdf_pages(pdf), pdf_layout_text(pdf), render_html(report)
            )
        transaction.set_rollback(True)
    return result


def amount(value) -> str:
    return format_number(Decimal(value), 2)


# ---------------------------------------------------------------------------
# The numbers


@pytest.mark.parametrize("slug", SLUGS)
def test_the_column_totals_are_in_their_cells(rendered, slug):
    seed = rendered[slug]
    for column in seed.report.totals.columns:
        for row, total in [
            ("total:contributions", column.contributions),
            ("total:costs", column.costs),
            ("total:result", column.result),
        ]:
            if total is not None:
                assert cell(seed.html, row, column.id).value == amount(total), (row, column.id)
                assert amount(total) in seed.text, (row, column.id)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_equity_chain_is_in_its_cells(rendered, slug):
    seed = rendered[slug]
    for link in seed.report.totals.chain:
        assert cell(seed.html, "equity:opening", link.column).value == amount(link.opening)
        assert cell(seed.html, "total:closing_equity", link.column).value == amount(link.closing)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_finding_is_in_the_appendix(rendered, slug):
    seed = rendered[slug]
    appendix = squeeze(seed.pages[-1])
    assert appendix.startswith("Bilaga: Kontroller")
    for finding in seed.report.findings:
        assert squeeze(finding.message) in appendix, finding.message
    if not seed.report.findings:
        assert "Kontrollerna har inte funnit några fel eller varningar." in appendix


def test_sodra_vatterbygden_shows_its_equity_chain_and_totals(rendered):
    # Columns: Budget 2024, Prognos 2024, Budget 2025, Plan 2026, Plan 2027. Budget 2024
    # beside Prognos 2024 keeps its own closing equity; the chain runs through the forecast.
    layout = rendered["sodra-vatterbygden"].layout
    assert pdf_row(layout, "Eget kapital vid årets början") == ["2 279 601", "2 279 601", "1 760 500", "1 105 000", "732 000"]
    assert pdf_row(layout, "Eget kapital vid årets slut") == ["2 071 101", "1 760 500", "1 105 000", "732 000", "77 000"]
    assert pdf_row(layout, "Summa medlemsbidrag") == ["11 148 000", "11 148 000", "11 190 000", "11 190 000", "11 190 000"]
    assert pdf_row(layout, "Summa kostnader") == ["11 356 500", "11 667 101", "11 845 500", "11 563 000", "11 845 000"]
    # Results with a true minus sign.
    assert pdf_row(layout, "Årets resultat") == ["\u2212208 500", "\u2212519 101", "\u2212655 500", "\u2212373 000", "\u2212655 000"]
    # Administration's share of the costs, 9,6 % in 2025.
    assert pdf_row(layout, "Administrationens andel av kostnaderna") == ["9,6 %", "9,4 %", "9,6 %", "10,1 %", "10 %"]


def test_sjuharad_shows_the_wrong_split_and_the_errors_first(rendered):
    seed = rendered["sjuharad"]
    state = cell(seed.html, "party:state", "b2021")
    assert (state.value, state.share) == ("9 032", "47,46 %")
    assert "has-error" in state.classes and state.marks == ["1"]
    assert cell(seed.html, "party:region", "b2021").share == "26,27 %"
    assert cell(seed.html, "party:municipality", "b2021").share == "26,27 %"
    assert "47,46 %" in seed.text and "26,27 %" in seed.text
    appendix = squeeze(seed.pages[-1])
    assert "2 fel, 3 varningar." in appendix
    severities = re.findall(r"\b\d+ (Fel|Varning) [A-Z_]+\b", appendix)
    assert severities == ["Fel"] * 2 + ["Varning"] * 3
    assert "Fördelningen 50/25/25." in appendix
    # The printed result that differs from the computed one is shown beside it.
    assert "angivet \u2212573" in seed.text


def test_a_plan_without_findings_says_so(rendered):
    assert "Kontrollerna har inte funnit några fel eller varningar." in rendered["hoglandet"].text


def test_each_member_contribution_and_its_share_are_in_the_budget(rendered):
    seed = rendered["sodra-vatterbygden"]
    budget = squeeze(" ".join(page for page in seed.pages if "Summa medlemsbidrag" in page or "Kansli" in page))
    assert "Jönköpings kommun 2 238 400 2 238 400 2 247 000 2 247 000 2 247 000" in budget
    assert format_percent(Decimal(50)) in budget


def test_the_amounts_of_an_intervention_are_listed_with_it(rendered):
    seed = rendered["sodra-vatterbygden"]
    nova = squeeze(next(page for page in seed.pages if "NOVA - Stöd i förändring Slag" in squeeze(page)))
    assert "Budget 2024 Prognos 2024 Budget 2025 Plan 2026 Plan 2027 4 200 000 4 649 000 4 408 000 4 535 000 4 664 000" in nova


# ---------------------------------------------------------------------------
# The document's parts


def contents_entries(page: str) -> list[tuple[str, int]]:
    """(heading, page number) from the contents page's text; a long heading may wrap."""
    entries, pending = [], []
    for line in page.splitlines()[1:]:
        match = re.match(r"^(.*?)\s*\.{3,}\s*(\d+)\s*$", line)
        if match:
            entries.append((" ".join(pending + [match.group(1).strip()]), int(match.group(2))))
            pending = []
        else:
            pending.append(line.strip())
    return entries


def heading_pages(pages: list[str], heading: str) -> list[int]:
    """The pages (from 1) where `heading` stands on lines of its own, wrapped or not."""
    found = []
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines()]
        if any(" ".join(lines[start : start + length]) == heading for start in range(len(lines)) for length in (1, 2, 3)):
            found.append(number)
    return found


def test_the_contents_page_numbers_are_the_pages_where_the_chapters_start(rendered):
    for slug, seed in rendered.items():
        assert seed.pages[1].startswith("Innehåll")
        entries = contents_entries(seed.pages[1])
        headings = [heading for heading, _page in entries]
        for section in seed.report.document.plan.sections or []:
            assert section.heading in headings, (slug, section.heading)
        for heading in ["Budget", "Kostnader och eget kapital i diagram", "Bilaga: Kontroller"]:
            assert heading in headings, (slug, heading)
        for heading, printed in entries:
            starts = [number for number in heading_pages(seed.pages, heading) if number > 2]
            assert starts, (slug, heading)
            assert printed == starts[0], (slug, heading)


def test_each_chapter_is_in_the_contents(rendered):
    for seed in rendered.values():
        for section in seed.report.document.plan.sections or []:
            assert section.heading in seed.pages[1]


def test_the_pages_are_numbered_sida_x_av_y(rendered):
    pages = rendered["sodra-vatterbygden"].pages
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert f"Sida {number} av {total}" in page


def test_an_adopted_plan_says_when_the_board_adopted_it(rendered):
    pages = rendered["sodra-vatterbygden"].pages
    assert "Fastställd av styrelsen 20 november 2024" in pages[0]
    assert "2024:13 / 2" in pages[0]
    assert not any("UTKAST" in page for page in pages)


def test_a_draft_is_marked_on_the_cover_and_on_every_page(rendered):
    pages = rendered["sjuharad"].pages
    assert "UTKAST" in pages[0]
    assert "Fastställd av styrelsen" not in " ".join(pages)
    for page in pages[1:]:
        assert "UTKAST" in page


def test_the_running_header_names_the_federation_and_the_plan(rendered):
    for page in rendered["sodra-vatterbygden"].pages[1:]:
        assert "Samordningsförbundet Södra Vätterbygden" in page
        assert "Verksamhetsplan 2025 med budget 2025 och plan 2026-2027" in page


def test_meetings_and_activities_are_tables(rendered):
    text = rendered["sydostra-skane"].text
    assert "Möten och aktiviteter" in text
    assert "2021-02-02 Styrelsen Uppstart 2021" in text
    assert "Kompetensutveckling Styrelsen Under hela 2021 förbundschef och styrelsen Styrelsemöten" in text


def test_the_charts_are_vector_graphics_with_text(rendered):
    charts = squeeze(next(page for page in rendered["sodra-vatterbygden"].pages if page.startswith("Kostnader och eget kapital i diagram")))
    # Axis and bar labels are text in the PDF, not pixels.
    assert "Kostnader per grupp, Budget 2025" in charts
    assert "Riktlinjens tak" in charts
    assert "9 043 500 kr" in charts


# ---------------------------------------------------------------------------
# Titles and text


@pytest.mark.parametrize(
    "year, last_year, title",
    [
        (2025, 2027, "Verksamhetsplan 2025 med budget 2025 och plan 2026–2027"),
        (2025, 2026, "Verksamhetsplan 2025 med budget 2025 och plan 2026"),
        (2025, 2025, "Verksamhetsplan 2025 med budget 2025"),
    ],
)
def test_a_plan_without_a_title_gets_one_from_its_years(year, last_year, title):
    document = synthetic_plan_document(interventions=1, columns=2)
    document.plan.year, document.plan.last_year = year, last_year
    assert generated_title(document.plan) == title


def test_the_cover_shows_the_revision_from_the_second_on():
    document = synthetic_plan_document(interventions=1, columns=2)
    first = render_html(report_for_document(document, bands=[]))
    second = render_html(report_for_document(document, bands=[], revision=2))
    assert "<dt>Revision</dt><dd>2</dd>" in second
    assert "<dt>Revision</dt>" not in first


def test_chapter_text_is_escaped_and_bullets_become_lists():
    document = synthetic_plan_document(interventions=1, columns=2)
    document.plan.sections[0].body = "Före <script>alert(1)</script> & efter\n\n- en punkt\n- två <b>punkter</b>"
    html = render_html(report_for_document(document, bands=[]))
    assert "<script>alert(1)</script>" not in html
    assert "Före &lt;script&gt;alert(1)&lt;/script&gt; &amp; efter" in html
    assert '<ul class="bullets"><li>en punkt</li><li>två &lt;b&gt;punkter&lt;/b&gt;</li></ul>' in html


def test_text_blocks_split_paragraphs_and_bullets():
    assert text_blocks("Ett stycke\nsom fortsätter.\n\nInledning:\n- ett\n- två\nSlut.") == [
        {"kind": "paragraph", "text": "Ett stycke som fortsätter."},
        {"kind": "paragraph", "text": "Inledning:"},
        {"kind": "bullets", "items": ["ett", "två"]},
        {"kind": "paragraph", "text": "Slut."},
    ]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_print_html_is_read_as_html5_reads_it(rendered, slug):
    html = rendered[slug].html

    assert tree(parse_print_html(html)) == html5_tree(html)


def test_hostile_text_in_every_field_is_read_as_html5_reads_it():
    document = synthetic_plan_document(interventions=2, columns=3)
    hostile = "</p></td></tr></table></section></body></html><p>x</div> &amp; {{ a }} <!-- c"
    document.federation.name = hostile
    document.plan.title = hostile
    document.plan.sections[0].heading = hostile
    document.plan.sections[0].body = hostile + "\n\n- " + hostile
    document.interventions[0].name = hostile
    document.interventions[0].target_group = hostile
    document.interventions[0].goals = [hostile]
    html = render_html(report_for_document(document, bands=[]))

    root = parse_print_html(html)

    assert tree(root) == html5_tree(html)
    assert root.find("head/title").text.startswith(hostile)


def test_the_print_html_is_read_without_weasyprints_parser_as_weasyprint_reads_it(rendered, monkeypatch):
    from weasyprint import HTML

    html = rendered["sodra-vatterbygden"].html
    own = HTML(string=html, base_url=str(weasy.STATIC_DIR) + "/", url_fetcher=weasy.setup().fetcher)
    monkeypatch.setattr("tinyhtml5.parse", _not_called)

    fast = weasy.print_html(html)

    assert vars(fast).keys() == vars(own).keys()
    assert (fast.base_url, fast.media_type, fast.url_fetcher) == (own.base_url, own.media_type, own.url_fetcher)
    assert tree(fast.etree_element) == tree(own.etree_element)
    assert squeeze(" ".join(pdf_pages(weasy.document_pdf(weasy.layout(html))))) == rendered["sodra-vatterbygden"].text


def _not_called(*args, **kwargs):
    raise AssertionError("WeasyPrint's HTML5 parser read a print document")


def test_html_that_needs_html5s_rules_is_read_by_html5():
    html = '<html lang="sv"><head><title>t</title></head><body><p>Före<div>inne</div>efter</p><table><tr><td>1 000</td></table>'

    text = squeeze(" ".join(pdf_pages(weasy.html_to_pdf(html))))

    assert text == "Före inne efter 1 000 Sida 1 av 1"


# ---------------------------------------------------------------------------
# A large plan


@pytest.fixture(scope="module")
def large_plan():
    """A plan with 100 interventions and 10 budget columns, laid out once."""
    report = report_for_document(synthetic_plan_document(interventions=100, columns=10), bands=[])
    return report, render_document(report)


def _rows_by_page(document):
    """For each page, the table rows of table bodies on it (header rows repeat by design)."""
    pages = []
    for page in document.pages:
        rows = []
        for box in page._page_box.descendants():
            if type(box).__name__ == "TableRowGroupBox" and not box.is_header:
                rows += [row.element for row in box.children]
        pages.append(rows)
    return pages


def test_no_table_row_of_a_large_plan_is_split_across_pages(large_plan):
    _report, document = large_plan
    seen = {}
    for number, rows in enumerate(_rows_by_page(document), start=1):
        for element in set(rows):
            assert element not in seen, f"a row is on pages {seen[element]} and {number}"
            seen[element] = number
    assert len(document.pages) > 20


def test_every_budget_row_of_a_large_plan_is_printed_once_with_its_numbers(large_plan):
    report, document = large_plan
    pdf_text = [squeeze(page) for page in pdf_pages(document_pdf(document))]
    budget_pages = [page for page in pdf_text if "Rad Utfall" in page]
    assert len(budget_pages) >= 3  # the table runs over several pages, each with its header
    for row in report.table.rows:
        if row.kind != "line" or not row.intervention:
            continue
        numbers = " ".join(format_number(cell.value, 2) for cell in row.cells)
        assert sum(f"{row.label} {numbers}" in page for page in budget_pages) == 1, row.label


def test_a_budget_with_many_columns_is_printed_landscape(large_plan):
    _report, document = large_plan
    sizes = {(round(page.width), round(page.height)) for page in document.pages}
    assert len(sizes) == 2  # A4 portrait and A4 landscape
    portrait = min(sizes)
    assert (portrait[1], portrait[0]) in sizes
