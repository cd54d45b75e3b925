from django.core.management.base import BaseCommand

from core import search


class Command(BaseCommand):
    help = (
        "Kontrollerar sökindexet och lagar det: indexerar grupper som ändrades men inte hann "
        "indexeras, publicerade grupper som saknas och tar bort det som inte längre är publicerat. "
        "Billig när allt stämmer (några få frågor); körs vid start."
    )

    def handle(self, *args, **options):
        repaired = search.repair()
        if not repaired.fixed:
            self.stdout.write("Sökindexet är komplett.")
            return
        self.stdout.write(
            self.style.WARNING(
                f"Sökindexet lagades: {len(repaired.pending)} väntande, "
                f"{len(repaired.missing)} saknade och {len(repaired.dropped)} inaktuella grupper."
            )
        )
