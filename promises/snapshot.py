"""What the signatories sign: the snapshot of a promise, written and read back.

``build(promise)`` turns the working copy into plain JSON data (schema 2);
``canonical_json`` is the one serialisation that is hashed and stored;
``parse(data)`` reads any schema ever written back into typed, validated
objects. The snapshot holds data only: labels and sentences ("minst 2
trygghetsvandringar per år", "Polisen lovar att") are rendered in the reader's
language when shown, never frozen into the signed text.

Schema 1 (the first wave) stored a few Swedish labels and named themes and
areas without ids; it is still read, because signed versions are never
rewritten.
"""

import hashlib
import json
import re
from datetime import date
from typing import Literal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from pydantic import Field, ValidationError, field_validator

from organizations.refs import AreaRef, Frozen, OrgRef, ThemeRef, area_data, org_data, theme_data
from promises import owners
from situation.frozen import FrozenSituation, freeze

SCHEMA = 2

PartyCode = Literal["police", "municipality", "joint", "other"]
PeriodCode = Literal["period", "ar", "tertial", "manad", "vecka"]
CadenceCode = Literal["tertial", "kvartal", "halvar", "ar"]


class SnapshotError(ValueError):
    """The stored snapshot does not follow any known schema."""


def canonical_json(data) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_of(data) -> str:
    return sha256_hex(canonical_json(data))


# --- Reading -------------------------------------------------------------------------


#: "per år" and the like, translated when a target is written (one lookup, not four).
_PER_PERIOD = {
    "ar": gettext_lazy("per år"),
    "tertial": gettext_lazy("per tertial"),
    "manad": gettext_lazy("per månad"),
    "vecka": gettext_lazy("per vecka"),
}


class Target(Frozen):
    quantity: int = Field(ge=0)
    unit: str
    period: PeriodCode = "period"
    per_area: bool = False

    def text(self) -> str:
        """ "minst 2 trygghetsvandringar per år i varje område", in the active language."""
        text = _("minst %(quantity)s %(unit)s") % {"quantity": self.quantity, "unit": self.unit}
        per = _PER_PERIOD.get(self.period)
        if per:
            text += f" {per}"
        if self.per_area:
            text += " " + _("i varje område")
        return text


_PERIOD_WORDS = {"år": "ar", "tertial": "tertial", "månad": "manad", "vecka": "vecka"}
_SWEDISH_TARGET = re.compile(
    r"minst (?P<quantity>\d+) (?P<unit>.+?)(?: per (?P<period>år|tertial|månad|vecka))?"
    r"(?P<per_area> i varje område)?"
)


def target_in_reader_language(stored: str) -> str:
    """A target sentence stored in Swedish ("minst 2 trygghetsvandringar per år", as a
    follow-up copies it from the signed version), in the active language.

    Only a sentence that ``Target.text()`` writes in Swedish word for word is rewritten;
    anything else (typed by hand, or blank) is returned as it was stored.
    """
    if (translation.get_language() or "sv").startswith("sv"):
        return stored  # already the reader's language: what Target.text() would write
    match = _SWEDISH_TARGET.fullmatch(stored or "")
    if not match:
        return stored
    target = Target(
        quantity=int(match["quantity"]),
        unit=match["unit"],
        period=_PERIOD_WORDS.get(match["period"], "period"),
        per_area=bool(match["per_area"]),
    )
    with translation.override("sv"):
        if target.text() != stored:
            return stored
    return target.text()


class CommitmentPeriod(Frozen):
    """Part of the promise's period a commitment holds for (``None`` ends: the promise's)."""

    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")


class SignedCommitment(Frozen):
    id: int
    order: int
    party: PartyCode
    municipality: OrgRef | None = None
    partner: OrgRef | None = None
    owners: tuple[OrgRef, ...] = ()
    text: str
    theme: ThemeRef | None = None
    areas: tuple[AreaRef, ...] = ()
    target: Target | None = None
    condition: str = ""
    period: CommitmentPeriod | None = None

    @property
    def owner_list(self) -> list[OrgRef]:
        return sorted(self.owners, key=lambda org: (org.kind != "lokalpolisomrade", org.name))

    @property
    def party_label(self) -> str:
        return owners.label(self.owner_list)

    @property
    def heading(self) -> str:
        return owners.heading(self.owner_list)

    @property
    def has_own_period(self) -> bool:
        return bool(self.period and (self.period.start or self.period.end))

    @property
    def target_text(self) -> str:
        return self.target.text() if self.target else ""

    @property
    def area_names(self) -> list[str]:
        return [a.name for a in self.areas]


