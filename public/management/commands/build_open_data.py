"""``manage.py build_open_data``: build the bulk open-data files now (``public.bulk``)."""

from django.core.management.base import BaseCommand

from public import bulk


class Command(BaseCommand):
    help = (
        "Bygger öppna data-filerna (åtaganden, uppföljningar och alla löften som JSON, gzip) "
        "i BULK_ROOT. Sedan hålls de aktuella efter varje publicering."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Bygg om även om filerna redan är aktuella."
        )

    def handle(self, *args, force: bool = False, **options):
        build = bulk.build(force=force)
        for name, file in build.files.items():
            self.stdout.write(f"{name}: {file.path} ({file.size} byte)")
