"""The accountants' admin in a real browser: axe-core over a draft and an adopted plan and the main lists."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LISTS = [
    "admin:index",
    "admin:budgets_plan_changelist",
    "admin:budgets_budgetline_changelist",
    "admin:budgets_statedtotal_changelist",
    "admin:federations_federation_changelist",
    "admin:federations_member_changelist",
    "admin:interventions_intervention_changelist",
    "admin:interventions_marking_changelist",
    "admin:interventions_interventionmarking_changelist",
]


def test_the_accountants_admin_has_no_serious_accessibility_violations(page):
    from io import StringIO

    from budgets.models import Plan

    call_command("loaddemo", stdout=StringIO())
    draft = Plan.objects.get(federation__slug="hoglandet")
    adopted = Plan.objects.get(federation__slug="sodra-vatterbygden", revision=1)
    assert draft.status == Plan.Status.DRAFT and adopted.status == Plan.Status.ADOPTED
    sign_in(page, "ekonom", "ekonom-demo")
    # A plan's page holds hundreds of inputs: slow on a busy machine.
    page.set_default_timeout(60_000)

    found = {}
    pages = [reverse(name) for name in LISTS] + [
        reverse("admin:budgets_plan_change", args=[draft.pk]),
        reverse("admin:budgets_plan_change", args=[adopted.pk]),
    ]
    for path in pages:
        response = page.goto(f"{page.base_url}{path}")
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}

    # The draft's amount inputs are named by their column and row.
    page.goto(f"{page.base_url}{reverse('admin:budgets_plan_change', args=[draft.pk])}")
    first_amount = page.locator("#lines-group tbody tr.form-row").first.locator("td[class^='field-amount_'] input").first
    expect(first_amount).to_have_attribute("aria-label", "Prognos 2022, rad 1")
    screenshot(page, "admin-draft-plan")

    # The adopted plan shows its lines' amounts, read-only, under their columns.
    page.goto(f"{page.base_url}{reverse('admin:budgets_plan_change', args=[adopted.pk])}")
    lines = page.locator("#lines-group")
    expect(lines.get_by_role("columnheader", name="Budget 2025")).to_be_visible()
    expect(lines.locator("tbody tr.form-row").first).to_contain_text("206 300")
    screenshot(page, "admin-adopted-plan")
