"""Read-side queries for activities and their progress, shared by the workspace and ``public``.

Every function here runs a fixed number of queries however many commitments,
activities and reports there are; the arithmetic itself is in ``progress.py``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.aggregates import BoolOr
from django.db.models import Count, Max, Prefetch, Sum

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
from promises.models import Commitment, Promise
from promises.published import PublishedPromise

Window = tuple[date, date]


def promise_window(promise: Promise) -> Window:
    """The whole period of the working copy, extension included (workspace views)."""
    return (promise.valid_from_date, promise.end_date)


def signed_window(promise: PublishedPromise) -> Window:
    """The whole signed period, extension included (public reads)."""
    return (promise.valid_from, promise.end_date)


def year_window(promise: Promise, year: int) -> Window | None:
    """The part of ``year`` that lies within the promise's period (None if none)."""
    return within_year(promise_window(promise), year)


def within_year(window: Window, year: int) -> Window | None:
    return intersect((date(year, 1, 1), date(year, 12, 31)), window)


def report_rows(reports, key: str) -> dict[int, list[ReportRow]]:
    """Reported counts grouped by ``key``, day and area: one query."""
    rows: dict[int, list[ReportRow]] = defaultdict(list)
    grouped = (
        reports.values(key, "area_id", "performed_date")
        .annotate(total=Sum("count"), example=BoolOr("is_example"), reports=Count("pk"))
        .order_by()
    )
    for row in grouped:
        rows[row[key]].append(
            ReportRow(
                row["performed_date"],
                row["area_id"],
                row["total"],
                bool(row["example"]),
                row["reports"],
            )
        )
    return rows


@dataclass(frozen=True)
class TargetSpec:
    """A commitment's target as progress needs it, from the working copy or a signed version."""

    commitment_id: int
    quantity: int | None
    unit: str
    period: str
    per_area: bool
    areas: tuple[tuple[int | None, str], ...] = ()
    #: The commitment's own period, when it holds for part of the promise's.
    start: date | None = None
    end: date | None = None


def working_copy_targets(commitments: Iterable[Commitment]) -> list[TargetSpec]:
    """Targets of working-copy commitments (``areas`` prefetched)."""
    return [
        TargetSpec(
            c.pk,
            c.target_quantity,
            c.target_unit,
            c.target_period,
            c.target_per_area,
            tuple((a.pk, a.name) for a in sorted(c.areas.all(), key=lambda a: a.name)),
            c.period_start_date,
            c.period_end_date,
        )
        for c in commitments
    ]


def signed_targets(promise: PublishedPromise) -> list[TargetSpec]:
    """Targets exactly as signed. Areas signed by name only (schema 1) are looked up: one query."""
    municipalities = [m.id for m in promise.municipalities if m.id]
    unnamed = {a.name for c in promise.commitments for a in c.areas if a.id is None}
    ids = {}
    if unnamed:
        ids = dict(
            Area.objects.filter(municipality_id__in=municipalities, name__in=unnamed)
            .order_by()
            .values_list("name", "pk")
        )
    return [
        TargetSpec(
            c.id,
            c.target.quantity if c.target else None,
            c.target.unit if c.target else "",
            c.target.period if c.target else WHOLE,
            c.target.per_area if c.target else False,
            tuple((a.id if a.id is not None else ids.get(a.name), a.name) for a in c.areas),
            c.period.start if c.period else None,
            c.period.end if c.period else None,
        )
        for c in promise.commitments
    ]


