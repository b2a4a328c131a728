"""User text is data, never a template.

Every text a chief, an accountant or an administrator can type into a plan is set to
template syntax (`{{ 7|add:"1300" }}`, `{% now "Y" %}`, and mathtext for the charts),
each behind a tag naming
the field ("#c1# ..."). Then every page of the plan is walked, for the chief and for
the board member, every admin page of the plan's objects for the accountant and the
superuser, and the PDF's text: wherever a tag shows, the payload follows it character
for character. A template engine running the text would show 1307 or the year
instead; a syntax error in it would answer 500.

The pages come from the URL patterns, so a page added later is walked too; a pattern
with a parameter this module does not know fails the test until it is taught here.
"""

from __future__ import annotations

import csv
import datetime
import html
import re
from io import BytesIO, StringIO
from pathlib import Path

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from django.utils import timezone

from board.models import Comment, Sending
from budgets.models import Activity, Chapter, Meeting
from budgets.editing.lines import SECTION_SLUGS
from budgets.services import plan_new_revision
from interventions.models import Category, InterventionMarking, Marking

# Django's template language, and matplotlib's mathtext (chart titles carry column labels).
PAYLOAD = r'{{ 7|add:1300 }} {{ 7|add:"1300" }} {% now "Y" %} $\notacommand$'
PAGE_NAMESPACES = ("budgets", "edit", "interventions", "reports", "board")
TAG = re.compile(r"#[a-z]+[0-9]*#")


def poisoned(code: str) -> str:
    return f"#{code}# {PAYLOAD}"


@pytest.fixture
def plan(personas):
    """Plan A with every text of it, and every shared text it shows, set to the payload.
    Returns the plan and the codes of the texts, grouped by where they belong."""
    # The federation's adopted plan stays as it is; its new revision is the draft poisoned.
    plan = plan_new_revision(plan=personas["plan_a"], acting_user=personas["chief_a"])
    codes: dict[str, list[str]] = {}

    def mark(group: str, code: str) -> str:
        codes.setdefault(group, []).append(code)
        return poisoned(code)

    federation = plan.federation
    federation.name = mark("federation", "fedname")
    federation.short_name = mark("federation", "fedshort")
    federation.vision = mark("federation", "vision")
    federation.website = "https://example.se/" + mark("federation", "website")
    federation.save()

    plan.title = mark("plan", "title")
    plan.reference = mark("plan", "reference")
    plan.save()

    # Sent to the board, which reads it and has commented a line of it.
    Sending.objects.create(plan=plan, kind="board", meeting_date=datetime.date(2026, 11, 20), sent_at=timezone.now(), plan_version=plan.version)
    line = plan.lines.filter(section="cost").order_by("pk").first()
    Comment.objects.create(
        plan=plan, anchor_kind="line", anchor_id=line.pk, anchor_label=line.label, author=personas["board_a"], body=mark("comments", "comment")
    )

    for index, member in enumerate(plan.members.order_by("pk")):
        member.name = mark("members", f"member{index}")
        member.save()
    for index, column in enumerate(plan.columns.order_by("pk")):
        column.label = mark("columns", f"column{index}")
        column.save()
    for index, line in enumerate(plan.lines.order_by("pk")):
        line.label = mark("lines", f"line{index}")
        line.save()

    category = Category.objects.create(name=mark("interventions", "category"))
    marking = Marking.objects.create(name=mark("interventions", "marking"))
    for index, intervention in enumerate(plan.interventions.order_by("pk")):
        intervention.name = mark("interventions", f"name{index}")
        intervention.target_group = mark("interventions", f"target{index}")
        intervention.description = mark("interventions", f"description{index}")
        intervention.goals = [mark("interventions", f"goal{index}")]
        intervention.indicators = [mark("interventions", f"indicator{index}")]
        intervention.category = category
        intervention.save()
        InterventionMarking.objects.create(intervention=intervention, marking=marking)

    if not plan.chapters.exists():
        Chapter.objects.create(plan=plan, heading="Inledning", body="Text.")
    for index, chapter in enumerate(plan.chapters.order_by("pk")):
        chapter.heading = mark("chapters", f"heading{index}")
        chapter.body = mark("chapters", f"body{index}") + "\n\n- " + mark("chapters", f"point{index}")
        chapter.save()

    Meeting.objects.create(plan=plan, date=f"{plan.year}-03", body=Meeting._meta.get_field("body").choices[0][0],
                           topic=mark("meetings", "topic"))
    Activity.objects.create(
        plan=plan,
        name=mark("activities", "activity"),
        when=mark("activities", "when"),
        responsible=mark("activities", "responsible"),
        follow_up=mark("activities", "followup"),
    )
    return plan, codes


