"""Writes to plans. Each service is atomic and takes keyword arguments only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from budgets.models import (
    Activity,
    BudgetLine,
    Chapter,
    Column,
    LineAmount,
    Meeting,
    Plan,
    StatedSubtotal,
    StatedTotal,
    printed_places,
)
from budgets.locking import allow_adoption, unlock_for_replacement
from budgets.planfile import AdoptedCopyData, PlanDocument, federation_slug  # noqa: F401 (re-exported for the commands)
from budgets.rollforward import roll_forward_document
from budgets.selectors import adopted_copy_of, live_shared_data, plan_document, plan_findings, plan_queryset
from budgets.totals import compute_totals
from federations.models import Federation, Member
from finsam.lib.limits import (
    CHAPTER_BODY_MAX_CHARS,
    COLUMN_YEARS_BEFORE,
    PLAN_PARTS_MAX,
    plan_parts_message,
)
from interventions.models import (
    Category,
    Intervention,
    InterventionFunding,
    InterventionMarking,
    Marking,
    MunicipalAllocation,
)

IMPORT_REASON = "Importerad från planfil"


class StaleEdit(Exception):
    """The plan changed after the editor loaded it; saving would overwrite someone's change."""

    def __init__(self, plan: Plan):
        self.plan = plan
        super().__init__(f"{plan} changed in the meantime (now version {plan.version})")


def plan_record_change(*, plan: Plan, seen_version: int | None) -> Plan:
    """Count a change to the plan or one of its parts; call inside the change's transaction.

    `seen_version` is the plan version the editor's form was made from; when
    someone saved in between, StaleEdit is raised and the caller's transaction
    rolls back, so nobody's change is lost unseen. The row lock makes two saves
    of the same version wait for each other, on PostgreSQL; SQLite locks the
    whole database for a write anyway.
    """
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if seen_version is not None and current.version != seen_version:
        raise StaleEdit(current)
    Plan.objects.filter(pk=plan.pk).update(version=current.version + 1, updated_at=timezone.now())
    plan.version = current.version + 1
    return plan


class PlanExists(Exception):
    """A plan for the federation and year is stored already and may not be replaced."""

    def __init__(self, slug: str, year: int):
        self.slug = slug
        self.year = year
        super().__init__(f"a plan for {slug} {year} exists already (use --replace to replace it)")


def _text(value: str | None) -> str:
    return value or ""


@transaction.atomic
def plan_import(
    *, document: PlanDocument, replace: bool = False, acting_user=None, revision: int | None = None
) -> Plan:
    """Store a plan document, creating or updating its federation's profile.

    An existing plan for the same federation and year is refused unless
    `replace` is true, in which case it is deleted first, with all its revisions.
    A `revision` above 1 restores a later revision beside the ones stored
    (from a backup); it is refused if that revision exists. Without `revision`,
    the file's own `plan.revision` (or 1) is used.
    """
    revision = revision or document.plan.revision or 1
    slug = federation_slug(document)
    info = document.federation
    federation, _created = Federation.objects.get_or_create(slug=slug, defaults={"name": info.name})
    federation.name = info.name
    federation.short_name = _text(info.short_name)
    federation.org_number = _text(info.org_number)
    federation.founded = _text(info.founded)
    federation.vision = _text(info.vision)
    federation.website = _text(info.website)
    federation.full_clean()
    federation.save()

    existing = Plan.objects.filter(federation=federation, year=document.plan.year)
    if revision > 1:
        existing = existing.filter(revision=revision)
    if existing.exists():
        if not replace:
            raise PlanExists(slug, document.plan.year)
        # Every revision of the year goes, adopted ones too: the file is the plan from now on.
        unlock_for_replacement(existing)
        for plan in existing:
            plan.delete()

    return _plan_create(
        federation=federation, document=document, revision=revision, acting_user=acting_user, reason=IMPORT_REASON
    )


