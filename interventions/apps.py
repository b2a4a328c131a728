from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "interventions"
    # The admin's heading for the app, instead of "INTERVENTIONS".
    verbose_name = _("Insatser")
