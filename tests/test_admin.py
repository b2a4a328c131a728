"""The accountants' admin: federations, plans, lines and interventions, with history."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from budgets.models import BudgetLine, Column, LineAmount, Plan
from budgets.planfile import read_plan_file
from budgets.services import plan_import
from federations.models import Member
from interventions.models import Intervention
from tests.conftest import SEED_PLAN_DIR, SEED_PLAN_PATHS
from tests.forms import form_fields

FEDERATION_NAMES = [
    "Höglandets samordningsförbund",
    "Samordningsförbundet Härnösand/Timrå",
    "Sjuhärads samordningsförbund",
    "Samordningsförbundet Sydöstra Skåne",
    "Samordningsförbundet Södra Vätterbygden",
]


@pytest.fixture(scope="module")
def module_seed_plans(django_db_setup, django_db_blocker):
    """The five seed plans, imported once for this module and rolled back after it.

    Each test runs in a savepoint inside this transaction, so what a test
    changes is gone before the next one starts.
    """
    assert len(SEED_PLAN_PATHS) == 5, f"expected five seed plans in {SEED_PLAN_DIR}"
    with django_db_blocker.unblock(), transaction.atomic():
        plans = [plan_import(document=read_plan_file(path.read_bytes())) for path in SEED_PLAN_PATHS]
        yield [plan.pk for plan in plans]
        transaction.set_rollback(True)


@pytest.fixture
def plans(module_seed_plans, db):
    """The seed plans: federation slug -> Plan."""
    stored = Plan.objects.filter(pk__in=module_seed_plans).select_related("federation")
    return {plan.federation.slug: plan for plan in stored}


@pytest.fixture
def vatterbygden(plans):
    """Södra Vätterbygden 2025 as a draft: the seed plan is adopted, and adopted plans are read-only."""
    plan = plans["sodra-vatterbygden"]
    Plan.objects.filter(pk=plan.pk).update(status="draft")
    plan.refresh_from_db()
    return plan


def test_an_adopted_plan_is_read_only_in_the_admin(admin_client, plans):
    adopted = plans["sodra-vatterbygden"]
    page = admin_client.get(plan_url(adopted))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert "Visa verksamhetsplan" in html and "Enter" in html

    response = admin_client.post(plan_url(adopted), {"title": "Ändrad"})
    assert response.status_code == 403
    adopted.refresh_from_db()
    assert adopted.title == "Verksamhetsplan 2025 med budget 2025 och plan 2026-2027"

    amount = LineAmount.objects.filter(line__plan=adopted).first()
    url = reverse("admin:budgets_lineamount_change", args=[amount.pk])
    assert admin_client.post(url, {"line": amount.line_id, "column": amount.column_id, "amount": "1"}).status_code == 403
    delete = reverse("admin:budgets_lineamount_delete", args=[amount.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert LineAmount.objects.filter(pk=amount.pk, amount=amount.amount).exists()


def plan_url(plan):
    return reverse("admin:budgets_plan_change", args=[plan.pk])


def form_data(response, model_name):
    """The change form's fields as the page shows them, ready to post back."""
    return form_fields(response, form_id=f"{model_name}_form")

def line_amount_field(response, label, column_label):
    """The name of the amount input of the line labelled `label` in the column `column_label`."""
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is BudgetLine
    )
    form = next(form for form in formset.forms if form.instance.display_label == label)
    name = next(name for name, field in form.fields.items() if field.label == column_label)
    return form.add_prefix(name)


def amount_of(plan, slug, column_label):
    row = LineAmount.objects.filter(line__plan=plan, line__slug=slug, column__label=column_label).first()
    return row.amount if row else None


