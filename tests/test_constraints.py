"""Database constraints: what the database itself refuses, whatever wrote the row.

These writes bypass `full_clean()` (QuerySet.update, bulk_create, objects.create),
as a data migration, a script or a bug would. The same tests run on SQLite and on
PostgreSQL (DATABASE_URL); each refused write is in its own atomic block so that
the test can go on using the connection afterwards.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budgets.models import (
    BudgetLine,
    Column,
    EquityGuidanceBand,
    LineAmount,
    Meeting,
    Plan,
    StatedTotal,
)
from federations.models import Federation, Member, Role
from interventions.models import (
    Intervention,
    InterventionMarking,
    Marking,
    MunicipalAllocation,
)


@contextmanager
def refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


@pytest.fixture
def federation(db) -> Federation:
    return Federation.objects.create(slug="testforbundet", name="Samordningsförbundet Test")


@pytest.fixture
def plan(federation) -> Plan:
    return Plan.objects.create(federation=federation, year=2025, last_year=2027, unit="SEK", status="draft")


def make_plan(federation, **fields) -> Plan:
    values = {"year": 2026, "last_year": 2028, "unit": "SEK"} | fields
    return Plan.objects.create(federation=federation, **values)


@pytest.fixture
def rows(plan) -> dict:
    """One row of each kind that hangs off a plan."""
    municipality = Member.objects.create(plan=plan, slug="habo", name="Habo kommun", kind="municipality")
    region = Member.objects.create(plan=plan, slug="region", name="Region Jönköpings län", kind="region")
    column = Column.objects.create(plan=plan, slug="b2025", year=2025, kind="budget")
    intervention = Intervention.objects.create(plan=plan, slug="enter", name="Enter", kind="individual")
    contribution = BudgetLine.objects.create(plan=plan, section="contribution", slug="habo", member=municipality)
    income = BudgetLine.objects.create(plan=plan, section="income", slug="esf", label="ESF", income_kind="external")
    cost = BudgetLine.objects.create(
        plan=plan, section="cost", slug="enter", label="Enter", cost_group="intervention", intervention=intervention
    )
    amount = LineAmount.objects.create(line=cost, column=column, amount=Decimal("3439000"))
    meeting = Meeting.objects.create(plan=plan, date="2025-02", body="board")
    return {
        "municipality": municipality,
        "region": region,
        "column": column,
        "intervention": intervention,
        "contribution": contribution,
        "income": income,
        "cost": cost,
        "amount": amount,
        "meeting": meeting,
    }


def update(row, **fields) -> int:
    return type(row).objects.filter(pk=row.pk).update(**fields)


# ---------------------------------------------------------------------------
# Plans


def test_a_federation_has_one_plan_per_year_and_revision(federation, plan):
    with refused_by_the_database():
        Plan.objects.create(federation=federation, year=2025, last_year=2025, unit="SEK")

    make_plan(federation, year=2026, last_year=2026)
    make_plan(federation, year=2025, last_year=2025, revision=2)
    assert list(federation.plans.order_by("year", "revision").values_list("year", "revision")) == [
        (2025, 1),
        (2025, 2),
        (2026, 1),
    ]
    with refused_by_the_database():
        make_plan(federation, year=2025, last_year=2025, revision=2)
    with refused_by_the_database():
        make_plan(federation, year=2027, last_year=2027, revision=0)


@pytest.mark.parametrize("year", [1989, 2101, 0])
def test_a_plan_year_outside_1990_to_2100_is_refused(federation, year):
    with refused_by_the_database():
        make_plan(federation, year=year, last_year=year)

    assert not Plan.objects.exists()


@pytest.mark.parametrize("year, last_year", [(1990, 1990), (2090, 2100), (2025, 2035)])
def test_the_limits_of_plan_years_are_accepted(federation, year, last_year):
    make_plan(federation, year=year, last_year=last_year)

    assert Plan.objects.get().last_year == last_year


@pytest.mark.parametrize("last_year", [2024, 2036], ids=["before-year", "more-than-ten-years-on"])
def test_a_last_year_outside_the_outlook_is_refused(federation, plan, last_year):
    with refused_by_the_database():
        update(plan, last_year=last_year)

    plan.refresh_from_db()
    assert plan.last_year == 2027


def test_opening_equity_needs_both_year_and_amount(plan):
    with refused_by_the_database():
        update(plan, equity_opening_year=2025)
    with refused_by_the_database():
        update(plan, equity_opening_amount=Decimal("2279601"))
    with refused_by_the_database():
        update(plan, equity_opening_year=1989, equity_opening_amount=Decimal("1"))

    update(plan, equity_opening_year=2025, equity_opening_amount=Decimal("-50000"))
    plan.refresh_from_db()
    assert plan.equity_opening_amount == Decimal("-50000")


@pytest.mark.parametrize(
    "field, value",
    [
        ("equity_floor", Decimal("-1")),
        ("admin_share_max", Decimal("100.001")),
        ("admin_share_max", Decimal("-0.5")),
        ("intervention_share_min", Decimal("101")),
    ],
)
def test_goals_outside_their_range_are_refused(plan, field, value):
    with refused_by_the_database():
        update(plan, **{field: value})

    plan.refresh_from_db()
    assert getattr(plan, field) is None


def test_an_org_number_must_have_the_swedish_form(federation):
    with refused_by_the_database():
        update(federation, org_number="2220001234")

    update(federation, org_number="222000-1234")
    federation.refresh_from_db()
    assert federation.org_number == "222000-1234"


# ---------------------------------------------------------------------------
# Unknown choice values, written past full_clean()


UNKNOWN_VALUES = [
    pytest.param("plan", "unit", "EUR", id="plan-unit"),
    pytest.param("plan", "status", "final", id="plan-status"),
    pytest.param("plan", "municipal_key", "lottery", id="plan-municipal-key"),
    pytest.param("column", "kind", "outcome", id="column-kind"),
    pytest.param("municipality", "kind", "kommun", id="member-kind"),
    pytest.param("income", "income_kind", "grant", id="income-kind"),
    pytest.param("cost", "cost_group", "admin", id="cost-group"),
    pytest.param("intervention", "kind", "mixed", id="intervention-kind"),
    pytest.param("intervention", "status", "paused", id="intervention-status"),
    pytest.param("meeting", "body", "council", id="meeting-body"),
]


@pytest.mark.parametrize("row_name, field, value", UNKNOWN_VALUES)
def test_an_unknown_choice_written_with_update_is_refused(plan, rows, row_name, field, value):
    row = plan if row_name == "plan" else rows[row_name]
    before = getattr(row, field)

    with refused_by_the_database():
        update(row, **{field: value})

    row.refresh_from_db()
    assert getattr(row, field) == before


def test_an_unknown_choice_written_with_bulk_create_is_refused(plan, rows):
    with refused_by_the_database():
        Member.objects.bulk_create([Member(plan=plan, slug="ystad", name="Ystads kommun", kind="kommun")])
    with refused_by_the_database():
        Column.objects.bulk_create([Column(plan=plan, slug="u2024", year=2024, kind="outcome")])
    with refused_by_the_database():
        Column.objects.bulk_create([Column(plan=plan, slug="b1989", year=1989, kind="budget")])

    assert sorted(plan.members.values_list("slug", flat=True)) == ["habo", "region"]
    assert list(plan.columns.values_list("slug", flat=True)) == ["b2025"]


def test_a_role_of_unknown_kind_is_refused(federation):
    user = get_user_model().objects.create_user("chef", password="x")

    with refused_by_the_database():
        Role.objects.create(user=user, federation=federation, kind="admin")

    Role.objects.create(user=user, federation=federation, kind="chief")
    with refused_by_the_database():
        Role.objects.create(user=user, federation=federation, kind="board")
    assert list(Role.objects.values_list("kind", flat=True)) == ["chief"]


# ---------------------------------------------------------------------------
# Budget lines and amounts


def test_a_negative_contribution_or_cost_is_refused_and_negative_other_income_accepted(rows):
    # The sign rule spans the line and its amount, so the model checks it, not SQL.
    for line in (rows["contribution"], rows["cost"]):
        with pytest.raises(ValidationError) as refusal:
            LineAmount(line=line, column=rows["column"], amount=Decimal("-0.0001")).full_clean()
        assert refusal.value.message_dict["amount"] == ["Beloppet kan inte vara negativt."]

    interest = LineAmount(line=rows["income"], column=rows["column"], amount=Decimal("-1250.50"))
    interest.full_clean()
    interest.save()
    assert LineAmount.objects.get(line=rows["income"]).amount == Decimal("-1250.50")


def test_more_printed_decimals_than_stored_are_refused(rows):
    with refused_by_the_database():
        update(rows["amount"], places=5)
    rows["amount"].refresh_from_db()
    assert rows["amount"].places is None


def test_a_zero_amount_is_accepted(rows):
    LineAmount.objects.create(line=rows["contribution"], column=rows["column"], amount=Decimal("0"))

    assert LineAmount.objects.get(line=rows["contribution"]).amount == 0


def test_a_line_has_one_amount_per_column(rows):
    with refused_by_the_database():
        LineAmount.objects.create(line=rows["cost"], column=rows["column"], amount=Decimal("1"))

    assert LineAmount.objects.get(line=rows["cost"]).amount == Decimal("3439000")


BAD_LINES = [
    pytest.param({"section": "contribution"}, id="contribution-without-member"),
    pytest.param(
        {"section": "contribution", "member": "municipality", "cost_group": "administration"},
        id="contribution-with-cost-group",
    ),
    pytest.param(
        {"section": "contribution", "member": "municipality", "income_kind": "other"},
        id="contribution-with-income-kind",
    ),
    pytest.param({"section": "income", "label": "Ränta"}, id="income-without-kind"),
    pytest.param(
        {"section": "income", "label": "Ränta", "income_kind": "other", "member": "region"},
        id="income-with-member",
    ),
    pytest.param(
        {"section": "income", "label": "ESF", "income_kind": "external", "intervention": "intervention"},
        id="income-naming-intervention",
    ),
    pytest.param({"section": "cost", "label": "Kansli"}, id="cost-without-group"),
    pytest.param(
        {"section": "cost", "label": "Kansli", "cost_group": "administration", "income_kind": "other"},
        id="cost-with-income-kind",
    ),
    pytest.param(
        {"section": "cost", "label": "Kansli", "cost_group": "administration", "member": "region"},
        id="cost-with-member",
    ),
    pytest.param({"section": "transfer", "label": "Överföring"}, id="unknown-section"),
]


@pytest.mark.parametrize("fields", BAD_LINES)
def test_a_line_with_fields_of_another_section_is_refused(plan, rows, fields):
    values = {key: rows[value] if key in ("member", "intervention") else value for key, value in fields.items()}
    count = BudgetLine.objects.count()

    with refused_by_the_database():
        BudgetLine.objects.create(plan=plan, slug="new-line", **values)

    assert BudgetLine.objects.count() == count


def test_a_cost_line_may_become_a_contribution_only_with_its_fields_changed(rows):
    with refused_by_the_database():
        update(rows["cost"], section="contribution")

    update(
        rows["cost"], section="contribution", member=rows["region"], cost_group="", intervention=None, label=""
    )
    assert BudgetLine.objects.get(pk=rows["cost"].pk).member == rows["region"]


def test_line_slugs_are_unique_within_a_section(plan, rows):
    with refused_by_the_database():
        BudgetLine.objects.create(plan=plan, section="cost", slug="enter", label="Enter igen", cost_group="reserve")

    # The same slug in another section is another line.
    BudgetLine.objects.create(plan=plan, section="income", slug="enter", label="Enter, ersättning", income_kind="other")
    assert plan.lines.filter(slug="enter").count() == 2


def test_a_column_has_one_stated_total(plan, rows):
    StatedTotal.objects.create(plan=plan, column=rows["column"], costs=Decimal("11845500"))

    with refused_by_the_database():
        StatedTotal.objects.create(plan=plan, column=rows["column"], costs=Decimal("1"))

    assert StatedTotal.objects.get().costs == Decimal("11845500")


@pytest.mark.parametrize(
    "model, fields",
    [
        pytest.param(Member, {"slug": "habo", "name": "Habo igen", "kind": "municipality"}, id="member"),
        pytest.param(Column, {"slug": "b2025", "year": 2025, "kind": "budget"}, id="column"),
        pytest.param(Intervention, {"slug": "enter", "name": "Enter igen", "kind": "individual"}, id="intervention"),
    ],
)
def test_ids_are_unique_within_a_plan(federation, plan, rows, model, fields):
    with refused_by_the_database():
        model.objects.create(plan=plan, **fields)

    # Another plan may use the same id.
    model.objects.create(plan=make_plan(federation), **fields)
    assert model.objects.filter(slug=fields["slug"]).count() == 2


# ---------------------------------------------------------------------------
# Members and interventions


@pytest.mark.parametrize("key_share", [Decimal("1.000001"), Decimal("1.5"), Decimal("-0.01")])
def test_a_key_share_outside_zero_to_one_is_refused(rows, key_share):
    with refused_by_the_database():
        update(rows["municipality"], key_share=key_share)

    update(rows["municipality"], key_share=Decimal("1"))
    rows["municipality"].refresh_from_db()
    assert rows["municipality"].key_share == Decimal("1")


@pytest.mark.parametrize("utilization", [Decimal("1.0001"), Decimal("1.2"), Decimal("-0.1")])
def test_a_utilization_outside_zero_to_one_is_refused(rows, utilization):
    with refused_by_the_database():
        update(rows["intervention"], utilization=utilization)

    update(rows["intervention"], utilization=Decimal("0.9"))
    rows["intervention"].refresh_from_db()
    assert rows["intervention"].utilization == Decimal("0.9")


def test_more_women_and_men_than_participants_is_refused(plan, rows):
    with refused_by_the_database():
        update(rows["intervention"], participants_total=10, participants_women=6, participants_men=5)
    with refused_by_the_database():
        Intervention.objects.bulk_create(
            [
                Intervention(
                    plan=plan, slug="nova", name="NOVA", kind="individual",
                    participants_total=120, participants_women=61, participants_men=60,
                )
            ]
        )

    # Equal is fine, and so is a split that is only partly known.
    update(rows["intervention"], participants_total=120, participants_women=60, participants_men=60)
    Intervention.objects.create(
        plan=plan, slug="fia", name="FIA", kind="individual", participants_total=10, participants_women=40
    )
    assert not Intervention.objects.filter(slug="nova").exists()


def test_a_marking_is_given_once_per_intervention(rows):
    marking = Marking.objects.get_or_create(name="Unga AE PRIO")[0]
    InterventionMarking.objects.create(intervention=rows["intervention"], marking=marking)

    with refused_by_the_database():
        InterventionMarking.objects.create(intervention=rows["intervention"], marking=marking, order=1)

    assert InterventionMarking.objects.filter(intervention=rows["intervention"]).count() == 1


def test_a_municipal_allocation_is_one_non_negative_weight_per_member(rows):
    MunicipalAllocation.objects.create(intervention=rows["intervention"], member=rows["municipality"], weight=75)

    with refused_by_the_database():
        MunicipalAllocation.objects.create(intervention=rows["intervention"], member=rows["municipality"], weight=1)
    with refused_by_the_database():
        MunicipalAllocation.objects.create(intervention=rows["intervention"], member=rows["region"], weight=-1)

    assert list(MunicipalAllocation.objects.values_list("weight", flat=True)) == [Decimal("75")]


# ---------------------------------------------------------------------------
# Equity guidance


def band(**fields) -> EquityGuidanceBand:
    values = {
        "valid_from": datetime.date(2030, 1, 1),
        "contributions_from": Decimal("0"),
        "contributions_to": Decimal("10000000"),
        "ceiling_percent": Decimal("20"),
        "note": "test",
    } | fields
    return EquityGuidanceBand.objects.create(**values)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"contributions_from": Decimal("10000000")}, id="to-equal-to-from"),
        pytest.param({"contributions_from": Decimal("20000000")}, id="to-below-from"),
        pytest.param({"contributions_from": Decimal("-1")}, id="from-negative"),
        pytest.param({"valid_until": datetime.date(2029, 12, 31)}, id="ends-before-it-starts"),
        pytest.param({"ceiling_percent": Decimal("-1")}, id="ceiling-negative"),
        pytest.param({"ceiling_percent": Decimal("100.001")}, id="ceiling-above-100-percent"),
    ],
)
def test_an_equity_guidance_band_with_a_bad_range_is_refused(db, fields):
    count = EquityGuidanceBand.objects.count()

    with refused_by_the_database():
        band(**fields)

    assert EquityGuidanceBand.objects.count() == count


def test_equity_guidance_bands_at_their_limits_are_accepted(db):
    band(valid_until=datetime.date(2030, 1, 1), ceiling_percent=Decimal("100"))
    band(contributions_from=Decimal("10000000"), contributions_to=None, ceiling_percent=Decimal("0"))

    assert EquityGuidanceBand.objects.filter(note="test").count() == 2
