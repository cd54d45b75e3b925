"""``manage.py extract_promise FILE``: the extraction of one document as JSON on stdout."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importer.extract import extract
from importer.readers import MAX_UPLOAD_BYTES, DocumentError, read_document


class Command(BaseCommand):
    help = "Läser ett medborgarlöfte (text, HTML, PDF eller DOCX) och skriver strukturen som JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Dokumentet; '-' läser från standard in.")
        parser.add_argument("--area", action="append", default=[], help="Känt områdesnamn.")
        parser.add_argument(
            "--kommun", action="append", default=[], help="Begränsa till dessa kommuner."
        )

    def handle(self, *args, file, area, kommun, **options):
        if file == "-":
            import sys

            data = sys.stdin.buffer.read(MAX_UPLOAD_BYTES + 1)
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"Filen finns inte: {file}")
            with open(path, "rb") as fh:
                data = fh.read(MAX_UPLOAD_BYTES + 1)
        try:
            document = read_document(data, file)
        except DocumentError as error:
            raise CommandError(error.message) from None
        result = extract(document.text, kommuner=kommun or None, areas=area).to_json()
        result["format"] = document.format
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