def test_the_federation_list_shows_the_five_federations(admin_client, plans):
    response = admin_client.get(reverse("admin:federations_federation_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    for name in FEDERATION_NAMES:
        assert name in page
    assert "Finsam Plan – administration" in page


def test_the_plan_list_shows_each_federations_plan(admin_client, plans):
    response = admin_client.get(reverse("admin:budgets_plan_changelist"), {"status__exact": "adopted"})

    assert response.status_code == 200
    shown = {(plan.federation.slug, plan.year) for plan in response.context["cl"].result_list}
    adopted = {(plan.federation.slug, plan.year) for plan in plans.values() if plan.status == Plan.Status.ADOPTED}
    assert shown == adopted


def test_the_plan_page_shows_each_line_with_its_amount_per_column(admin_client, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Budget 2025" in page
    name = line_amount_field(response, "Enter", "Budget 2025")
    assert f'name="{name}" value="3439000"' in page
    assert 'value="Enter"' in page


def test_the_plan_page_reads_the_database_a_fixed_number_of_times(
    admin_client, vatterbygden, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        response = admin_client.get(plan_url(vatterbygden))
    assert response.status_code == 200


def test_changing_an_amount_on_the_plan_page_updates_its_line_amount(admin_client, admin_user, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))
    data = form_data(response, "plan")
    data[line_amount_field(response, "Enter", "Budget 2025")] = "3 500 000,5"

    response = admin_client.post(plan_url(vatterbygden), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert amount_of(vatterbygden, "enter", "Budget 2025") == Decimal("3500000.5")
    assert amount_of(vatterbygden, "enter", "Plan 2026") == Decimal("3526000")
    row = LineAmount.objects.get(line__plan=vatterbygden, line__slug="enter", column__label="Budget 2025")
    assert row.history.latest("history_date").history_user == admin_user
    history = admin_client.get(reverse("admin:budgets_lineamount_history", args=[row.pk])).content.decode()
    assert admin_user.username in history
    assert "3\u00a0439\u00a0000" in history and "3\u00a0500\u00a0000,5" in history


def test_an_empty_amount_deletes_its_row(admin_client, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))
    data = form_data(response, "plan")
    data[line_amount_field(response, "Enter", "Plan 2027")] = ""

    response = admin_client.post(plan_url(vatterbygden), data)

    assert response.status_code == 302
    assert amount_of(vatterbygden, "enter", "Plan 2027") is None
    assert amount_of(vatterbygden, "enter", "Plan 2026") == Decimal("3526000")


def test_a_column_deleted_with_an_amount_change_takes_its_amounts_along(admin_client, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))
    data = form_data(response, "plan")
    data[line_amount_field(response, "Enter", "Plan 2027")] = "1"
    column_forms = next(
        inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.model is Column
    )
    plan_2027 = next(form for form in column_forms.forms if form.instance.label == "Plan 2027")
    data[plan_2027.add_prefix("DELETE")] = "on"

    response = admin_client.post(plan_url(vatterbygden), data)

    assert response.status_code == 302
    assert not Column.objects.filter(plan=vatterbygden, label="Plan 2027").exists()
    assert amount_of(vatterbygden, "enter", "Plan 2027") is None
    assert amount_of(vatterbygden, "enter", "Plan 2026") == Decimal("3526000")


def test_a_bad_amount_shows_a_field_error_and_changes_nothing(admin_client, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))
    data = form_data(response, "plan")
    name = line_amount_field(response, "Enter", "Budget 2025")
    data[name] = "12,5x"
    data["title"] = "En ny titel"

    response = admin_client.post(plan_url(vatterbygden), data)

    assert response.status_code == 200
    assert "Bara siffror, mellanslag mellan tusental och decimalkomma" in response.content.decode()
    assert 'value="12,5x"' in response.content.decode()
    assert amount_of(vatterbygden, "enter", "Budget 2025") == Decimal("3439000")
    vatterbygden.refresh_from_db()
    assert vatterbygden.title != "En ny titel"


def test_a_negative_amount_is_refused(admin_client, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))
    data = form_data(response, "plan")
    data[line_amount_field(response, "Enter", "Budget 2025")] = "-5"

    response = admin_client.post(plan_url(vatterbygden), data)

    assert response.status_code == 200
    assert "Beloppet får inte vara negativt." in response.content.decode()
    assert amount_of(vatterbygden, "enter", "Budget 2025") == Decimal("3439000")


def test_a_line_added_on_the_plan_page_gets_its_amounts(admin_client, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))
    data = form_data(response, "plan")
    index = int(data["lines-TOTAL_FORMS"])
    budget_2025 = Column.objects.get(plan=vatterbygden, label="Budget 2025")
    data.update(
        {
            "lines-TOTAL_FORMS": str(index + 1),
            f"lines-{index}-section": "cost",
            f"lines-{index}-label": "Ny kurs",
            f"lines-{index}-cost_group": "operations",
            f"lines-{index}-order": "99",
            f"lines-{index}-amount_{budget_2025.pk}": "40 000",
        }
    )

    response = admin_client.post(plan_url(vatterbygden), data)

    assert response.status_code == 302
    line = BudgetLine.objects.get(plan=vatterbygden, label="Ny kurs")
    assert line.slug == "ny-kurs"
    assert [(amount.column.label, amount.amount) for amount in line.amounts.all()] == [
        ("Budget 2025", Decimal("40000"))
    ]