def document_limit_problems(document: PlanDocument) -> list[str]:
    """Where a plan document goes beyond the sizes a plan may have (finsam.lib.limits), in Swedish.

    The rows of a new plan are stored in bulk, past their models' `clean`, so
    the same limits are checked here on the document as a whole.
    """
    problems = []
    counts = {
        "budgets.Column": len(document.columns),
        "budgets.BudgetLine": len(document.contributions) + len(document.income or []) + len(document.costs),
        "budgets.Chapter": len(document.plan.sections or []),
        "budgets.Meeting": len(document.meetings or []),
        "budgets.Activity": len(document.activities or []),
        "federations.Member": len(document.members),
        "interventions.Intervention": len(document.interventions or []),
    }
    problems += [plan_parts_message(label) for label, count in counts.items() if count > PLAN_PARTS_MAX[label]]
    first, last = document.plan.year - COLUMN_YEARS_BEFORE, document.plan.last_year
    problems += [
        _("Kolumnen %(column)s: året %(year)s ska ligga mellan %(first)s och planens sista år %(last)s.")
        % {"column": column.id, "year": column.year, "first": first, "last": last}
        for column in document.columns
        if not first <= column.year <= last
    ]
    problems += [
        _("Kapitlet %(heading)s är %(count)s tecken långt; högst %(limit)s får plats.")
        % {"heading": section.heading, "count": len(section.body), "limit": CHAPTER_BODY_MAX_CHARS}
        for section in document.plan.sections or []
        if len(section.body or "") > CHAPTER_BODY_MAX_CHARS
    ]
    return problems


