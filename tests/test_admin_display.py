"""What the accountants' admin shows: amounts of an adopted plan, numbers the Swedish way, named inputs."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from budgets.models import Plan


@pytest.fixture
def accountant_client(personas):
    """The accountant with what the demo's accountants hold: every right over plans, none over roles."""
    accountant = personas["accountant"]
    accountant.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["federations", "budgets", "interventions"]).exclude(
            codename__in=["add_role", "change_role", "delete_role"]
        )
    )
    client = Client()
    client.force_login(accountant)
    return client


class _InlineTable(HTMLParser):
    """An inline group's table as a reader sees it: its headings and each row's cell texts."""

    def __init__(self, group_id):
        super().__init__()
        self.group_id = group_id
        self.depth = 0  # <div> nesting inside the group; 0 outside it
        self.headings = []
        self.rows = []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            if self.depth:
                self.depth += 1
            elif attrs.get("id") == self.group_id:
                self.depth = 1
        if not self.depth:
            return
        if tag == "tr" and "form-row" in (attrs.get("class") or ""):
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1
        if not self.depth or self._cell is None:
            return
        if tag == "th" and not self.rows:
            self.headings.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "td" and self.rows:
            self.rows[-1].append(" ".join(self._cell.split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def inline_table(response, group_id):
    reader = _InlineTable(group_id)
    reader.feed(response.content.decode())
    return reader


def cell(table, row_text, heading):
    """The text in the row whose first cell contains `row_text`, under the heading `heading`."""
    row = next(row for row in table.rows if row_text in row[0])
    return row[table.headings.index(heading)]


def test_an_adopted_plans_lines_show_their_amounts_in_their_columns(accountant_client, personas):
    adopted = personas["plan_a"]
    assert adopted.status == Plan.Status.ADOPTED

    response = accountant_client.get(reverse("admin:budgets_plan_change", args=[adopted.pk]))

    assert response.status_code == 200
    lines = inline_table(response, "lines-group")
    assert {"Budget 2024", "Prognos 2024", "Budget 2025", "Plan 2026", "Plan 2027"} <= set(lines.headings)
    assert cell(lines, "Habo kommun", "Budget 2024") == "204 100"
    assert cell(lines, "Jönköpings kommun", "Budget 2025") == "2 247 000"
    assert cell(lines, "Jönköpings kommun", "Plan 2027") == "2 247 000"
    assert not [(row[0], text) for row in lines.rows for text in row if "None" in text]
    assert not any(heading.startswith("Amount") for heading in lines.headings)


def test_an_adopted_lines_own_page_shows_its_amounts(accountant_client, personas):
    line = personas["plan_a"].lines.get(member__name="Jönköpings kommun")

    response = accountant_client.get(reverse("admin:budgets_budgetline_change", args=[line.pk]))

    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert "Budget 2025" in page
    assert '<div class="readonly">2 247 000</div>' in page


def test_read_only_money_shows_without_decimals_and_with_spaces(accountant_client, personas):
    adopted = personas["plan_a"]

    response = accountant_client.get(reverse("admin:budgets_plan_change", args=[adopted.pk]))

    page = " ".join(response.content.decode().split())
    assert '<div class="readonly">2 279 601</div>' in page  # opening equity
    totals = inline_table(response, "stated_totals-group")
    assert cell(totals, "Budget 2025", "Kostnader") == "11 845 500"
    assert cell(totals, "Budget 2025", "Utgående eget kapital") == "1 105 000"
    assert "2279601,0000" not in page and "11845500,0000" not in page


def test_the_stated_totals_list_and_the_draft_plans_inputs_show_swedish_numbers(accountant_client, personas):
    draft = personas["plan_b"]

    response = accountant_client.get(reverse("admin:budgets_statedtotal_changelist"))
    page = response.content.decode()
    assert "11 845 500" in page
    assert ",0000" not in page

    response = accountant_client.get(reverse("admin:budgets_plan_change", args=[draft.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    # Editable amounts: the edit format, decimal comma and no trailing zeros.
    assert 'value="120810"' in page
    assert ",0000" not in page and ".0000" not in page


class _UnnamedInputs(HTMLParser):
    """Visible inputs, selects and text areas with neither an aria-label nor a <label for=...>."""

    def __init__(self):
        super().__init__()
        self.controls = {}
        self.labelled = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button"):
            self.controls[attrs.get("id") or attrs.get("name")] = attrs

    def unnamed(self):
        return [
            name
            for name, attrs in self.controls.items()
            if not attrs.get("aria-label") and name not in self.labelled and not attrs.get("aria-labelledby")
        ]


def test_every_input_of_a_draft_plans_page_has_a_name(accountant_client, personas):
    draft = personas["plan_b"]

    response = accountant_client.get(reverse("admin:budgets_plan_change", args=[draft.pk]))

    reader = _UnnamedInputs()
    reader.feed(response.content.decode())
    assert len(reader.controls) > 300
    assert reader.unnamed() == []
    line = draft.lines.get(member__name="Aneby kommun")
    index = list(draft.lines.filter(section="contribution").order_by("order", "pk")).index(line)
    amount_input = next(
        attrs for attrs in reader.controls.values() if attrs.get("name", "").startswith(f"lines-{index}-amount_")
    )
    assert amount_input["aria-label"].endswith(f", rad {index + 1}")
    assert amount_input["value"] == "120810"


def test_the_admin_is_english_when_the_browser_asks_and_swedish_otherwise(accountant_client, personas):
    draft = personas["plan_b"]
    url = reverse("admin:budgets_plan_change", args=[draft.pk])

    english = accountant_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    swedish = accountant_client.get(url)

    reader = _UnnamedInputs()
    reader.feed(english.content.decode())
    assert reader.controls["id_lines-0-section"]["aria-label"] == "Section, row 1"
    index = accountant_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Plans and budgets" in index and "Intervention tags" in index and "Tags" in index
    reader = _UnnamedInputs()
    reader.feed(swedish.content.decode())
    assert reader.controls["id_lines-0-section"]["aria-label"] == "Del, rad 1"
    index = accountant_client.get(reverse("admin:index")).content.decode()
    assert "Planer och budgetar" in index and "Insatsernas märkningar" in index and "Märkningar" in index
