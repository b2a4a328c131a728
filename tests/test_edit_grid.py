"""The budget grid: one form for contributions, income, costs and the interventions'
funding; its live totals (nothing stored) and its save (all or nothing)."""

import datetime
import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from board.models import Sending
from budgets.models import BudgetLine, LineAmount, Plan
from budgets.planfile import read_plan_file
from budgets.services import plan_import, plan_new_revision
from federations.models import Role
from interventions.models import InterventionFunding
from tests.conftest import SEED_PLAN_PATHS


@pytest.fixture(scope="module")
def grid_world(django_db_setup, django_db_blocker):
    """The seed plans, their people and a draft of Södra Vätterbygden 2025 sent to its
    board, made once per module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        plans = {}
        for path in SEED_PLAN_PATHS:
            plan = plan_import(document=read_plan_file(path.read_bytes()))
            plans[plan.federation.slug] = plan
        users = {}
        for name, slug, kind in [
            ("chief_a", "sodra-vatterbygden", Role.Kind.CHIEF),
            ("board_a", "sodra-vatterbygden", Role.Kind.BOARD),
            ("chief_b", "hoglandet", Role.Kind.CHIEF),
        ]:
            users[name] = get_user_model().objects.create_user(username=name, password=f"secret-{name}")
            Role.objects.create(user=users[name], federation=plans[slug].federation, kind=kind)
        draft = plan_new_revision(plan=plans["sodra-vatterbygden"], acting_user=users["chief_a"])
        # Sent to the board, so that its board member reads it (and is refused the edits).
        Sending.objects.create(
            plan=draft, kind="board", meeting_date=datetime.date(2026, 11, 20), sent_at=timezone.now(), plan_version=draft.version
        )
        yield {"users": {name: user.pk for name, user in users.items()}, "draft": draft.pk}
        transaction.set_rollback(True)


@pytest.fixture
def draft(grid_world, db, settings):
    settings.AXES_ENABLED = False
    return Plan.objects.get(pk=grid_world["draft"])


@pytest.fixture
def as_user(client, grid_world):
    def sign_in(name):
        client.force_login(get_user_model().objects.get(pk=grid_world["users"][name]))
        return client

    return sign_in


class _Fields(HTMLParser):
    """The (name, value) pairs the grid's form posts as shown, in page order."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.fields = []
        self._select = None
        self._textarea = None
        self._template = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template += 1
        if tag == "form":
            self.inside = attrs.get("id") == "budget-grid"
        if not self.inside or self._template:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.fields.append([name, "on"])
            else:
                self.fields.append([name, attrs.get("value") or ""])
        elif tag == "select" and name:
            self._select = [name, ""]
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None and "selected" in attrs:
            self._select[1] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self.fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def grid_fields(client, plan) -> list[list[str]]:
    response = client.get(reverse("edit:grid", args=[plan.pk]))
    assert response.status_code == 200
    reader = _Fields()
    reader.feed(response.content.decode())
    return [[name, value.removeprefix("\n")] for name, value in reader.fields if name != "csrfmiddlewaretoken"]


