from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedChanges(models.Model):
    """The appendix "Ändringar sedan …" of one version of a plan against one version of
    another plan of the same federation, as a PDF rendered once by the task worker and
    served from storage afterwards.

    A row is made when the appendix is asked for; the worker renders it and marks it ready,
    or failed. Either plan's `version` rises with every change, so a changed plan gets a
    new row, and the older appendices of the same pair are removed once it is ready.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("skapas")
        READY = "ready", _("klar")
        FAILED = "failed", _("misslyckades")

    plan = models.ForeignKey(
        "budgets.Plan", on_delete=models.CASCADE, related_name="rendered_changes", verbose_name=_("plan")
    )
    plan_version = models.PositiveIntegerField(_("planens version"))
    base = models.ForeignKey(
        "budgets.Plan", on_delete=models.CASCADE, related_name="rendered_changes_as_base", verbose_name=_("jämförd med")
    )
    base_version = models.PositiveIntegerField(_("den jämförda planens version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(_("PDF"), upload_to="changes/", blank=True)
    requested_at = models.DateTimeField(_("begärd"))
    rendered_at = models.DateTimeField(_("skapad"), null=True, blank=True)

    class Meta:
        verbose_name = _("sparad bilaga med ändringar")
        verbose_name_plural = _("sparade bilagor med ändringar")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "plan_version", "base", "base_version"], name="rendered_changes_once_per_versions"
            ),
        ]

    def __str__(self):
        return f"{self.plan} / {self.base} (PDF)"
