from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisationer och samverkan")

    def ready(self):
        from core import dashboard
        from organizations.views import dashboard_panel

        dashboard.register(dashboard_panel)
