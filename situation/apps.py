from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationConfig(AppConfig):
    name = "situation"
    verbose_name = _("Lägesbilder")

    def ready(self):
        from core import dashboard
        from situation.views import dashboard_panel

        dashboard.register(dashboard_panel)
