"""``manage.py verify_signatures``: is every version and signature still what was written?

Checks every version against its SHA-256, every signature against its
version's hash, every published promise's live version, and recomputes each
promise's hash chain. Prints what it finds and exits 1 on any mismatch, so it
can run from cron or a monitoring check.
"""

from django.core.management.base import BaseCommand, CommandError

from promises.integrity import chain_problems, version_problems
from promises.models import Promise, PromiseVersion, Signature


class Command(BaseCommand):
    help = (
        "Kontrollerar att varje version, underskrift och länk i hashkedjan stämmer. "
        "Avslutar med felkod 1 vid minsta avvikelse."
    )

    def handle(self, *args, **options):
        problems: list[str] = []
        signatures: dict[int, list[Signature]] = {}
        for signature in Signature.objects.order_by("pk"):
            signatures.setdefault(signature.version_id, []).append(signature)
        versions = PromiseVersion.objects.select_related("promise").order_by("promise_id", "number")
        checked = 0
        for version in versions.iterator():
            checked += 1
            for problem in version_problems(version, signatures=signatures.get(version.pk, [])):
                problems.append(f"Löfte {version.promise_id}, version {version.number}: {problem}")
        promise_ids = list(Promise.objects.order_by("pk").values_list("pk", flat=True))
        for promise_id in promise_ids:
            for problem in chain_problems(promise_id):
                problems.append(f"Löfte {promise_id}, hashkedjan: {problem}")
        signed = sum(len(rows) for rows in signatures.values())
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(problems)} avvikelser i {checked} versioner och {signed} underskrifter."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Allt stämmer: {checked} versioner, {signed} underskrifter och "
                f"{len(promise_ids)} hashkedjor."
            )
        )
