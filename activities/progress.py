"""Progress arithmetic: reported counts against targets. Pure functions, no queries.

The rules, in one place:

* A target ``quantity`` per ``period`` becomes ``quantity × periods`` over the
  window being measured ("minst en per år" over 2019–2020 is two).
* Reports dated outside the window do not count.
* Where the target applies in each area, every area is measured on its own and
  the total counts each area only up to its target, so extra work in one
  district cannot hide a district where nothing happened.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext as _

WHOLE = "period"
YEAR = "ar"
TERTIAL = "tertial"
MONTH = "manad"
WEEK = "vecka"

_NUMBER_WORDS = [
    "noll",
    "en",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
]


def number_in_words(n: int) -> str:
    """Swedish house style: numbers up to twelve in words, larger ones in digits."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


class AreaProgress(NamedTuple):
    name: str
    done: int
    target: int


@dataclass(frozen=True)
class Progress:
    """Done against target for one activity or one commitment."""

    done: int
    target: int | None
    unit: str
    label: str
    per_area: list[AreaProgress] = field(default_factory=list)
    is_example: bool = False
    #: Everything reported in the window, before per-area capping.
    reported: int = 0
    #: Where the target came from: "commitment", "plan" (the activities' targets) or "".
    target_source: str = ""
    #: How many activity reports were counted.
    reports: int = 0

    @property
    def has_target(self) -> bool:
        return self.target is not None

    @property
    def percent(self) -> int:
        if not self.target:
            return 0
        return min(100, round(100 * self.done / self.target))

    @property
    def is_met(self) -> bool:
        return self.target is not None and self.done >= self.target

    def as_dict(self) -> dict:
        """JSON-serialisable, for the open-data API."""
        return {
            "done": self.done,
            "target": self.target,
            "unit": self.unit,
            "label": self.label,
            "reported": self.reported,
            "target_source": self.target_source,
            "per_area": [a._asdict() for a in self.per_area],
            "is_example": self.is_example,
        }


def months_between(start: date, end: date) -> int:
    """Calendar months touched by [start, end], both inclusive."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def periods_in_window(period: str, start: date, end: date) -> int:
    """How many target periods fit in the window (at least one)."""
    if end < start:
        return 0
    months = months_between(start, end)
    if period == YEAR:
        count = math.ceil(months / 12)
    elif period == TERTIAL:
        count = math.ceil(months / 4)
    elif period == MONTH:
        count = months
    elif period == WEEK:
        count = math.ceil(((end - start).days + 1) / 7)
    else:
        count = 1
    return max(count, 1)


def intersect(a: tuple[date, date], b: tuple[date, date]) -> tuple[date, date] | None:
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start <= end else None


@dataclass(frozen=True)
class ReportRow:
    """Reported count on one day in one area (``area_id`` None when no area was given)."""

    performed_date: date
    area_id: int | None
    count: int
    is_example: bool = False
    #: How many reports these counts come from.
    reports: int = 1


def label_for(done: int, target: int | None, unit: str) -> str:
    if target is None:
        return _("%(done)s genomförda") % {"done": done}
    if not unit:
        return _("%(done)s av %(target)s") % {"done": done, "target": target}
    return _("%(done)s av %(target)s %(unit)s") % {"done": done, "target": target, "unit": unit}


def compute(
    *,
    rows: Iterable[ReportRow],
    window: tuple[date, date] | None,
    quantity: int | None,
    unit: str,
    periods: int = 1,
    per_area: bool = False,
    areas: Iterable[tuple[int, str]] = (),
    target_source: str = "commitment",
    example_target: bool = False,
) -> Progress:
    """Progress of ``rows`` against ``quantity`` per period, ``periods`` times.

    ``areas`` are ``(area_id, name)`` pairs; they matter only when ``per_area``.
    """
    counted = [r for r in rows if window and window[0] <= r.performed_date <= window[1]]
    reported = sum(r.count for r in counted)
    report_count = sum(r.reports for r in counted)
    is_example = example_target or any(r.is_example for r in counted)
    if quantity is None:
        return Progress(
            done=reported,
            target=None,
            unit=unit,
            label=label_for(reported, None, unit),
            is_example=is_example,
            reported=reported,
            reports=report_count,
        )
    target_each = quantity * periods
    areas = list(areas)
    if per_area and areas:
        by_area: dict[int | None, int] = {}
        for r in counted:
            by_area[r.area_id] = by_area.get(r.area_id, 0) + r.count
        breakdown = [AreaProgress(name, by_area.get(pk, 0), target_each) for pk, name in areas]
        done = sum(min(a.done, a.target) for a in breakdown)
        target = target_each * len(areas)
    else:
        breakdown = []
        done = reported
        target = target_each
    return Progress(
        done=done,
        target=target,
        unit=unit,
        label=label_for(done, target, unit),
        per_area=breakdown,
        is_example=is_example,
        reported=reported,
        target_source=target_source,
        reports=report_count,
    )
