from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Uppföljningar")

    def ready(self):
        from core import dashboard, search
        from followups.search import documents
        from followups.selectors import refresh_status_counts
        from followups.views import dashboard_panel

        dashboard.register(dashboard_panel)
        search.register(documents)
        search.register_refresher(refresh_status_counts)
