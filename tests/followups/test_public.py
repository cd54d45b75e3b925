"""What the public sees: published follow-ups only, newest first, in constant queries."""

import json
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from activities.selectors import commitment_progress
from core import search
from followups.models import FollowUp
from followups.selectors import (
    computed_public_status_counts,
    followup_public_data,
    municipality_followups,
    published_followups,
)
from promises.models import Commitment
from promises.search import group_key
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
    assert municipality_followups(kommun.municipality_code) == ([second, first], [])
    assert municipality_followups(kommun.municipality_code, full=1) == ([second], [first])


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
    for full in (1, 3):
        with django_assert_num_queries(4):
            newest, older = municipality_followups(kommun.municipality_code, full=full)
            for f in newest:
                assert len(f.assessments.all()) == 4
        assert len(newest) == full and len(newest + older) == 3
        assert all("assessments" not in getattr(f, "_prefetched_objects_cache", {}) for f in older)


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


def test_the_kommun_page_shows_the_newest_followups_in_full_and_links_the_older(
    client, kalmar_promise
):
    """Years of follow-ups stay reachable from the kommun page without making it a table
    of every assessment ever published: older ones link to their place on the promise page."""
    followups = []
    for month in (1, 3, 5, 7, 9):
        followup = draft(kalmar_promise, date(2020, month, 1))
        CommitmentAssessmentFactory(followup=followup, outcome=f"Utfall i månad {month}")
        followups.append(publish(followup))
    kommun = kalmar_promise.partnership.municipalities.get()

    page = client.get(f"/kommuner/{kommun.slug}/").content.decode()
    promise_page = client.get(kalmar_promise.get_public_url()).content.decode()

    for followup in followups[-3:]:  # the newest, in full
        assert f'id="{followup.public_anchor}"' in page
        assert f"Utfall i månad {followup.period_start_date.month}" in page
    for followup in followups[:2]:  # the older: a link to the promise page, which has it all
        link = f'href="{kalmar_promise.get_public_url()}#{followup.public_anchor}"'
        assert link in page
        assert f"Utfall i månad {followup.period_start_date.month}" not in page
        assert f'id="{followup.public_anchor}"' in promise_page
        assert f"Utfall i månad {followup.period_start_date.month}" in promise_page
    assert "Tidigare uppföljningar" in page
    assert page.count("publicerade ännu") == 0


def test_national_outcomes_count_each_signed_commitments_newest_reporting_word(
    kalmar_partnership,
):
    """/sverige/'s figure: per commitment in a live version, the newest published
    follow-up that reports something; a silent newer one leaves the older word standing;
    drafts and commitments outside the live version do not count."""
    from public.read import national_outcomes
    from tests.factories import publish_working_copy

    promise = PromiseFactory(partnership=kalmar_partnership)
    done, ongoing, silent, unassessed = (
        CommitmentFactory(promise=promise, text=f"Åtagande {n}") for n in range(4)
    )
    publish_working_copy(promise)
    unsigned = CommitmentFactory(promise=promise, text="Bara i arbetskopian")

    older = draft(promise, date(2020, 1, 1))
    for commitment, status in ((done, "pagaende"), (ongoing, "pagaende"), (silent, "genomford")):
        CommitmentAssessmentFactory(followup=older, commitment=commitment, status=status)
    publish(older)
    newer = draft(promise, date(2020, 5, 1))
    CommitmentAssessmentFactory(followup=newer, commitment=done, status="genomford")
    CommitmentAssessmentFactory(followup=newer, commitment=ongoing, status="pagaende")
    CommitmentAssessmentFactory(  # says nothing: the older "genomford" stands
        followup=newer, commitment=silent, status="planerad", figure=None, outcome=""
    )
    CommitmentAssessmentFactory(followup=newer, commitment=unsigned, status="genomford")
    publish(newer)
    unpublished = draft(promise, date(2020, 9, 1))
    CommitmentAssessmentFactory(followup=unpublished, commitment=ongoing, status="genomford")
    search.reindex(group_key(promise.pk))  # what the publication does after its commit

    outcomes = national_outcomes()
    assert outcomes.commitments == 4  # done, ongoing, silent, unassessed: not `unsigned`
    assert outcomes.statuses == {"genomford": 2, "pagaende": 1}
    assert outcomes.statuses == computed_public_status_counts()
    assert outcomes.done_percent == 50
