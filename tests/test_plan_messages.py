"""What the chief is told and asked: confirmation before adopting, removing the printed
totals and starting next year's plan; links between a year's plan and the next; dates as
2026-11-29; an error summary that names every field in error; the key helper's own errors."""

import datetime
import re
from html import unescape

from django.urls import reverse
from django.utils import formats, translation

from budgets.models import Plan
from federations.models import Role


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def hidden_fields(response) -> dict:
    """The hidden fields of the confirmation form, as the second POST sends them."""
    html = response.content.decode()
    form = re.search(r'<form [^>]*id="confirm-form"[^>]*>(.*?)</form>', html, flags=re.S).group(1)
    return {
        name: value
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
        if name != "csrfmiddlewaretoken"
    }


# ---------------------------------------------------------------------------
# Confirmation steps


def test_adopting_asks_first_and_changes_nothing_until_confirmed(client_for, personas):
    plan = personas["plan_b"]  # Höglandet 2023: a draft without errors
    client = client_for("chief_b")
    url = reverse("budgets:adopt", args=[plan.pk])

    asked = client.post(url, {"adopted_on": "2022-11-25", "reference": "2022:7", "version": plan.version})

    assert asked.status_code == 200
    text = text_of(asked)
    assert "Fastställa Höglandet verksamhetsplan 2023, revision 1?" in text
    assert "Fastställd av styrelsen den 2022-11-25, Dnr 2022:7." in text
    plan.refresh_from_db()
    assert (plan.status, plan.adopted_on) == ("draft", None)

    fields = hidden_fields(asked)
    assert fields == {"adopted_on": "2022-11-25", "reference": "2022:7", "version": str(plan.version), "confirmed": "yes"}
    response = client.post(url, fields)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.adopted_on, plan.reference) == ("adopted", datetime.date(2022, 11, 25), "2022:7")


def test_a_plan_with_errors_is_refused_before_any_confirmation(client_for, personas, seed_plans):
    plan = seed_plans["sjuharad"]
    response = client_for("superuser").post(
        reverse("budgets:adopt", args=[plan.pk]), {"adopted_on": "2022-11-25", "version": plan.version}
    )
    assert response.status_code == 400
    assert "Planen kan inte fastställas: 2 fel återstår" in text_of(response)
    assert 'name="confirmed"' not in response.content.decode()


def test_adopting_from_a_stale_page_is_refused_before_any_confirmation(client_for, personas):
    plan = personas["plan_b"]
    response = client_for("chief_b").post(
        reverse("budgets:adopt", args=[plan.pk]), {"adopted_on": "2022-11-25", "version": plan.version - 1}
    )
    assert response.status_code == 400
    assert "Någon annan har ändrat planen" in text_of(response)
    assert 'name="confirmed"' not in response.content.decode()


def test_starting_next_years_plan_asks_first(client_for, personas):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    url = reverse("budgets:roll_forward", args=[plan.pk])

    asked = client.post(url)

    assert asked.status_code == 200
    assert "Börja planen för 2026 från Södra Vätterbygden verksamhetsplan 2025, revision 1?" in text_of(asked)
    assert not Plan.objects.filter(federation=plan.federation, year=2026).exists()

    response = client.post(url, hidden_fields(asked))

    new_plan = Plan.objects.get(federation=plan.federation, year=2026)
    assert response["Location"] == reverse("budgets:plan", args=[new_plan.pk])


def test_removing_the_printed_totals_asks_first(client_for, personas, seed_plans):
    plan = seed_plans["hoglandet"]
    client = client_for("chief_b")
    url = reverse("budgets:clear_stated", args=[plan.pk])

    asked = client.post(url, {"version": plan.version})

    assert asked.status_code == 200
    assert "Summorna för 4 kolumner tas bort" in text_of(asked)
    assert plan.stated_totals.count() == 4

    client.post(url, hidden_fields(asked))

    assert plan.stated_totals.count() == 0


def test_the_confirmation_page_is_for_the_chief_only(client_for, personas):
    plan = personas["plan_a"]
    assert client_for("board_a").post(reverse("budgets:roll_forward", args=[plan.pk])).status_code == 403
    assert client_for("chief_b").post(reverse("budgets:roll_forward", args=[plan.pk])).status_code == 404


# ---------------------------------------------------------------------------
# Last year's and next year's plan


def test_after_rolling_forward_each_plan_links_to_the_other(client_for, personas):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    before = client.get(reverse("budgets:plan", args=[plan.pk]))
    assert "Nästa år: plan 2026" not in text_of(before)

    client.post(reverse("budgets:roll_forward", args=[plan.pk]), {"confirmed": "yes"})
    new_plan = Plan.objects.get(federation=plan.federation, year=2026)

    old_page = client.get(reverse("budgets:plan", args=[plan.pk])).content.decode()
    new_page = client.get(reverse("budgets:plan", args=[new_plan.pk])).content.decode()
    assert re.search(rf'<a href="{reverse("budgets:plan", args=[new_plan.pk])}" rel="next">\s*Nästa år: plan 2026', old_page)
    assert re.search(rf'<a href="{reverse("budgets:plan", args=[plan.pk])}" rel="prev">← Föregående år: plan 2025', new_page)
    # The new plan has no successor yet, and the old one no predecessor.
    assert "Nästa år: plan" not in new_page and "Föregående år: plan" not in old_page


