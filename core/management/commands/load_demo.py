from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Läser in demodata (Kalmar och Katrineholm) och skriver ut demoinloggningarna."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Läs in demodata även när DEBUG är av (skapar konton med känt lösenord).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demodata skapar konton med ett känt lösenord och läses bara in när "
                "DJANGO_DEBUG=True. Använd --force om du verkligen vill."
            )
        # Each app may ship a demo module; they run in INSTALLED_APPS order, which
        # is also the order of their dependencies.
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name.startswith("django") or find_spec(module_name) is None:
                continue
            import_module(module_name).load(stdout=self.stdout)

        # The demos publish step by step; index the end result in one go.
        from core import search

        indexed = search.rebuild()
        from organizations.demo import DEMO_PASSWORD, logins, totp_secrets

        self.stdout.write(self.style.SUCCESS(f"Demodata är inläst ({indexed} sökposter)."))
        self.stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for username, description in logins():
            self.stdout.write(f"  {username:<28} {description}")
        self.stdout.write(
            "Tvåstegsverifiering: undertecknarna och admin loggar in och signerar med en kod "
            "från en kodapp. Lägg in nyckeln i appen, eller skriv ut koden med "
            "'.venv/bin/python manage.py demo_code ANVÄNDARNAMN':"
        )
        for username, secret in totp_secrets().items():
            self.stdout.write(f"  {username:<28} {secret}")
