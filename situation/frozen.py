"""The public part of a lägesbild, frozen into the promise version that cites it.

A published promise shows the lägesbild *as it was when the version was
signed*: ``freeze(report)`` writes its public items (never an internal one)
as plain JSON data into the version's snapshot, and ``FrozenSituation`` reads
them back, validated. Later edits of the report, or a report linked only in
a draft, cannot reach the public until a new version is signed.

Values are written as decimal strings so the signed JSON never depends on
how floats print.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from organizations.refs import AreaRef, Frozen, ThemeRef, area_data, theme_data
from situation.charts import ChartValue, IndicatorCharts, charts_for
from situation.models import Finding, Indicator, IndicatorValue, Source, TargetGroup


def freeze(report) -> dict:
    """The public sources, findings and indicators of ``report`` as JSON data.

    Five queries whatever the size of the report; internal items never enter.
    """
    public_sources = Source.objects.public().filter(report=report).order_by("order", "pk")
    findings = (
        Finding.objects.public()
        .filter(report=report)
        .select_related("theme")
        .prefetch_related("areas")
        .order_by("theme__name", "priority", "order", "pk")
    )
    indicators = (
        Indicator.objects.public()
        .filter(report=report)
        .select_related("source")
        .prefetch_related("values")
        .order_by("order", "pk")
    )
    return {
        "id": report.pk,
        "title": report.title,
        "report_date": report.report_date.isoformat() if report.report_date else None,
        "period_start": report.period_start_date.isoformat() if report.period_start_date else None,
        "period_end": report.period_end_date.isoformat() if report.period_end_date else None,
        "summary": report.summary,
        "method": report.method,
        "sources": [
            {"kind": s.kind, "year": s.year, "title": s.title, "note": s.note}
            for s in public_sources
        ],
        "findings": [
            {
                "theme": theme_data(f.theme),
                "areas": [area_data(a) for a in sorted(f.areas.all(), key=lambda a: a.name)],
                "text": f.text,
                "groups": list(f.groups),
                "priority": f.priority,
            }
            for f in findings
        ],
        "indicators": [
            {
                "id": i.pk,
                "name": i.name,
                "unit": i.unit,
                "population": i.population,
                "description": i.description,
                # An internal source is not named, only the indicator's public numbers.
                "source": str(i.source) if i.source is not None and i.source.is_public else None,
                "values": [
                    {
                        "period": v.period,
                        "breakdown": v.breakdown,
                        "group": v.group,
                        "value": str(v.value),
                    }
                    for v in sorted(i.values.all(), key=lambda v: v.pk)
                ],
            }
            for i in indicators
        ],
    }


class FrozenSource(Frozen):
    kind: str
    year: int | None = None
    title: str
    note: str = ""

    @property
    def kind_label(self) -> str:
        return str(Source.Kind(self.kind).label) if self.kind in Source.Kind.values else self.kind


class FrozenFinding(Frozen):
    theme: ThemeRef | None = None
    areas: tuple[AreaRef, ...] = ()
    text: str
    groups: tuple[str, ...] = ()
    priority: int = Finding.Priority.MEDIUM

    @property
    def group_labels(self) -> list[str]:
        return [str(TargetGroup(g).label) for g in self.groups if g in TargetGroup.values]


class FrozenValue(Frozen):
    period: str
    breakdown: str
    group: str = ""
    value: Decimal

    @property
    def group_label(self) -> str:
        if self.breakdown == IndicatorValue.Breakdown.ALL:
            return _("Alla")
        return self.group


class FrozenIndicator(Frozen):
    id: int
    name: str
    unit: str = ""
    population: str = ""
    description: str = ""
    source: str | None = None
    values: tuple[FrozenValue, ...] = ()

    @property
    def pk(self) -> int:
        return self.id


class FrozenSituation(Frozen):
    id: int
    title: str
    report_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    summary: str = ""
    method: str = ""
    sources: tuple[FrozenSource, ...] = ()
    findings: tuple[FrozenFinding, ...] = ()
    indicators: tuple[FrozenIndicator, ...] = ()

    @property
    def period_label(self) -> str:
        """ "2018" for a calendar year, otherwise "2019-07-01 – 2020-06-30"."""
        start, end = self.period_start, self.period_end
        if start and end:
            if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
                return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
            return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
        if start:
            return f"{start:%Y-%m-%d} –"
        if end:
            return f"– {end:%Y-%m-%d}"
        return ""


@dataclass
class ThemeFindings:
    name: str
    findings: list[FrozenFinding]


@dataclass
class IndicatorView:
    indicator: FrozenIndicator
    charts: IndicatorCharts

    def __getattr__(self, name):
        return getattr(self.indicator, name)


@dataclass
class SituationView:
    """A frozen lägesbild ready for ``situation/_public_summary.html``."""

    report: FrozenSituation
    themes: list[ThemeFindings] = field(default_factory=list)
    indicators: list[IndicatorView] = field(default_factory=list)

    @property
    def sources(self) -> tuple[FrozenSource, ...]:
        return self.report.sources

    @property
    def is_empty(self) -> bool:
        return not (self.report.summary or self.sources or self.themes or self.indicators)


def situation_view(situation: FrozenSituation, *, id_prefix: str = "lagesbild") -> SituationView:
    """Findings grouped by theme (those without one last) and every indicator's charts."""
    themes: list[ThemeFindings] = []
    for finding in situation.findings:
        name = finding.theme.name if finding.theme else ""
        if not themes or themes[-1].name != name:
            themes.append(ThemeFindings(name, []))
        themes[-1].findings.append(finding)
    themes.sort(key=lambda group: group.name == "")
    indicators = [
        IndicatorView(
            indicator,
            charts_for(
                indicator,
                [
                    ChartValue(v.period, v.breakdown, v.group, v.group_label, v.value)
                    for v in indicator.values
                ],
                id_prefix=id_prefix,
            ),
        )
        for indicator in situation.indicators
    ]
    return SituationView(report=situation, themes=themes, indicators=indicators)
