from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followups.services import followup_send_reminder, followups_due_for_reminder


class Command(BaseCommand):
    help = (
        "E-postar samordnarna om uppföljningar som ska vara klara inom 14 dagar eller är "
        "försenade. Körs dagligen från cron; varje uppföljning påminns högst en gång i veckan."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Dagens datum, ÅÅÅÅ-MM-DD (standard: dagens datum i Europe/Stockholm).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle skickas, skicka inget."
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            today = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"Ogiltigt datum: {today} (använd ÅÅÅÅ-MM-DD).") from exc
        due = list(followups_due_for_reminder(today=today))
        sent = 0
        for followup in due:
            state = "försenad" if followup.due_date < today else "snart"
            self.stdout.write(
                f"{followup.promise.title} – {followup.title}: {state} "
                f"(ska vara klar {followup.due_date:%Y-%m-%d})"
            )
            if not dry_run:
                sent += followup_send_reminder(followup=followup, today=today)
        noun = "uppföljning" if len(due) == 1 else "uppföljningar"
        verb = "skulle påminnas" if dry_run else "påmindes"
        self.stdout.write(
            self.style.SUCCESS(f"{len(due)} {noun} {verb}; {sent} e-postmeddelanden köade.")
        )
