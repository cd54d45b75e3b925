"""Reads of lägesbilder for pages and open data, each in a fixed number of queries.

``public_summary`` and ``public_data`` return *only* public items: they are the
one door through which a lägesbild reaches citizens, so no template or API can
forget to filter. The caller decides whether the report itself may be shown
(it must be cited by a published promise).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from situation.charts import IndicatorCharts, indicator_charts
from situation.models import Finding, Indicator, IndicatorValue, SituationReport, Source


def report_queryset() -> QuerySet[SituationReport]:
    """Reports with what permission checks and headers need, in one query plus prefetches."""
    return SituationReport.objects.select_related("partnership__police_area").prefetch_related(
        "partnership__municipalities", "partnership__other_partners"
    )


def _values_prefetch() -> Prefetch:
    return Prefetch("values", queryset=IndicatorValue.objects.order_by("period", "breakdown", "pk"))


def report_sources(report: SituationReport) -> list[Source]:
    return list(report.sources.order_by("order", "pk"))


def report_findings(report: SituationReport) -> list[Finding]:
    return list(
        report.findings.select_related("theme")
        .prefetch_related("areas", "sources")
        .order_by("theme__name", "priority", "order", "pk")
    )


def report_indicators(report: SituationReport, *, id_prefix: str = "indikator") -> list:
    """Indicators with their values and charts (``indicator.charts``), in two queries."""
    indicators = list(
        report.indicators.select_related("source")
        .prefetch_related(_values_prefetch())
        .order_by("order", "pk")
    )
    for indicator in indicators:
        indicator.charts = indicator_charts(indicator, id_prefix=id_prefix)
    return indicators


@dataclass
class PromiseLinks:
    """Which promises cite the report and which commitments answer each finding."""

    promises: list = field(default_factory=list)
    by_finding: dict[int, list] = field(default_factory=dict)


def promise_links(report: SituationReport) -> PromiseLinks:
    """Promises resting on ``report`` and, per finding id, the commitments answering it.

    Read through the reverse relations ``report.promises`` and
    ``Finding.commitments`` so situation needs no import of promises, which
    depends on it. Two queries.
    """
    links = PromiseLinks(promises=list(report.promises.order_by("-valid_from_date", "title")))
    rows = (
        Finding.commitments.through.objects.filter(finding__report=report)
        .select_related("commitment__promise")
        .order_by("commitment__promise__title", "commitment__order", "commitment__pk")
    )
    for row in rows:
        links.by_finding.setdefault(row.finding_id, []).append(row.commitment)
    return links


@dataclass
class ThemeFindings:
    theme: object | None
    findings: list[Finding]

    @property
    def name(self) -> str:
        return self.theme.name if self.theme else ""


@dataclass
class PublicSummary:
    """The public part of a report, ready for ``situation/_public_summary.html``."""

    report: SituationReport
    sources: list[Source]
    themes: list[ThemeFindings]
    areas: list
    indicators: list[Indicator]

    @property
    def charts(self) -> list[IndicatorCharts]:
        return [indicator.charts for indicator in self.indicators]

    @property
    def is_empty(self) -> bool:
        return not (self.report.summary or self.sources or self.themes or self.indicators)


def public_summary(report: SituationReport, *, id_prefix: str = "lagesbild") -> PublicSummary:
    """Public sources, public findings per theme and area, public indicators with charts.

    Six queries whatever the size of the report; internal items never enter.
    """
    public_sources = Source.objects.public().order_by("order", "pk")
    sources = list(public_sources.filter(report=report))
    findings = list(
        Finding.objects.public()
        .filter(report=report)
        .select_related("theme")
        .prefetch_related("areas", Prefetch("sources", queryset=public_sources))
        .order_by("theme__name", "priority", "order", "pk")
    )
    themes: list[ThemeFindings] = []
    areas: dict[int, object] = {}
    for finding in findings:
        if not themes or themes[-1].theme != finding.theme:
            themes.append(ThemeFindings(finding.theme, []))
        themes[-1].findings.append(finding)
        for area in finding.areas.all():
            areas.setdefault(area.pk, area)
    # Findings without a theme come last, under a general heading.
    themes.sort(key=lambda group: group.theme is None)
    indicators = list(
        Indicator.objects.public()
        .filter(report=report)
        .select_related("source")
        .prefetch_related(_values_prefetch())
        .order_by("order", "pk")
    )
    for indicator in indicators:
        if indicator.source is not None and not indicator.source.is_public:
            indicator.source = None
        indicator.charts = indicator_charts(indicator, id_prefix=id_prefix)
    return PublicSummary(
        report=report,
        sources=sources,
        themes=themes,
        areas=sorted(areas.values(), key=lambda a: a.name),
        indicators=indicators,
    )


def public_data(report: SituationReport) -> dict:
    """The public part of ``report`` as JSON-serialisable data for the open-data API."""
    summary = public_summary(report)
    return {
        "id": report.pk,
        "title": report.title,
        "report_date": report.report_date.isoformat() if report.report_date else None,
        "period_start_date": (
            report.period_start_date.isoformat() if report.period_start_date else None
        ),
        "period_end_date": report.period_end_date.isoformat() if report.period_end_date else None,
        "summary": report.summary,
        "method": report.method,
        "sources": [
            {
                "id": source.pk,
                "kind": source.kind,
                "kind_label": str(source.get_kind_display()),
                "year": source.year,
                "title": source.title,
                "note": source.note,
            }
            for source in summary.sources
        ],
        "findings": [
            {
                "id": finding.pk,
                "theme": (
                    {"slug": finding.theme.slug, "name": finding.theme.name}
                    if finding.theme
                    else None
                ),
                "areas": [{"name": a.name, "kind": a.kind} for a in finding.areas.all()],
                "text": finding.text,
                "groups": list(finding.groups),
                "priority": Finding.Priority(finding.priority).name.lower(),
                "source_ids": [s.pk for s in finding.sources.all()],
            }
            for group in summary.themes
            for finding in group.findings
        ],
        "indicators": [
            {
                "id": indicator.pk,
                "name": indicator.name,
                "unit": indicator.unit,
                "population": indicator.population,
                "description": indicator.description,
                "source_id": indicator.source.pk if indicator.source else None,
                "values": [
                    {
                        "period": v.period,
                        "breakdown": v.breakdown,
                        "group": v.group,
                        "value": float(v.value),
                    }
                    for v in indicator.values.all()
                ],
            }
            for indicator in summary.indicators
        ],
    }
