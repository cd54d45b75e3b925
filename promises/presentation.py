"""Shaping promises for the screen: commitment groups by party, and edit conflicts.

Read-only helpers for the views; every change of state stays in ``services``.
"""

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _

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
    organisation_id: int | None = None
    items: list[CommitmentItem] = field(default_factory=list)


def _group_key(party: str, organisation_id: int | None) -> str:
    return f"{party}-{organisation_id}" if organisation_id else party


def commitment_groups(promise: Promise) -> list[CommitmentGroup]:
    """Commitments grouped as on paper: "Polisen lovar att", "<kommun> lovar att", …

    Every party of the partnership gets a group, empty or not, so an editor
    sees where a new commitment will land. Four queries whatever the count.
    """
    partnership = promise.partnership
    Party = Commitment.Party
    groups = [CommitmentGroup(Party.POLICE, _("Polisen lovar att"), Party.POLICE)]
    for municipality in partnership.municipalities.order_by("name"):
        groups.append(
            CommitmentGroup(
                _group_key(Party.MUNICIPALITY, municipality.pk),
                _("%(party)s lovar att") % {"party": municipality.display_name},
                Party.MUNICIPALITY,
                municipality.pk,
            )
        )
    for partner in partnership.other_partners.order_by("name"):
        groups.append(
            CommitmentGroup(
                _group_key(Party.OTHER, partner.pk),
                _("%(party)s lovar att") % {"party": partner.display_name},
                Party.OTHER,
                partner.pk,
            )
        )
    # The same order and headings as the public page (promises.published.group_commitments).
    groups.append(CommitmentGroup(Party.JOINT, _("Tillsammans lovar vi att"), Party.JOINT))
    by_key = {group.key: group for group in groups}
    commitments = (
        promise.commitments.select_related("municipality", "partner", "theme")
        .prefetch_related("areas")
        .order_by("order", "pk")
    )
    placed: dict[str, list[Commitment]] = {}
    for commitment in commitments:
        organisation_id = commitment.municipality_id or commitment.partner_id
        key = _group_key(commitment.party, organisation_id)
        if key not in by_key:
            # A party that has since left the partnership: still shown, never hidden.
            by_key[key] = CommitmentGroup(
                key,
                _("%(party)s lovar att") % {"party": commitment.party_label},
                commitment.party,
                organisation_id,
            )
            groups.append(by_key[key])
        placed.setdefault(key, []).append(commitment)
    for key, items in placed.items():
        by_key[key].items = [
            CommitmentItem(c, is_first=i == 0, is_last=i == len(items) - 1)
            for i, c in enumerate(items)
        ]
    return groups


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
