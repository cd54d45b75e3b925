"""``manage.py clean_import_uploads``: remove uploads that waited too long for their review."""

from django.core.management.base import BaseCommand

from importer.pending import clean_expired


class Command(BaseCommand):
    help = (
        "Tar bort uppladdade dokument som väntat på granskning längre än "
        "IMPORT_PENDING_MAX_AGE_HOURS. Källdokument till skapade utkast rörs inte."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-age-hours",
            type=int,
            default=None,
            help="Ta bort uppladdningar äldre än så här många timmar (standard: inställningen).",
        )

    def handle(self, *args, max_age_hours, **options):
        removed = clean_expired(max_age=None if max_age_hours is None else max_age_hours * 3600)
        self.stdout.write(f"{removed} väntande uppladdningar borttagna.")
