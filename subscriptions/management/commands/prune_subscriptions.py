from django.core.management.base import BaseCommand

from subscriptions.services import CONFIRM_DAYS, subscriptions_prune


class Command(BaseCommand):
    help = f"Radera e-postadresser som inte bekräftats inom {CONFIRM_DAYS} dygn."

    def handle(self, *args, **options):
        deleted = subscriptions_prune()
        self.stdout.write(f"{deleted} obekräftade adresser raderade.")