def check_literal(text: str, where: str) -> set[str]:
    """Every tag in the text is followed by the payload as typed; the tags found.

    A text cut short for a narrow cell may end in an ellipsis after part of the payload,
    and the admin's history elides the middle of a long text as "[19 chars]"."""
    expected = " " + PAYLOAD
    found = set()
    for match in TAG.finditer(text):
        window = text[match.end() : match.end() + 2 * len(expected)]
        elided = re.match(r"(.*?)\[(\d+) chars\]", window)
        if window.startswith(expected):
            pass
        elif elided and expected.startswith(elided[1]):
            rest = expected[len(elided[1]) + int(elided[2]) :]
            assert window[elided.end() :].startswith(rest), f"{where}: {match.group()} is followed by {window!r}"
        else:
            shown = window.split("…")[0]
            assert "…" in window and expected.startswith(shown), (
                f"{where}: {match.group()} is followed by {window!r}, not {expected!r}"
            )
        found.add(match.group().strip("#"))
    return found


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def pdf_text(pdf: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    # Lines break anywhere in a PDF: compare without white space, the payload's included.
    return "".join(text.split())


def _patterns(resolver, namespace=None, parameters=frozenset()):
    """(namespace, pattern, the names of all its parameters, its includes' included)."""
    for entry in resolver.url_patterns:
        own = parameters | set(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, entry.namespace or namespace, own)
        elif isinstance(entry, URLPattern) and namespace in PAGE_NAMESPACES:
            yield namespace, entry, own


def plan_urls(plan, *, complete: bool = True) -> list[str]:
    """Every page of the plan from the URL patterns, with each object of the plan it takes."""
    objects = {
        "member_pk": list(plan.members.all()),
        "column_pk": list(plan.columns.all()),
        "line_pk": list(plan.lines.all()),
        "intervention_pk": list(plan.interventions.all()),
        "comment_pk": list(plan.comments.filter(parent=None)),
        "section_slug": None,
        "row_pk": None,
    }
    rows = {"chapter": plan.chapters.all(), "meeting": plan.meetings.all(), "activity": plan.activities.all()}
    urls = set()
    for namespace, pattern, all_parameters in _patterns(get_resolver()):
        name = f"{namespace}:{pattern.name}"
        parameters = all_parameters - {"pk"}
        if not parameters:
            arguments = [{"pk": plan.pk} if "pk" in all_parameters else {}]
        else:
            assert len(parameters) == 1 and parameters <= objects.keys(), f"{name}: teach this test {parameters}"
            (parameter,) = parameters
            if parameter == "row_pk":
                kind = pattern.default_args.get("kind") or pattern.name.removesuffix("_move").removesuffix("_delete")
                values = [row.pk for row in rows[kind]]
            elif parameter == "section_slug":
                values = sorted(SECTION_SLUGS.values())
            else:
                values = [item.pk for item in objects[parameter]]
            assert values or not complete, f"{name}: the plan has nothing to show on this page"
            arguments = [{"pk": plan.pk, parameter: value} for value in values]
        for kwargs in arguments:
            urls.add(reverse(name, kwargs=kwargs))
    return sorted(urls)


def walk(client, urls, where: str) -> dict[str, set[str]]:
    """GET every url; the tags each page shows, by url. No page may fail."""
    shown = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404, 405), f"{where} {url}: {response.status_code}"
        if response.status_code != 200:
            continue
        if response["Content-Type"] == "application/pdf":
            # A kept PDF is streamed from storage.
            text = pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)
            shown[url] = check_literal(text.replace(PAYLOAD.replace(" ", ""), " " + PAYLOAD), f"{where} {url}")
        elif response["Content-Type"].startswith("text/csv"):
            cells = csv.reader(StringIO(response.content.decode("utf-8-sig")))
            text = "\n".join(cell for row in cells for cell in row)
            assert "1307" not in text, f"{where} {url}: the payload was run as a template"
            shown[url] = check_literal(text, f"{where} {url}")
        elif response["Content-Type"].startswith("application/vnd.openxmlformats"):
            workbook = openpyxl.load_workbook(BytesIO(response.content), read_only=True)
            text = "\n".join(
                str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value is not None
            )
            assert "1307" not in text, f"{where} {url}: the payload was run as a template"
            shown[url] = check_literal(text, f"{where} {url}")
        else:
            text = page_text(response)
            assert "1307" not in text, f"{where} {url}: the payload was run as a template"
            shown[url] = check_literal(text, f"{where} {url}")
    return shown


