"""Read-side helpers for the published content of promises.

The public reads the *signed* snapshot, never the working copy, so what the
signatories signed is exactly what citizens see.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from promises.models import Commitment, Promise, Signature

Party = Commitment.Party


@dataclass
class PartyGroup:
    party: str
    heading: str
    commitments: list[dict] = field(default_factory=list)


def group_commitments(snapshot: dict) -> list[PartyGroup]:
    """Commitments grouped as the documents do: police, each kommun, other partners, jointly."""
    groups: dict[tuple, PartyGroup] = {}
    order = {Party.POLICE: 0, Party.MUNICIPALITY: 1, Party.OTHER: 2, Party.JOINT: 3}
    for item in snapshot.get("commitments", []):
        party = item["party"]
        if party == Party.POLICE:
            key, heading = (0, ""), "Polisen lovar att"
        elif party == Party.MUNICIPALITY:
            org = item.get("municipality") or {}
            key, heading = (1, org.get("name", "")), f"{org.get('name', 'Kommunen')} lovar att"
        elif party == Party.OTHER:
            org = item.get("partner") or {}
            key, heading = (2, org.get("name", "")), f"{org.get('name', 'Annan part')} lovar att"
        else:
            key, heading = (3, ""), "Tillsammans lovar vi att"
        groups.setdefault(key, PartyGroup(party=party, heading=heading)).commitments.append(item)
    return [groups[k] for k in sorted(groups, key=lambda k: (order[groups[k].party], k[1]))]


def published_promises():
    """Published promises with what every public listing shows, in a fixed number of queries."""
    return (
        Promise.objects.published()
        .select_related("partnership__police_area", "published_version")
        .prefetch_related("partnership__municipalities")
        .order_by("-valid_from_date", "title")
    )


def published_promise(pk: int) -> Promise:
    """One published promise with its signed version and signatures; raises DoesNotExist."""
    return (
        Promise.objects.published()
        .select_related(
            "partnership__police_area__police_region",
            "published_version",
            "situation_report",
            "predecessor",
        )
        .prefetch_related(
            "successors",
            Prefetch(
                "published_version__signatures",
                queryset=Signature.objects.order_by("requirement__order", "signed_at", "pk"),
            ),
        )
        .get(pk=pk)
    )
