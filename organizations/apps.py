from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisationer och samverkan")

    def ready(self):
        from django.db.models import fields

        # Django 6.1 puts "- Select an option -" first in every select (the admin's
        # and every form's), and its Swedish catalogue has no translation for it.
        # Django documents overriding it from an app's ready(). It must come before
        # anything imports a form: a declared ModelChoiceField reads the label when
        # its class is defined, and the views below import organizations.forms.
        fields.BLANK_CHOICE_LABEL = _("Välj …")

        from core import dashboard
        from organizations.views import dashboard_panel, first_run_panel

        # The next steps come first on "Mitt arbete" while there are any.
        dashboard.register(first_run_panel)
        dashboard.register(dashboard_panel)