def _plan_create(*, federation, document: PlanDocument, revision: int, acting_user, reason: str) -> Plan:
    """A new plan row with everything the document holds; the one way plans are made.

    Raises ValidationError when the document is larger than a plan may be.
    """
    problems = document_limit_problems(document)
    if problems:
        raise ValidationError(problems)
    info = document.federation
    goals = info.goals
    opening = document.equity.opening if document.equity else None
    plan = Plan(
        federation=federation,
        year=document.plan.year,
        revision=revision,
        last_year=document.plan.last_year,
        unit=document.plan.unit,
        title=_text(document.plan.title),
        reference=_text(document.plan.reference),
        # Adopted only once all its parts are stored: an adopted plan takes no new parts.
        status=Plan.Status.DRAFT if document.plan.status == Plan.Status.ADOPTED else _text(document.plan.status),
        adopted_on=document.plan.adopted_on,
        municipal_key=_text(document.plan.municipal_key),
        revises=document.plan.revises if revision > 1 else None,
        precision=document.plan.precision,
        equity_opening_year=opening.year if opening else None,
        equity_opening_amount=opening.amount if opening else None,
        equity_floor=goals.equity_floor if goals else None,
        admin_share_max=goals.admin_share_max if goals else None,
        intervention_share_min=goals.intervention_share_min if goals else None,
    )
    plan._change_reason = reason
    plan._history_user = acting_user
    plan.full_clean()
    plan.save()

    def create(objects, model):
        return bulk_create_with_history(objects, model, default_user=acting_user, default_change_reason=reason)

    members = create(
        [
            Member(
                plan=plan,
                slug=member.id,
                name=member.name,
                kind=member.kind,
                population=member.population,
                key_share=member.key_share,
                key_share_places=(
                    max(0, -member.key_share.as_tuple().exponent) if member.key_share is not None else None
                ),
                key_share_in_percent=member.key_share_in_percent and member.key_share is not None,
                order=position,
            )
            for position, member in enumerate(document.members)
        ],
        Member,
    )
    member_by_id = {member.slug: member for member in members}

    create(
        [
            Chapter(plan=plan, heading=section.heading, body=section.body, order=position)
            for position, section in enumerate(document.plan.sections or [])
        ],
        Chapter,
    )

    columns = create(
        [
            Column(
                plan=plan,
                slug=column.id,
                year=column.year,
                kind=column.kind,
                label=_text(column.label),
                order=position,
            )
            for position, column in enumerate(document.columns)
        ],
        Column,
    )
    column_by_id = {column.slug: column for column in columns}

    intervention_by_id = _create_interventions(
        plan=plan, document=document, member_by_id=member_by_id, acting_user=acting_user, reason=reason
    )
    _create_funding(
        document=document,
        intervention_by_id=intervention_by_id,
        column_by_id=column_by_id,
        acting_user=acting_user,
        reason=reason,
    )

    lines: list[BudgetLine] = []
    line_amounts: list[tuple[BudgetLine, dict]] = []
    for position, contribution in enumerate(document.contributions):
        line = BudgetLine(
            plan=plan,
            section=BudgetLine.Section.CONTRIBUTION,
            # A total of all members' contributions has an id and a label and no member.
            slug=contribution.member or contribution.id,
            label=_text(contribution.label),
            member=member_by_id[contribution.member] if contribution.member else None,
            order=position,
        )
        lines.append(line)
        line_amounts.append((line, contribution.amounts))
    for position, income in enumerate(document.income or []):
        line = BudgetLine(
            plan=plan,
            section=BudgetLine.Section.INCOME,
            slug=income.id,
            label=income.label,
            income_kind=income.kind,
            order=position,
        )
        lines.append(line)
        line_amounts.append((line, income.amounts))
    for position, cost in enumerate(document.costs):
        line = BudgetLine(
            plan=plan,
            section=BudgetLine.Section.COST,
            slug=cost.id,
            label=cost.label,
            cost_group=cost.group,
            intervention=intervention_by_id.get(cost.intervention) if cost.intervention else None,
            order=position,
        )
        lines.append(line)
        line_amounts.append((line, cost.amounts))
    create(lines, BudgetLine)
    create(
        [
            LineAmount(line=line, column=column_by_id[column_id], amount=amount, places=printed_places(amount))
            for line, amounts in line_amounts
            for column_id, amount in amounts.items()
        ],
        LineAmount,
    )

    create(
        [
            StatedTotal(
                plan=plan,
                column=column_by_id[column_id],
                contributions=stated.contributions,
                income=stated.income,
                costs=stated.costs,
                result=stated.result,
                closing_equity=stated.closing_equity,
            )
            for column_id, stated in (document.stated or {}).items()
        ],
        StatedTotal,
    )

    create(
        [
            StatedSubtotal(
                plan=plan,
                column=column_by_id[column_id],
                label=subtotal.label,
                groups=list(subtotal.groups),
                amount=subtotal.amount,
                order=position,
            )
            for column_id, stated in (document.stated or {}).items()
            for position, subtotal in enumerate(stated.subtotals or [])
        ],
        StatedSubtotal,
    )

    Meeting.objects.bulk_create(
        Meeting(plan=plan, date=meeting.date, body=meeting.body, topic=_text(meeting.topic), order=position)
        for position, meeting in enumerate(document.meetings or [])
    )
    Activity.objects.bulk_create(
        Activity(
            plan=plan,
            name=activity.name,
            when=_text(activity.when),
            responsible=_text(activity.responsible),
            follow_up=_text(activity.follow_up),
            order=position,
        )
        for position, activity in enumerate(document.activities or [])
    )
    if document.plan.status == Plan.Status.ADOPTED:
        # A plan file says it was adopted: the import's own rule (--replace) governs it.
        plan.status = Plan.Status.ADOPTED
        allow_adoption(plan)
        if document.adopted_copy is not None:
            # The file keeps what the plan showed when adopted: that, not today's shared data.
            plan.adopted_copy = _stored_copy(document.adopted_copy)
        else:
            # A file without a copy (a first-edition file): the plan shows shared data as it is now.
            plan.adopted_copy = adopted_copy_of(plan_queryset().get(pk=plan.pk))
        plan.save(update_fields=["status", "adopted_copy"])

    return plan


def _stored_copy(kept: AdoptedCopyData) -> dict:
    """A plan file's copy of shared data in the form `Plan.adopted_copy` keeps it: the
    categories and markings, named in the file, by primary key. Call it after the plan's
    interventions are stored, which looked up or created each of them by name."""
    category_pks = dict(Category.objects.filter(name__in=kept.categories).values_list("name", "pk"))
    marking_pks = dict(Marking.objects.filter(name__in=kept.markings).values_list("name", "pk"))
    data = kept.model_dump(mode="json")
    return {
        "federation": data["federation"],
        "categories": {
            str(category_pks[name]): label for name, label in data["categories"].items() if name in category_pks
        },
        "markings": {
            str(marking_pks[name]): label for name, label in data["markings"].items() if name in marking_pks
        },
        "guidance": data["guidance"],
    }


