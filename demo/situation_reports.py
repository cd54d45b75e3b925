"""Lägesbilder: Kalmar 2018 and Katrineholm 2019, entered by each kommun's coordinator.

Sources, findings and indicators are entered one by one through the
situation services, as on the lägesbild's pages, all public. A report that
exists (by partnership and title) is left as it is.
"""

from decimal import Decimal

from django.db import transaction

from demo.common import SEEDS, acting_as, municipal_coordinator, partnership_of, say
from organizations.models import Area, Theme
from situation.models import SituationReport, Visibility
from situation.services import (
    finding_create,
    indicator_create,
    indicator_value_set,
    situation_report_create,
    source_create,
)

PUBLIC = Visibility.PUBLIC


def _enter(user, partnership, seed) -> SituationReport:
    report = situation_report_create(user=user, partnership=partnership, **seed.REPORT)
    sources = {}
    for order, (key, kind, year, title, note) in enumerate(seed.SOURCES):
        sources[key] = source_create(
            user=user,
            report=report,
            kind=kind,
            title=title,
            year=year,
            note=note,
            visibility=PUBLIC,
            order=order,
        )
    areas = {
        key: Area.objects.get(municipality__in=partnership.municipalities.all(), name__iexact=name)
        for key, (name, _kind) in seed.AREAS.items()
    }
    for order, (theme, area_keys, source_keys, groups, priority, text) in enumerate(seed.FINDINGS):
        finding_create(
            user=user,
            report=report,
            text=text,
            theme=Theme.objects.get(partnership__isnull=True, slug=theme),
            areas=[areas[key] for key in area_keys],
            sources=(
                list(sources.values())
                if source_keys is None
                else [sources[key] for key in source_keys]
            ),
            groups=[str(group) for group in groups],
            priority=priority,
            visibility=PUBLIC,
            order=order,
        )
    for order, spec in enumerate(seed.INDICATORS):
        indicator = indicator_create(
            user=user,
            report=report,
            name=spec["name"],
            unit="%",
            population=spec["population"],
            description=spec.get("description", ""),
            source=sources[spec["source"]],
            visibility=PUBLIC,
            order=order,
        )
        for period, breakdown, group, value in spec["values"]:
            indicator_value_set(
                user=user,
                indicator=indicator,
                period=period,
                value=Decimal(value),
                breakdown=breakdown,
                group=group,
            )
    return report


def load(stdout=None) -> bool:
    """Returns whether anything was written."""
    wrote = False
    for seed in SEEDS:
        partnership = partnership_of(seed)
        if SituationReport.objects.filter(
            partnership=partnership, title=seed.REPORT["title"]
        ).exists():
            continue
        coordinator = municipal_coordinator(seed)
        with transaction.atomic(), acting_as(coordinator):
            _enter(coordinator, partnership, seed)
        wrote = True
    say(stdout, "Lägesbilder för Kalmar och Katrineholm är inlästa.")
    return wrote
