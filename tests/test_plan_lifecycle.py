"""Adopting a plan, revising an adopted one, and rolling a plan forward to next year."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import Plan
from budgets.selectors import plan_document, plan_overview, plan_queryset
from budgets.totals import compute_totals


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def adopt(client, plan, **data):
    """Adopt as the plan page's button and then its confirmation page do."""
    fields = {"adopted_on": "2022-11-25", "reference": "2022:7", "version": plan.version, "confirmed": "yes"} | data
    return client.post(reverse("budgets:adopt", args=[plan.pk]), fields)


def roll_forward(client, plan, **kwargs):
    return client.post(reverse("budgets:roll_forward", args=[plan.pk]), {"confirmed": "yes"}, **kwargs)


def test_a_chief_adopts_a_plan_without_errors(client_for, personas):
    plan = personas["plan_b"]  # Höglandet 2023: a draft without findings
    response = adopt(client_for("chief_b"), plan)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "adopted"
    assert plan.adopted_on == datetime.date(2022, 11, 25)
    assert plan.reference == "2022:7"
    page = text_of(client_for("chief_b").get(reverse("budgets:plan", args=[plan.pk])))
    assert "Fastställd 2022-11-25" in page and "Dnr 2022:7" in page


def test_adoption_is_refused_while_an_error_remains(client_for, personas, seed_plans):
    plan = seed_plans["sjuharad"]
    client = client_for("superuser")
    response = adopt(client, plan)

    assert response.status_code == 400
    assert "Planen kan inte fastställas: 2 fel återstår" in text_of(response)
    plan.refresh_from_db()
    assert plan.status == "" and plan.adopted_on is None


def test_adoption_needs_a_valid_date(client_for, personas):
    plan = personas["plan_b"]
    response = adopt(client_for("chief_b"), plan, adopted_on="25/11/2022")
    assert response.status_code == 400
    assert "Ange datum som ÅÅÅÅ-MM-DD." in text_of(response)
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_adoption_from_a_stale_page_is_refused(client_for, personas):
    plan = personas["plan_b"]
    stale_version = plan.version
    Plan.objects.filter(pk=plan.pk).update(version=stale_version + 1)

    response = adopt(client_for("chief_b"), plan, version=stale_version)

    assert response.status_code == 400
    assert "Någon annan har ändrat planen" in text_of(response)
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_an_adopted_plan_is_read_only(client_for, personas):
    plan = personas["plan_a"]  # adopted 2024-11-20
    client = client_for("chief_a")
    response = adopt(client, plan)
    assert response.status_code == 403
    assert "Planen är fastställd och kan inte ändras" in text_of(response)
    page = text_of(client.get(reverse("budgets:plan", args=[plan.pk])))
    assert "Ny revision" in page


def test_a_board_member_cannot_adopt_revise_or_roll_forward(client_for, personas):
    client = client_for("board_a")
    plan = personas["plan_a"]
    for name in ["budgets:adopt", "budgets:revise", "budgets:roll_forward"]:
        assert client.post(reverse(name, args=[plan.pk])).status_code == 403
    assert Plan.objects.filter(federation=plan.federation).count() == 1


def test_a_new_revision_is_an_editable_copy_and_the_adopted_one_stays(client_for, personas):
    adopted = personas["plan_a"]
    before = plan_overview(plan_queryset().get(pk=adopted.pk))

    response = client_for("chief_a").post(reverse("budgets:revise", args=[adopted.pk]))

    revision = Plan.objects.get(federation=adopted.federation, year=2025, revision=2)
    assert response.status_code == 302 and response["Location"] == reverse("budgets:plan", args=[revision.pk])
    assert revision.status == "draft" and revision.adopted_on is None
    after = plan_overview(plan_queryset().get(pk=revision.pk))
    assert [link.closing for link in after.totals.chain] == [link.closing for link in before.totals.chain]
    adopted.refresh_from_db()
    assert adopted.status == "adopted" and adopted.revision == 1
    # Only the newest revision can be revised again.
    again = client_for("chief_a").post(reverse("budgets:revise", args=[adopted.pk]), follow=True)
    assert "Det finns redan en nyare revision (2)" in text_of(again)


def test_rolling_forward_starts_next_years_plan_from_this_one(client_for, personas):
    plan = personas["plan_a"]  # Södra Vätterbygden 2025, plan 2026–2027

    response = roll_forward(client_for("chief_a"), plan)

    new_plan = Plan.objects.get(federation=plan.federation, year=2026)
    assert response["Location"] == reverse("budgets:plan", args=[new_plan.pk])
    assert (new_plan.last_year, new_plan.status, new_plan.revision) == (2028, "draft", 1)
    document = plan_document(plan_queryset().get(pk=new_plan.pk))
    assert [(column.id, column.kind, column.year) for column in document.columns] == [
        ("f2025", "forecast", 2025),
        ("b2026", "budget", 2026),
        ("p2027", "plan", 2027),
        ("p2028", "plan", 2028),
    ]
    # Opening equity from the chain: the equity on 1 January 2025.
    assert (document.equity.opening.year, document.equity.opening.amount) == (2025, Decimal("1760500"))
    # The old budget year's amounts start the forecast, so the chain runs on.
    totals = compute_totals(document)
    assert [(link.year, link.closing) for link in totals.chain] == [
        (2025, Decimal("1105000")),
        (2026, Decimal("732000")),
        (2027, Decimal("77000")),
        (2028, Decimal("-578000")),
    ]
    assert [member.id for member in document.members] == [member.slug for member in plan.members.all()]
    assert {item.id for item in document.interventions} == {"enter", "nova", "fia", "it-sparet"}
    assert len(document.plan.sections) == plan.chapters.count()
    assert document.stated == {} and document.meetings == []
    # The new plan carries the consequence: 2028 has no contributions above its costs.
    page = text_of(client_for("chief_a").get(reverse("budgets:plan", args=[new_plan.pk])))
    assert "2028: eget kapital vid årets slut blir −578 000 kr" in page


