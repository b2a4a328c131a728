from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationsConfig(AppConfig):
    name = "federations"
    # The admin's heading for the app, instead of "FEDERATIONS".
    verbose_name = _("Förbund och personer")
