"""``manage.py bench_import``: the extractor against the hand-written corpus."""

from pathlib import Path

from django.core.management.base import BaseCommand

from importer.bench import CORPUS, percent, run, totals


class Command(BaseCommand):
    help = (
        "Kör importens extraktor över korpusen i tests/data/import och skriver "
        "träffsäkerhet per dokument och totalt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", default=str(CORPUS), help="Mapp med korpusen.")
        parser.add_argument(
            "--verbose", action="store_true", help="Visa missade, extra och fel ägare."
        )

    def handle(self, *args, corpus, verbose, **options):
        scores = run(Path(corpus))
        width = max(len(s.name) for s in scores)
        for s in scores:
            self.stdout.write(
                f"{s.name:<{width}}  commitments {s.matched}/{s.expected} found {s.found}  "
                f"recall {percent(s.matched, s.expected):5.1f}%  "
                f"precision {percent(s.matched, s.found):5.1f}%  "
                f"owner {percent(s.owner_right, s.matched):5.1f}%  "
                f"target {percent(s.target_right, s.matched):5.1f}%  "
                f"condition {percent(s.condition_right, s.matched):5.1f}%  "
                f"period {'ok' if s.period_right else 'FEL'}"
            )
            if verbose:
                for text in s.misses:
                    self.stdout.write(f"    saknas: {text}")
                for text in s.extras:
                    self.stdout.write(f"    extra:  {text}")
                for text in s.wrong_owner:
                    self.stdout.write(f"    ägare:  {text}")
        t = totals(scores)
        self.stdout.write(
            f"{len(scores)} documents, {sum(s.expected for s in scores)} expected commitments, "
            f"target {t.target:.1f}% condition {t.condition:.1f}%"
        )
        self.stdout.write(
            f"total recall {t.recall:.1f}% precision {t.precision:.1f}% "
            f"owner {t.owner:.1f}% period {t.period:.1f}%"
        )
