"""The national status figures read a stored copy of each promise's counts (issue 17).

``PromiseStatusCounts`` is rewritten with the promise's search entries, in their
transaction, whenever the promise's public data changes; the national figure adds the
copies of live, verified promises only. These tests hold it to what computing it from
every assessment gives, through the services, and to what the public may see.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import search
from followups import services as followup_services
from followups.models import CommitmentAssessment, PromiseStatusCounts
from followups.selectors import computed_public_status_counts, latest_public_status_counts
from promises.search import group_key, promise_id_of
from tests.activities.factories import (
    CommitmentAssessmentFactory,
    CommitmentFactory,
    FollowUpFactory,
    PromiseFactory,
)
from tests.factories import force_sql, publish_working_copy

pytestmark = pytest.mark.django_db


def _published_with_followup(partnership, coordinator, police_coordinator, statuses, title):
    promise = PromiseFactory(partnership=partnership, title=title)
    commitments = [CommitmentFactory(promise=promise, text=f"{title} {n}") for n in statuses]
    publish_working_copy(promise)
    followup = FollowUpFactory(promise=promise, title=f"Tertial 1 {title}")
    followup_services.followup_start_draft(user=coordinator, followup=followup)
    for commitment, status in zip(commitments, statuses, strict=True):
        updated = CommitmentAssessment.objects.filter(
            followup=followup, commitment=commitment
        ).update(status=status)
        if not updated:
            CommitmentAssessmentFactory(followup=followup, commitment=commitment, status=status)
    followup_services.followup_approve(user=coordinator, followup=followup)
    followup_services.followup_approve(user=police_coordinator, followup=followup)
    followup_services.followup_publish(user=coordinator, followup=followup)
    return promise


@pytest.fixture
def two_promises(
    kalmar_partnership,
    kalmar_coordinator,
    kalmar_police_coordinator,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _published_with_followup(
            kalmar_partnership,
            kalmar_coordinator,
            kalmar_police_coordinator,
            ["genomford", "pagaende", "pagaende"],
            "Trygg skolväg",
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = _published_with_followup(
            kalmar_partnership,
            kalmar_coordinator,
            kalmar_police_coordinator,
            ["genomford", "genomford"],
            "Trygg hamn",
        )
    return first, second


def test_a_published_followup_writes_its_promises_counts(two_promises):
    first, second = two_promises
    assert PromiseStatusCounts.objects.get(promise=first).counts == {
        "genomford": 1,
        "pagaende": 2,
    }
    assert PromiseStatusCounts.objects.get(promise=second).counts == {"genomford": 2}
    assert latest_public_status_counts() == {"genomford": 3, "pagaende": 2}
    assert latest_public_status_counts() == computed_public_status_counts()


def test_the_national_figure_is_one_query_however_many_promises(two_promises):
    with CaptureQueriesContext(connection) as queries:
        latest_public_status_counts()
    assert len(queries) == 1


def test_a_version_that_stops_verifying_drops_out_at_once(two_promises):
    """Whatever is stored: the copy of a promise whose signed text no longer hashes to
    its recorded SHA-256 is not added (the database refuses the update; a superuser
    with the triggers off forces it)."""
    first, _second = two_promises
    force_sql(
        "UPDATE promises_promiseversion SET content = content || ' ' WHERE id = %s",
        [first.published_version_id],
    )
    assert PromiseStatusCounts.objects.filter(promise=first).exists()
    assert latest_public_status_counts() == {"genomford": 2}
    assert latest_public_status_counts() == computed_public_status_counts()


def test_a_crash_before_the_refresh_is_repaired_with_the_index(two_promises):
    first, _second = two_promises
    PromiseStatusCounts.objects.filter(promise=first).delete()  # as if the process died
    search.SearchPending.objects.create(group_key=group_key(first.pk))
    search.repair()
    assert latest_public_status_counts() == computed_public_status_counts()


def test_rebuild_writes_every_promises_counts(two_promises):
    PromiseStatusCounts.objects.all().delete()
    search.rebuild()
    assert PromiseStatusCounts.objects.count() == 2
    assert latest_public_status_counts() == computed_public_status_counts()


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("promise:12", 12),
        ("promise:", None),
        ("promise:12a", None),
        ("promise:١٢", None),  # Arabic-Indic digits are digits to str.isdigit
        ("kommun:12", None),
        ("promise:" + "9" * 19, None),
    ],
)
def test_only_a_promise_group_names_a_promise(key, expected):
    assert promise_id_of(key) == expected
