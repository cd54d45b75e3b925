"""Server-rendered SVG charts for indicators, with the same numbers as a table.

No JavaScript and nothing inline that the CSP forbids: only SVG presentation
attributes (``fill``, ``stroke``, ``x`` …), never ``style``. Each chart is an
``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``; the table
next to it is the accessible equivalent and carries every number in the chart.
Colours reach at least 4.5:1 against white, and series differ by dash and
marker shape as well as colour.
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#595959"
GRID_COLOUR = "#d0d0d0"
# (colour, dash pattern, marker): all colours ≥ 4.5:1 on white.
SERIES_STYLES = [
    ("#1f4e79", "", "circle"),
    ("#a63d12", "6 3", "square"),
    ("#2b6a2f", "2 3", "diamond"),
    ("#6b2c91", "8 3 2 3", "triangle"),
    ("#4d4d4d", "4 4", "circle"),
    ("#7a5200", "1 3", "square"),
]
BAR_COLOUR = "#1f4e79"
WIDTH = 640
FONT_SIZE = 13


def format_number(value: Decimal | float | int) -> str:
    """Swedish number: decimal comma, no trailing zeros ("12,5", "5")."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    text = format(number, "f")
    return text.replace(".", ",").replace("-", "−")


def format_value(value: Decimal | float | int, unit: str) -> str:
    """ "5 %", "3,2 per 1 000 invånare"; a bare count for "antal"."""
    number = format_number(value)
    if not unit or unit.lower() == "antal":
        return number
    return f"{number} {unit}"


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def nice_scale(values: Iterable[float], ticks: int = 4) -> tuple[float, float, float]:
    """(low, high, step) covering every value and zero, in round steps."""
    values = [float(v) for v in values] or [0.0]
    low, high = min(0.0, *values), max(0.0, *values)
    if high == low:
        high = low + 1
    step = _nice_step((high - low) / ticks)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _f(number: float) -> str:
    return f"{number:.1f}".removesuffix(".0")


def _label_lines(label: str, max_chars: int) -> list[str]:
    """Split a long axis label on spaces into at most two lines."""
    if len(label) <= max_chars or " " not in label:
        return [label]
    words, first = label.split(" "), ""
    while words and len(f"{first} {words[0]}".strip()) <= max_chars:
        first = f"{first} {words.pop(0)}".strip()
    if not first:
        first = words.pop(0)
    if not words:
        return [first]
    rest = " ".join(words)
    # The full label is in the bar's <title>, the <desc> and the table.
    return [first, rest if len(rest) <= max_chars else rest[: max_chars - 1].rstrip() + "…"]


def _svg_open(chart_id: str, title: str, description: str, height: int) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="situation-chart" role="img" '
        'id="{0}" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" '
        'width="100%" font-family="system-ui, sans-serif" font-size="{3}">'
        '<title id="{0}-title">{4}</title><desc id="{0}-desc">{5}</desc>',
        chart_id,
        WIDTH,
        height,
        FONT_SIZE,
        title,
        description,
    )


def _y_axis(
    parts: list, *, low, high, step, top, bottom, left, right, unit: str
) -> Callable[[float], float]:
    """Grid lines and tick labels; returns the value → y mapping."""

    def y_of(v: float) -> float:
        return bottom - (v - low) / (high - low) * (bottom - top)

    tick = low
    while tick <= high + step / 1000:
        y = y_of(tick)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1"/>',
                left,
                right,
                _f(y),
                _f(y),
                GRID_COLOUR if tick != 0 else AXIS_COLOUR,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                left - 6,
                _f(y + 4),
                TEXT_COLOUR,
                format_value(round(tick, 6), unit) if unit == "%" else format_number(tick),
            )
        )
        tick += step
    return y_of


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[tuple[str, Decimal]],
    unit: str,
) -> SafeString:
    """Vertical bars, one per (label, value), with the value written above each bar."""
    height = 300
    left, right, top, bottom = 64, WIDTH - 16, 24, height - 56
    low, high, step = nice_scale(v for _label, v in bars)
    parts = [_svg_open(chart_id, title, description, height)]
    y_of = _y_axis(
        parts,
        low=low,
        high=high,
        step=step,
        top=top,
        bottom=bottom,
        left=left,
        right=right,
        unit=unit,
    )
    band = (right - left) / max(len(bars), 1)
    bar_width = min(band * 0.6, 72)
    max_chars = max(int(band / 8), 6)
    parts.append(mark_safe('<g class="bars">'))
    for index, (label, value) in enumerate(bars):
        centre = left + band * (index + 0.5)
        y_value, y_zero = y_of(float(value)), y_of(0)
        text = format_value(value, unit)
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                _f(centre - bar_width / 2),
                _f(min(y_value, y_zero)),
                _f(bar_width),
                _f(abs(y_zero - y_value)),
                BAR_COLOUR,
                label,
                text,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-weight="bold">{}</text>',
                _f(centre),
                _f(min(y_value, y_zero) - 6),
                TEXT_COLOUR,
                text,
            )
        )
        for line_no, line in enumerate(_label_lines(label, max_chars)):
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                    _f(centre),
                    bottom + 20 + 16 * line_no,
                    TEXT_COLOUR,
                    line,
                )
            )
    parts.append(mark_safe("</g></svg>"))
    return mark_safe("".join(parts))


