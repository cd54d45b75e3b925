"""Readable differences: between two snapshots of a promise, and between two values.

Text is compared word by word with ``difflib`` and returned as segments the
template marks up with ``<del>``/``<ins>``, so nothing here builds HTML.
"""

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "delete" or "insert"
    text: str


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def is_long(self) -> bool:
        return len(self.old) > 80 or len(self.new) > 80 or "\n" in self.old + self.new


@dataclass
class CommitmentChange:
    status: str  # "added", "removed", "changed" or "moved"
    party: str
    text: str
    changes: list[FieldChange] = field(default_factory=list)
    old_position: int | None = None
    new_position: int | None = None


@dataclass
class SnapshotDiff:
    fields: list[FieldChange]
    commitments: list[CommitmentChange]
    unchanged_commitments: int

    @property
    def has_changes(self) -> bool:
        return bool(self.fields or self.commitments)


def as_text(value) -> str:
    """How a snapshot value reads on screen: lists joined, empty as an empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nej"))
    if isinstance(value, list | tuple):
        return ", ".join(as_text(v) for v in value)
    return str(value)


def text_segments(old: str, new: str) -> list[Segment]:
    """Word-level differences between two texts, whitespace kept as it was."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


def field_change(label, old, new) -> FieldChange | None:
    """A FieldChange when ``old`` and ``new`` read differently, else None."""
    old_text, new_text = as_text(old), as_text(new)
    if old_text == new_text:
        return None
    return FieldChange(str(label), old_text, new_text, text_segments(old_text, new_text))


def _get(path: str) -> Callable[[dict], object]:
    def read(data: dict):
        for key in path.split("."):
            if not isinstance(data, dict):
                return None
            data = data.get(key)
        return data

    return read


PROMISE_FIELDS = [
    (_("Rubrik"), _get("title")),
    (_("Gäller från"), _get("valid_from")),
    (_("Gäller till"), _get("valid_to")),
    (_("Förlängt till"), _get("extended_to")),
    (_("Inledning"), _get("introduction")),
    (_("Lättläst sammanfattning"), _get("summary_easy_swedish")),
    (_("Sammanfattning på engelska"), _get("summary_english")),
    (_("Effektmål"), _get("effect_goal.text")),
    (_("Indikator för effektmålet"), _get("effect_goal.indicator")),
    (_("Utgångsvärde"), _get("effect_goal.baseline")),
    (_("Målvärde"), _get("effect_goal.target")),
    (_("Målår"), _get("effect_goal.target_year")),
    (_("Teman"), _get("themes")),
    (_("Områden"), _get("areas")),
    (_("Uppföljning, hur ofta"), _get("followup.cadence_label")),
    (_("Uppföljning, var den redovisas"), _get("followup.channels")),
    (_("Beslut (diarienummer)"), _get("decision_reference")),
    (_("Lägesbild"), _get("situation")),
]
COMMITMENT_FIELDS = [
    (_("Part"), _get("party_label")),
    (_("Löftet"), _get("text")),
    (_("Tema"), _get("theme")),
    (_("Områden"), _get("areas")),
    (_("Mål"), _get("target.text")),
    (_("Villkor"), _get("condition")),
]


def display_data(snapshot: dict) -> dict:
    """A snapshot of any schema as the diff reads it: names and labels in the active language."""
    from promises.snapshot import parse

    content = parse(snapshot)
    return {
        "title": content.title,
        "valid_from": content.valid_from.isoformat(),
        "valid_to": content.valid_to.isoformat(),
        "extended_to": content.extended_to.isoformat() if content.extended_to else None,
        "introduction": content.introduction,
        "summary_easy_swedish": content.summary_easy_swedish,
        "summary_english": content.summary_english,
        "effect_goal": content.effect_goal.model_dump(),
        "themes": content.theme_names,
        "areas": content.area_names,
        "followup": {
            "cadence_label": content.followup.cadence_label,
            "channels": content.followup.channels,
        },
        "decision_reference": content.decision_reference,
        "situation": content.situation.title if content.situation else None,
        "commitments": [
            {
                "id": c.id,
                "order": c.order,
                "party_label": c.party_label,
                "text": c.text,
                "theme": c.theme.name if c.theme else None,
                "areas": c.area_names,
                "target": {"text": c.target_text} if c.target else None,
                "condition": c.condition,
            }
            for c in content.commitments
        ],
    }


def snapshot_diff(old: dict, new: dict) -> SnapshotDiff:
    """Field by field and commitment by commitment, from snapshot ``old`` to ``new``.

    Both are read through ``display_data``, so versions of different schemas
    compare by what they say. Commitments are matched by id, so an edited
    commitment shows as changed rather than as one removed and one added.
    """
    old, new = display_data(old), display_data(new)
    fields = [
        change
        for label, read in PROMISE_FIELDS
        if (change := field_change(label, read(old), read(new))) is not None
    ]
    old_commitments = {c["id"]: c for c in old.get("commitments", [])}
    new_commitments = {c["id"]: c for c in new.get("commitments", [])}
    commitments: list[CommitmentChange] = []
    unchanged = 0
    # Compare positions among the commitments both sides share, so adding or
    # removing one does not make every later commitment look moved.
    shared = set(old_commitments) & set(new_commitments)
    old_rank = {
        cid: i for i, cid in enumerate(sorted(shared, key=lambda c: old_commitments[c]["order"]))
    }
    new_rank = {
        cid: i for i, cid in enumerate(sorted(shared, key=lambda c: new_commitments[c]["order"]))
    }
    for cid, current in new_commitments.items():
        before = old_commitments.get(cid)
        if before is None:
            commitments.append(
                CommitmentChange(
                    "added",
                    as_text(current.get("party_label")),
                    as_text(current.get("text")),
                    new_position=current.get("order"),
                )
            )
            continue
        changes = [
            change
            for label, read in COMMITMENT_FIELDS
            if (change := field_change(label, read(before), read(current))) is not None
        ]
        moved = old_rank[cid] != new_rank[cid]
        if changes or moved:
            commitments.append(
                CommitmentChange(
                    "changed" if changes else "moved",
                    as_text(current.get("party_label")),
                    as_text(current.get("text")),
                    changes,
                    old_position=before.get("order"),
                    new_position=current.get("order"),
                )
            )
        else:
            unchanged += 1
    for cid, before in old_commitments.items():
        if cid not in new_commitments:
            commitments.append(
                CommitmentChange(
                    "removed",
                    as_text(before.get("party_label")),
                    as_text(before.get("text")),
                    old_position=before.get("order"),
                )
            )
    return SnapshotDiff(fields, commitments, unchanged)