def _create_interventions(*, plan, document, member_by_id, acting_user, reason) -> dict[str, Intervention]:
    intervention_by_id = {}
    for position, data in enumerate(document.interventions or []):
        participants = data.participants
        intervention = Intervention(
            plan=plan,
            slug=data.id,
            name=data.name,
            kind=data.kind,
            category=(
                Category.objects.get_or_create(name=data.sus_category)[0] if data.sus_category else None
            ),
            status=_text(data.status),
            long_term=data.long_term,
            owner=member_by_id[data.owner] if data.owner else None,
            start=_text(data.start),
            end=_text(data.end),
            participants_total=participants.total if participants else None,
            participants_women=participants.women if participants else None,
            participants_men=participants.men if participants else None,
            utilization=data.utilization,
            target_group=_text(data.target_group),
            description=_text(data.description),
            goals=list(data.goals or []),
            indicators=list(data.indicators or []),
            order=position,
        )
        intervention._change_reason = reason
        intervention._history_user = acting_user
        intervention.full_clean(exclude=["plan"])
        intervention.save()
        intervention.parties.set([member_by_id[member] for member in data.members or []])
        InterventionMarking.objects.bulk_create(
            InterventionMarking(
                intervention=intervention,
                marking=Marking.objects.get_or_create(name=name)[0],
                order=position,
            )
            for position, name in enumerate(data.markings or [])
        )
        MunicipalAllocation.objects.bulk_create(
            MunicipalAllocation(intervention=intervention, member=member_by_id[member], weight=weight)
            for member, weight in (data.municipal_allocation or {}).items()
        )
        intervention_by_id[data.id] = intervention
    return intervention_by_id


def _create_funding(*, document, intervention_by_id, column_by_id, acting_user, reason) -> None:
    bulk_create_with_history(
        [
            InterventionFunding(
                intervention=intervention_by_id[data.id],
                column=column_by_id[column_id],
                granted=funding.granted,
                utilization=funding.share,
            )
            for data in document.interventions or []
            for column_id, funding in (data.funding or {}).items()
        ],
        InterventionFunding,
        default_user=acting_user,
        default_change_reason=reason,
    )


class AdoptionRefused(Exception):
    """The plan has error-level findings; the board cannot adopt it as it is."""

    def __init__(self, errors: list):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) remain")


class LifecycleRefused(Exception):
    """A revision or roll-forward that cannot be made; the message says why, in Swedish.

    `existing` is the plan that is already there (the newer revision, next
    year's plan) when that is the reason, so that a page can show it.
    """

    def __init__(self, message, *, existing: Plan | None = None):
        super().__init__(message)
        self.existing = existing


def _lock_federation(plan: Plan) -> None:
    """Make revisions and roll-forwards of one federation wait for each other.

    Two "Ny revision" clicks at once would both see no newer revision and both
    create one; the second then meets the unique constraint. With the
    federation's row locked (PostgreSQL; SQLite locks the database for a
    write anyway) the second one waits and then finds the first one's plan.
    """
    Federation.objects.select_for_update().filter(pk=plan.federation_id).first()


def _create_unless_taken(*, federation, year: int, revision: int, create, message):
    """Run `create` in a savepoint; if the plan (federation, year, revision) turned up
    meanwhile, refuse with `message` and that plan instead of a database error.

    A source plan larger than the limits allow (stored before they existed) is
    refused with the limits' own messages.
    """
    try:
        with transaction.atomic():
            return create()
    except ValidationError as error:
        raise LifecycleRefused(" ".join(error.messages)) from None
    except IntegrityError:
        existing = Plan.objects.filter(federation=federation, year=year, revision=revision).first()
        if existing is None:
            raise
        raise LifecycleRefused(message, existing=existing) from None


