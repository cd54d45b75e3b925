"""Chart output for a known series: title, description, bars, numbers; no inline style."""

import re
from decimal import Decimal

import pytest

from situation.charts import bar_chart, format_value, indicator_charts, nice_scale
from situation.models import IndicatorValue
from tests.situation.factories import IndicatorFactory, IndicatorValueFactory


def test_bar_chart_for_known_series():
    svg = bar_chart(
        chart_id="test",
        title="Har använt narkotika, årskurs 9, 2017",
        description="Stapeldiagram. Alla 5 %, Pojkar 6 %, Flickor 4 %.",
        bars=[("Alla", Decimal(5)), ("Pojkar", Decimal(6)), ("Flickor", Decimal(4))],
        unit="%",
    )
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-labelledby="test-title test-desc"' in svg
    assert '<title id="test-title">Har använt narkotika, årskurs 9, 2017</title>' in svg
    assert '<desc id="test-desc">Stapeldiagram. Alla 5 %, Pojkar 6 %, Flickor 4 %.</desc>' in svg
    bars = re.findall(r"<rect [^>]*>", svg)
    assert len(bars) == 3
    heights = [float(re.search(r'height="([\d.]+)"', bar).group(1)) for bar in bars]
    assert heights[1] > heights[0] > heights[2]  # 6 > 5 > 4
    assert heights[1] / heights[2] == pytest.approx(6 / 4, rel=0.01)
    for label in ["5 %", "6 %", "4 %", "Pojkar", "Flickor"]:
        assert f">{label}<" in svg
    assert "style" not in svg and "<script" not in svg


def test_text_is_escaped():
    svg = bar_chart(
        chart_id="x", title="<b>", description="&", bars=[("<i>", Decimal(1))], unit="%"
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&lt;i&gt;" in svg


def test_numbers_are_swedish():
    assert format_value(Decimal("12.50"), "%") == "12,5 %"
    assert format_value(Decimal("18.00"), "%") == "18 %"
    assert format_value(Decimal("120"), "antal") == "120"
    assert nice_scale([5, 6, 4]) == (0, 6, 2)
    assert nice_scale([18, 20, 15]) == (0, 20, 5)


@pytest.mark.django_db
def test_indicator_charts_over_time_and_by_group():
    indicator = IndicatorFactory(name="Använt narkotika", population="elever i årskurs 9")
    for period, value in [("2015", 7), ("2017", 5)]:
        IndicatorValueFactory(indicator=indicator, period=period, value=value)
    for group, value in [("pojkar", 6), ("flickor", 4)]:
        IndicatorValueFactory(
            indicator=indicator,
            period="2017",
            breakdown=IndicatorValue.Breakdown.GENDER,
            group=group,
            value=value,
        )
    charts = indicator_charts(indicator)
    assert charts.periods == ["2015", "2017"]
    assert [c.label for c in charts.columns] == ["Alla", "Pojkar", "Flickor"]
    assert charts.rows == [("2015", ["7 %", "–", "–"]), ("2017", ["5 %", "6 %", "4 %"])]
    assert "<title" in charts.time_chart and "2015–2017" in charts.time_chart
    assert "Alla: 2015 7 %, 2017 5 %." in charts.time_chart
    assert len(re.findall(r"<rect ", charts.breakdown_chart)) == 3
    assert "Använt narkotika, elever i årskurs 9, 2017, per grupp" in charts.breakdown_chart


@pytest.mark.django_db
def test_single_value_has_table_but_no_chart():
    indicator = IndicatorFactory()
    IndicatorValueFactory(indicator=indicator, value=12)
    charts = indicator_charts(indicator)
    assert charts.rows == [("2017", ["12 %"])]
    assert charts.time_chart is None and charts.breakdown_chart is None
