"""The report page costs the same number of queries with 2 or 20 indicators."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from situation.models import IndicatorValue
from tests.situation.factories import FindingFactory, IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db


def _add_indicators(report, count):
    for n in range(count):
        indicator = IndicatorFactory(report=report, name=f"Indikator {report.indicators.count()}")
        for period in ["2015", "2017"]:
            IndicatorValueFactory(indicator=indicator, period=period, value=n + 1)
        IndicatorValueFactory(
            indicator=indicator,
            period="2017",
            breakdown=IndicatorValue.Breakdown.GENDER,
            group="flickor",
            value=n,
        )
        FindingFactory(report=report)


def _count(client, report) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    return len(ctx.captured_queries), response.text


@pytest.mark.parametrize("role", ["kalmar_coordinator", "kalmar_reader"])
def test_report_detail_queries_do_not_grow_with_indicators(request, role, client, kalmar_report):
    client.force_login(request.getfixturevalue(role))
    _add_indicators(kalmar_report, 1)  # 2 indicators with values (plus the internal one)
    _count(client, kalmar_report)  # warm up session and caches
    small, _ = _count(client, kalmar_report)
    _add_indicators(kalmar_report, 18)  # 20
    large, html = _count(client, kalmar_report)
    assert html.count("<svg") >= 2 * 19
    assert large == small


def test_indicator_page_queries_do_not_grow_with_values(client, kalmar_coordinator, kalmar_report):
    client.force_login(kalmar_coordinator)
    indicator = kalmar_report.indicators.first()
    url = indicator.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for year in range(2000, 2015):
        IndicatorValueFactory(indicator=indicator, period=str(year), value=year - 1990)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
