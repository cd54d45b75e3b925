from django.core.management.base import BaseCommand

from core import search


class Command(BaseCommand):
    help = "Bygger om sökindexet från allt som är publicerat."

    def handle(self, *args, **options):
        self.stdout.write(f"Sökindexet innehåller {search.rebuild()} poster.")