def _marker(shape: str, x: float, y: float, colour: str) -> SafeString:
    if shape == "square":
        return format_html(
            '<rect x="{}" y="{}" width="9" height="9" fill="{}"/>', _f(x - 4.5), _f(y - 4.5), colour
        )
    if shape == "diamond":
        points = f"{_f(x)},{_f(y - 6)} {_f(x + 6)},{_f(y)} {_f(x)},{_f(y + 6)} {_f(x - 6)},{_f(y)}"
        return format_html('<polygon points="{}" fill="{}"/>', points, colour)
    if shape == "triangle":
        points = f"{_f(x)},{_f(y - 6)} {_f(x + 6)},{_f(y + 5)} {_f(x - 6)},{_f(y + 5)}"
        return format_html('<polygon points="{}" fill="{}"/>', points, colour)
    return format_html('<circle cx="{}" cy="{}" r="4.5" fill="{}"/>', _f(x), _f(y), colour)


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    unit: str,
) -> SafeString:
    """One line per series over the periods; a gap where a value is missing."""
    legend_rows = math.ceil(len(series) / 3)
    height = 300 + 22 * legend_rows
    left, right, top, bottom = 64, WIDTH - 24, 24, 244
    known = [float(v) for _label, values in series for v in values if v is not None]
    low, high, step = nice_scale(known)
    parts = [_svg_open(chart_id, title, description, height)]
    y_of = _y_axis(
        parts,
        low=low,
        high=high,
        step=step,
        top=top,
        bottom=bottom,
        left=left,
        right=right,
        unit=unit,
    )
    inset = 32  # keeps the first and last points off the axis and their labels inside
    gap = (right - left - 2 * inset) / max(len(periods) - 1, 1)

    def x_of(i: int) -> float:
        return left + inset + gap * i if len(periods) > 1 else (left + right) / 2

    for i, period in enumerate(periods):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                _f(x_of(i)),
                bottom + 20,
                TEXT_COLOUR,
                period,
            )
        )
    for index, (label, values) in enumerate(series):
        colour, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        parts.append(format_html('<g class="series" data-series="{}">', label))
        segment: list[str] = []
        segments = [segment]
        for i, value in enumerate(values):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{_f(x_of(i))},{_f(y_of(float(value)))}")
        for points in segments:
            if len(points) > 1:
                parts.append(
                    format_html(
                        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"{}/>',
                        " ".join(points),
                        colour,
                        format_html(' stroke-dasharray="{}"', dash) if dash else "",
                    )
                )
        for i, value in enumerate(values):
            if value is None:
                continue
            x, y = x_of(i), y_of(float(value))
            parts.append(
                format_html(
                    "<g>{}<title>{}, {}: {}</title></g>",
                    _marker(shape, x, y, colour),
                    label,
                    periods[i],
                    format_value(value, unit),
                )
            )
        parts.append(mark_safe("</g>"))
    # Legend: a sample of each line (colour, dash and marker) with its name.
    for index, (label, _values) in enumerate(series):
        colour, dash, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        row, col = divmod(index, 3)
        x, y = left + col * 190, bottom + 48 + row * 22
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2.5"{}/>{}'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                x,
                x + 28,
                y,
                y,
                colour,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
                _marker(shape, x + 14, y, colour),
                x + 36,
                y + 4,
                TEXT_COLOUR,
                label,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class Column:
    breakdown: str
    group: str
    label: str


