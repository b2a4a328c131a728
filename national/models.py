from django.db import models
from django.utils.translation import gettext_lazy as _

from budgets.models import Plan


class PlanSummary(models.Model):
    """An adopted plan's key figures for the national overview, computed once.

    An adopted plan never changes (its shared data are kept with it), so its figures
    are computed the first time the overview needs them and read from here after;
    `formula` names the version of the computation, and figures of an older one are
    computed again.
    """

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="national_summary", verbose_name=_("plan"))
    formula = models.PositiveSmallIntegerField(_("beräkningens version"))
    figures = models.JSONField(_("nyckeltal"))
    computed = models.DateTimeField(_("beräknad"), auto_now=True)

    class Meta:
        verbose_name = _("nyckeltal för den nationella översikten")
        verbose_name_plural = _("nyckeltal för den nationella översikten")
