"""What an accountant can and cannot do in the admin.

Accountants correct plans' data. Who may edit which federation (roles, user
accounts, groups) is decided by administrators only, and a plan is adopted only
by the adoption service, which refuses while an error remains.
"""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from budgets.models import Plan
from budgets.selectors import plan_findings, plan_queryset
from federations.access import ADMINISTRATORS_GROUP
from federations.models import Federation, Role
from tests.forms import form_fields

ACCOUNTANT_APPS = ["federations", "budgets", "interventions"]


@pytest.fixture
def accountant(personas, django_user_model):
    """An accountant whose group holds every permission of the plan apps, roles included,
    as the demo's "Ekonomer" group once did: what the admin allows must not rest on that."""
    group = Group.objects.create(name="Ekonomer")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=ACCOUNTANT_APPS))
    user = django_user_model.objects.create_user("ekonom", password="secret-ekonom", is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def accountant_client(accountant):
    client = Client()
    client.force_login(accountant)
    return client


def sjuharad_plan():
    return Plan.objects.get(federation__slug="sjuharad", year=2022)


def test_an_accountant_cannot_make_itself_chief_of_a_federation(accountant, accountant_client):
    sjuharad = Federation.objects.get(slug="sjuharad")

    response = accountant_client.post(
        reverse("admin:federations_role_add"),
        {"user": accountant.pk, "federation": sjuharad.pk, "kind": Role.Kind.CHIEF},
    )

    assert response.status_code == 403
    assert not Role.objects.filter(user=accountant).exists()
    # And so it still cannot change Sjuhärad's draft.
    plan = sjuharad_plan()
    response = accountant_client.post(
        reverse("edit:columns", args=[plan.pk]), {"kind": "plan", "year": 2023, "label": "", "version": plan.version}
    )
    assert response.status_code == 403
    assert plan.columns.count() == 3


def test_an_accountant_cannot_change_or_delete_a_role(personas, accountant_client):
    role = Role.objects.get(user=personas["board_a"])
    change = reverse("admin:federations_role_change", args=[role.pk])

    response = accountant_client.post(change, {"user": role.user_id, "federation": role.federation_id, "kind": "chief"})
    assert response.status_code == 403
    response = accountant_client.post(reverse("admin:federations_role_delete", args=[role.pk]), {"post": "yes"})
    assert response.status_code == 403

    role.refresh_from_db()
    assert role.kind == Role.Kind.BOARD
    # Reading who has which role is fine.
    assert accountant_client.get(change).status_code == 200


def test_the_federation_page_adds_no_role_for_an_accountant(accountant, accountant_client):
    sjuharad = Federation.objects.get(slug="sjuharad")
    url = reverse("admin:federations_federation_change", args=[sjuharad.pk])
    page = accountant_client.get(url)
    assert page.status_code == 200
    data = form_fields(page, form_id="federation_form")
    data.update(
        {
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-0-user": str(accountant.pk),
            "roles-0-kind": Role.Kind.CHIEF,
            "roles-0-federation": str(sjuharad.pk),
            "vision": "Ny vision",
        }
    )

    response = accountant_client.post(url, data)

    assert response.status_code == 302
    sjuharad.refresh_from_db()
    assert sjuharad.vision == "Ny vision"
    assert not Role.objects.filter(user=accountant).exists()


def test_the_demo_accountants_group_holds_no_right_to_change_roles(db):
    call_command("loaddemo", stdout=StringIO())
    accountant = Group.objects.get(name="Ekonomer")
    codenames = set(accountant.permissions.values_list("codename", flat=True))
    assert {"add_role", "change_role", "delete_role"}.isdisjoint(codenames)
    assert {"change_plan", "change_federation", "view_role"} <= codenames

    client = Client()
    client.force_login(Group.objects.get(name="Ekonomer").user_set.get(username="ekonom"))
    sjuharad = Federation.objects.get(slug="sjuharad")
    ekonom = accountant.user_set.get()
    response = client.post(
        reverse("admin:federations_role_add"), {"user": ekonom.pk, "federation": sjuharad.pk, "kind": "chief"}
    )
    assert response.status_code == 403
    assert not Role.objects.filter(user=ekonom).exists()


def test_an_administrator_gives_a_role(personas, accountant, django_user_model):
    administrator = django_user_model.objects.create_user("administrator", password="x", is_staff=True)
    administrator.groups.add(Group.objects.create(name=ADMINISTRATORS_GROUP))
    administrator.user_permissions.set(Permission.objects.filter(content_type__model="role"))
    client = Client()
    client.force_login(administrator)
    sjuharad = Federation.objects.get(slug="sjuharad")

    response = client.post(
        reverse("admin:federations_role_add"), {"user": accountant.pk, "federation": sjuharad.pk, "kind": "board"}
    )

    assert response.status_code == 302
    assert Role.objects.get(user=accountant).kind == Role.Kind.BOARD


def test_an_accountant_with_user_rights_cannot_make_itself_superuser(accountant, accountant_client):
    # Even if someone gives the accountant rights over accounts and groups.
    accountant.user_permissions.set(Permission.objects.filter(content_type__app_label="auth"))
    change = reverse("admin:auth_user_change", args=[accountant.pk])
    data = {"username": "ekonom", "is_active": "on", "is_staff": "on", "is_superuser": "on",
            "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}

    response = accountant_client.post(change, data)

    assert response.status_code == 403
    accountant.refresh_from_db()
    assert not accountant.is_superuser
    group = Group.objects.get(name="Ekonomer")
    before = set(group.permissions.values_list("pk", flat=True))
    response = accountant_client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Ekonomer", "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_an_administrator_cannot_make_itself_superuser_or_change_a_superuser(personas, django_user_model):
    administrator = django_user_model.objects.create_user("administrator", password="x", is_staff=True)
    administrator.groups.add(Group.objects.create(name=ADMINISTRATORS_GROUP))
    administrator.user_permissions.set(Permission.objects.filter(content_type__app_label="auth"))
    client = Client()
    client.force_login(administrator)
    change = reverse("admin:auth_user_change", args=[administrator.pk])
    page = client.get(change)
    assert page.status_code == 200
    data = form_fields(page, form_id="user_form")
    data["is_superuser"] = "on"

    response = client.post(change, data)

    assert response.status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    superuser = personas["superuser"]
    page = client.get(reverse("admin:auth_user_change", args=[superuser.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(reverse("admin:auth_user_password_change", args=[superuser.pk]),
                           {"password1": "taken-over-1", "password2": "taken-over-1"})
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert not superuser.check_password("taken-over-1")


# --- Adoption ----------------------------------------------------------------


def test_the_plan_admin_does_not_adopt_a_plan_with_errors(accountant_client):
    plan = sjuharad_plan()
    assert any(finding.is_error for finding in plan_findings(plan_queryset().get(pk=plan.pk)))
    url = reverse("admin:budgets_plan_change", args=[plan.pk])
    page = accountant_client.get(url)
    assert page.status_code == 200
    data = form_fields(page, form_id="plan_form")
    assert "status" not in data
    data.update({"status": "adopted", "adopted_on": "2026-11-01", "title": "Ändrad titel"})

    response = accountant_client.post(url, data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Ändrad titel"
    assert not plan.is_adopted
    assert plan.adopted_on is None


def test_no_save_outside_the_adoption_service_marks_a_plan_adopted(accountant_client):
    from django.core.exceptions import PermissionDenied

    plan = sjuharad_plan()
    plan.status = Plan.Status.ADOPTED
    with pytest.raises(PermissionDenied):
        plan.save()
    assert not sjuharad_plan().is_adopted


def test_the_plan_list_changes_no_status(accountant_client):
    plan = sjuharad_plan()
    response = accountant_client.post(
        reverse("admin:budgets_plan_changelist"),
        {"action": "delete_selected", "_selected_action": [plan.pk], "status": "adopted"},
    )
    assert response.status_code == 200  # the confirmation page; nothing adopted
    assert not sjuharad_plan().is_adopted
