"""``manage.py erase_user USERNAME``: erase an account's personal data (GDPR art. 17)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import user_erase


class _System:
    """The operator running the command acts as administrator."""

    is_superuser = True
    is_authenticated = True


class Command(BaseCommand):
    help = (
        "Raderar ett kontos personuppgifter och stänger av kontot. Underskrifter behåller "
        "namn och titel som de skrevs vid signeringen."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Det finns inget konto med användarnamnet {username!r}.")
        user_erase(actor=_System(), user=user)
        self.stdout.write(self.style.SUCCESS(f"Personuppgifterna för {username} är raderade."))
