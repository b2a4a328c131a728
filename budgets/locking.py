"""An adopted plan never changes, whatever the path: a page, the admin, a command, the shell.

Every save or delete of a plan's row or of any of its parts asks the database
whether the plan is adopted, and refuses if it is. The refusal is a
PermissionDenied, so a request that runs into it answers 403, not 500. A
change to an adopted plan is made as a new revision (budgets.services).
"""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.utils.translation import gettext as _

from budgets.models import Activity, BudgetLine, Chapter, Column, LineAmount, Meeting, Plan, PlanStatus, StatedSubtotal, StatedTotal
from federations.models import Member
from interventions.models import Intervention, InterventionFunding, InterventionMarking, MunicipalAllocation


class AdoptedPlanLocked(PermissionDenied):
    def __init__(self):
        super().__init__(_("Planen är fastställd och kan inte ändras. Gör en ny revision för att ändra den."))


class AdoptionOutsideService(PermissionDenied):
    """A plan marked adopted by any other way than budgets.services (admin forms, history, the shell)."""

    def __init__(self):
        super().__init__(_("En plan fastställs bara med knappen Fastställ på planens sida, som först kontrollerar att inga fel återstår."))


def allow_adoption(plan) -> None:
    """Mark `plan` as checked for adoption: only the adoption and import services call this."""
    plan._adoption_checked = True


def is_adopted(plan_id) -> bool:
    return plan_id is not None and Plan.objects.filter(pk=plan_id, status=PlanStatus.ADOPTED).exists()


def _refuse_if_adopted(plan_id) -> None:
    if is_adopted(plan_id):
        raise AdoptedPlanLocked()


def _plan_id(instance):
    if isinstance(instance, LineAmount):
        return BudgetLine.objects.filter(pk=instance.line_id).values_list("plan_id", flat=True).first()
    if isinstance(instance, (InterventionMarking, MunicipalAllocation, InterventionFunding)):
        return Intervention.objects.filter(pk=instance.intervention_id).values_list("plan_id", flat=True).first()
    return instance.plan_id


def guard_part(sender, instance, **kwargs):
    _refuse_if_adopted(_plan_id(instance))
    if kwargs.get("signal") is pre_save and instance.pk is not None:
        # Moving a row out of an adopted plan is a change to that plan too.
        stored = sender._default_manager.filter(pk=instance.pk).first()
        if stored is not None:
            _refuse_if_adopted(_plan_id(stored))


def guard_plan(sender, instance, **kwargs):
    if instance.pk is not None:
        _refuse_if_adopted(instance.pk)
    if (
        kwargs.get("signal") is pre_save
        and instance.status == PlanStatus.ADOPTED
        and not getattr(instance, "_adoption_checked", False)
    ):
        # Adoption is refused while an error remains; only the service checks that.
        raise AdoptionOutsideService()


def guard_parties(sender, instance, action, **kwargs):
    if action in {"pre_add", "pre_remove", "pre_clear"}:
        _refuse_if_adopted(instance.plan_id)


PARTS = [Member, Chapter, Column, BudgetLine, LineAmount, StatedTotal, StatedSubtotal, Meeting, Activity, Intervention,
         InterventionMarking, MunicipalAllocation, InterventionFunding]


def connect():
    """Called once from BudgetsConfig.ready()."""
    for model in PARTS:
        pre_save.connect(guard_part, sender=model, dispatch_uid=f"lock-save-{model._meta.label}")
        pre_delete.connect(guard_part, sender=model, dispatch_uid=f"lock-delete-{model._meta.label}")
    pre_save.connect(guard_plan, sender=Plan, dispatch_uid="lock-save-plan")
    pre_delete.connect(guard_plan, sender=Plan, dispatch_uid="lock-delete-plan")
    m2m_changed.connect(guard_parties, sender=Intervention.parties.through, dispatch_uid="lock-parties")


def unlock_for_replacement(plans) -> None:
    """Let an operator's replacement from a plan file (import_plan --replace) delete a year's
    plans, adopted ones included; the file is the plan from then on."""
    Plan.objects.filter(pk__in=[plan.pk for plan in plans]).update(status="")
