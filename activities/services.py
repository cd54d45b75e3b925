"""Every change to activity plans, activities, reports and measures.

One transaction each, permission re-checked, ``full_clean()`` before saving.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import permissions as perms
from activities.models import Activity, ActivityPlan, ActivityReport, Measure
from activities.progress import periods_in_window
from activities.selectors import year_window
from core import publication
from core.concurrency import save_versioned
from core.services import require
from organizations.models import Area, Organisation
from promises.models import Commitment, Promise
from promises.permissions import can_coordinate_promise
from promises.search import group_key

ACTIVITY_FIELDS = [
    "title",
    "description",
    "responsible_organisation",
    "responsible_person",
    "planned_start_date",
    "planned_end_date",
    "target_count",
    "target_unit",
    "target_per_area",
    "status",
]
REPORT_FIELDS = [
    "performed_date",
    "area",
    "description",
    "count",
    "participants",
    "participant_count",
    "findings",
]


def _short(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip(" ,.") + "…"


def responsible_for(commitment: Commitment) -> Organisation | None:
    """The organisation that owns a commitment alone; None when several promise together."""
    owners = list(commitment.owners.all())
    return owners[0] if len(owners) == 1 else None


def activity_defaults(*, plan: ActivityPlan, commitment: Commitment) -> dict:
    """What a new activity under ``commitment`` starts with in ``plan``.

    The target comes from the commitment's, scaled to the plan's year
    ("minst en per tertial" is three a year), per area where the commitment's
    target is per area.
    """
    window = year_window(plan.promise, plan.year) or (
        date(plan.year, 1, 1),
        date(plan.year, 12, 31),
    )
    target = None
    if commitment.target_quantity is not None:
        periods = (
            1
            if commitment.target_period == Commitment.Period.WHOLE
            else periods_in_window(commitment.target_period, *window)
        )
        target = commitment.target_quantity * periods
    return {
        "title": _short(commitment.text),
        "responsible_organisation": responsible_for(commitment),
        "planned_start_date": window[0],
        "planned_end_date": window[1],
        "target_count": target,
        "target_unit": commitment.target_unit if target is not None else "",
        "target_per_area": commitment.target_per_area,
        "areas": list(commitment.areas.all()),
    }


def _check_activity(activity: Activity) -> None:
    plan = activity.plan
    errors = {}
    if activity.commitment.promise_id != plan.promise_id:
        errors["commitment"] = _("Åtagandet hör till ett annat löfte.")
    if activity.responsible_organisation_id and (
        activity.responsible_organisation_id not in plan.promise.partnership.party_ids()
    ):
        errors["responsible_organisation"] = _("Välj en av parterna i samverkan.")
    for name in ("planned_start_date", "planned_end_date"):
        value = getattr(activity, name)
        if value and value.year != plan.year:
            errors[name] = _("Datumet ska ligga inom planens år, %(year)s.") % {"year": plan.year}
    if errors:
        raise ValidationError(errors)


def _check_areas(plan: ActivityPlan, areas) -> None:
    allowed = set(
        Area.objects.for_partnership(plan.promise.partnership).values_list("pk", flat=True)
    )
    if any(a.pk not in allowed for a in areas):
        raise ValidationError({"areas": _("Välj områden i samverkans kommuner.")})


@transaction.atomic
def activity_plan_create(
    *,
    user,
    promise: Promise,
    year: int,
    note: str = "",
    seed_from_commitments: bool = False,
    is_example: bool = False,
) -> ActivityPlan:
    """Start the activity plan of ``promise`` for ``year``.

    With ``seed_from_commitments``, one activity per commitment is proposed,
    with the commitment's target as its target.
    """
    require(can_coordinate_promise(user, promise), _("Du samordnar inte det här löftet."))
    if year_window(promise, year) is None:
        raise ValidationError(
            {"year": _("Året ligger utanför löftets period.")}, code="outside_period"
        )
    plan = ActivityPlan(promise=promise, year=year, note=note, is_example=is_example)
    plan.full_clean()
    plan.save()
    if seed_from_commitments:
        for commitment in promise.commitments.prefetch_related("areas").order_by("order", "pk"):
            defaults = activity_defaults(plan=plan, commitment=commitment)
            areas = defaults.pop("areas")
            activity = Activity.objects.create(
                plan=plan, commitment=commitment, is_example=is_example, **defaults
            )
            activity.areas.set(areas)
        publication.changed(group_key(promise.pk))
    return plan


@transaction.atomic
def activity_create(
    *, user, plan: ActivityPlan, commitment: Commitment, areas=None, **fields
) -> Activity:
    """Add an activity under ``commitment``; fields left out come from the commitment."""
    require(perms.can_edit_plan(user, plan), _("Du får inte ändra aktivitetsplanen."))
    defaults = activity_defaults(plan=plan, commitment=commitment)
    default_areas = defaults.pop("areas")
    for name, value in defaults.items():
        if fields.get(name) in (None, ""):
            fields[name] = value
    if areas is None or (not areas and fields.get("target_per_area")):
        areas = default_areas
    order = (plan.activities.aggregate(m=Max("order"))["m"] or 0) + 1
    activity = Activity(plan=plan, commitment=commitment, order=order, **fields)
    activity.full_clean()
    _check_activity(activity)
    _check_areas(plan, areas)
    activity.save()
    activity.areas.set(areas)
    # Planned activities are public on the promise page and in search.
    publication.changed(group_key(plan.promise_id))
    return activity


@transaction.atomic
def activity_update(
    *, user, activity: Activity, expected_version: int, data: dict, areas=None
) -> Activity:
    """Change an activity, refusing a save based on a stale version."""
    require(perms.can_edit_plan(user, activity.plan), _("Du får inte ändra aktivitetsplanen."))
    for name, value in data.items():
        if name in ACTIVITY_FIELDS:
            setattr(activity, name, value)
    activity.full_clean()
    _check_activity(activity)
    if areas is not None:
        _check_areas(activity.plan, areas)
    save_versioned(
        activity,
        expected_version=expected_version,
        fields=[f for f in ACTIVITY_FIELDS if f in data],
    )
    if areas is not None:
        activity.areas.set(areas)
    publication.changed(group_key(activity.plan.promise_id))
    return activity


def _check_report(report: ActivityReport, today: date) -> None:
    activity = report.activity
    errors = {}
    if report.performed_date:
        if report.performed_date > today:
            errors["performed_date"] = _("Datumet kan inte ligga i framtiden.")
        elif report.performed_date.year != activity.plan.year:
            errors["performed_date"] = _(
                "Datumet ska ligga inom aktivitetsplanens år, %(year)s."
            ) % {"year": activity.plan.year}
    if report.area_id:
        allowed = {a.pk for a in activity.areas.all()} or set(
            Area.objects.for_partnership(activity.plan.promise.partnership).values_list(
                "pk", flat=True
            )
        )
        if report.area_id not in allowed:
            errors["area"] = _("Välj ett av aktivitetens områden.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_report_create(
    *, user, activity: Activity, today: date | None = None, **fields
) -> ActivityReport:
    """Record what was done. The first report of a planned activity marks it ongoing."""
    require(perms.can_report_activity(user, activity), _("Du får inte rapportera aktiviteten."))
    today = today or timezone.localdate()
    report = ActivityReport(
        activity=activity,
        reported_by=user if user.is_authenticated else None,
        **{k: v for k, v in fields.items() if k in REPORT_FIELDS or k == "is_example"},
    )
    report.full_clean()
    _check_report(report, today)
    report.save()
    if activity.status == Activity.Status.PLANNED:
        Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.ONGOING)
        activity.status = Activity.Status.ONGOING
    # Progress is public: the promise page and its search entries follow at once.
    publication.changed(group_key(activity.plan.promise_id))
    return report


@transaction.atomic
def activity_report_delete(*, user, report: ActivityReport) -> None:
    require(perms.can_report_activity(user, report.activity), _("Du får inte ändra rapporterna."))
    report.delete()
    publication.changed(group_key(report.activity.plan.promise_id))


@transaction.atomic
def measure_create(
    *, user, report: ActivityReport, description: str, owner: str, due_date: date | None = None
) -> Measure:
    """Turn a finding into an åtgärd with someone who owns it."""
    require(perms.can_report_activity(user, report.activity), _("Du får inte lägga till åtgärder."))
    measure = Measure(report=report, description=description, owner=owner, due_date=due_date)
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def measure_set_status(*, user, measure: Measure, status: str) -> Measure:
    require(
        perms.can_report_activity(user, measure.report.activity), _("Du får inte ändra åtgärden.")
    )
    measure.status = status
    measure.full_clean()
    measure.save(update_fields=["status", "updated_at"])
    return measure
