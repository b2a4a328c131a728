"""The national overview in a real browser: sorting, the region filter, accessibility at
full width and on a phone."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from budgets.models import Plan
from federations.access import NATIONAL_GROUP
from federations.models import Federation
from tests.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_national_level_compares_the_federations(page, seed_plans, django_user_model):
    Federation.objects.update(in_national_view=True)
    user = django_user_model.objects.create_user("nationell", password="secret-nationell")
    user.groups.add(Group.objects.get_or_create(name=NATIONAL_GROUP)[0])
    adopted = Plan.objects.filter(status="adopted").select_related("federation")
    shown = sorted({plan.federation.short_name or plan.federation.name for plan in adopted}, key=str.casefold)

    sign_in(page, "nationell", "secret-nationell")
    page.get_by_role("link", name="Nationell översikt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nationell översikt")
    names = page.locator("#national tbody th")
    expect(names).to_have_text(shown)
    expect(page.locator("#national tfoot th")).to_have_text("Hela landet")
    assert axe_violations(page) == []
    screenshot(page, "national")

    page.get_by_role("link", name="Resultat").click()
    expect(page.get_by_role("columnheader", name="Resultat")).to_have_attribute("aria-sort", "ascending")
    results = [
        int(text.replace("\u2212", "-").replace(" ", "") or 0)
        for text in page.locator('#national tbody td[data-key="result"]').all_inner_texts()
    ]
    assert results == sorted(results)

    region = page.locator('#national tbody td[data-key="region"]').first.inner_text()
    page.get_by_label("Region").select_option(region)
    page.get_by_role("button", name="Visa").click()
    regions = page.locator('#national tbody td[data-key="region"]').all_inner_texts()
    assert regions and set(regions) == {region}

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/nationell-oversikt/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    screenshot(page, "national-390")