def test_every_page_of_the_plan_shows_template_syntax_as_typed(client_for, personas, plan):
    plan, codes = plan
    pdf_url = reverse("reports:pdf", args=[plan.pk])
    # The adopted revision shows the federation's and the categories' texts as well; its
    # PDF is the same document as the draft's and is left out to save a rendering.
    urls = plan_urls(plan) + [url for url in plan_urls(personas["plan_a"], complete=False) if not url.endswith("/pdf/")]

    shown = walk(client_for("chief_a"), urls, "chief_a")

    everywhere = set().union(*shown.values())
    missing = {code for group in codes.values() for code in group} - everywhere
    assert not missing, f"these texts are shown on no page: {sorted(missing)}"
    # Lines of contributions are named after their member on the plan page.
    own_labels = {f"line{index}" for index, line in enumerate(plan.lines.order_by("pk")) if line.member_id is None}
    assert {"fedshort", *codes["columns"], *own_labels} <= shown[reverse("budgets:plan", args=[plan.pk])]
    pdf = shown[pdf_url]
    assert {"fedname", "vision", "title", *codes["columns"], *codes["chapters"], *codes["meetings"]} <= pdf
    assert {code for code in codes["interventions"] if code.startswith(("name", "description", "goal"))} <= pdf
    for intervention in plan.interventions.all():
        form = shown[reverse("interventions:edit", args=[plan.pk, intervention.pk])]
        # The column labels head the funding rows, the place that once ran them as a template.
        assert set(codes["columns"]) <= form

    # The board member reads the same pages (and the same PDF, not rendered again).
    shown = walk(client_for("board_a"), [url for url in urls if url != pdf_url], "board_a")
    assert {"fedshort", *codes["columns"], *own_labels} <= shown[reverse("budgets:plan", args=[plan.pk])]
    assert {"fedname", "vision", *codes["chapters"]} <= shown[reverse("reports:preview", args=[plan.pk])]


def admin_urls(plan) -> list[str]:
    """The list and the change and history pages of every admin model, for the plan's objects."""
    objects = [
        plan.federation,
        plan,
        *plan.members.all(),
        *plan.columns.all(),
        *plan.lines.all(),
        *plan.chapters.all(),
        *plan.meetings.all(),
        *plan.activities.all(),
        *plan.interventions.all(),
        *Category.objects.filter(name__contains=PAYLOAD),
        *Marking.objects.filter(name__contains=PAYLOAD),
    ]
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:%s_%s_changelist" % info))
        instances = [item for item in objects if isinstance(item, model)]
        if not instances:
            # A model this test does not poison: its list and first object at least do not fail.
            first = model.objects.order_by("pk").first()
            instances = [first] if first is not None else []
        for instance in instances:
            urls.append(reverse("admin:%s_%s_change" % info, args=[instance.pk]))
            urls.append(reverse("admin:%s_%s_history" % info, args=[instance.pk]))
    return urls


@pytest.fixture
def accountant(personas):
    """The accountant as the demo sets one up: staff in the accountants' group."""
    call_command("loaddemo", stdout=StringIO())
    return get_user_model().objects.get(username="ekonom")


def test_every_admin_page_of_the_plan_shows_template_syntax_as_typed(client, personas, plan, accountant):
    plan, codes = plan
    typed_in_admin = {
        code for group in ("federation", "plan", "members", "columns", "lines", "chapters", "interventions") for code in codes[group]
    }
    for name, user in (("accountant", accountant), ("superuser", personas["superuser"])):
        client.force_login(user)

        shown = walk(client, admin_urls(plan), name)

        assert typed_in_admin <= set().union(*shown.values()), name
        assert {"title", "reference"} <= shown[reverse("admin:budgets_plan_change", args=[plan.pk])], name


PROJECT_DIR = Path(__file__).resolve().parents[1]
APP_DIRS = ("finsam", "federations", "budgets", "interventions", "reports")
# Layout objects and calls that compile a string as a template when the form or page renders.
COMPILING = re.compile(
    r"crispy_forms\.layout import[^\n]*\b(HTML|Fieldset|Submit|Button|Reset)\b"
    r"|crispy_forms\.bootstrap import[^\n]*\bStrictButton\b"
    r"|\bTemplate\(|\bfrom_string\(|\bEngine\("
)


def test_no_module_compiles_a_string_as_a_template():
    offenders = []
    for app in APP_DIRS:
        for path in (PROJECT_DIR / app).rglob("*.py"):
            if path.name == "layout.py" and path.parent.name == "finsam":
                continue  # The text-safe layout objects themselves.
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if COMPILING.search(line):
                    offenders.append(f"{path.relative_to(PROJECT_DIR)}:{number}: {line.strip()}")
    assert offenders == [], "use finsam.layout (Fieldset, Text) and the template context instead"
