"""Shaping promises for the screen: commitment groups by owners, and edit conflicts.

Read-only helpers for the views; every change of state stays in ``services``.
"""

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _

from promises import owners
from promises.models import Commitment, Promise


@dataclass
class CommitmentItem:
    commitment: Commitment
    is_first: bool
    is_last: bool


@dataclass
class CommitmentGroup:
    key: str
    heading: str
    party: str
    order: tuple = ()
    items: list[CommitmentItem] = field(default_factory=list)


def _key(owners) -> str:
    return "-".join(str(pk) for pk in sorted(o.pk for o in owners))


def commitment_groups(promise: Promise) -> list[CommitmentGroup]:
    """Commitments grouped by who promises, headed as on paper ("Polisen lovar" …).

    The usual owner sets get a group even when empty (the police; each kommun;
    all kommuner together when there are several; each other partner; the
    police and the kommuner together), so an editor sees where a new commitment
    will land. Any other set in use gets its own group. Four queries.
    """
    partnership = promise.partnership
    police = partnership.police_area
    kommuner = list(partnership.municipalities.order_by("name"))
    partners = list(partnership.other_partners.order_by("name"))
    usual = [[police], *([k] for k in kommuner)]
    if len(kommuner) > 1:
        usual.append(kommuner)
    usual += [[p] for p in partners]
    usual.append([police, *kommuner])
    groups: dict[str, CommitmentGroup] = {}
    for owner_set in usual:
        groups[_key(owner_set)] = CommitmentGroup(
            _key(owner_set),
            owners.heading(owner_set),
            owners.party_of(owner_set),
            owners.group_key(owner_set),
        )
    commitments = (
        promise.commitments.select_related("theme")
        .prefetch_related("areas", "owners")
        .order_by("order", "pk")
    )
    placed: dict[str, list[Commitment]] = {}
    for commitment in commitments:
        owner_set = commitment.owner_list()
        key = _key(owner_set)
        if key not in groups:
            # A set outside the usual ones (or a party that has since left): still shown.
            groups[key] = CommitmentGroup(
                key, owners.heading(owner_set), commitment.party, owners.group_key(owner_set)
            )
        placed.setdefault(key, []).append(commitment)
    for key, items in placed.items():
        groups[key].items = [
            CommitmentItem(c, is_first=i == 0, is_last=i == len(items) - 1)
            for i, c in enumerate(items)
        ]
    return sorted(groups.values(), key=lambda group: group.order)


def commitment_item(promise: Promise, commitment_pk: int) -> CommitmentItem | None:
    """One commitment with its neighbours known, to re-render it alone."""
    for group in commitment_groups(promise):
        for item in group.items:
            if item.commitment.pk == commitment_pk:
                return item
    return None


# --- Edit conflicts ----------------------------------------------------------------


@dataclass
class ConflictRow:
    name: str
    label: str
    theirs: str
    mine: str
    field_id: str
    #: Their value as the input holds it (an id for a choice, ISO for a date).
    raw_theirs: str
    #: True when the value can be copied into the field (text, number, date, choice).
    copyable: bool


@dataclass
class Conflict:
    rows: list[ConflictRow]
    saved_by: object | None
    saved_at: object | None
    lock_version: int


def _display(form_field: forms.Field, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(sorted(str(v) for v in value))
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, date):
        return value.isoformat()
    choices = getattr(form_field, "choices", None)
    if choices is not None and not isinstance(form_field, forms.ModelChoiceField):
        return str(dict(choices).get(value, value))
    return str(value)


def _raw(value) -> str:
    """The value as it goes into the input, for "use their text"."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def edit_conflict(form: forms.ModelForm, current: models.Model) -> Conflict:
    """What the other person saved beside what this user typed, field by field.

    Only fields whose values differ are listed: those are the ones to merge.
    """
    rows = []
    for name, form_field in form.fields.items():
        if name == "lock_version" or name not in form.cleaned_data:
            continue
        mine_value = form.cleaned_data[name]
        theirs_value = getattr(current, name)
        if isinstance(form_field, forms.ModelMultipleChoiceField):
            theirs_value = list(theirs_value.all())
        mine, theirs = _display(form_field, mine_value), _display(form_field, theirs_value)
        if mine == theirs:
            continue
        copyable = not isinstance(
            form_field.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput
        )
        rows.append(
            ConflictRow(
                name=name,
                label=str(form_field.label),
                theirs=theirs,
                mine=mine,
                field_id=form[name].auto_id,
                raw_theirs=_raw(theirs_value),
                copyable=copyable,
            )
        )
    saved_by, saved_at = last_change(current)
    return Conflict(rows, saved_by, saved_at, current.lock_version)


def last_change(obj: models.Model):
    """(user, time) of the newest pghistory event of ``obj``, or (None, None)."""
    event_model = apps.get_model(obj._meta.app_label, f"{type(obj).__name__}Event")
    event = (
        event_model.objects.filter(pgh_obj_id=obj.pk)
        .select_related("pgh_context")
        .order_by("-pgh_id")
        .first()
    )
    if event is None:
        return None, None
    user_id = event.pgh_context.metadata.get("user") if event.pgh_context else None
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return user, event.pgh_created_at


def rebased_data(form: forms.Form, lock_version: int):
    """The user's own input (``form.data``), now based on the version saved meanwhile."""
    data = form.data.copy()
    data[form.add_prefix("lock_version")] = str(lock_version)
    return data