def progress_for(
    *,
    promise_id: int,
    window: Window,
    targets: Iterable[TargetSpec],
    year: int | None = None,
    until: date | None = None,
) -> dict[int, Progress]:
    """Progress per commitment id: reports against each target, within ``window``.

    Over the whole window by default; with ``year``, over that year (a target
    for the whole period is still measured over the whole period). A
    commitment without a target of its own is measured against the summed
    targets of its activities in the plans, when they have any. With
    ``until``, only reports up to that day count ("so far"), against the full
    target. Two queries: activity targets and grouped reports.
    """
    targets = list(targets)
    whole = window
    yearly = within_year(window, year) if year is not None else whole

    activity_targets: dict[int, list[dict]] = defaultdict(list)
    activities = Activity.objects.filter(
        plan__promise_id=promise_id, target_count__isnull=False
    ).exclude(status=Activity.Status.CANCELLED)
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
            activity__plan__promise_id=promise_id,
            performed_date__gte=whole[0],
            performed_date__lte=whole[1],
        ),
        "activity__commitment_id",
    )

    def so_far(span):
        if span is None or until is None:
            return span
        return intersect(span, (span[0], until))

    def own(span, spec):
        """Cut a window to the commitment's own period, if it has one."""
        if span is None or not (spec.start or spec.end):
            return span
        return intersect(span, (spec.start or span[0], spec.end or span[1]))

    result: dict[int, Progress] = {}
    for spec in targets:
        if spec.quantity is not None:
            span = own(whole if spec.period == WHOLE else yearly, spec)
            result[spec.commitment_id] = compute(
                rows=rows.get(spec.commitment_id, []),
                window=so_far(span),
                quantity=spec.quantity,
                unit=spec.unit,
                periods=periods_in_window(spec.period, *span) if span else 0,
                per_area=spec.per_area,
                areas=spec.areas,
            )
            continue
        planned = activity_targets.get(spec.commitment_id, [])
        units = {p["target_unit"] for p in planned}
        result[spec.commitment_id] = compute(
            rows=rows.get(spec.commitment_id, []),
            window=so_far(own(yearly, spec)),
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


def commitment_progress(
    promise: Promise,
    *,
    year: int | None = None,
    until: date | None = None,
    commitments: Iterable | None = None,
) -> dict[int, Progress]:
    """Progress of the working copy's commitments (workspace views).

    Four queries: commitments, their areas, activity targets, grouped reports.
    """
    if commitments is None:
        commitments = promise.commitments.prefetch_related(
            Prefetch("areas", queryset=Area.objects.order_by("name"))
        ).order_by("order", "pk")
    return progress_for(
        promise_id=promise.pk,
        window=promise_window(promise),
        targets=working_copy_targets(commitments),
        year=year,
        until=until,
    )


def published_progress(
    promise: PublishedPromise, *, year: int | None = None, until: date | None = None
) -> dict[int, Progress]:
    """Progress of the signed commitments against the signed targets and period (public)."""
    return progress_for(
        promise_id=promise.id,
        window=signed_window(promise),
        targets=signed_targets(promise),
        year=year,
        until=until,
    )


def activity_progress(
    activities: Iterable[Activity], *, window: Window | None = None
) -> dict[int, Progress]:
    """Progress per activity id, over its plan's year within the promise period.

    The period is the working copy's unless ``window`` (the signed period, for
    public reads) is given. Pass activities with ``plan__promise`` selected and
    ``areas`` prefetched; then this costs one query whatever their number.
    """
    activities = list(activities)
    if not activities:
        return {}
    rows = report_rows(
        ActivityReport.objects.filter(activity__in=[a.pk for a in activities]), "activity_id"
    )
    result = {}
    for activity in activities:
        span = window or promise_window(activity.plan.promise)
        result[activity.pk] = compute(
            rows=rows.get(activity.pk, []),
            window=within_year(span, activity.plan.year),
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


def public_activities(promise: PublishedPromise) -> list[Activity]:
    """The activities under the signed commitments of a published promise (two queries).

    Only what was planned is public; reports can name people and places and
    stay in the workspace; the public sees them as progress. An activity under
    a commitment that exists only in a draft is not public.
    """
    return list(
        Activity.objects.filter(
            plan__promise_id=promise.id, commitment_id__in=promise.commitment_ids
        )
        .select_related("plan", "responsible_organisation")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))
        .order_by("plan__year", "order", "pk")
    )


def public_activity_changes() -> dict:
    """How many activities and reports there are and when any last changed: what public
    progress is computed from, for a cheap "has anything changed" check. Two queries."""
    return {
        "activities": Activity.objects.order_by().aggregate(
            n=Count("pk"), changed=Max("updated_at")
        ),
        "reports": ActivityReport.objects.order_by().aggregate(
            n=Count("pk"), changed=Max("updated_at")
        ),
    }


def plans_for_promise(promise: Promise):
    return ActivityPlan.objects.filter(promise=promise).order_by("year")
