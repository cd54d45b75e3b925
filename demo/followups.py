"""Follow-ups (Exempeldata): the three tertials of Katrineholm 2020.

The kommun's coordinator schedules them from the signed plan, starts each
draft (pre-filled from the activity reports), writes the narrative and the
indicator values; the kommunpolis approves for the police and the
coordinator for the kommun, then publishes. Tertial 1 and 2 are published
(today: the demo is as of today); tertial 3 is a draft approved by the
police side only, so a demo user can approve and publish it.

Only follow-ups this part schedules are filled in: one that exists (a demo
user may have moved it on) is left as it is. Skips with a note when the
promise is not there yet.
"""

from django.db import transaction

from demo.common import acting_as, municipal_coordinator, police_coordinator, say
from demo.data import examples
from demo.data import katrineholm_2020 as katrineholm
from followups.models import FollowUp
from followups.services import (
    followup_approve,
    followup_periods,
    followup_publish,
    followup_start_draft,
    followup_update,
    followups_schedule,
)
from promises.models import Promise
from promises.published import published_promise

KATRINEHOLM_TITLE = katrineholm.TITLE


def _mark_as_example(followups) -> None:
    """``is_example`` on follow-ups the demo invents.

    The one direct write of the demo: no follow-up service takes
    ``is_example`` (``activity_plan_create`` and ``activity_create`` do), and
    without it the pages could not say "Exempeldata". Done while still
    planned, before anything is approved or published.
    """
    FollowUp.objects.filter(pk__in=[f.pk for f in followups]).update(is_example=True)


def _write(coordinator, followup: FollowUp, number: int) -> None:
    followup_start_draft(user=coordinator, followup=followup)
    followup.refresh_from_db()
    followup_update(
        user=coordinator,
        followup=followup,
        expected_version=followup.lock_version,
        narrative=examples.NARRATIVES.get(number, ""),
        assessments={},
        indicators=[
            {"name": name, "unit": unit, "period": period, "value": value}
            for name, unit, period, value in examples.INDICATORS.get(number, [])
        ],
    )


def load(stdout=None) -> bool:
    """Returns whether anything was written."""
    promise = Promise.objects.filter(title=katrineholm.TITLE).first()
    if promise is None:
        say(stdout, "Uppföljningar: hoppar över, Katrineholms löfte finns inte ännu.")
        return False
    coordinator, kommunpolis = municipal_coordinator(katrineholm), police_coordinator(katrineholm)
    numbers = {
        period.start: number
        for number, period in enumerate(followup_periods(published_promise(promise.pk)), 1)
    }
    with transaction.atomic():
        with acting_as(coordinator):
            scheduled = followups_schedule(user=coordinator, promise=promise)
            _mark_as_example(scheduled)
            for followup in scheduled:
                _write(coordinator, followup, numbers[followup.period_start_date])
        with acting_as(kommunpolis):
            for followup in scheduled:
                followup_approve(user=kommunpolis, followup=followup)
        with acting_as(coordinator):
            for followup in scheduled:
                if numbers[followup.period_start_date] in examples.PUBLISHED:
                    followup_approve(user=coordinator, followup=followup)
                    followup_publish(user=coordinator, followup=followup)
    say(
        stdout,
        "Uppföljningar: Katrineholm 2020, tertial 1–2 publicerade och tertial 3 utkast "
        "(exempeldata).",
    )
    return bool(scheduled)
