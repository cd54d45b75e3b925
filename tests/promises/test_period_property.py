"""Property-based test (hypothesis) of the promise period validation.

``promise_create`` (``Promise.full_clean`` under the service) accepts a period
exactly when 2000-01-01 <= from <= to < extension (if any) <= 2100-12-31 and
the period with its extension is shorter than ten years; anything else is a
``ValidationError`` with nothing saved, never another exception. A fixed seed
and bounded examples keep it fast and a failure repeatable.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

from promises import services
from promises.models import Promise, PromiseTransition

pytestmark = pytest.mark.django_db

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
#: Around the bounds, so the edges come up often, and far beyond them.
dates = st.one_of(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2110, 12, 31)),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from([EARLIEST, LATEST, date(1999, 12, 31), date(2101, 1, 1), date(2024, 2, 29)]),
)


def ten_years_after(start: date) -> date:
    try:
        return start.replace(year=start.year + 10)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 10, day=28)


def acceptable(start: date, end: date, extension: date | None) -> bool:
    last = extension or end
    return (
        EARLIEST <= start <= end <= LATEST
        and (extension is None or end < extension <= LATEST)
        and (last == start or last < ten_years_after(start))
    )


@seed(20261202)
@settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(start=dates, end=dates, extension=st.none() | dates)
@example(start=date(2030, 1, 1), end=date(2039, 12, 31), extension=None)  # just under ten years
@example(start=date(2030, 1, 1), end=date(2040, 1, 1), extension=None)  # exactly ten
@example(start=date(2030, 1, 1), end=date(2030, 12, 31), extension=date(2040, 1, 1))
@example(start=date(2024, 2, 29), end=date(2034, 2, 27), extension=None)
@example(start=date(2024, 2, 29), end=date(2034, 2, 28), extension=None)
@example(start=EARLIEST, end=EARLIEST, extension=None)
@example(start=LATEST, end=LATEST, extension=None)
@example(start=date(1999, 12, 31), end=date(2000, 12, 31), extension=None)
@example(start=date(2100, 1, 1), end=date(2100, 12, 31), extension=date(2101, 1, 1))
def test_promise_period_is_accepted_exactly_when_it_is_sensible(
    start, end, extension, kalmar_coordinator, kalmar_partnership
):
    promises = Promise.objects.count()
    transitions = PromiseTransition.objects.count()
    try:
        promise = services.promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_partnership,
            title="Tryggare Kalmar",
            valid_from_date=start,
            valid_to_date=end,
            extended_to_date=extension,
        )
    except (ValidationError, PermissionDenied) as error:
        assert not acceptable(start, end, extension), (start, end, extension, error)
        assert Promise.objects.count() == promises
        assert PromiseTransition.objects.count() == transitions
    else:
        assert acceptable(start, end, extension), (start, end, extension)
        assert promise.pk
