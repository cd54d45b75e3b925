"""Who promises: a commitment is owned by a set of the partnership's parties.

The police, one kommun, several or all kommuner, other partners, or any mix.
The API's ``party`` code is derived from the set, and so is the Swedish
heading a document would use: "Polisen lovar", "Katrineholms kommun lovar",
"Stenungsunds, Orusts och Tjörns kommuner lovar", "Tillsammans lovar vi".

Works on anything with ``kind`` and ``name`` (``Organisation`` rows give
their official name via ``display_name``; frozen ``OrgRef`` records carry it
as ``name``).
"""

from collections.abc import Iterable, Sequence

from django.utils.text import get_text_list
from django.utils.translation import gettext as _

POLICE = "lokalpolisomrade"
MUNICIPALITY = "kommun"


def _name(org) -> str:
    return getattr(org, "display_name", None) or org.name


def party_of(owners: Iterable) -> str:
    """``police``, ``municipality``, ``joint`` or ``other`` for a set of owners."""
    kinds = [org.kind for org in owners]
    police = POLICE in kinds
    kommuner = kinds.count(MUNICIPALITY)
    others = len(kinds) - kommuner - (1 if police else 0)
    if police:
        return "joint" if (kommuner or others) else "police"
    if kommuner and not others:
        return "municipality"
    if others and not kommuner:
        return "other"
    return "joint"


def _and(names: Sequence[str]) -> str:
    return get_text_list(list(names), _("och"))


def heading(owners: Sequence) -> str:
    """How a document introduces the commitments of these owners, in the active language."""
    party = party_of(owners)
    if party == "police":
        return _("Polisen lovar")
    if party == "joint" and any(org.kind == POLICE for org in owners):
        return _("Tillsammans lovar vi")
    names = sorted(_name(org) for org in owners)
    suffix = " kommun"
    if len(names) > 1 and all(name.endswith(suffix) for name in names):
        # "Stenungsunds, Orusts och Tjörns kommuner", as Swedish writes several kommuner.
        return _("%(names)s kommuner lovar") % {
            "names": _and([name.removesuffix(suffix) for name in names])
        }
    return _("%(names)s lovar") % {"names": _and(names)}


def label(owners: Sequence) -> str:
    """Short name of the owners: "Polisen", "Katrineholms kommun", "Tillsammans"."""
    party = party_of(owners)
    if party == "police":
        return _("Polisen")
    if party == "joint" and any(org.kind == POLICE for org in owners):
        return _("Tillsammans")
    return _and(sorted(_name(org) for org in owners))


def group_key(owners: Iterable) -> tuple:
    """Sort key of an owner set: police, kommuner, other partners, then together."""
    owners = list(owners)
    order = {"police": 0, "municipality": 1, "other": 2, "joint": 3}[party_of(owners)]
    return (order, len(owners), tuple(sorted(_name(org) for org in owners)))


def owners_for(partnership, party: str, municipality=None, partner=None) -> list:
    """The owner set a party code names (a shorthand for scripts, the demo and imports).

    ``municipality`` without a kommun means the only kommun, or all of them;
    ``joint`` means the police and every kommun.
    """
    kommuner = list(partnership.municipalities.order_by("name"))
    if party == "police":
        return [partnership.police_area]
    if party == "municipality":
        return [municipality] if municipality is not None else kommuner
    if party == "other":
        if partner is not None:
            return [partner]
        return list(partnership.other_partners.order_by("name"))
    return [partnership.police_area, *kommuner]
