"""Read-side queries for follow-ups, shared by the workspace and ``public``.

Public functions return only published follow-ups of live, verified promises
(``promises.published``), newest first, with everything a page shows
prefetched: a fixed number of queries. A published follow-up keeps every row
it was published with, also for commitments a later version removed.
"""

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, F, Func, Prefetch, QuerySet, prefetch_related_objects

from core.replica import read_connection
from followups.models import (
    CommitmentAssessment,
    FollowUp,
    FollowUpApproval,
    FollowUpIndicatorValue,
    PromiseStatusCounts,
)
from promises.published import PromiseFilter, filtered, live_ids


def _content() -> tuple[Prefetch, ...]:
    return (
        Prefetch("assessments", queryset=CommitmentAssessment.objects.order_by("order", "pk")),
        Prefetch("indicator_values", queryset=FollowUpIndicatorValue.objects.order_by("order")),
        Prefetch(
            "approvals",
            queryset=FollowUpApproval.objects.select_related("organisation").order_by(
                "approved_at"
            ),
        ),
    )


def public_followups() -> QuerySet:
    """Published follow-ups of live, verified promises: the base of every public read."""
    return FollowUp.objects.published().filter(promise__in=live_ids())


def published_followups(promise_id: int) -> list[FollowUp]:
    """The promise's published follow-ups, newest period first (four queries). The
    promise itself is not read again: the caller has it."""
    return list(
        public_followups()
        .filter(promise_id=promise_id)
        .prefetch_related(*_content())
        .order_by("-period_end_date", "-pk")
    )


#: How many of a kommun's follow-ups its page shows in full; the older ones are links.
MUNICIPALITY_FULL_FOLLOWUPS = 3


def municipality_followups(
    municipality_code: str, *, full: int = MUNICIPALITY_FULL_FOLLOWUPS
) -> tuple[list[FollowUp], list[FollowUp]]:
    """The kommun's published follow-ups, newest first: the newest ``full`` with
    everything a page shows, and the older ones without their assessments (their
    promise page shows them in full). Four queries, however many years it has.

    Eight years of three follow-ups of ten commitments each made the kommun page a
    table of 240 rows and took a quarter of a second to render.
    """
    promises = filtered(PromiseFilter(municipality=municipality_code)).values("pk")
    followups = list(
        public_followups()
        .filter(promise__in=promises)
        .select_related("promise")
        .order_by("-period_end_date", "-published_at", "-pk")
    )
    newest, older = followups[:full], followups[full:]
    prefetch_related_objects(newest, *_content())
    return newest, older


def latest_published_followups(*, limit: int = 5) -> list[FollowUp]:
    """The newest published follow-ups across Sweden, for the start page, each with the
    title its promise was signed under (the live version's stored copy, never the working
    copy): "Tertial 2 2020" alone does not say whose follow-up it is."""
    return list(
        public_followups()
        .annotate(promise_title=F("promise__published_version__signed_title"))
        # As the feeds order them, so both walk the index followup_published_newest.
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]
    )


def followup_public_data(followup: FollowUp) -> dict:
    """A published follow-up as plain JSON data, for the open-data API.

    Uses prefetched assessments, indicator values and approvals when present.
    """
    return {
        "id": followup.pk,
        "promise_id": followup.promise_id,
        "title": followup.title,
        "period_start": followup.period_start_date.isoformat(),
        "period_end": followup.period_end_date.isoformat(),
        "published_at": followup.published_at.isoformat() if followup.published_at else None,
        "narrative": followup.narrative,
        "is_example": followup.is_example,
        "assessments": [
            {
                "commitment_id": a.commitment_id,
                "commitment": a.commitment_text,
                "party": a.party,
                "status": a.status,
                "status_label": a.status_label,
                "promised": a.promised,
                "outcome": a.outcome,
                "done": a.done_count,
                "target": a.target_count,
                "figure": a.figure,
                "figure_source": a.figure_source or None,
                "figure_text": a.figure_text,
                "report_count": a.report_count,
                "progress": a.progress_label,
                "comment": a.comment,
            }
            for a in followup.assessments.all()
        ],
        "indicators": [
            {
                "name": i.name,
                "unit": i.unit,
                "period": i.period,
                "value": float(i.value),
                "note": i.note,
            }
            for i in followup.indicator_values.all()
        ],
        "approved_by": [
            {
                "side": a.side,
                "organisation": a.organisation.display_name,
                "approved_at": a.approved_at.isoformat(),
            }
            for a in followup.approvals.all()
        ],
    }


