"""Fixtures shared by all test modules.

The five seed plans are real federations' activity plans transcribed into the
`finsam-plan/1` format; golden numbers in tests come from them.
"""

from pathlib import Path

import pytest

from budgets.planfile import read_plan_file
from budgets.services import plan_import

PROJECT_DIR = Path(__file__).resolve().parents[1]


def _seed_plan_dir() -> Path:
    # The project's own copy wins once it exists; until then the shared originals.
    project_copy = PROJECT_DIR / "demo" / "plans"
    if project_copy.is_dir():
        return project_copy
    return PROJECT_DIR.parent / "shared" / "plans"


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
