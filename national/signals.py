"""An adopted plan's national figures are computed when it is adopted (after the
adoption is committed), so that the overview's first view need not compute them."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from budgets.models import Plan


@receiver(post_save, sender=Plan, dispatch_uid="national_summary_on_adoption")
def keep_figures_of_an_adopted_plan(sender, instance: Plan, raw=False, **kwargs):
    if raw or not instance.is_adopted:
        return
    plan_id = instance.pk

    def keep():
        from national.summaries import keep_figures

        keep_figures(plan_id)

    transaction.on_commit(keep)
