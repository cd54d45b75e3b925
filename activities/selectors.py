"""Read-side queries for activities and their progress, shared by the workspace and ``public``.

Every function here runs a fixed number of queries however many commitments,
activities and reports there are; the arithmetic itself is in ``progress.py``.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.contrib.postgres.aggregates import BoolOr
from django.db.models import Count, Prefetch, Sum

from activities.models import Activity, ActivityPlan, ActivityReport
from activities.progress import (
    WHOLE,
    Progress,
    ReportRow,
    compute,
    intersect,
    periods_in_window,
)
from organizations.models import Area
from promises.models import Promise


def promise_window(promise: Promise) -> tuple[date, date]:
    """The whole period of the promise, extension included."""
    return (promise.valid_from_date, promise.end_date)


def year_window(promise: Promise, year: int) -> tuple[date, date] | None:
    """The part of ``year`` that lies within the promise's period (None if none)."""
    return intersect((date(year, 1, 1), date(year, 12, 31)), promise_window(promise))


def report_rows(reports, key: str) -> dict[int, list[ReportRow]]:
    """Reported counts grouped by ``key``, day and area: one query."""
    rows: dict[int, list[ReportRow]] = defaultdict(list)
    grouped = (
        reports.values(key, "area_id", "performed_date")
        .annotate(total=Sum("count"), example=BoolOr("is_example"))
        .order_by()
    )
    for row in grouped:
        rows[row[key]].append(
            ReportRow(row["performed_date"], row["area_id"], row["total"], bool(row["example"]))
        )
    return rows


def commitment_progress(
    promise: Promise,
    *,
    year: int | None = None,
    until: date | None = None,
    commitments: Iterable | None = None,
) -> dict[int, Progress]:
    """Progress per commitment id: reports against the commitment's target.

    Over the whole promise period by default; with ``year``, over that year
    (a target for the whole period is still measured over the whole period).
    A commitment without a target of its own is measured against the summed
    targets of its activities in the plans, when they have any. With ``until``,
    only reports up to that day count ("so far"), against the full target.

    Four queries: commitments, their areas, activity targets, grouped reports.
    """
    if commitments is None:
        commitments = promise.commitments.prefetch_related(
            Prefetch("areas", queryset=Area.objects.order_by("name"))
        ).order_by("order", "pk")
    commitments = list(commitments)
    whole = promise_window(promise)
    yearly = year_window(promise, year) if year is not None else whole

    activity_targets: dict[int, list[dict]] = defaultdict(list)
    activities = Activity.objects.filter(plan__promise=promise, target_count__isnull=False).exclude(
        status=Activity.Status.CANCELLED
    )
    if year is not None:
        activities = activities.filter(plan__year=year)
    for row in (
        activities.values(
            "commitment_id", "target_count", "target_unit", "target_per_area", "is_example"
        )
        .annotate(area_count=Count("areas"))
        .order_by()
    ):
        activity_targets[row["commitment_id"]].append(row)

    rows = report_rows(
        ActivityReport.objects.filter(
            activity__plan__promise=promise,
            performed_date__gte=whole[0],
            performed_date__lte=whole[1],
        ),
        "activity__commitment_id",
    )

    def so_far(window):
        if window is None or until is None:
            return window
        return intersect(window, (window[0], until))

    result: dict[int, Progress] = {}
    for commitment in commitments:
        if commitment.target_quantity is not None:
            window = whole if commitment.target_period == WHOLE else yearly
            result[commitment.pk] = compute(
                rows=rows.get(commitment.pk, []),
                window=so_far(window),
                quantity=commitment.target_quantity,
                unit=commitment.target_unit,
                periods=periods_in_window(commitment.target_period, *window) if window else 0,
                per_area=commitment.target_per_area,
                areas=[(a.pk, a.name) for a in commitment.areas.all()],
            )
            continue
        planned = activity_targets.get(commitment.pk, [])
        units = {p["target_unit"] for p in planned}
        result[commitment.pk] = compute(
            rows=rows.get(commitment.pk, []),
            window=so_far(yearly),
            quantity=(
                sum(
                    p["target_count"] * (max(p["area_count"], 1) if p["target_per_area"] else 1)
                    for p in planned
                )
                if planned
                else None
            ),
            unit=units.pop() if len(units) == 1 else "aktiviteter",
            target_source="plan",
            example_target=any(p["is_example"] for p in planned),
        )
    return result


def activity_progress(activities: Iterable[Activity]) -> dict[int, Progress]:
    """Progress per activity id, over its plan's year within the promise period.

    Pass activities with ``plan__promise`` selected and ``areas`` prefetched;
    then this costs one query whatever their number.
    """
    activities = list(activities)
    if not activities:
        return {}
    rows = report_rows(
        ActivityReport.objects.filter(activity__in=[a.pk for a in activities]), "activity_id"
    )
    result = {}
    for activity in activities:
        result[activity.pk] = compute(
            rows=rows.get(activity.pk, []),
            window=year_window(activity.plan.promise, activity.plan.year),
            quantity=activity.target_count,
            unit=activity.target_unit,
            per_area=activity.target_per_area,
            areas=[(a.pk, a.name) for a in activity.areas.all()],
            target_source="plan",
            example_target=activity.is_example,
        )
    return result


def activities_with_relations(queryset):
    """What activity lists need: plan, promise, commitment, organisation and areas."""
    return queryset.select_related(
        "plan__promise", "commitment", "responsible_organisation"
    ).prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))


def public_activities(promise: Promise) -> list[Activity]:
    """The activities of a published promise for its public page (two queries).

    Only what was planned is public; reports can name people and places and
    stay in the workspace; the public sees them as progress.
    """
    return list(
        activities_with_relations(
            Activity.objects.published().filter(plan__promise=promise)
        ).order_by("plan__year", "commitment__order", "order", "pk")
    )


def plans_for_promise(promise: Promise):
    return ActivityPlan.objects.filter(promise=promise).order_by("year")
