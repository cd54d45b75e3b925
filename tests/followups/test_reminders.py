"""Reminders for follow-ups due within 14 days and overdue ones, with the date passed in."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from followups.models import FollowUp
from followups.services import followups_due_for_reminder
from tests.activities.factories import FollowUpFactory

pytestmark = pytest.mark.django_db
TODAY = date(2020, 5, 20)


@pytest.fixture
def followups(kalmar_promise):
    def make(title, due, status=FollowUp.Status.PLANNED, **kwargs):
        start = due - timedelta(days=60)
        return FollowUpFactory(
            promise=kalmar_promise,
            title=title,
            period_start_date=start,
            period_end_date=start,
            due_date=due,
            status=status,
            **kwargs,
        )

    return {
        "overdue": make("Försenad", date(2020, 5, 19)),
        "today": make("Idag", date(2020, 5, 20)),
        "in14": make("Om 14 dagar", date(2020, 6, 3), FollowUp.Status.DRAFT),
        "in15": make("Om 15 dagar", date(2020, 6, 4)),
        "published": make(
            "Publicerad",
            date(2020, 5, 1),
            FollowUp.Status.PUBLISHED,
            published_at="2020-05-01T10:00:00+02:00",
        ),
        "reminded": make("Nyss påmind", date(2020, 5, 25), reminder_sent_date=date(2020, 5, 15)),
        "reminded_long_ago": make(
            "Påmind för länge sedan", date(2020, 5, 26), reminder_sent_date=date(2020, 5, 13)
        ),
    }


def test_selection_by_date(followups):
    selected = {f.title for f in followups_due_for_reminder(today=TODAY)}
    assert selected == {"Försenad", "Idag", "Om 14 dagar", "Påmind för länge sedan"}
    # A day later, the one due in 15 days is within the horizon.
    later = {f.title for f in followups_due_for_reminder(today=date(2020, 5, 21))}
    assert "Om 15 dagar" in later


def test_command_sends_and_records_the_reminder(
    followups,
    kalmar_coordinator,
    kalmar_police_coordinator,
    kalmar_reader,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2020-05-20", stdout=out)
    assert "4 uppföljningar påmindes" in out.getvalue()
    recipients = {address for m in mailoutbox for address in m.to}
    assert recipients == {kalmar_coordinator.email, kalmar_police_coordinator.email}
    assert any(m.subject.startswith("Försenad uppföljning: Försenad") for m in mailoutbox)
    assert any(m.subject.startswith("Uppföljning snart: Om 14 dagar") for m in mailoutbox)
    assert FollowUp.objects.filter(reminder_sent_date=TODAY).count() == 4
    # Run again the same day (cron twice): nobody is reminded twice.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2020-05-20", stdout=io.StringIO())
    assert mailoutbox == []


def test_dry_run_sends_nothing(followups, kalmar_coordinator, mailoutbox):
    out = io.StringIO()
    call_command("send_reminders", "--today", "2020-05-20", "--dry-run", stdout=out)
    assert "4 uppföljningar skulle påminnas" in out.getvalue()
    assert mailoutbox == []
    assert (
        not FollowUp.objects.filter(reminder_sent_date__isnull=False)
        .exclude(title__startswith="Påmind")
        .exclude(title="Nyss påmind")
        .exists()
    )


def test_bad_date_is_a_clear_error():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Ogiltigt datum"):
        call_command("send_reminders", "--today", "20 maj")
