from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Aktiviteter")

    def ready(self):
        from activities.search import documents
        from activities.views import dashboard_panel
        from core import dashboard, search

        dashboard.register(dashboard_panel)
        search.register(documents)
