"""Progress arithmetic: targets per period and per area, reports outside the window."""

from datetime import date

import pytest

from activities.progress import ReportRow, compute, number_in_words, periods_in_window
from activities.selectors import activity_progress, commitment_progress
from promises.models import Commitment
from tests.activities.factories import (
    ActivityFactory,
    ActivityPlanFactory,
    ActivityReportFactory,
    CommitmentFactory,
    PromiseFactory,
)

YEAR_2020 = (date(2020, 1, 1), date(2020, 12, 31))


def rows(*items):
    return [ReportRow(d, area, count) for d, area, count in items]


class TestArithmetic:
    def test_plain_target_counts_reports_in_window(self):
        progress = compute(
            rows=rows((date(2020, 3, 1), None, 1)),
            window=YEAR_2020,
            quantity=2,
            unit="trygghetsvandringar",
        )
        assert (progress.done, progress.target) == (1, 2)
        assert progress.label == "1 av 2 trygghetsvandringar"
        assert progress.percent == 50
        assert not progress.is_met

    def test_reports_outside_the_window_do_not_count(self):
        progress = compute(
            rows=rows(
                (date(2019, 12, 31), None, 1),
                (date(2020, 1, 1), None, 1),
                (date(2020, 12, 31), None, 1),
                (date(2021, 1, 1), None, 5),
            ),
            window=YEAR_2020,
            quantity=2,
            unit="trygghetsvandringar",
        )
        assert (progress.done, progress.target, progress.reported) == (2, 2, 2)
        assert progress.is_met

    def test_more_than_promised_is_shown_honestly(self):
        progress = compute(
            rows=rows((date(2020, 5, 1), None, 11)), window=YEAR_2020, quantity=6, unit="insatser"
        )
        assert progress.label == "11 av 6 insatser"
        assert progress.percent == 100

    def test_per_area_target_caps_each_area(self):
        oxhagen, smedby, berga = 1, 2, 3
        progress = compute(
            rows=rows(
                (date(2020, 4, 1), oxhagen, 1),
                (date(2020, 5, 1), oxhagen, 2),
                (date(2020, 6, 1), smedby, 1),
                (date(2020, 6, 2), None, 4),
            ),
            window=YEAR_2020,
            quantity=1,
            unit="trygghetsvandringar",
            per_area=True,
            areas=[(oxhagen, "Oxhagen"), (smedby, "Smedby"), (berga, "Berga")],
        )
        # Three walks in Oxhagen cannot make up for none in Berga.
        assert progress.per_area == [("Oxhagen", 3, 1), ("Smedby", 1, 1), ("Berga", 0, 1)]
        assert (progress.done, progress.target, progress.reported) == (2, 3, 8)
        assert progress.label == "2 av 3 trygghetsvandringar"

    def test_target_per_year_over_two_years(self):
        progress = compute(
            rows=rows((date(2019, 9, 1), 1, 1)),
            window=(date(2019, 1, 1), date(2020, 12, 31)),
            quantity=1,
            unit="trygghetsvandringar",
            periods=periods_in_window("ar", date(2019, 1, 1), date(2020, 12, 31)),
            per_area=True,
            areas=[(1, "Oxhagen"), (2, "Smedby")],
        )
        assert progress.per_area == [("Oxhagen", 1, 2), ("Smedby", 0, 2)]
        assert progress.label == "1 av 4 trygghetsvandringar"

    def test_no_target_counts_what_was_done(self):
        progress = compute(
            rows=rows((date(2020, 2, 1), None, 3)), window=YEAR_2020, quantity=None, unit=""
        )
        assert progress.target is None
        assert progress.label == "3 genomförda"

    def test_example_rows_mark_the_progress(self):
        progress = compute(
            rows=[ReportRow(date(2020, 2, 1), None, 1, is_example=True)],
            window=YEAR_2020,
            quantity=2,
            unit="x",
        )
        assert progress.is_example
        assert progress.as_dict()["is_example"] is True

    @pytest.mark.parametrize(
        ("period", "start", "end", "expected"),
        [
            ("period", date(2019, 1, 1), date(2020, 12, 31), 1),
            ("ar", date(2019, 1, 1), date(2020, 12, 31), 2),
            ("ar", date(2019, 7, 1), date(2020, 6, 30), 1),
            ("tertial", date(2020, 1, 1), date(2020, 12, 31), 3),
            ("manad", date(2020, 1, 1), date(2020, 12, 31), 12),
            ("vecka", date(2020, 1, 1), date(2020, 1, 14), 2),
        ],
    )
    def test_periods_in_window(self, period, start, end, expected):
        assert periods_in_window(period, start, end) == expected

    def test_numbers_in_words(self):
        assert [number_in_words(n) for n in (0, 2, 6, 11, 12, 13)] == [
            "noll",
            "två",
            "sex",
            "elva",
            "tolv",
            "13",
        ]


