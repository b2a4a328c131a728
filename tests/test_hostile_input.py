"""Bad input never breaks anything.

Hypothesis posts random and hostile values to every form a chief can use on a
draft plan (Höglandet's, `plan_b`), starting from the fields the real page shows,
and reads mutated seed plan files. Whatever comes in:

- the answer is a page or a redirect, never a server error (the test client
  re-raises a view's exception, so a bug shows its traceback);
- a refused save leaves the plan exactly as it was;
- text that is shown back is escaped;
- what is stored can be exported and read back, holds no NUL character
  (PostgreSQL refuses those, so the same input would fail there) and keeps its
  amounts as Decimals.

Each example runs in a savepoint that is rolled back, so every example starts
from the seed plans as imported.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO, StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from budgets import edit_urls
from budgets import urls as budgets_urls
from budgets.models import Activity, BudgetLine, Chapter, Column, LineAmount, Meeting, Plan, StatedTotal
from budgets.planfile import (
    PlanFileError,
    comparable,
    dump_plan_file,
    parse_json,
    plan_file_data,
    read_plan_data,
    read_plan_file,
)
from budgets.selectors import plan_document, plan_queryset
from federations.models import Federation, Member
from interventions import urls as interventions_urls
from interventions.models import Intervention
from reports.pdf import render_pdf
from reports.services import plan_report
from tests.conftest import SEED_PLAN_PATHS

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>fet</b>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>'
# Markup that must never come back from a page as it was typed.
MARKUP = (SCRIPT, BOLD, ATTRIBUTE_BREAKOUT)

HOSTILE_VALUES = [
    # Numbers as people (and attackers) type them
    "9" * 40,
    "9" * 5000,
    "-5",
    "\u22125",
    "1 250 000,50",
    "1\u00a0250\u00a0000,50",
    "-1 250 000,50",
    "1.250.000,50",
    "1,250,000.50",
    "1e9",
    "1E-9",
    "NaN",
    "Infinity",
    "-Infinity",
    "0",
    "-0",
    "0,00001",
    "12,5 %",
    "0x10",
    "1_000",
    "\u0661\u0662\u0663",  # Arabic-Indic digits
    "\uff11\uff12",  # full-width digits
    # Ids and dates
    "999999",
    "-1",
    "abc",
    "2025-02-30",
    "0000-00-00",
    "2025-13",
    "9999-12-31",
    # Empty and blank
    "",
    " ",
    "\t\n",
    # Unicode
    "\U0001f642",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\u202eevil",
    "\u200b",
    "\u200f",
    "\ufeff",
    "\x00",
    "a\x00b",
    "\ud7ff\ue000",
    # Markup, templates, format strings, SQL
    *MARKUP,
    "{{ plan }}",
    "{% debug %}",
    "%(name)s %s",
    "'; DROP TABLE budgets_plan; --",
    "1 OR 1=1",
    '" OR ""="',
    # Lengths
    "x" * 301,
    "\u00e5" * 5000,
    "rad ett\r\nrad två\n\n- punkt",
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


def swedish(amount: Decimal, separator: str = " ") -> str:
    """An amount as a Swede types it: 1 250 000,50."""
    sign = "-" if amount < 0 else ""
    whole, _, fraction = format(abs(amount), "f").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + separator.join(groups)
    return f"{text},{fraction}" if fraction else text


swedish_amounts = st.builds(
    swedish,
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([" ", "", "\u00a0", "\u202f"]),
)


# ---------------------------------------------------------------------------
# The forms as a browser sees them


@dataclass
class FormSpec:
    """What a form posts as shown (`values`), and the other values its page offers (`options`)."""

    values: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)


class _PageForms(HTMLParser):
    """Every form of a page by action (and by id), and the buttons that post elsewhere with formaction."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, FormSpec]] = []  # (action, id, spec)
        self.buttons: list[dict] = []
        self._form: FormSpec | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def _spec_for(self, attrs) -> FormSpec | None:
        owner = attrs.get("form")
        if owner:
            return next((spec for _action, form_id, spec in self.forms if form_id == owner), None)
        return self._form

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self._form = FormSpec()
            self.forms.append((attrs.get("action", ""), attrs.get("id", ""), self._form))
            if attrs.get("hx-post"):
                # htmx posts the same form to a second address (the budget grid's live totals).
                self.forms.append((attrs["hx-post"], attrs.get("id", ""), self._form))
            return
        if tag == "button" and attrs.get("formaction"):
            self.buttons.append(attrs)
            return
        spec = self._spec_for(attrs)
        name = attrs.get("name")
        if spec is None:
            return
        if name and "required" in attrs:
            spec.required.add(name)
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "reset", "image"):
            if attrs.get("type") in ("checkbox", "radio"):
                spec.options.setdefault(name, []).append(attrs.get("value", "on"))
                spec.values.setdefault(name, [])
                if "checked" in attrs:
                    spec.values[name].append(attrs.get("value", "on"))
            else:
                spec.values[name] = [attrs.get("value", "")]
        elif tag == "select" and name:
            self._select = name
            spec.values[name] = []
            spec.options[name] = []
        elif tag == "option" and self._select:
            spec.options[self._select].append(attrs.get("value", ""))
            if "selected" in attrs:
                spec.values[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            spec.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            if self._select and self._form is not None and not self._form.values[self._select]:
                # A browser posts the first option of a select with none selected.
                options = self._form.options[self._select]
                self._form.values[self._select] = options[:1]
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.values[self._textarea][0] += data


def form_for(html: str, action: str) -> FormSpec | None:
    """The form of the page that posts to `action`: its own or the one a formaction button borrows."""
    reader = _PageForms()
    reader.feed(html)
    for form_action, _form_id, spec in reader.forms:
        # A browser posts to the action without its fragment (#key: where the page comes back).
        if form_action.partition("#")[0] == action:
            spec.values.pop("csrfmiddlewaretoken", None)
            # Django renders a textarea's content after a newline that browsers drop.
            spec.values = {
                name: [value.removeprefix("\n") for value in values] for name, values in spec.values.items()
            }
            return spec
    for button in reader.buttons:
        if button["formaction"] == action:
            borrowed = next(spec for _action, form_id, spec in reader.forms if form_id == button.get("form"))
            spec = FormSpec(values=dict(borrowed.values), options=dict(borrowed.options), required=set(borrowed.required))
            spec.values.pop("csrfmiddlewaretoken", None)
            name = button.get("name")
            if name:
                values = [
                    other["value"] for other in reader.buttons if other["formaction"] == action and other.get("name") == name
                ]
                spec.values[name] = values[:1]
                spec.options[name] = values
            return spec
    return None


# ---------------------------------------------------------------------------
# The endpoints


def _plan_rows(plan: Plan) -> dict:
    """The rows of the plan whose ids go into the URLs: the first of each kind, and a member
    that can be removed where there is one."""
    members = list(plan.members.order_by("order", "pk"))
    free = [member for member in members if not member.contributions.exists() and not member.interventions.exists()]
    return {
        "member": next((member for member in members if member.kind == Member.Kind.MUNICIPALITY), members[0]),
        "free_member": (free or members)[-1],
        "column": plan.columns.order_by("order", "pk").first(),
        "cost": plan.lines.filter(section=BudgetLine.Section.COST).order_by("order", "pk").first(),
        "chapter": plan.chapters.order_by("order", "pk").first(),
        "meeting": plan.meetings.order_by("order", "pk").first(),
        "activity": plan.activities.order_by("order", "pk").first(),
        "intervention": plan.interventions.order_by("order", "pk").first(),
    }


@dataclass(frozen=True)
class Endpoint:
    url_name: str
    row: str | None = None  # which of `_plan_rows` the URL names
    section: str | None = None  # the section of a lines URL
    page: str | None = None  # the page that shows the form, when it is not the URL itself

    def url(self, plan: Plan, rows: dict) -> str:
        args = [plan.pk]
        if self.section:
            args.append(self.section)
        if self.row:
            args.append(rows[self.row].pk)
        return reverse(self.url_name, args=args)

    def page_url(self, plan: Plan, rows: dict) -> str:
        return reverse(self.page, args=[plan.pk]) if self.page else self.url(plan, rows)


ENDPOINTS = {
    "budgets:adopt": Endpoint("budgets:adopt", page="budgets:plan"),
    "budgets:clear_stated": Endpoint("budgets:clear_stated", page="budgets:plan"),
    "budgets:roll_forward": Endpoint("budgets:roll_forward", page="budgets:plan"),
    "budgets:revise": Endpoint("budgets:revise", page="budgets:plan"),
    "budgets:excel_upload": Endpoint("budgets:excel_upload"),
    # The save form is shown only with a read file's preview; posted without one, it refuses.
    "budgets:excel_save": Endpoint("budgets:excel_save", page="budgets:excel_upload"),
    "edit:profile": Endpoint("edit:profile"),
    "edit:members": Endpoint("edit:members"),
    "edit:member": Endpoint("edit:member", row="member"),
    "edit:member_delete": Endpoint("edit:member_delete", row="free_member"),
    "edit:columns": Endpoint("edit:columns"),
    "edit:column_move": Endpoint("edit:column_move", row="column", page="edit:columns"),
    "edit:column_delete": Endpoint("edit:column_delete", row="column"),
    "edit:grid": Endpoint("edit:grid"),
    "edit:grid_live": Endpoint("edit:grid_live", page="edit:grid"),
    "edit:contributions": Endpoint("edit:contributions"),
    "edit:contributions_key": Endpoint("edit:contributions_key", page="edit:contributions"),
    "edit:lines_save/intakter": Endpoint("edit:lines_save", section="intakter", page="edit:lines"),
    "edit:lines_save/kostnader": Endpoint("edit:lines_save", section="kostnader", page="edit:lines"),
    "edit:line_create/intakter": Endpoint("edit:line_create", section="intakter", page="edit:lines"),
    "edit:line_create/kostnader": Endpoint("edit:line_create", section="kostnader", page="edit:lines"),
    "edit:line_move": Endpoint("edit:line_move", row="cost", page="edit:lines"),
    "edit:line_delete": Endpoint("edit:line_delete", row="cost"),
    "edit:chapters": Endpoint("edit:chapters"),
    "edit:chapter": Endpoint("edit:chapter", row="chapter", page="edit:chapters"),
    "edit:chapter_move": Endpoint("edit:chapter_move", row="chapter", page="edit:chapters"),
    "edit:chapter_delete": Endpoint("edit:chapter_delete", row="chapter"),
    "edit:meetings": Endpoint("edit:meetings"),
    "edit:meeting_create": Endpoint("edit:meeting_create", page="edit:meetings"),
    "edit:meeting_move": Endpoint("edit:meeting_move", row="meeting", page="edit:meetings"),
    "edit:meeting_delete": Endpoint("edit:meeting_delete", row="meeting"),
    "edit:activities": Endpoint("edit:activities"),
    "edit:activity_create": Endpoint("edit:activity_create", page="edit:activities"),
    "edit:activity_move": Endpoint("edit:activity_move", row="activity", page="edit:activities"),
    "edit:activity_delete": Endpoint("edit:activity_delete", row="activity"),
    "interventions:create": Endpoint("interventions:create"),
    "interventions:edit": Endpoint("interventions:edit", row="intervention"),
    "interventions:delete": Endpoint("interventions:delete", row="intervention"),
}
# Pages and downloads that take no POST at all.
GET_ONLY = {
    "budgets:start", "budgets:plan", "budgets:history", "budgets:excel", "budgets:csv", "edit:lines", "interventions:list",
}


def test_every_form_endpoint_of_a_plan_is_fuzzed():
    names = set()
    for namespace, module in (("budgets", budgets_urls), ("edit", edit_urls), ("interventions", interventions_urls)):
        names |= {f"{namespace}:{pattern.name}" for pattern in module.urlpatterns if isinstance(pattern, URLPattern)}
    fuzzed = {endpoint.url_name for endpoint in ENDPOINTS.values()}
    assert names - GET_ONLY == fuzzed


# 429: the login throttle's answer to too many failed sign-ins.
ALLOWED_STATUS = {200, 302, 400, 403, 404, 405, 409, 429}
COUNTED_MODELS = [
    Federation, Plan, Member, Column, BudgetLine, LineAmount, StatedTotal, Chapter, Meeting, Activity, Intervention,
]


def snapshot(plan_pk: int) -> dict:
    """The plan as its exported document and version, and how many rows there are of each kind."""
    plan = plan_queryset().get(pk=plan_pk)
    return {
        "version": plan.version,
        "document": plan_document(plan).model_dump(),
        "counts": {model.__name__: model.objects.count() for model in COUNTED_MODELS},
    }


def strings_in(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)


def assert_stored_plan_is_sound(plan_pk: int) -> None:
    """What a save stored: exportable and readable again, no NUL character, amounts as Decimals."""
    document = plan_document(plan_queryset().get(pk=plan_pk))
    nul = [text for text in strings_in(document.model_dump(mode="json")) if "\x00" in text]
    assert not nul, f"NUL characters stored (PostgreSQL refuses them): {nul!r}"
    read_plan_file(dump_plan_file(document))
    for amount in LineAmount.objects.filter(line__plan_id=plan_pk).values_list("amount", flat=True):
        assert isinstance(amount, Decimal) and amount == amount.quantize(Decimal("0.0001")), amount


def assert_escaped(html: str) -> None:
    for markup in MARKUP:
        assert markup not in html, f"{markup!r} is shown unescaped"


plausible_text = st.one_of(
    st.sampled_from(["Ny rad", "Öresund & Co", "Träffpunkt \U0001f642", *MARKUP]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=20),
)
years = st.integers(2015, 2030).map(str)
month_dates = st.builds("{}-{}".format, years, st.sampled_from(["01", "06", "12"]))
full_dates = st.builds("{}-{}".format, month_dates, st.sampled_from(["01", "15", "28"]))


def plausible(name: str):
    """A value a person might type into an empty field of that name."""
    if re.search(r"year|population|participants", name):
        return years
    if name == "adopted_on":
        return full_dates
    if name.endswith("date"):
        return st.one_of(month_dates, full_dates)
    if re.search(r"start|end|founded", name):
        return st.one_of(years, month_dates, full_dates)
    if re.search(r"share|utilization", name):
        return st.decimals(0, 1, places=2).map(swedish)
    if re.search(r"amount|granted|allocation|total|floor", name):
        return swedish_amounts
    return plausible_text


@st.composite
def hostile_post(draw, spec: FormSpec, version: int) -> dict:
    """The form as shown, its empty fields mostly filled in as a person would, then a few
    fields hostile, missing, doubled or given another offered value; an unknown field now
    and then, and now and then a wrong version or none."""
    data = {}
    for name, values in spec.values.items():
        if name == "version":
            continue
        if any(values) or (name not in spec.required and draw(st.sampled_from(["empty", "empty", "filled"])) == "empty"):
            data[name] = list(values)
        elif spec.options.get(name):
            data[name] = draw(st.lists(st.sampled_from(spec.options[name]), min_size=1, max_size=3))
        else:
            data[name] = [draw(plausible(name))]
    names = sorted(data)
    chosen = draw(st.lists(st.sampled_from(names), max_size=min(3, len(names)), unique=True)) if names else []
    for name in chosen:
        how = draw(st.sampled_from(["hostile", "hostile", "amount", "offered", "missing", "list"]))
        if how == "hostile":
            data[name] = [draw(hostile_text)]
        elif how == "amount":
            data[name] = [draw(swedish_amounts)]
        elif how == "offered" and spec.options.get(name):
            data[name] = draw(st.lists(st.sampled_from(spec.options[name]), max_size=3))
        elif how == "missing":
            del data[name]
        else:
            data[name] = [draw(hostile_text), *data[name]]
    if draw(st.sampled_from(["known"] * 9 + ["unknown"])) == "unknown":
        data[draw(st.sampled_from(["r999999-amount-1", "r-1-label", "granted_999999", "extra", "\x00"]))] = [
            draw(hostile_text)
        ]
    version_sent = draw(st.sampled_from(["right"] * 8 + ["wrong", "none"]))
    if version_sent == "right" and "version" in spec.values:
        data["version"] = [str(version)]
    elif version_sent == "wrong":
        data["version"] = [
            draw(st.one_of(st.sampled_from(["", str(version - 1), str(version + 1), "-1", "9" * 40]), hostile_text))
        ]
    return data


EXAMPLES_PER_ENDPOINT = 20


@pytest.mark.parametrize("endpoint", list(ENDPOINTS) + ["login", "logout"])
def test_hostile_posts_never_break_a_draft_plan(endpoint, personas, client_for):
    plan = personas["plan_b"]
    assert not plan.is_adopted
    chief = client_for("chief_b")
    if endpoint == "edit:member_delete":
        # Every member of the seed plan pays or takes part, and so cannot go; this one can.
        Member.objects.create(plan=plan, slug="ny-kommun", name="Ny kommun", kind=Member.Kind.MUNICIPALITY, order=99)

    if endpoint == "login":
        url = page_url = reverse("login")
        page = Client().get(page_url)
    else:
        if endpoint == "logout":
            url, page_url = reverse("logout"), reverse("budgets:plan", args=[plan.pk])
        else:
            rows = _plan_rows(plan)
            url, page_url = ENDPOINTS[endpoint].url(plan, rows), ENDPOINTS[endpoint].page_url(plan, rows)
        page = chief.get(page_url)
    assert page.status_code == 200
    spec = form_for(page.content.decode(), url)
    if spec is None:
        # Only the revision form is missing from a draft's page (a draft is revised as it is),
        # and the Excel save form, which needs a read file first.
        assert endpoint in ("budgets:revise", "budgets:excel_save")
        spec = FormSpec()
    if endpoint == "login":
        spec.options.update(username=["chief_b", "CHIEF_B", "nobody"], password=["secret-chief_b", "fel"])
        spec.options["next"] = ["/", "https://evil.example/", "//evil.example", "javascript:alert(1)", url]
    before = snapshot(plan.pk)

    @settings(
        max_examples=EXAMPLES_PER_ENDPOINT,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def post_hostile(data):
        with transaction.atomic():
            if endpoint in ("login", "logout"):
                client = Client()
                if endpoint == "logout":
                    client.force_login(personas["chief_b"])
            else:
                client = chief
            posted = data.draw(hostile_post(spec, before["version"]), label="posted")
            response = client.post(url, posted)
            event(f"status {response.status_code}")
            assert response.status_code in ALLOWED_STATUS, response.status_code
            assert_escaped(response.content.decode(errors="replace"))
            if response.status_code == 302:
                location = response["Location"]
                assert not urlsplit(location).scheme and not urlsplit(location).netloc, location
                followed = client.get(location)
                # After a sign-in, `next` may name a page that does not exist.
                assert followed.status_code == 200 or (endpoint == "login" and followed.status_code == 404), (
                    location,
                    followed.status_code,
                )
                assert_escaped(followed.content.decode())
                assert_stored_plan_is_sound(plan.pk)
            else:
                assert snapshot(plan.pk) == before
            transaction.set_rollback(True)

    # The login throttle is on for the login form, as in production: it reads what is posted too.
    with override_settings(AXES_ENABLED=endpoint == "login"):
        post_hostile()
    assert snapshot(plan.pk) == before


def _foreign_rows(plan: Plan) -> dict:
    """A row of each kind from the other seed plans."""
    return {
        "member": Member.objects.exclude(plan=plan).first(),
        "free_member": Member.objects.exclude(plan=plan).last(),
        "column": Column.objects.exclude(plan=plan).first(),
        "cost": BudgetLine.objects.exclude(plan=plan).filter(section=BudgetLine.Section.COST).first(),
        "chapter": Chapter.objects.exclude(plan=plan).first(),
        "meeting": Meeting.objects.exclude(plan=plan).first(),
        "activity": Activity.objects.exclude(plan=plan).first(),
        "intervention": Intervention.objects.exclude(plan=plan).first(),
    }


def test_a_row_id_that_is_not_the_plans_is_not_found(personas, client_for):
    plan = personas["plan_b"]
    chief = client_for("chief_b")
    before = snapshot(plan.pk)
    wrong_rows = {
        "another plan's row": _foreign_rows(plan),
        "no such row": dict.fromkeys(_plan_rows(plan), Member(pk=999_999)),
        "a number too large for the database": dict.fromkeys(_plan_rows(plan), Member(pk=int("9" * 30))),
    }
    for name, endpoint in ENDPOINTS.items():
        if not endpoint.row:
            continue
        for wrong, rows in wrong_rows.items():
            response = chief.post(endpoint.url(plan, rows), {"version": before["version"], "direction": "up"})
            assert response.status_code == 404, (name, wrong)
    assert snapshot(plan.pk) == before


def test_a_nul_character_is_refused_in_every_text_field(personas, client_for):
    """NUL fits in SQLite but not in PostgreSQL's text and jsonb, so no form may let one through."""
    plan = personas["plan_b"]
    chief = client_for("chief_b")
    rows = _plan_rows(plan)
    numeric = re.compile(r"amount|granted|allocation|utilization|share|population|participants|year|total|floor")
    fillers = {"date": "2025-03", "year": str(plan.year)}
    tried = 0
    for name, endpoint in ENDPOINTS.items():
        url = endpoint.url(plan, rows)
        spec = form_for(chief.get(endpoint.page_url(plan, rows)).content.decode(), url)
        if spec is None:
            continue
        filled = {
            field: (
                values
                if any(values) or field not in spec.required
                else [next((text for key, text in fillers.items() if key in field), "Ny")]
            )
            for field, values in spec.values.items()
        }
        grid_rows = sorted({match[1] for field in filled if (match := re.match(r"r(\d+)-", field))})
        texts = [
            field
            for field in filled
            if field != "version" and not spec.options.get(field) and not numeric.search(field)
            # One row of a grid says what every row would.
            and not (re.match(r"r(\d+)-", field) and not field.startswith(f"r{grid_rows[0]}-"))
        ]
        for field in texts:
            with transaction.atomic():
                response = chief.post(url, {**filled, field: ["a\x00b"]})
                assert response.status_code in ALLOWED_STATUS, (name, field)
                if response.status_code == 302:
                    assert_stored_plan_is_sound(plan.pk)
                tried += 1
                transaction.set_rollback(True)
    assert tried > 30


def _admin_line(plan: Plan) -> BudgetLine:
    return plan.lines.filter(cost_group=BudgetLine.CostGroup.ADMINISTRATION).order_by("order", "pk").first()


# Saves the pages used to take although the plan could then not be exported and read
# back: (endpoint, the fields changed, made from the plan).
UNEXPORTABLE = {
    "a short name without letters": ("edit:profile", lambda plan: {"short_name": "\U0001f642"}),
    "a name without letters": ("edit:profile", lambda plan: {"short_name": "", "name": "!!!"}),
    "an administration line linked to an intervention": (
        "edit:lines_save/kostnader",
        lambda plan: {f"r{_admin_line(plan).pk}-intervention": str(plan.interventions.first().pk)},
    ),
    "a new administration line linked to an intervention": (
        "edit:line_create/kostnader",
        lambda plan: {"label": "Ny", "group": "administration", "intervention": str(plan.interventions.first().pk)},
    ),
}


@pytest.mark.parametrize("case", list(UNEXPORTABLE))
def test_a_save_that_could_not_be_exported_is_refused(case, personas, client_for):
    plan = personas["plan_b"]
    chief = client_for("chief_b")
    name, changes = UNEXPORTABLE[case]
    rows = _plan_rows(plan)
    url = ENDPOINTS[name].url(plan, rows)
    spec = form_for(chief.get(ENDPOINTS[name].page_url(plan, rows)).content.decode(), url)
    before = snapshot(plan.pk)
    response = chief.post(url, {**spec.values, **changes(plan)})
    assert response.status_code == 400
    assert snapshot(plan.pk) == before


# ---------------------------------------------------------------------------
# Plan files

FORMAT_KEYS = {
    "format", "federation", "members", "plan", "columns", "contributions", "income", "costs", "equity", "stated",
    "interventions", "meetings", "activities",
}
SEED_DATA = {path.stem: parse_json(path.read_bytes()) for path in SEED_PLAN_PATHS}

HOSTILE_JSON_VALUES = [
    None, True, False, 0, -1, -5, 10**40, 2**63, Decimal("1E+40"), Decimal("-0"), Decimal("1E-9"), Decimal("0.00001"),
    Decimal("12.5"), Decimal("-1250000.50"), "", " ", "9" * 40, "1e9", "NaN", "Infinity", "-5", "\u22125",
    "1 250 000,50", "1.250.000,50", "12.5", *MARKUP, "\x00", "a\x00b", "\U0001f642", "\u202e", "\u200b", "rad\nrad",
    "x" * 10_001, [], {}, [None], {"": None}, {"id": "x"}, "2025-02-30", "2025", "2025-01-01\n", "\u0662\u0660\u0662\u0665",
    "b2023", "aneby", "aneby\n", "draft", "adopted", "!!!",
]
HOSTILE_KEYS = ["", "x", "id", "b2099", "\x00", "a\nb", "\U0001f642", "format", SCRIPT]


def node_paths(value, prefix=()):
    """Every place in parsed JSON, as a tuple of keys and indexes."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from node_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from node_paths(item, (*prefix, index))


def _parent(data, path):
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated_plan_data(draw):
    """A seed plan with one to four mutations: keys deleted or renamed, values swapped for
    hostile ones of any type, list items doubled, ids copied from a sibling."""
    data = copy.deepcopy(SEED_DATA[draw(st.sampled_from(sorted(SEED_DATA)), label="seed")])
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        # A part of the file first, so that the small ones (federation, plan) are hit as
        # often as the long lists of amounts.
        top = draw(st.sampled_from(sorted(data)))
        path = draw(st.sampled_from([(top,), *node_paths(data[top], (top,))]))
        parent, last = _parent(data, path), path[-1]
        how = draw(st.sampled_from(["delete", "replace", "replace", "double", "copy id", "rename"]))
        if how == "delete":
            del parent[last]
        elif how == "replace":
            parent[last] = copy.deepcopy(
                draw(st.one_of(st.sampled_from(HOSTILE_JSON_VALUES), st.text(max_size=20), st.integers()))
            )
        elif how == "double" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        elif how == "copy id" and isinstance(parent, list) and len(parent) > 1:
            other = parent[(last + 1) % len(parent)]
            if isinstance(parent[last], dict) and isinstance(other, dict) and "id" in other:
                parent[last]["id"] = other["id"]
        elif how == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(HOSTILE_KEYS))] = parent.pop(last)
    return data


def plan_file_text(data) -> str:
    """Parsed plan data as JSON text, Decimals written as JSON numbers (as the seeds have them)."""
    numbers = {}

    def placeholders(value):
        if isinstance(value, Decimal):
            token = f"@@number-{len(numbers)}@@"
            numbers[token] = str(value)
            return token
        if isinstance(value, dict):
            return {key: placeholders(item) for key, item in value.items()}
        if isinstance(value, list):
            return [placeholders(item) for item in value]
        return value

    text = json.dumps(placeholders(data), ensure_ascii=False)
    for token, number in numbers.items():
        text = text.replace(f'"{token}"', number)
    return text


def assert_problems_name_their_place(problems: list[str], data) -> None:
    """Each problem is one line that starts with a JSON path (or "(file)") and says what is wrong."""
    top_keys = FORMAT_KEYS | (set(data) if isinstance(data, dict) else set())
    assert problems
    for problem in problems:
        assert "\n" not in problem, problem
        place, separator, message = problem.partition(": ")
        assert separator and message, problem
        first = re.split(r"[.\[]", place, maxsplit=1)[0]
        # An odd key is quoted: ["a b"].
        assert place == "(file)" or first in top_keys or place.startswith('["'), problem


def as_read(data):
    """A first-edition file is read as a second-edition document."""
    if isinstance(data, dict) and data.get("format") == "finsam-plan/1":
        return {**data, "format": "finsam-plan/2"}
    return data


def without_blanks(value):
    """Plan data as `comparable` sees it, where an empty text says nothing too (optional
    text is stored as "" and written back as absent) and parties are a set."""
    if isinstance(value, dict):
        result = {key: without_blanks(item) for key, item in value.items() if item != ""}
        if isinstance(result.get("members"), list) and all(isinstance(item, str) for item in result["members"]):
            result["members"] = sorted(result["members"])
        return result
    if isinstance(value, list):
        return [without_blanks(item) for item in value]
    return value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=mutated_plan_data())
def test_a_mutated_plan_file_is_read_or_refused_with_its_places(data):
    try:
        document = read_plan_data(data)
    except PlanFileError as refusal:
        assert_problems_name_their_place(refusal.problems, data)
        assert str(refusal) == "\n".join(refusal.problems)
    else:
        # What is read is what the file says.
        assert comparable(without_blanks(plan_file_data(document))) == comparable(without_blanks(as_read(data)))


IMPORT_COUNTED = [Plan, BudgetLine, LineAmount, Intervention, Member, Federation, Column, Chapter]


def import_counts() -> dict:
    return {model.__name__: model.objects.count() for model in IMPORT_COUNTED}


def assert_command_refusal(error: CommandError, file_name: str, data) -> None:
    lines = str(error).split("\n")
    assert lines[-1] == "Nothing was imported."
    problems = []
    for line in lines[:-1]:
        assert line.startswith(f"{file_name}: "), line
        problems.append(line.removeprefix(f"{file_name}: "))
    assert_problems_name_their_place(problems, data)


@pytest.mark.django_db
def test_a_mutated_plan_file_is_imported_whole_or_not_at_all(tmp_path):
    path = tmp_path / "plan.json"

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=mutated_plan_data())
    def import_mutated(data):
        with transaction.atomic():
            path.write_text(plan_file_text(data), encoding="utf-8")
            before = import_counts()
            try:
                call_command("import_plan", str(path), stdout=StringIO())
            except CommandError as refusal:
                event("refused")
                assert_command_refusal(refusal, str(path), data)
                assert import_counts() == before
            else:
                event("imported")
                plan = Plan.objects.get()
                exported = plan_file_data(plan_document(plan_queryset().get(pk=plan.pk)))
                if "adopted_copy" not in data:
                    # An adopted plan read from a file without its copy takes one at import.
                    exported.pop("adopted_copy", None)
                assert comparable(without_blanks(exported)) == comparable(without_blanks(as_read(data)))
                assert not [text for text in strings_in(exported) if "\x00" in text]
            transaction.set_rollback(True)

    import_mutated()


RAW_FILES = {
    "empty": b"",
    "not UTF-8": b'{"format": "finsam-plan/1", "federation": {"name": "\xff\xfe"}}',
    "a list": b"[]",
    "null": b"null",
    "NaN": b'{"format": "finsam-plan/1", "plan": NaN}',
    "a duplicated key": b'{"format": "finsam-plan/1", "format": "finsam-plan/1"}',
    "a huge integer": b'{"format": "finsam-plan/1", "plan": {"year": ' + b"9" * 5000 + b"}}",
    "deeply nested arrays": b"[" * 100_000 + b"]" * 100_000,
    "deeply nested objects": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "deep inside a plan": b'{"format": "finsam-plan/1", "members": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "a byte order mark and nothing": "\ufeff".encode(),
    "another format": b'{"format": "finsam-plan/3"}',
    "a truncated file": (SEED_PLAN_PATHS[0].read_bytes())[:500],
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(RAW_FILES))
def test_a_broken_plan_file_is_refused_by_name(name, tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(RAW_FILES[name])
    before = import_counts()
    with pytest.raises(CommandError) as refusal:
        call_command("import_plan", str(path), stdout=StringIO())
    assert_command_refusal(refusal.value, str(path), {})
    assert import_counts() == before
    with pytest.raises(PlanFileError):
        read_plan_file(RAW_FILES[name])


def _set(data: dict, path: tuple, value) -> dict:
    data = copy.deepcopy(data)
    _parent(data, path)[path[-1]] = value
    return data


# Plan files that the format allowed but the database could not take: each used to fail
# with a ValidationError or, on PostgreSQL only, a DataError, instead of naming its place.
UNSTORABLE = {
    "an empty federation name": (("federation", "name"), ""),
    "a short name without letters": (("federation", "short_name"), "\U0001f642"),
    "a name without letters": (("federation", "short_name"), None, ("federation", "name"), "!!!"),
    "a negative equity floor": (("federation", "goals", "equity_floor"), Decimal("-5")),
    "an empty intervention name": (("interventions", 0, "name"), ""),
    "a NUL in a text": (("federation", "website"), "a\x00b"),
    "a NUL in a goal": (("interventions", 0, "goals"), ["a\x00b"]),
    "a date with a newline": (("federation", "founded"), "2011-04-01\n"),
    "a meeting date with a newline": (("meetings", 0, "date"), "2023-02-01\n"),
    "an intervention start with a newline": (("interventions", 0, "start"), "2023-01-01\n"),
    "a date in other digits": (("federation", "founded"), "\u0662\u0660\u0661\u0661"),
    "an id with a newline": (("members", 4, "id"), "aneby\n"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(UNSTORABLE))
def test_a_plan_file_the_database_cannot_take_is_refused_by_its_place(case, tmp_path):
    changes = UNSTORABLE[case]
    data = SEED_DATA["hoglandet-2023"]
    for index in range(0, len(changes), 2):
        data = _set(data, changes[index], changes[index + 1])
    path = tmp_path / "plan.json"
    path.write_text(plan_file_text(data), encoding="utf-8")
    before = import_counts()
    outcome = None
    try:
        call_command("import_plan", str(path), stdout=StringIO())
    except CommandError as refusal:
        assert_command_refusal(refusal, str(path), data)
        outcome = str(refusal)
    assert outcome is not None, "imported"
    assert import_counts() == before
    place = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in changes[-2]).removeprefix(".")
    assert f"{path}: {place}" in outcome


@pytest.mark.django_db
def test_a_federation_name_too_long_for_an_address_is_cut_to_fit(tmp_path):
    data = _set(SEED_DATA["hoglandet-2023"], ("federation", "short_name"), None)
    data = _set(data, ("federation", "name"), "\u00c5" * 150)
    path = tmp_path / "plan.json"
    path.write_text(plan_file_text(data), encoding="utf-8")
    call_command("import_plan", str(path), stdout=StringIO())
    assert Federation.objects.get().slug == "a" * 80


# ---------------------------------------------------------------------------
# The plan as a document


def test_markup_in_the_plans_text_is_shown_as_text_where_two_versions_are_compared(personas, client_for):
    from budgets.services import plan_roll_forward

    plan = plan_roll_forward(plan=personas["plan_b"], acting_user=personas["chief_b"])
    chapter = plan.chapters.order_by("order", "pk").first()
    Chapter.objects.filter(pk=chapter.pk).update(
        heading=f"Kapitel {SCRIPT}", body=f"{chapter.body} {BOLD} {ATTRIBUTE_BREAKOUT}"
    )
    Intervention.objects.filter(pk=plan.interventions.order_by("order", "pk").first().pk).update(
        name=f"Insats {BOLD} {SCRIPT}", description=f"Ny {SCRIPT}"
    )
    Member.objects.filter(pk=plan.members.filter(kind=Member.Kind.MUNICIPALITY).first().pk).update(
        name=f"Kommun {ATTRIBUTE_BREAKOUT}"
    )
    BudgetLine.objects.filter(plan=plan, section="cost").order_by("order", "pk").filter(
        pk=plan.lines.filter(section="cost").order_by("order", "pk").first().pk
    ).update(label=f"Rad {SCRIPT}")
    response = client_for("chief_b").get(
        reverse("compare:changes", args=[plan.pk]), {"mot": personas["plan_b"].pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert_escaped(html)
    assert "Kapitel &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Insats &lt;b&gt;fet&lt;/b&gt;" in html
    assert "Rad &lt;script&gt;" in html


def test_markup_in_the_plans_text_is_printed_and_shown_as_text(personas, client_for):
    plan = personas["plan_b"]
    chapter = plan.chapters.order_by("order", "pk").first()
    Chapter.objects.filter(pk=chapter.pk).update(
        heading=f"Kapitel {SCRIPT}", body=f"Stycke med {BOLD} och {SCRIPT}.\n\n- Punkt {BOLD}"
    )
    intervention = plan.interventions.order_by("order", "pk").first()
    Intervention.objects.filter(pk=intervention.pk).update(name=f"Insats {BOLD} {SCRIPT}")
    member = plan.members.filter(kind=Member.Kind.MUNICIPALITY).order_by("order", "pk").first()
    Member.objects.filter(pk=member.pk).update(name=f"Kommun {BOLD} {SCRIPT}")
    texts = [
        f"Kapitel {SCRIPT}",
        f"Stycke med {BOLD} och {SCRIPT}.",
        f"Punkt {BOLD}",
        f"Insats {BOLD} {SCRIPT}",
        f"Kommun {BOLD} {SCRIPT}",
    ]

    pdf = render_pdf(plan_report(plan_queryset().get(pk=plan.pk)))
    printed = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    # Lines break anywhere in a PDF, at a space or inside a tag; compare without white space.
    printed = re.sub(r"\s+", "", printed)
    for text in texts:
        assert re.sub(r"\s+", "", text) in printed, text
    assert "&lt;" not in printed and "&amp;" not in printed  # escaped once, not twice

    chief = client_for("chief_b")
    preview = chief.get(reverse("reports:preview", args=[plan.pk]))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert_escaped(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;fet&lt;/b&gt;" in html

    pages = [
        reverse("budgets:plan", args=[plan.pk]),
        reverse("budgets:history", args=[plan.pk]),
        reverse("edit:members", args=[plan.pk]),
        reverse("edit:member", args=[plan.pk, member.pk]),
        reverse("edit:member_delete", args=[plan.pk, member.pk]),
        reverse("edit:contributions", args=[plan.pk]),
        reverse("edit:lines", args=[plan.pk]),
        reverse("edit:chapters", args=[plan.pk]),
        reverse("edit:chapter_delete", args=[plan.pk, chapter.pk]),
        reverse("interventions:list", args=[plan.pk]),
        reverse("interventions:edit", args=[plan.pk, intervention.pk]),
        reverse("interventions:delete", args=[plan.pk, intervention.pk]),
    ]
    for url in pages:
        response = chief.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode())