@transaction.atomic
def plan_adopt(*, plan: Plan, adopted_on, reference: str, acting_user, seen_version: int | None = None) -> Plan:
    """Record the board's adoption; refused while an error-level finding remains.

    The plan keeps a copy of what it shows from shared data (`Plan.adopted_copy`),
    so that it reads the same however that data changes later."""
    plan_record_change(plan=plan, seen_version=seen_version)
    stored = plan_queryset().get(pk=plan.pk)
    errors = [finding for finding in plan_findings(stored) if finding.is_error]
    if errors:
        raise AdoptionRefused(errors)
    plan.refresh_from_db()
    plan.status = Plan.Status.ADOPTED
    allow_adoption(plan)
    plan.adopted_copy = adopted_copy_of(stored)
    plan.adopted_on = adopted_on
    plan.reference = reference
    plan._change_reason = "Fastställd av styrelsen"
    plan._history_user = acting_user
    plan.full_clean()
    plan.save()
    _announce_adoption(plan.pk)
    return plan


def _announce_adoption(plan_id: int) -> None:
    """The board hears of the adoption by e-mail, once it is committed."""
    from board.tasks import notify_plan_adopted

    transaction.on_commit(lambda: notify_plan_adopted.enqueue(plan_id))


@transaction.atomic
def plan_new_revision(*, plan: Plan, acting_user) -> Plan:
    """An editable copy of an adopted plan, as the next revision of the same year."""
    if not plan.is_adopted:
        raise LifecycleRefused(_("Planen är inte fastställd; den kan ändras som den är."))
    _lock_federation(plan)
    newest = Plan.objects.filter(federation=plan.federation, year=plan.year).order_by("-revision").first()
    if newest.pk != plan.pk:
        raise LifecycleRefused(
            _("Det finns redan en nyare revision (%(revision)s) av planen.") % {"revision": newest.revision},
            existing=newest,
        )
    # A draft reads shared data as it is now, so it starts from that, not from the copy.
    stored = plan_queryset().get(pk=plan.pk)
    document = plan_document(stored, shared=live_shared_data(stored))
    document.plan.status = "draft"
    document.plan.adopted_on = None
    document.adopted_copy = None
    document.plan.revision = plan.revision + 1
    document.plan.revises = plan.revision
    return _create_unless_taken(
        federation=plan.federation,
        year=plan.year,
        revision=plan.revision + 1,
        create=lambda: _plan_create(
            federation=plan.federation,
            document=document,
            revision=plan.revision + 1,
            acting_user=acting_user,
            reason=f"Ny revision av revision {plan.revision}",
        ),
        message=_("Det finns redan en nyare revision (%(revision)s) av planen.") % {"revision": plan.revision + 1},
    )


@transaction.atomic
def plan_roll_forward(*, plan: Plan, acting_user) -> Plan:
    """Next year's plan, started from this one (see budgets.rollforward)."""
    _lock_federation(plan)
    existing = Plan.objects.filter(federation=plan.federation, year=plan.year + 1).order_by("-revision").first()
    message = _("Det finns redan en plan för %(year)s.") % {"year": plan.year + 1}
    if existing is not None:
        raise LifecycleRefused(message, existing=existing)
    stored = plan_queryset().get(pk=plan.pk)
    document = plan_document(stored, shared=live_shared_data(stored))
    # The year's whole outcome, when it has been followed up to 31 December, becomes its actual.
    from followup.selectors import year_end_outcome

    actual = year_end_outcome(plan)
    return _create_unless_taken(
        federation=plan.federation,
        year=plan.year + 1,
        revision=1,
        create=lambda: _plan_create(
            federation=plan.federation,
            document=roll_forward_document(document, compute_totals(document), actual=actual),
            revision=1,
            acting_user=acting_user,
            reason=f"Framrullad från {plan.year}",
        ),
        message=message,
    )


@transaction.atomic
def plan_clear_stated_totals(*, plan: Plan, seen_version: int | None, acting_user) -> int:
    """Forget the totals printed in the document the plan was imported from.

    They let the checks say where that document's own arithmetic was wrong.
    Once the plan is kept here, its totals are always computed and the printed
    ones only go stale; the chief removes them. Returns how many columns had some.
    """
    plan_record_change(plan=plan, seen_version=seen_version)
    stated = list(StatedTotal.objects.filter(plan=plan))
    columns = {total.column_id for total in stated}
    for total in stated:
        total._history_user = acting_user
        total.delete()
    for subtotal in StatedSubtotal.objects.filter(plan=plan):
        columns.add(subtotal.column_id)
        subtotal._history_user = acting_user
        subtotal.delete()
    return len(columns)
