"""Activity plans (Exempeldata): Katrineholm 2020, all twelve commitments, and Kalmar 2019.

The kommun's coordinator writes the plan, one activity per commitment; the
side that does the work reports it (the kommunpolis for what the police
alone promised, the kommun's coordinator otherwise), turns findings into
åtgärder, and marks an activity done once its target is reached. Every row
is ``is_example``.

A plan that exists (by promise and year) is left as it is. Skips with a note
when the promises are not there yet.
"""

from datetime import date

from django.db import transaction

from activities.models import Activity, ActivityPlan, Measure
from activities.services import (
    activity_create,
    activity_plan_create,
    activity_report_create,
    activity_update,
    measure_create,
    measure_set_status,
)
from demo.common import acting_as, municipal_coordinator, police_coordinator, say
from demo.data import examples
from demo.data import kalmar_2019_2020 as kalmar
from demo.data import katrineholm_2020 as katrineholm
from promises.models import Promise

KATRINEHOLM_TITLE = katrineholm.TITLE
KALMAR_TITLE = kalmar.TITLE

# (seed, year, the activities)
PLANS = [
    (katrineholm, 2020, examples.KATRINEHOLM_2020),
    (kalmar, 2019, examples.KALMAR_2019),
]


def _done(reports, activity: Activity) -> bool:
    """Done when the (example) target is reached, or, without a target, once reported."""
    if not reports:
        return False
    target = activity.target_count
    if target is None:
        return True
    if activity.target_per_area:
        target *= max(activity.areas.count(), 1)
    return sum(report[2] for report in reports) >= target


def _area(commitment, key):
    if key is None:
        return None
    areas = list(commitment.areas.order_by("name"))
    if key == "first":
        return areas[0] if areas else None
    return next((a for a in areas if a.name == key), None)


def _spec_for(commitment, specs, used) -> dict:
    text = commitment.text.lower()
    spec = next((s for s in specs if s["match"] not in used and s["match"] in text), None)
    if spec is None:
        return {"title": commitment.text[:100], "person": "", "target": None, "reports": []}
    used.add(spec["match"])
    return spec


def _reporter(commitment, planner, police):
    """Who does the work: the police for what the police alone promised."""
    owners = list(commitment.owners.all())
    if [o.pk for o in owners] == [commitment.promise.partnership.police_area_id]:
        return police
    return planner


def _plan(promise: Promise, seed, year: int, specs: list[dict]) -> ActivityPlan:
    planner, police = municipal_coordinator(seed), police_coordinator(seed)
    with acting_as(planner):
        plan = activity_plan_create(
            user=planner, promise=promise, year=year, note=examples.PLAN_NOTE, is_example=True
        )
        planned = []
        used = set()
        commitments = promise.commitments.prefetch_related("areas", "owners").order_by(
            "order", "pk"
        )
        for commitment in commitments:
            spec = _spec_for(commitment, specs, used)
            fields = {}
            if spec["target"] not in ("commitment", None):
                count, unit = spec["target"]
                fields = {"target_count": count, "target_unit": unit, "target_per_area": False}
            activity = activity_create(
                user=planner,
                plan=plan,
                commitment=commitment,
                title=spec["title"],
                description=spec.get("description", ""),
                responsible_person=spec["person"],
                is_example=True,
                **fields,
            )
            planned.append((activity, commitment, spec))
    for activity, commitment, spec in planned:
        reporter = _reporter(commitment, planner, police)
        with acting_as(reporter):
            for month, day, count, area_key, text, participants, findings, measures in spec[
                "reports"
            ]:
                report = activity_report_create(
                    user=reporter,
                    activity=activity,
                    performed_date=date(year, month, day),
                    area=_area(commitment, area_key),
                    count=count,
                    description=text,
                    participants=participants,
                    findings=findings,
                    is_example=True,
                )
                for description, owner, status in measures:
                    measure = measure_create(
                        user=reporter, report=report, description=description, owner=owner
                    )
                    if status != Measure.Status.PROPOSED:
                        measure_set_status(user=reporter, measure=measure, status=status)
            if _done(spec["reports"], activity):
                activity.refresh_from_db()
                activity_update(
                    user=reporter,
                    activity=activity,
                    expected_version=activity.lock_version,
                    data={"status": Activity.Status.DONE},
                )
    return plan


def load(stdout=None) -> bool:
    """Returns whether anything was written."""
    wrote = False
    for seed, year, specs in PLANS:
        promise = Promise.objects.filter(title=seed.TITLE).first()
        if promise is None:
            say(stdout, "Aktiviteter: hoppar över, demolöftena finns inte ännu.")
            continue
        plan = ActivityPlan.objects.filter(promise=promise, year=year).first()
        if plan is None:
            with transaction.atomic():
                plan = _plan(promise, seed, year, specs)
            wrote = True
        say(
            stdout,
            f"Aktiviteter: {seed.PLACE} {year}, "
            f"{plan.activities.count()} aktiviteter (exempeldata).",
        )
    return wrote
