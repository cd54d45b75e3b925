"""The demo: activity plans, reports and follow-ups on top of the promises demo."""

import io

import pytest
from django.core.management import call_command

from activities.models import Activity, ActivityPlan, ActivityReport
from activities.selectors import commitment_progress
from demo import activities as activities_demo
from demo import followups as followups_demo
from followups.models import FollowUp
from followups.selectors import published_followups

pytestmark = pytest.mark.django_db


def test_demo_skips_gracefully_without_promises():
    out = io.StringIO()
    activities_demo.load(stdout=out)
    followups_demo.load(stdout=out)
    assert "hoppar över" in out.getvalue()
    assert not ActivityPlan.objects.exists()


@pytest.fixture
def loaded(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    # Loading twice changes nothing: the demo is idempotent.
    counts = (Activity.objects.count(), ActivityReport.objects.count(), FollowUp.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert counts == (
        Activity.objects.count(),
        ActivityReport.objects.count(),
        FollowUp.objects.count(),
    )


def test_katrineholm_2020_has_twelve_example_activities_and_three_followups(loaded):
    plan = ActivityPlan.objects.get(promise__title=activities_demo.KATRINEHOLM_TITLE, year=2020)
    assert plan.activities.count() == 12
    assert Activity.objects.count() >= 12
    assert not Activity.objects.filter(is_example=False).exists()
    assert not ActivityReport.objects.filter(is_example=False).exists()
    followups = list(plan.promise.followups.order_by("period_start_date"))
    assert [f.title for f in followups] == ["Tertial 1 2020", "Tertial 2 2020", "Tertial 3 2020"]
    assert [f.status for f in followups] == ["publicerad", "publicerad", "utkast"]
    assert all(f.is_example for f in followups)
    public = published_followups(plan.promise)
    assert [f.title for f in public] == ["Tertial 2 2020", "Tertial 1 2020"]
    assert public[0].assessments.count() == 12


def test_katrineholm_progress_shows_n_av_m(loaded):
    plan = ActivityPlan.objects.get(promise__title=activities_demo.KATRINEHOLM_TITLE, year=2020)
    progress = commitment_progress(plan.promise)
    labels = [p.label for p in progress.values()]
    assert "2 av 2 trygghetsvandringar" in labels
    assert "11 av 6 riktade insatser" in labels
    assert all(p.is_example for p in progress.values() if p.reported)


def test_kalmar_2019_plan_measures_walks_per_district(loaded):
    plan = ActivityPlan.objects.get(promise__title=activities_demo.KALMAR_TITLE, year=2019)
    assert plan.activities.count() == 7
    walks = plan.activities.get(title__startswith="Trygghetsvandringar")
    assert walks.target_per_area and walks.target_count == 1 and walks.areas.count() == 5
    progress = commitment_progress(plan.promise, year=2019)[walks.commitment_id]
    assert progress.done == 3 and progress.target == 5
    assert {a.name: a.done for a in progress.per_area}["Funkabo"] == 0


def test_send_reminders_runs_on_the_demo(loaded):
    out = io.StringIO()
    call_command("send_reminders", "--today", "2021-01-25", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Medborgarlöfte Katrineholms kommun 2020 – Tertial 3 2020: snart" in text
    assert "1 uppföljning skulle påminnas" in text


def test_followups_say_what_was_done_so_far(loaded):
    promise = ActivityPlan.objects.get(promise__title=activities_demo.KATRINEHOLM_TITLE).promise
    walks = {
        f.title: f.assessments.get(commitment_text__contains="trygghetsvandringar i centrum")
        for f in promise.followups.all()
    }
    assert walks["Tertial 1 2020"].figure_text == "1 av minst 2"
    assert walks["Tertial 1 2020"].progress_label == "1 av 2 trygghetsvandringar"
    assert walks["Tertial 2 2020"].figure_text == "1 av minst 2"  # none more in tertial 2
    assert walks["Tertial 2 2020"].done_count == 0
    assert walks["Tertial 3 2020"].figure_text == "2 av minst 2"
    assert walks["Tertial 3 2020"].progress_label == "2 av 2 trygghetsvandringar"
    assert walks["Tertial 3 2020"].status == "genomford"