class EffectGoal(Frozen):
    text: str = ""
    indicator: str = ""
    baseline: str = ""
    target: str = ""
    target_year: int | None = None


class FollowUpPlan(Frozen):
    cadence: CadenceCode = "tertial"
    channels: str = ""

    @property
    def cadence_label(self) -> str:
        return {
            "tertial": _("Tre gånger per år (tertial)"),
            "kvartal": _("Fyra gånger per år (kvartal)"),
            "halvar": _("Två gånger per år (halvår)"),
            "ar": _("En gång per år"),
        }[self.cadence]

    @property
    def per_year(self) -> int:
        return {"tertial": 3, "kvartal": 4, "halvar": 2, "ar": 1}[self.cadence]


class SignedPartnership(Frozen):
    id: int | None = None
    name: str
    agreement_reference: str = ""
    police_area: OrgRef
    municipalities: tuple[OrgRef, ...] = ()
    other_partners: tuple[OrgRef, ...] = ()

    @property
    def parties(self) -> list[OrgRef]:
        return [self.police_area, *self.municipalities, *self.other_partners]


class SignedContent(Frozen):
    """The content of one signed version, as typed data."""

    schema_version: int = Field(alias="schema")
    promise_id: int
    title: str
    valid_from: date
    valid_to: date
    extended_to: date | None = None
    introduction: str = ""
    summary_easy_swedish: str = ""
    summary_english: str = ""
    effect_goal: EffectGoal = EffectGoal()
    themes: tuple[ThemeRef, ...] = ()
    areas: tuple[AreaRef, ...] = ()
    followup: FollowUpPlan = FollowUpPlan()
    decision_reference: str = ""
    partnership: SignedPartnership
    commitments: tuple[SignedCommitment, ...] = ()
    predecessor_id: int | None = None
    situation: FrozenSituation | None = None

    @field_validator("commitments")
    @classmethod
    def _unique_ids(cls, commitments):
        ids = [c.id for c in commitments]
        if len(ids) != len(set(ids)):
            raise ValueError("commitment ids repeat")
        return tuple(sorted(commitments, key=lambda c: c.order))

    @property
    def end_date(self) -> date:
        """The last day of the signed period, extension included."""
        return self.extended_to or self.valid_to

    @property
    def theme_names(self) -> list[str]:
        return [t.name for t in self.themes]

    @property
    def area_names(self) -> list[str]:
        return [a.name for a in self.areas]

    @property
    def commitment_ids(self) -> frozenset[int]:
        return frozenset(c.id for c in self.commitments)

    def commitment(self, commitment_id: int) -> SignedCommitment | None:
        return next((c for c in self.commitments if c.id == commitment_id), None)

    def commitments_summary(self) -> str:
        count = len(self.commitments)
        return ngettext("%(count)s åtagande", "%(count)s åtaganden", count) % {"count": count}


def _owners_of(commitment: dict, partnership: dict) -> list[dict]:
    """The parties that own a commitment, derived from its party code (schemas 1 and 2)."""
    party = commitment["party"]
    if party == "police":
        return [partnership["police_area"]]
    if party == "municipality":
        return [commitment["municipality"]] if commitment.get("municipality") else []
    if party == "other":
        return [commitment["partner"]] if commitment.get("partner") else []
    return [partnership["police_area"], *partnership.get("municipalities", [])]


