"""Scoring the extractor against the hand-written expected files in ``tests/data/import``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from .extract import extract
from .readers import read_document

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "import"
MATCH_THRESHOLD = 0.8


def normalise(text: str) -> str:
    text = re.sub(r"[^\wåäöé ]+", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def similarity(a: str, b: str) -> float:
    """The better of difflib's ratio and the token F1 of the two normalised texts."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    ta, tb = a.split(), b.split()
    common = sum(min(ta.count(t), tb.count(t)) for t in set(ta))
    f1 = 2 * common / (len(ta) + len(tb))
    return max(ratio, f1)


def match(expected: list[dict], found: list[dict]) -> list[tuple[int, int]]:
    """Pairs (expected index, found index), best similarity first, each used once."""
    scored = sorted(
        (
            (similarity(e["text"], f["text"]), i, j)
            for i, e in enumerate(expected)
            for j, f in enumerate(found)
        ),
        reverse=True,
    )
    used_e, used_f, pairs = set(), set(), []
    for score, i, j in scored:
        if score < MATCH_THRESHOLD:
            break
        if i not in used_e and j not in used_f:
            used_e.add(i)
            used_f.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def same_target(expected: dict | None, found: dict | None) -> bool:
    if expected is None or found is None:
        return expected is found
    if expected["quantity"] != found["quantity"]:
        return False
    stems_e = {w[:6] for w in normalise(expected["unit"]).split()}
    stems_f = {w[:6] for w in normalise(found["unit"]).split()}
    return bool(stems_e & stems_f)


@dataclass
class DocumentScore:
    name: str
    expected: int
    found: int
    matched: int
    owner_right: int
    target_right: int
    condition_right: int
    period_right: bool
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong_owner: list[str] = field(default_factory=list)


def score(name: str, expected: dict, found: dict) -> DocumentScore:
    pairs = match(expected["commitments"], found["commitments"])
    owner = target = condition = 0
    wrong_owner = []
    for i, j in pairs:
        e, f = expected["commitments"][i], found["commitments"][j]
        if e["party"] == f["party"]:
            owner += 1
        else:
            wrong_owner.append(f"{e['party']}≠{f['party']}: {e['text'][:60]}")
        target += same_target(e["target"], f["target"])
        condition += e["conditional"] == f["conditional"]
    matched_e = {i for i, _ in pairs}
    matched_f = {j for _, j in pairs}
    period = expected["period"]
    return DocumentScore(
        name=name,
        expected=len(expected["commitments"]),
        found=len(found["commitments"]),
        matched=len(pairs),
        owner_right=owner,
        target_right=target,
        condition_right=condition,
        period_right=(
            period["from"] == found["period"]["from"] and period["to"] == found["period"]["to"]
        ),
        misses=[
            c["text"][:70] for i, c in enumerate(expected["commitments"]) if i not in matched_e
        ],
        extras=[c["text"][:70] for j, c in enumerate(found["commitments"]) if j not in matched_f],
        wrong_owner=wrong_owner,
    )


def run(corpus: Path = CORPUS) -> list[DocumentScore]:
    scores = []
    for path in sorted(corpus.glob("*.expected.json")):
        name = path.name.removesuffix(".expected.json")
        expected = json.loads(path.read_text(encoding="utf-8"))
        document = read_document((corpus / f"{name}.txt").read_bytes(), f"{name}.txt")
        scores.append(score(name, expected, extract(document.text).to_json()))
    return scores


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 100.0


@dataclass
class Totals:
    recall: float
    precision: float
    owner: float
    target: float
    condition: float
    period: float


def totals(scores: list[DocumentScore]) -> Totals:
    matched = sum(s.matched for s in scores)
    return Totals(
        recall=percent(matched, sum(s.expected for s in scores)),
        precision=percent(matched, sum(s.found for s in scores)),
        owner=percent(sum(s.owner_right for s in scores), matched),
        target=percent(sum(s.target_right for s in scores), matched),
        condition=percent(sum(s.condition_right for s in scores), matched),
        period=percent(sum(s.period_right for s in scores), len(scores)),
    )