def test_rolling_forward_leaves_ended_interventions_and_their_lines_behind(personas, seed_plans):
    from budgets.services import plan_roll_forward
    from interventions.models import Intervention

    plan = seed_plans["sydostra-skane"]
    Intervention.objects.filter(plan=plan, slug="mojligheternas-hus").update(status="ended")

    new_plan = plan_roll_forward(plan=plan, acting_user=personas["superuser"])

    slugs = set(new_plan.interventions.values_list("slug", flat=True))
    assert slugs == {"mariamottagningen", "esf-iris"}
    assert not new_plan.lines.filter(slug="mojligheternas-hus").exists()


def test_rolling_forward_twice_is_refused(client_for, personas):
    plan = personas["plan_a"]
    client = client_for("chief_a")
    roll_forward(client, plan)
    response = roll_forward(client, plan, follow=True)
    assert "Det finns redan en plan för 2026." in text_of(response)
    assert Plan.objects.filter(federation=plan.federation, year=2026).count() == 1


def test_the_history_records_the_adoption(client_for, personas):
    plan = personas["plan_b"]
    adopt(client_for("chief_b"), plan)
    text = text_of(client_for("chief_b").get(reverse("budgets:history", args=[plan.pk])))
    assert "Fastställd av styrelsen" in text
    assert "Berit Annan" in text
    assert "status: Utkast → Fastställd" in text


def test_granted_amounts_go_along_to_a_revision_and_to_next_year(personas):
    from budgets.services import plan_new_revision, plan_roll_forward
    from interventions.models import InterventionFunding

    plan = personas["plan_a"]
    enter = plan.interventions.get(slug="enter")
    for column_slug, granted in [("b2025", Decimal("3821112")), ("p2026", Decimal("3917778"))]:
        # The seed plan is adopted: its funding is written as the importer would, before adoption.
        InterventionFunding.objects.bulk_create(
            [InterventionFunding(intervention=enter, column=plan.columns.get(slug=column_slug), granted=granted,
                                 utilization=Decimal("0.9"))]
        )

    revision = plan_new_revision(plan=plan, acting_user=personas["chief_a"])
    next_year = plan_roll_forward(plan=revision, acting_user=personas["chief_a"])

    def funding(of):
        return sorted(
            InterventionFunding.objects.filter(intervention__plan=of).values_list("intervention__slug", "column__slug", "granted")
        )

    assert funding(revision) == [("enter", "b2025", Decimal("3821112")), ("enter", "p2026", Decimal("3917778"))]
    # Budget 2025 became Prognos 2025, Plan 2026 became Budget 2026.
    assert funding(next_year) == [("enter", "b2026", Decimal("3917778")), ("enter", "f2025", Decimal("3821112"))]


def test_the_chief_removes_the_documents_printed_totals_once_the_plan_is_kept_here(client_for, personas, seed_plans):
    from federations.models import Role

    plan = seed_plans["harnosand-timra"]  # its document printed a wrong cost total for 2019
    Role.objects.create(user=personas["chief_b"], federation=plan.federation, kind="chief")
    Plan.objects.filter(pk=plan.pk).update(status="draft")
    client = client_for("chief_b")
    page = text_of(client.get(reverse("budgets:plan", args=[plan.pk])))
    assert "2 fel" in page and "Ta bort angivna summor" in page

    response = client.post(
        reverse("budgets:clear_stated", args=[plan.pk]), {"version": plan.version, "confirmed": "yes"}, follow=True
    )

    text = text_of(response)
    assert "Dokumentets angivna summor är borttagna i 4 kolumner" in text
    assert "0 fel" in text and "Ta bort angivna summor" not in text
    assert plan.stated_totals.count() == 0


def test_removing_printed_totals_from_a_stale_page_is_refused(client_for, personas, seed_plans):
    plan = seed_plans["hoglandet"]
    response = client_for("chief_b").post(
        reverse("budgets:clear_stated", args=[plan.pk]), {"version": plan.version - 1, "confirmed": "yes"}, follow=True
    )
    assert "Någon annan har ändrat planen" in text_of(response)
    assert plan.stated_totals.count() == 4


def test_a_plan_made_meanwhile_turns_the_constraint_error_into_a_refusal(personas):
    # Behind the federation lock, the savepoint: should another path have made the
    # plan in between, the unique constraint's error becomes a refusal naming that plan.
    from django.db import IntegrityError

    from budgets.services import LifecycleRefused, _create_unless_taken

    plan = personas["plan_a"]

    def create():
        raise IntegrityError("duplicate key value violates unique constraint")

    with pytest.raises(LifecycleRefused) as refusal:
        _create_unless_taken(federation=plan.federation, year=plan.year, revision=1, create=create, message="taken")
    assert refusal.value.existing == plan
    with pytest.raises(IntegrityError):
        _create_unless_taken(federation=plan.federation, year=plan.year, revision=7, create=create, message="taken")