@dataclass
class IndicatorCharts:
    """An indicator's numbers as a table, and as up to two charts."""

    indicator: object
    caption: str
    periods: list[str]
    columns: list[Column]
    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    time_chart: SafeString | None = None
    breakdown_chart: SafeString | None = None

    @property
    def has_values(self) -> bool:
        return bool(self.rows)


def period_key(period: str):
    """Sort "2015" < "2017" < "2017 T2" < "2018"; numbers compare as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in period.split()]


@dataclass(frozen=True)
class ChartValue:
    """One number of an indicator, whatever it was read from (a row or a frozen record)."""

    period: str
    breakdown: str
    group: str
    label: str
    value: Decimal


def indicator_charts(indicator, *, id_prefix: str = "indikator") -> IndicatorCharts:
    """Table and charts for an ``Indicator`` row, from its (prefetched) ``values``."""
    values = [
        ChartValue(v.period, v.breakdown, v.group, v.group_label, v.value)
        for v in sorted(indicator.values.all(), key=lambda v: v.pk)
    ]
    return charts_for(indicator, values, id_prefix=id_prefix)


def charts_for(indicator, values: Sequence[ChartValue], *, id_prefix: str) -> IndicatorCharts:
    """Table and charts for ``indicator`` (``pk``, ``name``, ``population``, ``unit``).

    - over time: one line per group, when there are two periods or more;
    - by breakdown: bars for every group in the latest period, when it has two or more.
    """
    from situation.models import IndicatorValue

    breakdown_order = {b: i for i, b in enumerate(IndicatorValue.Breakdown.values)}
    # Stable: within a breakdown the values keep the order they were entered in.
    values = sorted(values, key=lambda v: breakdown_order.get(v.breakdown, 99))
    columns: list[Column] = []
    cells: dict[tuple[str, Column], Decimal] = {}
    for value in values:
        column = Column(value.breakdown, value.group, capfirst(value.label))
        if column not in columns:
            columns.append(column)
        cells[(value.period, column)] = value.value
    periods = sorted({v.period for v in values}, key=period_key)
    subject = (
        f"{indicator.name}, {indicator.population}" if indicator.population else indicator.name
    )
    unit = indicator.unit
    charts = IndicatorCharts(
        indicator=indicator,
        caption=_("%(subject)s (%(unit)s)") % {"subject": subject, "unit": unit}
        if unit
        else subject,
        periods=periods,
        columns=columns,
        rows=[
            (
                period,
                [
                    format_value(cells[(period, c)], unit) if (period, c) in cells else "–"
                    for c in columns
                ],
            )
            for period in periods
        ],
    )
    if len(periods) >= 2:
        series = [(c.label, [cells.get((p, c)) for p in periods]) for c in columns]
        description = " ".join(
            f"{label}: "
            + ", ".join(
                f"{p} {format_value(v, unit)}"
                for p, v in zip(periods, vals, strict=True)
                if v is not None
            )
            + "."
            for label, vals in series
        )
        charts.time_chart = line_chart(
            chart_id=f"{id_prefix}-{indicator.pk}-tid",
            title=_("%(subject)s, %(first)s–%(last)s")
            % {"subject": subject, "first": periods[0], "last": periods[-1]},
            description=_("Linjediagram per period. %(values)s") % {"values": description},
            periods=periods,
            series=series,
            unit=unit,
        )
    if periods:
        latest = periods[-1]
        bars = [(c.label, cells[(latest, c)]) for c in columns if (latest, c) in cells]
        if len(bars) >= 2:
            charts.breakdown_chart = bar_chart(
                chart_id=f"{id_prefix}-{indicator.pk}-grupper",
                title=_("%(subject)s, %(period)s, per grupp")
                % {"subject": subject, "period": latest},
                description=_("Stapeldiagram. %(values)s")
                % {
                    "values": ", ".join(f"{label} {format_value(v, unit)}" for label, v in bars)
                    + "."
                },
                bars=bars,
                unit=unit,
            )
    return charts
