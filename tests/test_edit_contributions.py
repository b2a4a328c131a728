"""The contributions page: members' amounts per column, the split shown per party, and the key helper."""

import re
from decimal import Decimal

from django.urls import reverse

from budgets.models import LineAmount, Plan
from tests.forms import form_values
from tests.test_edit_access import (  # noqa: F401 (fixtures)
    STALE_TEXT,
    chief,
    draft_a,
    edit_world,
    finding_codes,
    post,
    seed,
    sign_in,
    text_of,
    version_of,
    world,
)


def contribution(plan, member_slug, column_slug):
    amount = LineAmount.objects.filter(
        line__plan=plan, line__member__slug=member_slug, column__slug=column_slug
    ).first()
    return amount.amount if amount else None


def field_name(plan, member_slug, column_slug):
    member = plan.members.get(slug=member_slug)
    column = plan.columns.get(slug=column_slug)
    return f"r{member.pk}-amount-{column.pk}"


def party_cell(response, party, column_slug) -> str:
    """The text of a party's subtotal cell in the split table: amount and share."""
    html = response.content.decode()
    match = re.search(rf'id="party-{party}-{column_slug}">(.*?)</td>', html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def save_grid(client, plan, changes: dict, version=None):
    """Post the grid as the page shows it, with `changes` ({(member, column): typed text})."""
    url = reverse("edit:contributions", args=[plan.pk])
    data = form_values(client.get(url), url)
    for (member_slug, column_slug), typed in changes.items():
        data[field_name(plan, member_slug, column_slug)] = typed
    if version is not None:
        data["version"] = version
    return client.post(url, data)


def test_the_page_shows_each_members_amount_and_the_split_per_party(chief, draft_a):
    response = chief.get(reverse("edit:contributions", args=[draft_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="{field_name(draft_a, "habo", "b2025")}" value="206300"' in html
    text = text_of(response)
    assert party_cell(response, "municipality", "b2025") == "2 797 500 25 %"
    assert party_cell(response, "state", "b2025") == "5 595 000 50 %"
    assert party_cell(response, "total", "b2025") == "11 190 000"
    assert "SPLIT" not in finding_codes(response)


def test_changing_a_municipality_shows_a_split_error_and_the_key_helper_makes_it_exact(chief, draft_a):
    response = save_grid(chief, draft_a, {("habo", "b2025"): "306 300"})
    assert response.status_code == 302
    assert contribution(draft_a, "habo", "b2025") == Decimal(306300)

    response = chief.get(response["Location"])
    text = text_of(response)
    assert "Medlemsbidragen är sparade (1 belopp ändrade)." in text
    assert "SPLIT" in finding_codes(response)
    assert (
        "Budget 2025: kommunernas andel är 25,66 % (2 897 500 kr), ska vara 25 % (2 797 500 kr), "
        "räknat på statens andel 49,56 % (5 595 000 kr) och regionens andel 24,78 % (2 797 500 kr)."
    ) in text
    assert party_cell(response, "municipality", "b2025") == "2 897 500 25,66 %"

    plan_page = chief.get(reverse("budgets:plan", args=[draft_a.pk]))
    assert "kommunernas andel är 25,66 %" in text_of(plan_page)

    response = post(
        chief,
        reverse("edit:contributions_key", args=[draft_a.pk]),
        {"column": draft_a.columns.get(slug="b2025").pk, "key": "equal", "total": ""},
        plan=draft_a,
    )
    assert response.status_code == 302
    response = chief.get(response["Location"])
    assert "SPLIT" not in finding_codes(response)
    amounts = [contribution(draft_a, slug, "b2025") for slug in ("habo", "jonkoping", "mullsjo", "vaggeryd")]
    assert amounts == [Decimal(699375)] * 4
    assert sum(amounts) == Decimal(2797500)
    text = text_of(response)
    assert "Kommunernas bidrag i Budget 2025 är fördelade efter lika delar på totalt 2 797 500 kr" in text
    assert party_cell(response, "municipality", "b2025") == "2 797 500 25 %"


def test_a_typed_total_is_split_exactly_with_the_remainder_where_rounding_lost_most(chief, draft_a):
    response = post(
        chief,
        reverse("edit:contributions_key", args=[draft_a.pk]),
        {"column": draft_a.columns.get(slug="p2027").pk, "key": "equal", "total": "1 000 003"},
        plan=draft_a,
    )
    assert response.status_code == 302
    amounts = [contribution(draft_a, slug, "p2027") for slug in ("habo", "jonkoping", "mullsjo", "vaggeryd")]
    assert amounts == [Decimal(250001), Decimal(250001), Decimal(250001), Decimal(250000)]


def test_fixed_shares_give_sjuharads_key_and_its_warnings_go(sign_in, seed):
    sjuharad = seed["sjuharad"]
    client = sign_in("chief_sjuharad")
    before = client.get(reverse("edit:contributions", args=[sjuharad.pk]))
    assert finding_codes(before).count("MUNICIPAL_KEY") == 3
    # The helper offers the plan's own key (population), and says at once that the members
    # lack the population it needs; the chief picks the fixed shares the document prints.
    html = before.content.decode()
    assert re.search(r'<input[^>]*value="population"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="fixed"[^>]*checked', html)
    assert "Planens fördelningsnyckel: folkmängd. Folkmängd saknas för" in text_of(before)

    for column in sjuharad.columns.all():
        response = post(
            client,
            reverse("edit:contributions_key", args=[sjuharad.pk]),
            {"column": column.pk, "key": "fixed", "total": "5 000"},
            plan=sjuharad,
        )
        assert response.status_code == 302
    assert contribution(sjuharad, "mark", "b2022") == Decimal(800)
    assert contribution(sjuharad, "boras", "b2022") == Decimal(2500)
    after = client.get(reverse("edit:contributions", args=[sjuharad.pk]))
    assert "MUNICIPAL_KEY" not in finding_codes(after)


def test_a_key_without_its_data_is_refused_with_the_municipalities_named(chief, draft_a):
    version = version_of(draft_a)
    response = post(
        chief,
        reverse("edit:contributions_key", args=[draft_a.pk]),
        {"column": draft_a.columns.get(slug="b2025").pk, "key": "population", "total": ""},
        plan=draft_a,
    )
    assert response.status_code == 400
    text = text_of(response)
    assert "Inget är sparat." in text
    assert "Folkmängd saknas för Habo kommun, Jönköpings kommun, Mullsjö kommun, Vaggeryds kommun." in text
    assert version_of(draft_a) == version
    assert contribution(draft_a, "habo", "b2025") == Decimal(206300)


def test_a_total_that_is_not_whole_kronor_is_a_field_error(chief, draft_a):
    response = post(
        chief,
        reverse("edit:contributions_key", args=[draft_a.pk]),
        {"column": draft_a.columns.get(slug="b2025").pk, "key": "equal", "total": "100,50"},
        plan=draft_a,
    )
    assert response.status_code == 400
    assert "Ange totalen i hela kronor" in text_of(response)
    assert 'id="id_total_error"' in response.content.decode()


def test_a_swedish_amount_with_ore_is_stored_exactly(chief, draft_a):
    response = save_grid(chief, draft_a, {("jonkoping", "p2027"): "1 250 000,50"})
    assert response.status_code == 302
    assert contribution(draft_a, "jonkoping", "p2027") == Decimal("1250000.50")


def test_an_emptied_cell_removes_its_amount_and_a_new_members_line_is_made_when_needed(chief, draft_a):
    response = save_grid(chief, draft_a, {("habo", "p2027"): "", ("fk", "p2027"): "100"})
    assert response.status_code == 302
    assert contribution(draft_a, "habo", "p2027") is None
    assert contribution(draft_a, "fk", "p2027") == Decimal(100)


def test_invalid_input_shows_field_errors_and_changes_nothing(chief, draft_a):
    version = version_of(draft_a)
    response = save_grid(chief, draft_a, {("habo", "b2025"): "12,5x", ("mullsjo", "b2025"): "-5", ("vaggeryd", "b2025"): "1"})
    assert response.status_code == 400
    html = response.content.decode()
    text = text_of(response)
    assert "Inget är sparat." in text
    assert "Bara siffror, mellanslag mellan tusental och decimalkomma, t.ex. 1 250 000,50." in text
    assert "Beloppet får inte vara negativt." in text
    habo = field_name(draft_a, "habo", "b2025")
    assert f'id="id_{habo}_error"' in html
    assert f'aria-describedby="id_{habo}_error"' in html
    assert 'aria-invalid="true"' in html
    assert f'value="12,5x"' in html  # what was typed stays for correcting
    assert version_of(draft_a) == version
    assert contribution(draft_a, "habo", "b2025") == Decimal(206300)
    assert contribution(draft_a, "vaggeryd", "b2025") == Decimal(227700)


def test_a_save_from_an_old_version_is_refused_and_shows_the_current_values(chief, draft_a):
    url = reverse("edit:contributions", args=[draft_a.pk])
    stale_page = chief.get(url)
    stale_data = form_values(stale_page, url)
    # Someone else saves meanwhile.
    assert save_grid(chief, draft_a, {("habo", "b2025"): "210 000"}).status_code == 302
    version = version_of(draft_a)

    stale_data[field_name(draft_a, "habo", "b2025")] = "999"
    response = chief.post(url, stale_data)
    assert response.status_code == 409
    text = text_of(response)
    assert STALE_TEXT in text
    assert contribution(draft_a, "habo", "b2025") == Decimal(210000)
    assert f'name="{field_name(draft_a, "habo", "b2025")}" value="210000"' in response.content.decode()
    assert f'name="version" value="{version}"' in response.content.decode()
    assert version_of(draft_a) == version


def test_the_key_helper_refuses_an_old_version_too(chief, draft_a):
    response = post(
        chief,
        reverse("edit:contributions_key", args=[draft_a.pk]),
        {"column": draft_a.columns.get(slug="b2025").pk, "key": "equal"},
        plan=draft_a,
        version=version_of(draft_a) - 1,
    )
    assert response.status_code == 409
    assert STALE_TEXT in text_of(response)
    assert contribution(draft_a, "habo", "b2025") == Decimal(206300)


def test_saving_records_who_changed_the_amount(chief, draft_a, world):
    save_grid(chief, draft_a, {("habo", "b2025"): "206 400"})
    amount = LineAmount.objects.get(line__plan=draft_a, line__member__slug="habo", column__slug="b2025")
    assert amount.history.first().history_user_id == world["users"]["chief_a"]
    assert Plan.objects.get(pk=draft_a.pk).version > draft_a.version


def test_a_post_with_only_some_cells_leaves_the_others_as_they_are(chief, draft_a):
    response = post(
        chief,
        reverse("edit:contributions", args=[draft_a.pk]),
        {field_name(draft_a, "habo", "b2025"): "206 400"},
        plan=draft_a,
    )
    assert response.status_code == 302
    assert contribution(draft_a, "habo", "b2025") == Decimal(206400)
    assert contribution(draft_a, "habo", "p2026") == Decimal(206300)
    assert contribution(draft_a, "jonkoping", "b2025") == Decimal(2247000)
