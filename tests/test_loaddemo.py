from io import StringIO

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from budgets.models import BudgetLine, LineAmount, Plan
from federations.models import Federation, Role

FEDERATIONS = {"harnosand-timra", "hoglandet", "sjuharad", "sodra-vatterbygden", "sydostra-skane"}


def run_loaddemo() -> str:
    out = StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def test_it_loads_the_five_plans_and_prints_the_demo_users(db):
    output = run_loaddemo()

    assert set(Federation.objects.values_list("slug", flat=True)) == FEDERATIONS
    assert sorted(Plan.objects.values_list("federation__slug", "year")) == [
        ("harnosand-timra", 2017),
        ("hoglandet", 2023),
        ("sjuharad", 2022),
        ("sodra-vatterbygden", 2025),
        ("sodra-vatterbygden", 2025),
        ("sydostra-skane", 2021),
    ]
    # Its new revision is the draft sent to the board, with one comment of the board member.
    draft = Plan.objects.get(federation__slug="sodra-vatterbygden", revision=2)
    assert [(sending.kind, sending.plan_version) for sending in draft.sendings.all()] == [("board", draft.version)]
    assert list(draft.comments.values_list("author__username", "anchor_kind")) == [("styrelse", "line")]
    for slug in FEDERATIONS:
        assert f"imported {slug}" in output
        assert f"chef-{slug}" in output
    assert "styrelse-demo" in output
    assert "ekonom-demo" in output
    assert "admin-demo" in output


def test_the_printed_passwords_sign_in_with_the_roles_they_name(db):
    run_loaddemo()

    chief = authenticate(username="chef-hoglandet", password="chef-hoglandet-demo")
    assert chief is not None and not chief.is_staff
    assert Role.objects.get(user=chief).federation.slug == "hoglandet"
    assert Role.objects.get(user=chief).kind == Role.Kind.CHIEF

    board = authenticate(username="styrelse", password="styrelse-demo")
    assert [(role.federation.slug, role.kind) for role in Role.objects.filter(user=board)] == [
        ("sodra-vatterbygden", Role.Kind.BOARD)
    ]

    accountant = authenticate(username="ekonom", password="ekonom-demo")
    assert accountant.is_staff and not accountant.is_superuser
    assert accountant.has_perm("budgets.change_plan")
    assert accountant.has_perm("interventions.view_intervention")
    assert not accountant.has_perm("auth.change_user")

    admin = authenticate(username="admin", password="admin-demo")
    assert admin.is_superuser


def test_running_it_twice_changes_nothing(db):
    run_loaddemo()
    counts = (
        Plan.objects.count(),
        BudgetLine.objects.count(),
        LineAmount.objects.count(),
        get_user_model().objects.count(),
        Role.objects.count(),
    )

    output = run_loaddemo()

    assert "kept sodra-vatterbygden 2025" in output
    assert (
        Plan.objects.count(),
        BudgetLine.objects.count(),
        LineAmount.objects.count(),
        get_user_model().objects.count(),
        Role.objects.count(),
    ) == counts
    assert authenticate(username="admin", password="admin-demo") is not None