def workspace_followups(user) -> QuerySet:
    """Follow-ups of the promises the user can see, for the workspace list."""
    return (
        FollowUp.objects.visible_to(user)
        .select_related("promise")
        .order_by("promise__title", "period_start_date")
    )


def assessment_status_labels() -> dict[str, str]:
    """The assessment statuses and their labels, in the reader's language."""
    return {value: str(label) for value, label in CommitmentAssessment.Status.choices}


class JsonContains(Func):
    """``left @> right`` on two ``jsonb`` expressions."""

    template = "(%(expressions)s)"
    arg_joiner = " @> "
    output_field = BooleanField()


_STATUS_COUNTS_SQL = "SELECT status, COUNT(*) FROM ({latest}) AS latest GROUP BY status"


def computed_public_status_counts(promise_id: int | None = None) -> dict[str, int]:
    """``{status: commitments}`` over every live commitment (of ``promise_id``, or of
    every promise) whose published follow-ups report something, by its newest such
    follow-up (``public.read.reports_something``), counted in one query.

    An assessment that says nothing (still "planerad", no figure, no text) is left
    out, so an older follow-up's word stands (``public.read.reports_something``).
    Over every promise this sorts every assessment: the pages read the stored copy
    (``latest_public_status_counts``); this is what it is built from and checked against.
    """
    followups = public_followups()
    if promise_id is not None:
        followups = followups.filter(promise_id=promise_id)
    latest = (
        CommitmentAssessment.objects.filter(followup__in=followups)
        # In its promise's live version: a containment on the version's stored ids, row by
        # row. (``IN`` over the ids unnested from every live version misled the planner
        # into nested loops and sorts on disk: 340 ms against 230 at national size.)
        .alias(
            signed=JsonContains(
                F("followup__promise__published_version__signed_commitment_ids"),
                Func(F("commitment_id"), function="to_jsonb"),
            )
        )
        .filter(signed=True)
        .exclude(figure__isnull=True, status="planerad", outcome="")
        .order_by("commitment_id", "-followup__period_end_date", "-followup_id")
        .distinct("commitment_id")
        .values("status")
    )
    try:
        sql, params = latest.query.sql_with_params()
    except EmptyResultSet:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_STATUS_COUNTS_SQL.format(latest=sql), params)
        return dict(cursor.fetchall())


_STORED_COUNTS_SQL = (
    "SELECT entry.key, SUM(entry.value::integer) "
    'FROM "followups_promisestatuscounts" AS stored, jsonb_each_text(stored.counts) AS entry '
    "WHERE stored.promise_id {live} GROUP BY entry.key"
)


def latest_public_status_counts(promise_ids: Iterable[int] | None = None) -> dict[str, int]:
    """``computed_public_status_counts()`` over every promise, from the stored copy of
    each live promise's counts (``PromiseStatusCounts``): one query over one small row
    per promise, whatever the number of follow-ups.

    ``promise_ids``: the live promises when the caller has them already
    (``PublicFigures.promise_ids``), so that they are not found and checked again.
    """
    if promise_ids is not None:
        # A set to hash against, not one index probe per id (2,330 at national size).
        live, params = "IN (SELECT unnest(%s::integer[]))", [list(promise_ids)]
    else:
        try:
            sql, params = live_ids().order_by().query.sql_with_params()
        except EmptyResultSet:
            return {}
        live = f"IN ({sql})"
    with read_connection(PromiseStatusCounts).cursor() as cursor:
        cursor.execute(_STORED_COUNTS_SQL.format(live=live), params)
        return {status: int(count) for status, count in cursor.fetchall()}


def refresh_status_counts(group_key: str) -> None:
    """Rewrite the stored counts of the promise ``group_key`` names (``core.search``)."""
    from promises.search import promise_id_of

    promise_id = promise_id_of(group_key)
    if promise_id is None:
        return
    counts = computed_public_status_counts(promise_id)
    if not counts:
        PromiseStatusCounts.objects.filter(promise_id=promise_id).delete()
        return
    PromiseStatusCounts.objects.update_or_create(promise_id=promise_id, defaults={"counts": counts})
