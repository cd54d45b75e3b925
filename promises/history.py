"""Who changed what and when: the pghistory events of a promise and its commitments.

The database triggers of django-pghistory write a ``PromiseEvent`` or
``CommitmentEvent`` row for every insert and update; ``HistoryMiddleware``
attaches a context whose ``metadata["user"]`` is the signed-in user's id.
Consecutive events of one row are compared to say which fields changed.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from organizations.models import Theme
from promises.diff import FieldChange, field_change
from promises.models import Commitment, Promise, PromiseTransition
from situation.models import SituationReport

PROMISE_TRACKED = [
    "title",
    "valid_from_date",
    "valid_to_date",
    "extended_to_date",
    "introduction",
    "effect_goal",
    "effect_indicator",
    "effect_baseline",
    "effect_target",
    "effect_target_year",
    "followup_cadence",
    "followup_channels",
    "decision_reference",
    "situation_report_id",
    "predecessor_id",
]
COMMITMENT_TRACKED = [
    "text",
    "theme_id",
    "target_quantity",
    "target_unit",
    "target_period",
    "target_per_area",
    "condition",
    "period_start_date",
    "period_end_date",
]


@dataclass
class HistoryEntry:
    at: datetime
    user: object | None
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    note: str = ""
    subject: str = ""


@dataclass
class History:
    entries: list[HistoryEntry]
    transitions: list[PromiseTransition]
    #: Commitments that had events but no longer exist: deletions are not tracked.
    removed_commitments: list[str]


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name.removesuffix("_id")).verbose_name).capitalize()


def _user_of(event, users: dict):
    context = event.pgh_context
    if context is None:
        return None
    return users.get(context.metadata.get("user"))


def promise_history(promise: Promise, *, user) -> History:
    """Every recorded change of ``promise`` and its commitments, newest first.

    A fixed number of queries: events, their contexts, and the users, themes,
    organisations and promises they name are each read once.
    """
    PromiseEvent = apps.get_model("promises", "PromiseEvent")
    CommitmentEvent = apps.get_model("promises", "CommitmentEvent")
    promise_events = list(
        PromiseEvent.objects.filter(pgh_obj_id=promise.pk)
        .select_related("pgh_context")
        .order_by("pgh_id")
    )
    commitment_events = list(
        CommitmentEvent.objects.filter(promise_id=promise.pk)
        .select_related("pgh_context")
        .order_by("pgh_id")
    )
    transitions = list(promise.transitions.select_related("actor", "version").order_by("at", "pk"))

    user_ids = {
        e.pgh_context.metadata.get("user")
        for e in [*promise_events, *commitment_events]
        if e.pgh_context is not None
    }
    users = get_user_model().objects.in_bulk([pk for pk in user_ids if pk is not None])
    themes = Theme.objects.in_bulk({e.theme_id for e in commitment_events if e.theme_id})
    predecessors = Promise.objects.visible_to(user).in_bulk(
        {e.predecessor_id for e in promise_events if e.predecessor_id}
    )
    reports = SituationReport.objects.visible_to(user).in_bulk(
        {e.situation_report_id for e in promise_events if e.situation_report_id}
    )
    cadences = dict(Promise.Cadence.choices)
    periods = dict(Commitment.Period.choices)

    def promise_value(event, name):
        value = getattr(event, name)
        if name == "followup_cadence":
            return cadences.get(value, value)
        if name == "predecessor_id" and value:
            found = predecessors.get(value)
            return found.title if found else f"#{value}"
        if name == "situation_report_id" and value:
            found = reports.get(value)
            return str(found) if found else f"#{value}"
        return value.isoformat() if hasattr(value, "isoformat") else value

    def commitment_value(event, name):
        value = getattr(event, name)
        if value is None:
            return None
        if name == "target_period":
            return periods.get(value, value)
        if name == "theme_id":
            found = themes.get(value)
            return found.name if found else ""
        return value.isoformat() if hasattr(value, "isoformat") else value

    entries: list[HistoryEntry] = []
    previous = None
    for event in promise_events:
        who = _user_of(event, users)
        if previous is None:
            entries.append(HistoryEntry(event.pgh_created_at, who, str(_("Skapade löftet"))))
        else:
            changes = [
                change
                for name in PROMISE_TRACKED
                if (
                    change := field_change(
                        _label(Promise, name),
                        promise_value(previous, name),
                        promise_value(event, name),
                    )
                )
            ]
            # Status changes are in the transition log; saves without a change are noise.
            if changes:
                entries.append(
                    HistoryEntry(event.pgh_created_at, who, str(_("Ändrade löftet")), changes)
                )
        previous = event

    last_by_commitment: dict[int, object] = {}
    for event in commitment_events:
        who = _user_of(event, users)
        before = last_by_commitment.get(event.pgh_obj_id)
        last_by_commitment[event.pgh_obj_id] = event
        subject = event.text[:120]
        if before is None:
            entries.append(
                HistoryEntry(
                    event.pgh_created_at, who, str(_("Lade till ett åtagande")), subject=subject
                )
            )
            continue
        changes = [
            change
            for name in COMMITMENT_TRACKED
            if (
                change := field_change(
                    _label(Commitment, name),
                    commitment_value(before, name),
                    commitment_value(event, name),
                )
            )
        ]
        if changes:
            title = _("Ändrade ett åtagande")
        elif before.order != event.order:
            title = _("Flyttade ett åtagande")
        else:
            continue
        entries.append(
            HistoryEntry(event.pgh_created_at, who, str(title), changes, subject=subject)
        )

    for transition in transitions:
        entries.append(
            HistoryEntry(
                transition.at,
                transition.actor,
                str(transition.get_kind_display()),
                note=transition.note,
                subject=(
                    str(_("Version %(number)s") % {"number": transition.version.number})
                    if transition.version
                    else ""
                ),
            )
        )

    existing = set(promise.commitments.values_list("pk", flat=True))
    removed = [event.text[:120] for cid, event in last_by_commitment.items() if cid not in existing]
    entries.sort(key=lambda e: e.at, reverse=True)
    return History(entries=entries, transitions=transitions, removed_commitments=removed)
