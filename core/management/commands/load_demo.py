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
        import demo
        from core import publication
        from core.models import SearchEntry
        from demo.accounts import DEMO_PASSWORD, logins, totp_secrets
        from demo.common import SEEDS
        from promises.models import Promise
        from promises.search import group_key

        # What the services publish is collected and published once at the end: the
        # demo's own promises, all of them (a part may write past a service, as it
        # says), and nothing else. On the national set a whole rebuild of the index
        # took six minutes, and rebuilding the open-data files after each of the
        # demo's publications 70 seconds each. A run that loaded nothing does nothing.
        with publication.deferred() as changed:
            loaded = demo.load(stdout=self.stdout)
        if loaded:
            promises = Promise.objects.filter(partnership__name__in=[s.PARTNERSHIP for s in SEEDS])
            ours = {group_key(pk) for pk in promises.values_list("pk", flat=True)}
            publication.publish_collected(changed | ours)
        indexed = SearchEntry.objects.count()

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
