from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Planer och budgetar")

    def ready(self):
        from budgets import locking
        from finsam import admin_numbers

        locking.connect()
        admin_numbers.install()
