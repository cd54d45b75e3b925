from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Medborgarlöften")

    def ready(self):
        from core import dashboard, search
        from promises.search import documents, published_group_keys
        from promises.views import dashboard_panel

        dashboard.register(dashboard_panel)
        search.register(documents)
        search.register_groups(published_group_keys)