# ---------------------------------------------------------------------------
# Dates


def test_dates_are_iso_in_both_languages():
    day = datetime.date(2026, 11, 29)
    moment = datetime.datetime(2026, 11, 29, 14, 3)
    for language in ("sv", "en"):
        with translation.override(language):
            assert formats.date_format(day) == "2026-11-29"
            assert formats.date_format(day, "SHORT_DATE_FORMAT") == "2026-11-29"
            assert formats.date_format(moment, "DATETIME_FORMAT") == "2026-11-29 14:03"
            assert formats.get_format("DATE_INPUT_FORMATS") == ["%Y-%m-%d"]


def test_the_adoption_date_is_typed_and_shown_as_iso(client_for, personas):
    plan = personas["plan_b"]
    client = client_for("chief_b")
    page = client.get(reverse("budgets:plan", args=[plan.pk])).content.decode()
    field = re.search(r'<input[^>]*name="adopted_on"[^>]*>', page).group(0)
    # A text field, not type="date": a browser would show that in its own locale's order.
    assert 'type="text"' in field
    assert re.search(r'value="\d{4}-\d{2}-\d{2}"', field)

    refused = client.post(
        reverse("budgets:adopt", args=[plan.pk]), {"adopted_on": "11/25/2022", "version": plan.version, "confirmed": "yes"}
    )
    assert refused.status_code == 400 and "Ange datum som ÅÅÅÅ-MM-DD." in text_of(refused)

    client.post(
        reverse("budgets:adopt", args=[plan.pk]), {"adopted_on": "2022-11-25", "version": plan.version, "confirmed": "yes"}
    )
    assert "Fastställd 2022-11-25" in text_of(client.get(reverse("budgets:plan", args=[plan.pk])))


def test_the_history_shows_iso_dates_and_times(client_for, personas):
    plan = personas["plan_b"]
    client = client_for("chief_b")
    client.post(
        reverse("budgets:adopt", args=[plan.pk]), {"adopted_on": "2022-11-25", "version": plan.version, "confirmed": "yes"}
    )
    for language in ("sv", "en"):
        text = text_of(client.get(reverse("budgets:history", args=[plan.pk]), headers={"accept-language": language}))
        # The adopted date as it changed, and when.
        assert re.search(r"→ 2022-11-25", text), language
        assert re.search(r"\b20\d\d-\d\d-\d\d \d\d:\d\d\b", text), language
        assert "november" not in text.lower() and "nov." not in text.lower()


# ---------------------------------------------------------------------------
# Error summary and the key helper


def test_a_failed_save_lists_every_field_in_error_with_a_link_to_it(client_for, personas):
    plan = Plan.objects.get(pk=personas["plan_b"].pk)
    client = client_for("chief_b")
    member = plan.members.get(slug="aneby")
    column = plan.columns.get(slug="b2023")
    other = plan.columns.get(slug="p2024")
    data = {"version": plan.version, f"r{member.pk}-amount-{column.pk}": "12,5x", f"r{member.pk}-amount-{other.pk}": "abc"}

    response = client.post(reverse("edit:contributions", args=[plan.pk]), data)

    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger error-summary"[^>]*>(.*?)</div>', html, flags=re.S).group(1)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        (f"id_r{member.pk}-amount-{column.pk}", "Aneby kommun, 2023"),
        (f"id_r{member.pk}-amount-{other.pk}", "Aneby kommun, 2024"),
    ]
    for field_id, _label in links:
        assert f'id="{field_id}"' in html


def test_the_key_helper_comes_back_at_itself_with_its_error(client_for, personas, seed_plans):
    plan = seed_plans["sjuharad"]
    Role.objects.create(user=personas["chief_b"], federation=plan.federation, kind=Role.Kind.CHIEF)
    Plan.objects.filter(pk=plan.pk).update(status="draft")
    client = client_for("chief_b")
    page = client.get(reverse("edit:contributions", args=[plan.pk])).content.decode()
    action = reverse("edit:contributions_key", args=[plan.pk])
    assert f'action="{action}#key"' in page

    response = client.post(
        action, {"version": plan.version, "column": plan.columns.first().pk, "key": "population", "total": ""}
    )

    assert response.status_code == 400
    html = response.content.decode()
    helper = html[html.index('id="key"') :]
    summary = re.search(r'<div class="alert alert-danger error-summary"[^>]*>(.*?)</div>', helper, flags=re.S).group(1)
    assert "Folkmängd saknas för" in summary
    # The error is at the helper, not in the grid's form above it.
    assert html.count("error-summary") == 1
