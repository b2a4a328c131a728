from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Planer och budgetar")

    def ready(self):
        from django.apps import apps

        from budgets import locking

        extra = [apps.get_model("interventions", "InterventionFunding")] if _has_model("interventions", "InterventionFunding") else []
        locking.connect(extra_parts=extra)


def _has_model(app_label, model_name) -> bool:
    from django.apps import apps

    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True
