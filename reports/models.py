from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedPlan(models.Model):
    """The PDF of an adopted plan, rendered once and served from here afterwards.

    An adopted plan does not change; `plan_version` still records which version was
    rendered, so that a correction made in the admin is never hidden behind an old PDF.
    """

    plan = models.OneToOneField(
        "budgets.Plan", on_delete=models.CASCADE, related_name="rendered_pdf", verbose_name=_("plan")
    )
    plan_version = models.PositiveIntegerField(_("planens version"))
    pdf = models.BinaryField(_("PDF"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("sparad PDF")
        verbose_name_plural = _("sparade PDF:er")

    def __str__(self):
        return f"{self.plan} (PDF)"
