"""What the public sees: published follow-ups only, newest first, in constant queries."""

import json
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from activities.selectors import commitment_progress
from followups.models import FollowUp
from followups.selectors import (
    followup_public_data,
    published_followups,
    published_followups_for_municipality,
)
from promises.models import Commitment
from tests.activities.factories import (
    ActivityFactory,
    ActivityReportFactory,
    CommitmentAssessmentFactory,
    CommitmentFactory,
    FollowUpFactory,
    PromiseFactory,
)

pytestmark = pytest.mark.django_db
Status = FollowUp.Status


def draft(promise, start, **kwargs):
    return FollowUpFactory(
        promise=promise,
        title=f"Period från {start}",
        period_start_date=start,
        period_end_date=start.replace(month=start.month + 3),
        status=Status.DRAFT,
        **kwargs,
    )


def publish(followup):
    """Published last: from then on the database refuses to change the follow-up or its rows."""
    FollowUp.objects.filter(pk=followup.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now()
    )
    followup.refresh_from_db()
    return followup


def published(promise, start, **kwargs):
    return publish(draft(promise, start, **kwargs))


def test_only_published_followups_of_published_promises(kalmar_promise, kalmar_partnership):
    first = published(kalmar_promise, date(2020, 1, 1))
    second = published(kalmar_promise, date(2020, 5, 1))
    FollowUpFactory(promise=kalmar_promise, period_start_date=date(2020, 9, 1), status="utkast")
    FollowUpFactory(promise=kalmar_promise, period_start_date=date(2020, 10, 1), status="godkand")
    draft_promise = PromiseFactory(partnership=kalmar_partnership)  # never signed
    published(draft_promise, date(2020, 1, 1))

    assert published_followups(kalmar_promise.pk) == [second, first]
    assert published_followups(draft_promise.pk) == []
    kommun = kalmar_partnership.municipalities.get()
    assert published_followups_for_municipality(kommun.municipality_code) == [second, first]


def test_public_selectors_run_constant_queries(kalmar_promise, django_assert_num_queries):
    for month in (1, 5, 9):
        followup = draft(kalmar_promise, date(2020, month, 1))
        for _ in range(4):
            CommitmentAssessmentFactory(followup=followup)
        publish(followup)
    with django_assert_num_queries(4):
        followups = published_followups(kalmar_promise.pk)
        data = [followup_public_data(f) for f in followups]
    assert len(data) == 3 and len(data[0]["assessments"]) == 4
    json.dumps(data)  # serialisable for the open-data API
    kommun = kalmar_promise.partnership.municipalities.get()
    with django_assert_num_queries(4):
        for f in published_followups_for_municipality(kommun.municipality_code):
            list(f.assessments.all())


def test_timeline_marks_example_data_and_has_no_inline_style(kalmar_promise):
    followup = draft(kalmar_promise, date(2020, 1, 1), is_example=True, narrative="Text.")
    CommitmentAssessmentFactory(
        followup=followup, promised="minst 6 riktade insatser", outcome="elva genomförda"
    )
    publish(followup)
    html = render_to_string(
        "followups/_public_timeline.html", {"followups": published_followups(kalmar_promise.pk)}
    )
    assert "Exempeldata" in html
    assert "elva genomförda" in html
    assert "Perioden 1 januari – 1 april 2020." in html  # one date style, the year once
    assert "style=" not in html and "<script" not in html and "<style" not in html


def test_progress_include_shows_n_av_m_per_area(kalmar_promise, districts):
    walks = CommitmentFactory(
        promise=kalmar_promise,
        target_quantity=1,
        target_unit="trygghetsvandringar",
        target_period=Commitment.Period.YEAR,
        target_per_area=True,
        areas=districts[:2],
    )
    activity = ActivityFactory(plan__promise=kalmar_promise, commitment=walks)
    ActivityReportFactory(activity=activity, area=districts[0], is_example=True)
    progress = commitment_progress(kalmar_promise)[walks.pk]
    html = render_to_string("activities/_public_progress.html", {"progress": progress})
    assert "1 av 2 trygghetsvandringar" in html
    assert "Oxhagen: 1 av 1" in html and "Smedby: 0 av 1" in html
    assert "Exempeldata" in html
    assert "style=" not in html and "<script" not in html
