from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from promises.services import promises_expire_due


class Command(BaseCommand):
    help = (
        "Markerar publicerade medborgarlöften vars period har tagit slut som avslutade (för cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Dagens datum, ÅÅÅÅ-MM-DD.")

    def handle(self, *args, today=None, **options):
        ended = promises_expire_due(today=today or timezone.localdate())
        for promise in ended:
            self.stdout.write(f"Avslutat: {promise.title} (slutade {promise.end_date})")
        self.stdout.write(f"{len(ended)} medborgarlöften avslutades.")
