from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedPlan(models.Model):
    """The PDF of one version of a plan (draft or adopted), rendered once by the task worker
    and served from storage afterwards.

    A row is made when the PDF is asked for; the worker renders it and marks it ready, or
    failed. A plan's `version` rises with every change, so a changed plan gets a new row and
    its older PDFs are removed once the new one is ready.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("skapas")
        READY = "ready", _("klar")
        FAILED = "failed", _("misslyckades")

    plan = models.ForeignKey(
        "budgets.Plan", on_delete=models.CASCADE, related_name="rendered_pdfs", verbose_name=_("plan")
    )
    plan_version = models.PositiveIntegerField(_("planens version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(_("PDF"), upload_to="plans/", blank=True)
    requested_at = models.DateTimeField(_("begärd"))
    rendered_at = models.DateTimeField(_("skapad"), null=True, blank=True)
    render_seconds = models.FloatField(_("sekunder att skapa"), null=True, blank=True)

    class Meta:
        verbose_name = _("sparad PDF")
        verbose_name_plural = _("sparade PDF:er")
        constraints = [
            models.UniqueConstraint(fields=["plan", "plan_version"], name="rendered_plan_once_per_version"),
        ]

    def __str__(self):
        return f"{self.plan} (PDF, version {self.plan_version})"
