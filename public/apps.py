from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Publik portal och öppna data")

    def ready(self):
        from core.publication import register_after_publication
        from public.bulk import after_publication

        # The open-data files are rebuilt (by a task) whenever something is published.
        register_after_publication(after_publication)