def as_post(fields, **changes) -> dict:
    """The fields as a POST body, with `changes` ({field name: value}) applied."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(changes.pop(name, value) if name in changes else value)
    for name, value in changes.items():
        data.setdefault(name, []).append(value)
    return data


def cell(plan, slug, column_slug, section="cost") -> str:
    line = BudgetLine.objects.get(plan=plan, section=section, slug=slug)
    return f"amount-l{line.pk}-{plan.columns.get(slug=column_slug).pk}"


def stored(plan, slug, column_slug, section="cost"):
    amount = LineAmount.objects.filter(
        line__plan=plan, line__section=section, line__slug=slug, column__slug=column_slug
    ).first()
    return amount.amount if amount else None


def all_amounts(plan) -> dict:
    return {
        (section, slug, column): amount
        for section, slug, column, amount in LineAmount.objects.filter(line__plan=plan).values_list(
            "line__section", "line__slug", "column__slug", "amount"
        )
    }


def text_of(response) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def summary_row(response, key) -> list[str]:
    html = response.content.decode()
    row = re.search(rf'<tr id="summary-{key}".*?</tr>', html, flags=re.S).group(0)
    return [unescape(value).strip() for value in re.findall(r'<td class="text-end num">(.*?)</td>', row)]


def test_the_grid_shows_every_amount_as_a_swedish_number_named_by_row_and_column(as_user, draft):
    chief = as_user("chief_a")
    response = chief.get(reverse("edit:grid", args=[draft.pk]))
    html = response.content.decode()
    name = cell(draft, "enter", "b2025")
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    assert 'value="3 439 000"' in field
    assert 'aria-label="Enter Budget 2025"' in field
    text = text_of(response)
    assert "Försäkringskassan" in text and "Kansli" in text


def test_a_save_stores_every_cell_and_goes_back_to_the_plan(as_user, draft):
    chief = as_user("chief_a")
    fields = grid_fields(chief, draft)
    before = all_amounts(draft)
    response = chief.post(
        reverse("edit:grid", args=[draft.pk]),
        as_post(fields, **{cell(draft, "enter", "b2025"): "1 250 000,50", cell(draft, "enter", "p2026"): "2000000"}),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("budgets:plan", args=[draft.pk])
    assert stored(draft, "enter", "b2025") == Decimal("1250000.50")
    assert stored(draft, "enter", "p2026") == Decimal("2000000")
    # Every other cell keeps its value exactly.
    after = all_amounts(draft)
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert changed == {("cost", "enter", "b2025"), ("cost", "enter", "p2026")}


def test_a_bad_number_stores_nothing_and_names_the_cell(as_user, draft):
    chief = as_user("chief_a")
    fields = grid_fields(chief, draft)
    version = Plan.objects.get(pk=draft.pk).version
    before = all_amounts(draft)
    response = chief.post(
        reverse("edit:grid", args=[draft.pk]),
        as_post(fields, **{cell(draft, "enter", "p2026"): "2000000", cell(draft, "kansli", "b2025"): "12,5x"}),
    )
    assert response.status_code == 400
    assert "Kansli Budget 2025: Bara siffror, mellanslag mellan tusental och decimalkomma" in text_of(response)
    assert all_amounts(draft) == before
    assert Plan.objects.get(pk=draft.pk).version == version


def test_a_save_made_from_an_older_version_is_refused(as_user, draft):
    chief = as_user("chief_a")
    fields = grid_fields(chief, draft)
    response = chief.post(
        reverse("edit:grid", args=[draft.pk]),
        as_post(fields, version=str(Plan.objects.get(pk=draft.pk).version - 1), **{cell(draft, "enter", "b2025"): "1"}),
    )
    assert response.status_code == 409
    assert "Någon annan har ändrat planen" in text_of(response)
    assert stored(draft, "enter", "b2025") == Decimal("3439000")


@pytest.mark.parametrize("url_name", ["edit:grid", "edit:grid_live"])
def test_the_outsider_is_told_the_plan_does_not_exist_and_the_board_may_not_write(as_user, draft, url_name):
    url = reverse(url_name, args=[draft.pk])
    assert as_user("chief_b").post(url, {"version": draft.version}).status_code == 404
    assert as_user("board_a").post(url, {"version": draft.version}).status_code == 403
    assert as_user("chief_b").get(url).status_code == 404
    assert stored(draft, "enter", "b2025") == Decimal("3439000")


def test_the_live_totals_count_the_unsaved_grid_and_store_nothing(as_user, draft):
    chief = as_user("chief_a")
    fields = grid_fields(chief, draft)
    before = summary_row(chief.get(reverse("edit:grid", args=[draft.pk])), "costs")
    version = Plan.objects.get(pk=draft.pk).version
    response = chief.post(
        reverse("edit:grid_live", args=[draft.pk]), as_post(fields, **{cell(draft, "enter", "b2025"): "4 439 000"})
    )
    assert response.status_code == 200
    after = summary_row(response, "costs")
    columns = [column.slug for column in draft.columns.all()]
    budget = columns.index("b2025")
    as_number = lambda text: Decimal(text.replace(" ", "").replace(",", "."))  # noqa: E731
    assert as_number(after[budget]) - as_number(before[budget]) == Decimal("1000000")
    assert stored(draft, "enter", "b2025") == Decimal("3439000")
    assert Plan.objects.get(pk=draft.pk).version == version


def test_the_live_findings_come_from_the_plan_pages_validator(as_user, draft):
    chief = as_user("chief_a")
    fields = grid_fields(chief, draft)
    member = draft.members.get(kind="forsakringskassan")
    name = f"amount-m{member.pk}-{draft.columns.get(slug='b2025').pk}"
    response = chief.post(reverse("edit:grid_live", args=[draft.pk]), as_post(fields, **{name: "9 999 999"}))
    assert 'data-code="SPLIT"' in response.content.decode()
    assert LineAmount.objects.filter(line__member=member, column__slug="b2025", amount=Decimal("9999999")).count() == 0


def test_the_live_answer_is_the_same_without_the_empty_cells_the_script_leaves_out(as_user, draft):
    # static/js/grid.js leaves the empty cells out of the live request: to the server a
    # cell not posted is an empty one.
    chief = as_user("chief_a")
    enter = draft.interventions.get(slug="enter")
    column = draft.columns.get(slug="p2026")
    changes = {f"granted-{enter.pk}-{column.pk}": "2 000 000", cell(draft, "enter", "p2026"): "", "touched": str(enter.pk)}
    whole = as_post(grid_fields(chief, draft), **changes)
    empty = [name for name, values in whole.items() if re.match(r"(amount|granted|share)-", name) and values == [""]]
    assert cell(draft, "enter", "p2026") in empty and len(empty) > 10
    url = reverse("edit:grid_live", args=[draft.pk])
    full = chief.post(url, whole)
    lean = chief.post(url, {name: values for name, values in whole.items() if name not in empty})
    assert full.status_code == lean.status_code == 200
    assert f'id="cost-{enter.pk}-{column.pk}"' in lean.content.decode()
    assert summary_row(lean, "costs") == summary_row(full, "costs")
    assert lean.content.decode() == full.content.decode()


def test_a_line_added_in_the_grid_is_stored_with_its_amounts_in_its_place(as_user, draft):
    chief = as_user("chief_a")
    fields = grid_fields(chief, draft)
    column = draft.columns.get(slug="b2025").pk
    data = as_post(fields)
    data["row"] = data["row"] + ["n1"]
    data.update({"label-n1": "Samverkanskoordinator för unga vuxna i hela länet", "section-n1": "cost",
                 "group-n1": "operations", "kind-n1": "", "intervention-n1": "", f"amount-n1-{column}": "250 000"})
    response = chief.post(reverse("edit:grid", args=[draft.pk]), data)
    assert response.status_code == 302
    line = BudgetLine.objects.get(plan=draft, label="Samverkanskoordinator för unga vuxna i hela länet")
    assert (line.section, line.cost_group) == ("cost", "operations")
    assert line.amounts.get().amount == Decimal("250000")


def test_lines_are_reordered_and_removed_as_the_grid_says(as_user, draft):
    chief = as_user("chief_a")
    fields = grid_fields(chief, draft)
    data = as_post(fields)
    cost_keys = [f"l{line.pk}" for line in BudgetLine.objects.filter(plan=draft, section="cost")]
    rows = data["row"]
    reordered = [key for key in rows if key not in cost_keys] + list(reversed([key for key in rows if key in cost_keys]))
    data["row"] = reordered
    kansli = BudgetLine.objects.get(plan=draft, section="cost", slug="kansli")
    data[f"delete-l{kansli.pk}"] = ["on"]
    response = chief.post(reverse("edit:grid", args=[draft.pk]), data)
    assert response.status_code == 302
    assert not BudgetLine.objects.filter(pk=kansli.pk).exists()
    remaining = [key for key in reversed([key for key in rows if key in cost_keys]) if key != f"l{kansli.pk}"]
    orders = {f"l{line.pk}": line.order for line in BudgetLine.objects.filter(plan=draft, section="cost")}
    assert [orders[key] for key in remaining] == list(range(len(remaining)))


def test_a_linked_cost_line_follows_its_interventions_grant(as_user, draft):
    chief = as_user("chief_a")
    enter = draft.interventions.get(slug="enter")
    column = draft.columns.get(slug="p2026")
    fields = grid_fields(chief, draft)
    response = chief.post(
        reverse("edit:grid", args=[draft.pk]),
        as_post(fields, **{f"granted-{enter.pk}-{column.pk}": "2 000 000", f"share-{enter.pk}-{column.pk}": "0,9", cell(draft, "enter", "p2026"): ""}),
    )
    assert response.status_code == 302
    assert InterventionFunding.objects.get(intervention=enter, column=column).granted == Decimal("2000000")
    assert stored(draft, "enter", "p2026") == Decimal("1800000")


def test_a_cost_line_that_differs_from_the_grant_gets_a_warning_naming_both_amounts(as_user, draft):
    chief = as_user("chief_a")
    enter = draft.interventions.get(slug="enter")
    column = draft.columns.get(slug="b2025")
    fields = grid_fields(chief, draft)
    response = chief.post(
        reverse("edit:grid", args=[draft.pk]),
        as_post(fields, **{f"granted-{enter.pk}-{column.pk}": "4 000 000", f"share-{enter.pk}-{column.pk}": "0,9"}),
    )
    assert response.status_code == 302
    assert stored(draft, "enter", "b2025") == Decimal("3439000")  # typed by the chief, kept
    page = text_of(chief.get(reverse("budgets:plan", args=[draft.pk])))
    assert "Budget 2025: insatsen Enter kostar 3 600 000 kr enligt beviljat belopp och räknad andel, men kostnadsraderna för den är 3 439 000 kr." in page
    assert "Insatsens kostnad stämmer inte med kostnadsraderna" in page and "INTERVENTION_COST" in page


def test_the_interventions_cost_is_shown_in_its_row(as_user, draft):
    chief = as_user("chief_a")
    enter = draft.interventions.get(slug="enter")
    column = draft.columns.get(slug="b2025")
    InterventionFunding.objects.create(intervention=enter, column=column, granted=Decimal("1111111"), utilization=Decimal("0.9"))
    html = chief.get(reverse("edit:grid", args=[draft.pk])).content.decode()
    assert f'<output id="cost-{enter.pk}-{column.pk}" class="grid-cost">999 999,9</output>' in html


def test_the_plan_page_links_to_the_grid(as_user, draft):
    html = as_user("chief_a").get(reverse("budgets:plan", args=[draft.pk])).content.decode()
    assert f'href="{reverse("edit:grid", args=[draft.pk])}"' in html
    assert "Redigera budgeten" in html