def test_a_contribution_without_a_member_is_refused_in_swedish(admin_client, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))
    data = form_data(response, "plan")
    index = int(data["lines-TOTAL_FORMS"])
    data.update(
        {
            "lines-TOTAL_FORMS": str(index + 1),
            f"lines-{index}-section": "contribution",
            f"lines-{index}-slug": "nagon",
            f"lines-{index}-order": "0",
        }
    )

    response = admin_client.post(plan_url(vatterbygden), data)

    assert response.status_code == 200
    assert "Ett medlemsbidrag måste ha en medlem." in response.content.decode()


def test_lines_offer_only_the_plans_own_members_and_interventions(admin_client, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is BudgetLine
    )
    form = formset.forms[0]

    assert set(form.fields["member"].queryset) == set(vatterbygden.members.all())
    assert set(form.fields["intervention"].queryset) == set(vatterbygden.interventions.all())


def test_a_member_of_another_plan_is_refused(admin_client, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))
    data = form_data(response, "plan")
    stranger = Member.objects.exclude(plan=vatterbygden).first()
    line = BudgetLine.objects.get(pk=data["lines-0-id"])
    data["lines-0-member"] = str(stranger.pk)

    response = admin_client.post(plan_url(vatterbygden), data)

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    line.refresh_from_db()
    assert line.member.plan == vatterbygden


def test_the_plan_history_shows_who_changed_what(admin_client, admin_user, vatterbygden):
    response = admin_client.get(plan_url(vatterbygden))
    data = form_data(response, "plan")
    data["reference"] = "Dnr 2024/99"
    assert admin_client.post(plan_url(vatterbygden), data).status_code == 302

    response = admin_client.get(reverse("admin:budgets_plan_history", args=[vatterbygden.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert admin_user.username in page
    assert "Dnr 2024/99" in page


def test_the_intervention_page_edits_goals_one_per_line(admin_client, admin_user, vatterbygden):
    intervention = Intervention.objects.get(plan=vatterbygden, slug="enter")
    url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
    response = admin_client.get(url)
    data = form_data(response, "intervention")
    assert data["goals"].splitlines() == intervention.goals

    data["goals"] = "Fler i arbete\n\n  Färre sjukskrivna  \n"
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    intervention.refresh_from_db()
    assert intervention.goals == ["Fler i arbete", "Färre sjukskrivna"]
    history = admin_client.get(reverse("admin:interventions_intervention_history", args=[intervention.pk]))
    assert admin_user.username in history.content.decode()
    assert "Färre sjukskrivna" in history.content.decode()


def test_an_interventions_parties_are_its_plans_members(admin_client, vatterbygden):
    intervention = Intervention.objects.get(plan=vatterbygden, slug="enter")
    url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
    response = admin_client.get(url)
    form = response.context["adminform"].form

    assert set(form.fields["parties"].queryset) == set(vatterbygden.members.all())
    assert set(form.fields["owner"].queryset) == set(vatterbygden.members.all())

    data = form_data(response, "intervention")
    stranger = Member.objects.exclude(plan=vatterbygden).first()
    data["parties"] = [str(vatterbygden.members.first().pk), str(stranger.pk)]
    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert not intervention.parties.filter(pk=stranger.pk).exists()


@pytest.mark.parametrize("changelist_filter", [{}, {"q": "Söd"}])
def test_every_list_and_add_page_opens(admin_client, plans, changelist_filter, django_assert_max_num_queries):
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        with django_assert_max_num_queries(15):
            response = admin_client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), changelist_filter
            )
        assert response.status_code == 200, opts.label
        response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        # Login attempts and lockouts are recorded by the login throttle, never added by hand.
        may_add = model_admin.has_add_permission(response.wsgi_request)
        assert response.status_code == (200 if may_add else 403), opts.label


def test_every_change_and_history_page_opens(admin_client, plans):
    for model in admin.site._registry:
        opts = model._meta
        obj = model.objects.last()
        if obj is None:
            continue
        for view in ("change", "history"):
            response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk]))
            assert response.status_code == 200, f"{opts.label} {view}"
