"""Fixtures shared by all test modules.

The five seed plans are real federations' activity plans transcribed into the
`finsam-plan/1` format; golden numbers in tests come from them.
"""

from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from budgets.planfile import read_plan_file
from budgets.services import plan_import

PROJECT_DIR = Path(__file__).resolve().parents[1]

# Mutation testing (scripts/mutation.sh) runs the core suite once per mutant: the same
# examples every time, so that a mutant is killed or not regardless of chance, and
# fewer of them (the tables carry the edges).
hypothesis_settings.register_profile("mutation", derandomize=True, database=None, max_examples=30)


def _seed_plan_dir() -> Path:
    # The project's own copy wins once it exists; until then the shared originals.
    project_copy = PROJECT_DIR / "demo" / "plans"
    if project_copy.is_dir():
        return project_copy
    return PROJECT_DIR.parent / "shared" / "plans"


@pytest.fixture(autouse=True)
def _login_throttle_off(settings):
    # Tests sign in with authenticate() and force_login(), which the login throttle
    # would refuse for lack of a request; tests of the throttle switch it on again.
    settings.AXES_ENABLED = False


SEED_PLAN_DIR = _seed_plan_dir()
SEED_PLAN_PATHS = sorted(SEED_PLAN_DIR.glob("*.json"))


@pytest.fixture
def seed_plan_paths() -> list[Path]:
    """The seed plan files, sorted by file name."""
    assert len(SEED_PLAN_PATHS) == 5, f"expected five seed plans in {SEED_PLAN_DIR}"
    return list(SEED_PLAN_PATHS)


@pytest.fixture(params=SEED_PLAN_PATHS, ids=[path.stem for path in SEED_PLAN_PATHS])
def seed_plan_path(request) -> Path:
    """Each seed plan file in turn (the test runs once per plan)."""
    return request.param


@pytest.fixture
def seed_plans(db, seed_plan_paths) -> dict:
    """All seed plans stored in the database: federation slug -> Plan."""
    plans = {}
    for path in seed_plan_paths:
        plan = plan_import(document=read_plan_file(path.read_bytes()))
        plans[plan.federation.slug] = plan
    return plans


@pytest.fixture
def personas(db, seed_plans, django_user_model) -> dict:
    """The people every view test considers, around federation A (Södra Vätterbygden):
    its chief, a board member of it, the chief of federation B (Höglandet, the outsider),
    an accountant (staff) and a superuser. Passwords are "secret-<name>"."""
    from federations.models import Federation, Role

    def user(name, **fields):
        account = django_user_model.objects.create_user(username=name, password=f"secret-{name}", **fields)
        return account

    federation_a = Federation.objects.get(slug="sodra-vatterbygden")
    federation_b = Federation.objects.get(slug="hoglandet")
    chief_a = user("chief_a", first_name="Anna", last_name="Chef")
    board_a = user("board_a", first_name="Bo", last_name="Styrelse")
    chief_b = user("chief_b", first_name="Berit", last_name="Annan")
    Role.objects.create(user=chief_a, federation=federation_a, kind=Role.Kind.CHIEF)
    Role.objects.create(user=board_a, federation=federation_a, kind=Role.Kind.BOARD)
    Role.objects.create(user=chief_b, federation=federation_b, kind=Role.Kind.CHIEF)
    return {
        "chief_a": chief_a,
        "board_a": board_a,
        "chief_b": chief_b,
        "accountant": user("accountant", is_staff=True),
        "superuser": user("superuser", is_staff=True, is_superuser=True),
        "plan_a": seed_plans["sodra-vatterbygden"],
        "plan_b": seed_plans["hoglandet"],
    }


@pytest.fixture
def client_for(client, personas):
    """A test client signed in as the named persona (or anonymous for None)."""

    def sign_in(name):
        client.logout()
        if name is not None:
            client.force_login(personas[name])
        return client

    return sign_in


@pytest.fixture
def board_personas(personas, django_user_model) -> dict:
    """The personas, with what the board's side adds: a draft of federation A (revision 2 of
    its adopted plan, not sent to anyone), a member contact of A (for Jönköpings kommun) and
    a board member of federation B. Everyone has an e-mail address <name>@example.se."""
    from budgets.services import plan_new_revision
    from federations.models import Role

    people = dict(personas)
    for name in ("contact_a", "board_b"):
        people[name] = django_user_model.objects.create_user(username=name, password=f"secret-{name}")
    Role.objects.create(
        user=people["contact_a"], federation=personas["plan_a"].federation, kind=Role.Kind.MEMBER_CONTACT, member_name="Jönköpings kommun"
    )
    Role.objects.create(user=people["board_b"], federation=personas["plan_b"].federation, kind=Role.Kind.BOARD)
    for name, account in people.items():
        if hasattr(account, "email"):
            account.email = f"{name}@example.se"
            account.save(update_fields=["email"])
    people["draft_a"] = plan_new_revision(plan=personas["plan_a"], acting_user=personas["chief_a"])
    return people
