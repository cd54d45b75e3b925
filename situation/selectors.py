"""Reads of lägesbilder for the workspace, each in a fixed number of queries.

The public never reads a report through here: a published promise shows the
public part of its lägesbild as frozen into the signed version
(``situation.frozen``).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from situation.charts import indicator_charts
from situation.models import Finding, IndicatorValue, SituationReport, Source


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