def _upgrade_v1(data: dict) -> dict:
    """Schema 1 → the shape of schema 2, dropping the labels it froze."""
    data = dict(data)
    data["themes"] = [{"name": name} for name in data.get("themes", [])]
    data["areas"] = [{"name": name} for name in data.get("areas", [])]
    followup = dict(data.get("followup") or {})
    followup.pop("cadence_label", None)
    data["followup"] = followup
    partnership = data["partnership"]
    commitments = []
    for item in data.get("commitments", []):
        item = dict(item)
        item.pop("party_label", None)
        item["theme"] = {"name": item["theme"]} if item.get("theme") else None
        item["areas"] = [{"name": name} for name in item.get("areas", [])]
        if item.get("target"):
            target = dict(item["target"])
            target.pop("text", None)
            item["target"] = target
        item["owners"] = _owners_of(item, partnership)
        commitments.append(item)
    data["commitments"] = commitments
    return data


def parse(data) -> SignedContent:
    """Typed content of a stored snapshot; ``SnapshotError`` when it fits no schema."""
    if not isinstance(data, dict):
        raise SnapshotError("the snapshot is not a JSON object")
    schema = data.get("schema")
    try:
        if schema == 1:
            return SignedContent.model_validate(_upgrade_v1(data))
        if schema == 2:
            return SignedContent.model_validate(data)
    except (ValidationError, KeyError, TypeError) as error:
        raise SnapshotError(f"schema {schema}: {error}") from error
    raise SnapshotError(f"unknown schema {schema!r}")


# --- Writing -------------------------------------------------------------------------


def build(promise) -> dict:
    """Everything the signatories sign, as plain JSON data (schema 2)."""
    partnership = promise.partnership
    police_area = org_data(partnership.police_area)
    municipalities = [org_data(m) for m in partnership.municipalities.order_by("name")]
    commitments = (
        promise.commitments.select_related("theme")
        .prefetch_related("areas", "owners")
        .order_by("order", "pk")
    )
    partnership_data = {
        "id": partnership.pk,
        "name": partnership.name,
        "agreement_reference": partnership.agreement_reference,
        "police_area": police_area,
        "municipalities": municipalities,
        "other_partners": [org_data(o) for o in partnership.other_partners.order_by("name")],
    }
    items = []
    for position, c in enumerate(commitments, start=1):
        owner_list = c.owner_list()
        party = owners.party_of(owner_list)
        sole = owner_list[0] if len(owner_list) == 1 else None
        items.append(
            {
                "id": c.pk,
                "order": position,
                "party": party,
                "owners": [org_data(o) for o in owner_list],
                # The single kommun or partner, when one alone promises (as schema 1 named it).
                "municipality": org_data(sole) if party == "municipality" and sole else None,
                "partner": org_data(sole) if party == "other" and sole else None,
                "text": c.text,
                "theme": theme_data(c.theme),
                "areas": [area_data(a) for a in sorted(c.areas.all(), key=lambda a: a.name)],
                "target": (
                    {
                        "quantity": c.target_quantity,
                        "unit": c.target_unit,
                        "period": c.target_period,
                        "per_area": c.target_per_area,
                    }
                    if c.target_quantity is not None
                    else None
                ),
                "condition": c.condition,
                "period": {
                    "from": c.period_start_date.isoformat() if c.period_start_date else None,
                    "to": c.period_end_date.isoformat() if c.period_end_date else None,
                },
            }
        )
    report = promise.situation_report
    return {
        "schema": SCHEMA,
        "promise_id": promise.pk,
        "title": promise.title,
        "valid_from": promise.valid_from_date.isoformat(),
        "valid_to": promise.valid_to_date.isoformat(),
        "extended_to": promise.extended_to_date.isoformat() if promise.extended_to_date else None,
        "introduction": promise.introduction,
        "summary_easy_swedish": promise.summary_easy_swedish,
        "summary_english": promise.summary_english,
        "effect_goal": {
            "text": promise.effect_goal,
            "indicator": promise.effect_indicator,
            "baseline": promise.effect_baseline,
            "target": promise.effect_target,
            "target_year": promise.effect_target_year,
        },
        "themes": [theme_data(t) for t in promise.themes.order_by("name")],
        "areas": [area_data(a) for a in promise.areas.order_by("name")],
        "followup": {"cadence": promise.followup_cadence, "channels": promise.followup_channels},
        "decision_reference": promise.decision_reference,
        "partnership": partnership_data,
        "commitments": items,
        "predecessor_id": promise.predecessor_id,
        "situation": freeze(report) if report is not None else None,
    }