@pytest.mark.django_db
class TestSelectors:
    def test_commitment_progress_per_district(self, kalmar_partnership, districts):
        promise = PromiseFactory(
            partnership=kalmar_partnership,
            valid_from_date=date(2019, 1, 1),
            valid_to_date=date(2020, 12, 31),
        )
        walks = CommitmentFactory(
            promise=promise,
            target_quantity=1,
            target_unit="trygghetsvandringar",
            target_period=Commitment.Period.YEAR,
            target_per_area=True,
            areas=districts,
        )
        oxhagen, smedby = districts[0], districts[1]
        activity = ActivityFactory(plan__promise=promise, plan__year=2019, commitment=walks)
        ActivityReportFactory(activity=activity, area=oxhagen, performed_date=date(2019, 5, 2))
        ActivityReportFactory(activity=activity, area=oxhagen, performed_date=date(2019, 9, 2))
        ActivityReportFactory(activity=activity, area=smedby, performed_date=date(2019, 10, 2))
        # Before the promise began: does not count.
        ActivityReportFactory(activity=activity, area=smedby, performed_date=date(2018, 12, 2))

        whole = commitment_progress(promise)[walks.pk]
        assert whole.target == 10  # one a year, two years, five districts
        assert whole.done == 3
        assert {a.name: a.done for a in whole.per_area}["Oxhagen"] == 2

        in_2019 = commitment_progress(promise, year=2019)[walks.pk]
        assert in_2019.label == "2 av 5 trygghetsvandringar"
        assert [(a.name, a.done, a.target) for a in in_2019.per_area][:2] == [
            ("Berga", 0, 1),
            ("Funkabo", 0, 1),
        ]

    def test_commitment_without_target_uses_the_plan(self, kalmar_promise):
        commitment = CommitmentFactory(promise=kalmar_promise)
        plan = ActivityPlanFactory(promise=kalmar_promise, is_example=True)
        activity = ActivityFactory(
            plan=plan,
            commitment=commitment,
            target_count=6,
            target_unit="riktade insatser",
            is_example=True,
        )
        ActivityReportFactory(activity=activity, count=11, is_example=True)
        progress = commitment_progress(kalmar_promise)[commitment.pk]
        assert progress.label == "11 av 6 riktade insatser"
        assert progress.target_source == "plan"
        assert progress.is_example

    def test_commitment_progress_runs_constant_queries(
        self, kalmar_promise, districts, django_assert_num_queries
    ):
        plan = ActivityPlanFactory(promise=kalmar_promise)

        def add(n):
            for _ in range(n):
                with_target = CommitmentFactory(
                    promise=kalmar_promise,
                    target_quantity=2,
                    target_unit="insatser",
                    target_per_area=True,
                    areas=districts[:2],
                )
                without_target = CommitmentFactory(promise=kalmar_promise)
                for commitment in (with_target, without_target):
                    activity = ActivityFactory(
                        plan=plan, commitment=commitment, target_count=1, target_unit="x"
                    )
                    ActivityReportFactory(activity=activity, area=districts[0])
                    ActivityReportFactory(activity=activity, area=districts[1], count=2)

        add(1)
        with django_assert_num_queries(4):
            small = commitment_progress(kalmar_promise)
        add(5)
        with django_assert_num_queries(4):
            large = commitment_progress(kalmar_promise)
        assert len(small) == 2 and len(large) == 12

    def test_activity_progress_counts_the_plan_year_only(self, kalmar_partnership):
        promise = PromiseFactory(
            partnership=kalmar_partnership,
            valid_from_date=date(2019, 1, 1),
            valid_to_date=date(2020, 12, 31),
        )
        activity = ActivityFactory(
            plan__promise=promise, plan__year=2019, target_count=2, target_unit="möten"
        )
        ActivityReportFactory(activity=activity, performed_date=date(2019, 6, 1))
        ActivityReportFactory(activity=activity, performed_date=date(2020, 1, 10))
        progress = activity_progress([activity])[activity.pk]
        assert progress.label == "1 av 2 möten"
