"""Every change to a lägesbild: one transaction, permission re-checked, full_clean first.

Views call these, and so does the demo (``demo.situation_reports``), as the
coordinator who would enter the lägesbild.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.concurrency import StaleObjectError, save_versioned
from organizations.models import Area, Partnership, Theme
from organizations.permissions import can_coordinate_partnership
from situation.models import (
    Finding,
    Indicator,
    IndicatorValue,
    SituationReport,
    Source,
    Visibility,
)
from situation.permissions import can_edit_report

REPORT_FIELDS = [
    "title",
    "report_date",
    "period_start_date",
    "period_end_date",
    "summary",
    "method",
]


def _require_edit(user, report: SituationReport) -> None:
    if not can_edit_report(user, report):
        raise PermissionDenied(_("Du får inte ändra den här lägesbilden."))


def _apply(instance, data: dict[str, Any], allowed: Iterable[str]) -> None:
    for name in allowed:
        if name in data:
            setattr(instance, name, data[name])


def _lock_current(instance, expected_version: int | None) -> None:
    """Lock ``instance``'s row and refuse the save if anyone saved since ``expected_version``.

    Under the row lock a concurrent save of the same item waits for this
    transaction, then sees the new number and is refused in turn: two saves of
    one item never silently lose one. Raises ``StaleObjectError`` carrying the
    row as it is saved now; an item removed meanwhile is a ``ValidationError``.
    """
    try:
        current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    except ObjectDoesNotExist:
        raise ValidationError(
            _("Någon annan har tagit bort det här sedan du öppnade sidan."), code="deleted"
        ) from None
    if expected_version is None or current.lock_version != expected_version:
        raise StaleObjectError(current=current)


@transaction.atomic
def situation_report_create(
    *,
    user,
    partnership: Partnership,
    title: str,
    report_date: date | None = None,
    period_start_date: date | None = None,
    period_end_date: date | None = None,
    summary: str = "",
    method: str = "",
) -> SituationReport:
    if not can_coordinate_partnership(user, partnership):
        raise PermissionDenied(_("Du får inte skapa lägesbilder för den här samverkan."))
    report = SituationReport(
        partnership=partnership,
        title=title,
        report_date=report_date,
        period_start_date=period_start_date,
        period_end_date=period_end_date,
        summary=summary,
        method=method,
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def situation_report_update(
    *, user, report: SituationReport, expected_version: int, data: dict[str, Any]
) -> SituationReport:
    """Save the report's own fields unless someone saved since ``expected_version``.

    Raises ``core.concurrency.StaleObjectError`` (carrying the saved row) on a conflict.
    """
    _require_edit(user, report)
    _apply(report, data, REPORT_FIELDS)
    report.full_clean(exclude=["partnership"])
    save_versioned(report, expected_version=expected_version, fields=REPORT_FIELDS)
    return report


# --- Sources -------------------------------------------------------------------------


SOURCE_FIELDS = ["kind", "year", "title", "note", "visibility", "order"]


@transaction.atomic
def source_create(
    *,
    user,
    report: SituationReport,
    kind: str,
    title: str,
    year: int | None = None,
    note: str = "",
    visibility: str = Visibility.INTERNAL,
    order: int | None = None,
) -> Source:
    _require_edit(user, report)
    if order is None:
        order = report.sources.count()
    source = Source(
        report=report,
        kind=kind,
        title=title,
        year=year,
        note=note,
        visibility=visibility,
        order=order,
    )
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def source_update(
    *, user, source: Source, expected_version: int | None, data: dict[str, Any]
) -> Source:
    """Save a source unless someone saved it since ``expected_version`` (``StaleObjectError``)."""
    _require_edit(user, source.report)
    _lock_current(source, expected_version)
    _apply(source, data, SOURCE_FIELDS)
    source.full_clean()
    save_versioned(source, expected_version=expected_version, fields=SOURCE_FIELDS)
    if not source.is_public:
        # A public indicator must not rest on a source that just became internal.
        source.indicators.filter(visibility=Visibility.PUBLIC).update(source=None)
    return source


@transaction.atomic
def source_delete(*, user, source: Source) -> None:
    _require_edit(user, source.report)
    source.delete()


# --- Findings ------------------------------------------------------------------------


FINDING_FIELDS = ["theme", "text", "groups", "priority", "visibility", "order"]


def _check_finding_relations(
    report: SituationReport, areas: list[Area], sources: list[Source], theme: Theme | None
) -> None:
    municipality_ids = {m.pk for m in report.partnership.municipalities.all()}
    errors = {}
    if any(area.municipality_id not in municipality_ids for area in areas):
        errors["areas"] = _("Områdena måste ligga i samverkans kommuner.")
    if any(source.report_id != report.pk for source in sources):
        errors["sources"] = _("Källorna måste höra till samma lägesbild.")
    if theme is not None and theme.partnership_id not in (None, report.partnership_id):
        errors["theme"] = _("Temat hör till en annan samverkan.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_create(
    *,
    user,
    report: SituationReport,
    text: str,
    theme: Theme | None = None,
    areas: Iterable[Area] = (),
    sources: Iterable[Source] = (),
    groups: Iterable[str] = (),
    priority: int = Finding.Priority.MEDIUM,
    visibility: str = Visibility.INTERNAL,
    order: int | None = None,
) -> Finding:
    _require_edit(user, report)
    areas, sources = list(areas), list(sources)
    _check_finding_relations(report, areas, sources, theme)
    if order is None:
        order = report.findings.count()
    finding = Finding(
        report=report,
        theme=theme,
        text=text,
        groups=list(groups),
        priority=priority,
        visibility=visibility,
        order=order,
    )
    finding.full_clean()
    finding.save()
    finding.areas.set(areas)
    finding.sources.set(sources)
    return finding


@transaction.atomic
def finding_update(
    *, user, finding: Finding, expected_version: int | None, data: dict[str, Any]
) -> Finding:
    """Save a finding (and its areas and sources) unless someone saved it since
    ``expected_version`` (``StaleObjectError``)."""
    _require_edit(user, finding.report)
    _lock_current(finding, expected_version)
    areas = list(data["areas"]) if "areas" in data else None
    sources = list(data["sources"]) if "sources" in data else None
    _check_finding_relations(
        finding.report, areas or [], sources or [], data.get("theme", finding.theme)
    )
    _apply(finding, data, FINDING_FIELDS)
    finding.full_clean()
    save_versioned(finding, expected_version=expected_version, fields=FINDING_FIELDS)
    if areas is not None:
        finding.areas.set(areas)
    if sources is not None:
        finding.sources.set(sources)
    return finding


@transaction.atomic
def finding_delete(*, user, finding: Finding) -> None:
    _require_edit(user, finding.report)
    finding.delete()


# --- Indicators and their values -----------------------------------------------------


INDICATOR_FIELDS = ["name", "unit", "population", "description", "source", "visibility", "order"]
VALUE_FIELDS = ["period", "breakdown", "group", "value", "note"]


@transaction.atomic
def indicator_create(
    *,
    user,
    report: SituationReport,
    name: str,
    unit: str = "%",
    population: str = "",
    description: str = "",
    source: Source | None = None,
    visibility: str = Visibility.INTERNAL,
    order: int | None = None,
) -> Indicator:
    _require_edit(user, report)
    if order is None:
        order = report.indicators.count()
    indicator = Indicator(
        report=report,
        name=name,
        unit=unit,
        population=population,
        description=description,
        source=source,
        visibility=visibility,
        order=order,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(
    *, user, indicator: Indicator, expected_version: int | None, data: dict[str, Any]
) -> Indicator:
    """Save an indicator unless someone saved it since ``expected_version`` (a conflict)."""
    _require_edit(user, indicator.report)
    _lock_current(indicator, expected_version)
    _apply(indicator, data, INDICATOR_FIELDS)
    indicator.full_clean()
    save_versioned(indicator, expected_version=expected_version, fields=INDICATOR_FIELDS)
    return indicator


@transaction.atomic
def indicator_delete(*, user, indicator: Indicator) -> None:
    _require_edit(user, indicator.report)
    indicator.delete()


def _value_set(
    indicator: Indicator,
    *,
    period: str,
    breakdown: str,
    group: str,
    value: Decimal,
    note: str | None,
) -> IndicatorValue:
    group = "" if breakdown == IndicatorValue.Breakdown.ALL else group.strip()
    # Locked, so a replacement and an edit of the same value are serialised, and
    # the replacement bumps lock_version: an editor who loaded the old value is refused.
    row = IndicatorValue.objects.select_for_update().filter(
        indicator=indicator, period=period.strip(), breakdown=breakdown, group=group
    ).first() or IndicatorValue(
        indicator=indicator, period=period.strip(), breakdown=breakdown, group=group
    )
    row.value = value
    if note is not None:
        row.note = note
    row.full_clean()
    if row.pk is None:
        row.save()
    else:
        save_versioned(row, expected_version=row.lock_version, fields=VALUE_FIELDS)
    return row


@transaction.atomic
def indicator_value_set(
    *,
    user,
    indicator: Indicator,
    period: str,
    value: Decimal,
    breakdown: str = IndicatorValue.Breakdown.ALL,
    group: str = "",
    note: str = "",
) -> IndicatorValue:
    """Record a value, replacing the one for the same period and group if there is one."""
    _require_edit(user, indicator.report)
    return _value_set(
        indicator, period=period, breakdown=breakdown, group=group, value=value, note=note
    )


@transaction.atomic
def indicator_value_update(
    *, user, value: IndicatorValue, expected_version: int | None, data: dict[str, Any]
) -> IndicatorValue:
    """Save one value unless someone saved it since ``expected_version`` (``StaleObjectError``)."""
    _require_edit(user, value.indicator.report)
    _lock_current(value, expected_version)
    _apply(value, data, VALUE_FIELDS)
    if value.breakdown == IndicatorValue.Breakdown.ALL:
        value.group = ""
    value.full_clean()
    save_versioned(value, expected_version=expected_version, fields=VALUE_FIELDS)
    return value


@transaction.atomic
def indicator_value_delete(*, user, value: IndicatorValue) -> None:
    _require_edit(user, value.indicator.report)
    value.delete()


@dataclass(frozen=True)
class ImportRow:
    """One validated line of an indicator CSV file."""

    line: int
    indicator: Indicator
    period: str
    breakdown: str
    group: str
    value: Decimal
    previous: Decimal | None = None

    @property
    def breakdown_label(self) -> str:
        return str(IndicatorValue.Breakdown(self.breakdown).label)


@transaction.atomic
def indicator_values_import(*, user, report: SituationReport, rows: Iterable[ImportRow]) -> int:
    """Save every row or none: any failure rolls the whole import back."""
    _require_edit(user, report)
    count = 0
    for row in rows:
        if row.indicator.report_id != report.pk:
            raise ValidationError(_("Indikatorn hör till en annan lägesbild."))
        _value_set(
            row.indicator,
            period=row.period,
            breakdown=row.breakdown,
            group=row.group,
            value=row.value,
            note=None,
        )
        count += 1
    return count
