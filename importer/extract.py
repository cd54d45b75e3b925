"""A Swedish, rule-based extractor: a promise's structure out of its text, offline.

No model and no network: the rules below read the shapes medborgarlöften are
really written in (group headings such as "Polisen lovar att:", owners named in
each sentence or in brackets, numbered lists, prose paragraphs, several years
stacked on one page) and the vocabularies the portal has (kommun names, themes,
areas). Every item carries the source lines it came from and an ``unsure`` flag
where a rule guessed, so a review page can show both and let a person decide.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from .vocab import (
    MONTH_RE,
    MONTHS,
    MUNICIPALITY_WORDS,
    NUMBER_RE,
    PERIOD_WORDS,
    POLICE_WORDS,
    THEMES,
    genitive,
    municipality_names,
    parse_number,
)

POLICE = "police"
ANY_MUNICIPALITY = "kommun:*"


# --- The result ------------------------------------------------------------------------


@dataclass
class Target:
    quantity: int
    unit: str
    per: str | None = None
    text: str = ""


@dataclass
class Commitment:
    text: str
    owners: list[str]
    party: str
    owner_source: str  # inline | brackets | heading | default
    target: Target | None = None
    condition: str | None = None
    themes: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    source_lines: list[int] = field(default_factory=list)
    confidence: float = 1.0
    unsure: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def conditional(self) -> bool:
        return self.condition is not None


@dataclass
class Period:
    from_date: date | None = None
    to_date: date | None = None
    text: str = ""
    source_lines: list[int] = field(default_factory=list)
    extended: bool = False
    unsure: bool = True


@dataclass
class Signatory:
    name: str
    title: str
    source_lines: list[int] = field(default_factory=list)


@dataclass
class Passage:
    kind: str  # background | situation | effect | goal
    text: str
    source_lines: list[int] = field(default_factory=list)


@dataclass
class FollowUpPlan:
    text: str
    cadence: str | None  # tertial | kvartal | halvar | ar (Promise.Cadence values)
    source_lines: list[int] = field(default_factory=list)


@dataclass
class Extraction:
    title: str | None
    kommuner: list[str]
    police_area: str | None
    period: Period
    commitments: list[Commitment]
    signatories: list[Signatory]
    themes: list[str]
    areas: list[str]
    passages: list[Passage]
    followup: FollowUpPlan | None
    title_lines: list[int] = field(default_factory=list)

    def to_json(self) -> dict:
        """The shape ``manage.py extract_promise`` prints (and the expected files use)."""
        return {
            "title": self.title,
            "kommuner": self.kommuner,
            "police_area": self.police_area,
            "period": {
                "from": self.period.from_date.isoformat() if self.period.from_date else None,
                "to": self.period.to_date.isoformat() if self.period.to_date else None,
                "text": self.period.text,
                "extended": self.period.extended,
                "unsure": self.period.unsure,
                "source_lines": self.period.source_lines,
            },
            "commitments": [
                {
                    "party": c.party,
                    "owners": c.owners,
                    "owner_source": c.owner_source,
                    "text": c.text,
                    "target": (
                        {"quantity": c.target.quantity, "unit": c.target.unit, "per": c.target.per}
                        if c.target
                        else None
                    ),
                    "conditional": c.conditional,
                    "condition": c.condition,
                    "themes": c.themes,
                    "areas": c.areas,
                    "source_lines": c.source_lines,
                    "confidence": c.confidence,
                    "unsure": c.unsure,
                    "notes": c.notes,
                }
                for c in self.commitments
            ],
            "signatories": [asdict(s) for s in self.signatories],
            "themes": self.themes,
            "areas": self.areas,
            "passages": [asdict(p) for p in self.passages],
            "followup": asdict(self.followup) if self.followup else None,
        }


def party_for(owners: list[str] | set[str]) -> str:
    """The API's party code from an owner set: one kind alone, else ``joint``."""
    kinds = {
        "police" if o == POLICE else "municipality" if o.startswith("kommun:") else "other"
        for o in owners
    }
    if kinds == {"police"}:
        return "police"
    if kinds == {"municipality"}:
        return "municipality"
    if kinds == {"other"}:
        return "other"
    return "joint"


# --- Lines and blocks ------------------------------------------------------------------

BULLET_RE = re.compile(r"^\s*(?:[-–—•·▪●◦*\uf0b7\uf0a7]|o(?=\s))\s+(?P<text>\S.*)$")
NUMBERED_RE = re.compile(r"^\s*(?P<num>\d{1,2}|[a-z])[.)]\s+(?P<text>[^\d\s].*)$")
MARKDOWN_HEADING_RE = re.compile(r"^\s*#{1,6}\s+(?P<text>.+)$")


def _clean(text: str) -> str:
    text = re.sub(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Line:
    no: int
    raw: str
    text: str
    kind: str  # blank | heading | item | text


@dataclass
class Block:
    kind: str  # heading | item | para
    text: str
    lines: list[int]
    list_id: int = -1


def _lines(text: str) -> list[Line]:
    raw_lines = text.split("\n")
    result = []
    for index, raw in enumerate(raw_lines):
        no = index + 1
        stripped = raw.strip()
        if not stripped:
            result.append(Line(no, raw, "", "blank"))
            continue
        heading = MARKDOWN_HEADING_RE.match(raw)
        bold = re.fullmatch(r"\*\*(.+?)\*\*:?", stripped)
        if heading:
            result.append(Line(no, raw, _clean(heading.group("text")), "heading"))
            continue
        item = BULLET_RE.match(raw) or NUMBERED_RE.match(raw)
        if item:
            result.append(Line(no, raw, _clean(item.group("text")), "item"))
            continue
        if bold and len(stripped) < 90:
            result.append(Line(no, raw, _clean(bold.group(1)), "heading"))
            continue
        result.append(Line(no, raw, _clean(stripped), "text"))
    # A short line standing alone, without closing punctuation, reads as a heading.
    for index, line in enumerate(result):
        if line.kind != "text" or len(line.text) > 70 or re.search(r"[.,;!]$", line.text):
            continue
        before = result[index - 1].kind if index else "blank"
        after = result[index + 1] if index + 1 < len(result) else None
        # "Polisen lovar att:" directly above its list stays an intro, not a heading.
        intro = line.text.endswith(":") and after is not None and after.kind != "blank"
        # "Medborgarlöfte 2025–2027" heads its list even straight under a paragraph.
        if (before in {"blank", "heading"} and not intro) or YEAR_MARKER.match(line.text):
            line.kind = "heading"
    return result


def _blocks(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    list_id = 0
    previous_kind = "blank"
    for line in lines:
        if line.kind == "blank":
            previous_kind = "blank"
            continue
        last = blocks[-1] if blocks else None
        if line.kind == "heading":
            blocks.append(Block("heading", line.text, [line.no]))
        elif line.kind == "item":
            if not (last and last.kind == "item"):
                list_id += 1
            blocks.append(Block("item", line.text, [line.no], list_id))
        else:
            continuation = (
                last is not None
                and last.kind == "item"
                and previous_kind == "item"
                and (re.match(r"^\s{2,}", line.raw) or line.text[:1].islower())
            )
            if continuation or (last and last.kind == "para" and previous_kind == "text"):
                last.text = f"{last.text} {line.text}"
                last.lines.append(line.no)
                line.kind = last.kind  # later lines continue the same block
            else:
                blocks.append(Block("para", line.text, [line.no]))
        previous_kind = line.kind
    return _split_inline_items(blocks)


# "… i nära relationer. - Vi ska tillsammans …": two bullets that ended up on one line.
INLINE_ITEM = re.compile(r"(?<=[.!?])\s+[-–—•]\s+(?=[A-ZÅÄÖ])")


def _split_inline_items(blocks: list[Block]) -> list[Block]:
    result: list[Block] = []
    for block in blocks:
        parts = INLINE_ITEM.split(block.text) if block.kind == "item" else [block.text]
        for part in parts:
            result.append(Block(block.kind, part, list(block.lines), block.list_id))
    return result


# --- Parties ---------------------------------------------------------------------------


class Parties:
    """Resolves party phrases ("Polisen och Umeå kommun", "Borås Stad") to owner tokens."""

    def __init__(self, text: str, known: list[str] | None):
        self.names = tuple(known) if known else municipality_names()
        self.kommuner = self._find_kommuner(text)

    def _find_kommuner(self, text: str) -> list[str]:
        found: list[tuple[int, str]] = []
        for name in self.names:
            escaped = re.escape(name)
            forms = rf"(?:{escaped}|{re.escape(genitive(name))})"
            patterns = [
                rf"(?<![\wåäö-]){forms}\s+(?:kommun(?:en)?|[Ss]tad)\b",
                rf"\bRegion\s+{escaped}\b",
                rf"^\s*{escaped}\s+[–-]\s+medborgarlöften",
                rf"\bMedborgarlöfte[nt]?\s+{forms}\b",
            ]
            positions = [m.start() for p in patterns for m in re.finditer(p, text, re.MULTILINE)]
            if positions:
                found.append((min(positions), name))
        # "de tre kommunerna Stenungsund, Orust och Tjörn", "tryggheten i A, B och C"
        name_re = "|".join(sorted((re.escape(n) for n in self.names), key=len, reverse=True))
        for sentence in re.split(r"(?<=[.!?:])\s+", text):
            if "kommun" not in sentence.lower():
                continue
            for run in re.finditer(
                rf"(?<![\wåäö-])((?:{name_re})(?:\s*,\s*(?:{name_re}))*\s+och\s+(?:{name_re}))\b",
                sentence,
            ):
                base = text.find(sentence) + run.start()
                for offset, name in enumerate(re.split(r"\s*,\s*|\s+och\s+", run.group(1))):
                    if name in self.names and name not in {n for _, n in found}:
                        found.append((base + offset, name))
        found.sort()
        seen, result = set(), []
        for _, name in found:
            if name not in seen:
                seen.add(name)
                result.append(name)
        return result

    @property
    def all_parties(self) -> list[str]:
        return [POLICE] + (
            [f"kommun:{name}" for name in self.kommuner] if self.kommuner else [ANY_MUNICIPALITY]
        )

    def municipality(self, name: str | None = None) -> list[str]:
        if name:
            return [f"kommun:{name}"]
        if len(self.kommuner) == 1:
            return [f"kommun:{self.kommuner[0]}"]
        return [ANY_MUNICIPALITY]

    def resolve(self, phrase: str, *, others: bool = False) -> list[str] | None:
        """Owner tokens of one party word or name; None when it is not a party."""
        phrase = phrase.strip(" .,:;()").strip()
        lower = phrase.lower()
        lower = re.sub(r"^(?:de|båda|samtliga|alla)\s+(?:\w+\s+)?(?=kommun)", "", lower)
        if re.fullmatch(rf"(?:{POLICE_WORDS})", lower) or re.fullmatch(
            r"(?:lokalpolisområde|lpo)\s+[\wåäöé -]+", lower
        ):
            return [POLICE]
        if lower in {"vi", "parterna", "båda parter", "båda parterna"}:
            return list(self.all_parties)
        if lower in {"kommunerna", "kommunernas"} or re.fullmatch(r"\w+\s+kommunerna", lower):
            return [f"kommun:{n}" for n in self.kommuner] or [ANY_MUNICIPALITY]
        if re.fullmatch(rf"(?:{MUNICIPALITY_WORDS})", lower):
            return self.municipality()
        for name in self.names:
            forms = rf"(?:{re.escape(name.lower())}|{re.escape(genitive(name).lower())})"
            if re.fullmatch(rf"{forms}(?:\s+(?:kommun(?:en)?|stad))?|region\s+{forms}", lower):
                if re.fullmatch(rf"{forms}", lower) and not others:
                    return None  # a bare place name in a sentence is not a party
                return self.municipality(name)
        if re.fullmatch(r"[A-ZÅÄÖ][\wåäöé-]+s?\s+kommun(?:en)?", phrase):
            return self.municipality()  # a kommun the list does not know (or a typo)
        if others and re.match(r"[A-ZÅÄÖ0-9]", phrase) and len(phrase) < 60:
            return [f"other:{phrase}"]
        return None

    PARTY_TOKEN = (
        rf"(?:(?:de|båda|samtliga|alla)\s+(?:tre\s+|två\s+|fyra\s+)?kommunerna|"
        rf"(?:lokalpolisområde|LPO)\s+(?-i:[A-ZÅÄÖ][\wåäö]+(?:\s+[A-ZÅÄÖ][\wåäö]+)?)|"
        rf"Region\s+(?-i:[A-ZÅÄÖ][\wåäö]+)|(?-i:[A-ZÅÄÖ][\wåäöé-]+)s?\s+(?:kommun(?:en)?|[Ss]tad)|"
        rf"{POLICE_WORDS}|{MUNICIPALITY_WORDS}|vi|parterna)"
    )

    def subject(self, text: str) -> list[str] | None:
        """Owners named as the subject at the start of a sentence, else None."""
        token = self.PARTY_TOKEN
        match = re.match(
            rf"^(?:att\s+)?(?P<subj>{token}(?:\s*(?:,|och|samt|&|tillsammans med|"
            rf"i samverkan med)\s*{token})*)(?=[\s,.:]|$)",
            text,
            re.IGNORECASE,
        )
        if not match:
            return None
        rest = text[match.end() :].lstrip()
        if rest[:1] == "(" or re.match(r"(?:i|på|för|mot|med)\b", rest):
            return None  # "Kommunen i siffror", not a subject
        return self._owners_of(match.group("subj"))

    def inverted(self, text: str) -> list[str] | None:
        """Owners after the verb: "… så lovar kommun och polis att", "lovar vi att:"."""
        token = self.PARTY_TOKEN
        match = re.search(
            rf"\blovar\s+(?P<subj>{token}(?:\s*(?:,|och|samt|&)\s*{token})*)(?=[\s,.:]|$)",
            text,
            re.IGNORECASE,
        )
        return self._owners_of(match.group("subj")) if match else None

    def _owners_of(self, phrase: str) -> list[str] | None:
        owners: list[str] = []
        for part in re.split(
            r"\s*(?:,|\bsamt\b|&|\btillsammans med\b|\bi samverkan med\b)\s*|\s+och\s+", phrase
        ):
            if not part:
                continue
            resolved = self.resolve(part)
            if resolved is None:
                return None
            owners.extend(o for o in resolved if o not in owners)
        return owners or None

    def brackets(self, text: str) -> list[str] | None:
        """Owners listed in a closing bracket: "… (Polis, Borås Stad, Borås City)"."""
        match = re.search(r"\(([^()]{2,160})\)\s*\.?\s*$", text)
        if not match:
            return None
        parts = [p.strip() for p in re.split(r",|\s+och\s+|&", match.group(1))]
        parts = [p for p in parts if p and not re.fullmatch(r"med flera|m\.?\s?fl\.?", p)]
        if not parts or not all(re.match(r"[A-ZÅÄÖ]", p) for p in parts):
            return None
        owners: list[str] = []
        for part in parts:
            resolved = self.resolve(part, others=True)
            if resolved is None:
                return None
            owners.extend(o for o in resolved if o not in owners)
        return owners


# --- Sections, lists and commitments ---------------------------------------------------

BACKGROUND_HEADINGS = {
    "background": r"bakgrund|inledning|om medborgarlöfte|vad är (?:ett )?medborgarlöfte|"
    r"syfte|kommunikation|kontakt|mer information|genomförande",
    "situation": r"lägesbild|problembild|nulägesbild",
    "effect": r"effekt|mål\b|målsättning",
    "followup": r"uppföljning|redovisning|utvärdering",
    "validity": r"giltighet",
}
PROMISE_CUE = re.compile(
    r"\blov(?:ar|a)\b|löfte|löften|åtar|förbinder|punkter|\binsatser\b|\båtgärder\b|"
    r"aktiviteter|innebär:|genom att:|kommer (?:gemensamt |tillsammans )?att:?$|ska:$",
    re.IGNORECASE,
)
NOT_COMMITMENT_INTRO = re.compile(
    r"fokusområde|kännetecknas|syftet|\bsyfte\b.*:$|medborgarlöften?\w* ska:|"
    r"följande områden|i områdena:|\bhar\b[^.]{0,60}\b(?:arbetat|genomfört|gjort|haft)\b|"
    r"\btidigare\b|\blovade\b|\bvarit\b",
    re.IGNORECASE,
)
GOAL_FOLLOWS = re.compile(r"(?:insatser|åtgärder|aktiviteter)\b.{0,60}\b(?:uppnå|nå)\b", re.I)
PROMISE_VERB = re.compile(r"\b(?:lovar|åtar sig|förbinder sig)\b", re.IGNORECASE)
YEAR_MARKER = re.compile(
    rf"^medborgarlöfte(?:n|t|na)?\b[^\d]{{0,30}}?(?:(?:{MONTH_RE})\s*[-–]\s*(?:{MONTH_RE})\s+)?"
    r"(\d{4})(?:\s*[-–/]\s*(\d{4}))?\s*:?$",
    re.IGNORECASE,
)


def _heading_kind(text: str) -> str:
    lower = text.lower()
    if re.search(r"\blov|löfte|åtgärder|insatser|aktiviteter", lower) and not re.search(
        r"^(?:om|vad är)\b", lower
    ):
        return "promise"
    for kind, pattern in BACKGROUND_HEADINGS.items():
        if re.search(rf"^(?:{pattern})", lower):
            return kind
    return "neutral"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"”])", text) if s]


def _active_region(blocks: list[Block]) -> tuple[int, int]:
    """Block index range of the promise on a page that stacks several years."""
    markers = []
    for index, block in enumerate(blocks):
        if block.kind in {"heading", "para"} and len(block.text) < 80:
            match = YEAR_MARKER.match(block.text)
            if match:
                markers.append((index, match.group(1), match.group(2)))
    distinct = {(start, end) for _, start, end in markers}
    if len(distinct) < 2:
        return 0, len(blocks)
    first = markers[0]
    for index, start, end in markers[1:]:
        if (start, end) != (first[1], first[2]):
            return first[0], index
    return first[0], len(blocks)


def _group_owners(parties: Parties, text: str) -> list[str] | None:
    """Owners a group intro gives its items ("Polisen lovar att:", "… lovar vi att:")."""
    body = text.rstrip(" :")
    if not (text.rstrip().endswith(":") or re.search(r"\b(?:att|gemensamt)$", body)):
        return None
    return parties.subject(body) or parties.inverted(body + " ")


def _is_group_intro(text: str) -> bool:
    return text.rstrip().endswith(":") or bool(
        re.search(r"\b(?:lovar|kommer(?: gemensamt| tillsammans)?|ska)\s+att$", text.rstrip())
    )


def _commitment_sentence(parties: Parties, sentence: str) -> list[str] | None:
    """Owners when a prose sentence is itself a promise: a party first, then "lovar"."""
    if not PROMISE_VERB.search(sentence):
        return None
    head = re.sub(r"^(?:Under|För|Inom|Genom)\b[^,]{0,80},\s*", "", sentence)
    owners = parties.subject(head)
    if owners:
        after = head[: PROMISE_VERB.search(head).start()] if PROMISE_VERB.search(head) else ""
        # The promise verb must come right after the subject, not in a later clause.
        if PROMISE_VERB.search(head) and len(after.split()) <= 8:
            return owners
        return None
    return None


def _find_commitments(parties: Parties, blocks: list[Block]) -> tuple[list, list[Passage]]:
    start, end = _active_region(blocks)
    commitments: list[Commitment] = []
    passages: list[Passage] = []
    section = "neutral"
    group: list[str] | None = None
    intro: Block | None = None
    previous_list: tuple[list[Block], list[Commitment]] | None = None

    def add(text, lines, owners, source, in_list):
        commitment = _commitment(parties, text, lines, owners, source, in_list)
        commitments.append(commitment)
        return commitment

    index = start
    while index < end:
        block = blocks[index]
        if block.kind == "heading":
            section = _heading_kind(block.text)
            group = _group_owners(parties, block.text) if section == "promise" else None
            if group is None and re.fullmatch(rf"(?:{POLICE_WORDS})", block.text, re.I):
                group = [POLICE]
            intro = block
            index += 1
            continue
        if block.kind == "item":
            items = []
            while index < end and blocks[index].kind == "item":
                items.append(blocks[index])
                index += 1
            intro_text = intro.text if intro else ""
            if intro and GOAL_FOLLOWS.search(intro_text) and previous_list:
                # "Insatser som ska genomföras för att uppnå löftena:" – the list
                # before it holds the löften themselves, which are goals.
                for previous in previous_list[1]:
                    commitments.remove(previous)
                for item in previous_list[0]:
                    passages.append(Passage("goal", item.text, item.lines))
            promise_like = sum(
                1 for item in items if parties.subject(item.text) or PROMISE_VERB.search(item.text)
            )
            cue = bool(PROMISE_CUE.search(intro_text)) or group is not None
            excluded = (
                bool(NOT_COMMITMENT_INTRO.search(intro_text))
                or section
                in {
                    "background",
                    "followup",
                    "validity",
                }
                and not (cue and section == "background" and promise_like)
            )
            if section in {"background", "followup", "validity"} and not promise_like:
                excluded = True
            if not excluded and (cue or section == "promise" or promise_like * 2 > len(items)):
                found = []
                for item in items:
                    if re.search(r"\bsäger\b", item.text):
                        continue  # a quotation set off with a dash
                    found.append(add(item.text, item.lines, group, "heading", True))
                previous_list = (items, found)
            else:
                previous_list = (items, [])
            continue
        # A paragraph: a group intro, a prose promise, or text around them.
        if _is_group_intro(block.text):
            owners = _group_owners(parties, block.text)
            if owners or PROMISE_CUE.search(block.text):
                group = owners
            intro = block
            index += 1
            continue
        if section not in {"background", "situation", "effect", "followup", "validity"}:
            current = None
            for sentence in _sentences(block.text):
                owners = _commitment_sentence(parties, sentence)
                if owners:
                    current = add(sentence, block.lines, owners, "inline", False)
                elif current is not None:
                    current.text = f"{current.text} {sentence}"
        group = None
        intro = block
        index += 1
    for commitment in commitments:
        commitment.target = find_target(commitment.text)
        commitment.condition = find_condition(commitment.text)
    return commitments, passages


def _commitment(parties, text, lines, group, source, in_list) -> Commitment:
    notes = []
    owners = parties.brackets(text)
    owner_source = "brackets"
    if owners is None:
        first = _sentences(text)[0] if text else text
        owners = parties.subject(first) or parties.inverted(first)
        owner_source = "inline"
    if owners is None and re.search(r"\b(?:gemensam(?:t|ma)?|tillsammans)\b", text, re.I):
        owners = group or parties.all_parties
        owner_source = "heading" if group else "inline"
    if owners is None and group:
        owners, owner_source = group, "heading"
    unsure = False
    if owners is None:
        owners, owner_source = parties.all_parties, "default"
        unsure = True
        notes.append("Ingen ägare nämns; satt till alla parter.")
    if len(text) < 25:
        unsure = True
        notes.append("Mycket kort text; kontrollera att den är hel.")
    if not in_list:
        notes.append("Hämtad ur löptext.")
    confidence = 0.5 if unsure else 0.75 if not in_list else 0.9
    return Commitment(
        text=text,
        owners=list(owners),
        party=party_for(owners),
        owner_source=owner_source,
        source_lines=list(lines),
        confidence=confidence,
        unsure=unsure,
        notes=notes,
    )


# --- Targets and conditions ------------------------------------------------------------

UNIT_STOP = {
    "i", "med", "för", "mot", "på", "av", "under", "per", "varje", "som", "där", "och", "att",
    "till", "vid", "om", "inom", "kommer", "ska", "skall", "kan", "bör", "har", "blir", "sker",
    "görs", "genomförs", "hos", "från", "efter", "samt", "eller", "in", "ut", "utöver", "när",
    "mellan", "tillsammans", "både", "genomföra", "göra", "hålla", "arbeta", "ske", "ha",
    "erbjuda", "delta", "anordna", "arrangera", "bjuda", "satsa", "vara", "bli",
}  # fmt: skip
COUNT_NOUNS = {"tillfällen", "tillfälle", "gånger", "gång"}
UNIT_BLOCK = {"antal", "del", "rad", "mängd", "fokus", "viss", "vissa"}
COUNT_LEAD = r"(?:minst|högst|max(?:imalt)?|cirka|ca\.?|upp till|totalt|sammanlagt|åtminstone)"
TARGET_VERBS = r"(?:genomföra|genomför|hålla|håller|ha|göra|gör|anordna|arrangera|erbjuda)"
PER_RE = re.compile(
    r"(?:/\s*|\bper\s+|\bvarje\s+|\bi\s+|\bom\s+|\bunder\s+)(år|året|termin|terminen|vecka|"
    r"veckan|månad|månaden|kvartal|tertial|halvår|halvåret)\b|\bårlig(?:en|a|t)?\b",
    re.IGNORECASE,
)


def _unit(words: list[str]) -> tuple[str, str] | None:
    """Head noun and phrase of the words after a count: "särskilt riktade insatser mot" → …"""
    phrase: list[str] = []
    if words and words[0].lower().strip(".,") in UNIT_BLOCK:
        return None  # "ett antal insatser" promises no number
    for word in words[:4]:
        bare = word.strip('.,;:()”"')
        lower = bare.lower()
        if phrase and bare[:1].isupper():
            break  # a proper name ("föräldramötet Underbara Ungdomar") follows the noun
        if not bare or lower in UNIT_STOP and not (phrase and phrase[-1].endswith("-")):
            if lower == "och" and phrase and phrase[-1].endswith("-"):
                phrase.append(bare)
                continue
            break
        if phrase and lower.endswith("as") and len(lower) > 4:
            break  # a passive verb ("hållas") ends the noun phrase
        phrase.append(bare.split("/")[0])
        if "/" in bare or word != bare or lower in COUNT_NOUNS:
            break
    if not phrase:
        return None
    head = phrase[-1]
    if head.lower() in UNIT_BLOCK or head.lower() in PERIOD_WORDS or head.isdigit():
        return None
    if re.fullmatch(r"minuter\w*|procent|%|år|kronor|kr", head.lower()):
        return None
    return head, " ".join(phrase)


def _per(text: str, start: int) -> str | None:
    window = text[max(0, start - 40) : start + 120]
    match = PER_RE.search(window)
    if not match:
        return None
    word = (match.group(1) or "år").lower()
    return PERIOD_WORDS.get(word, word)


def find_target(text: str) -> Target | None:
    """The first stated count: "minst 100 trafikkontroller", "vid minst två tillfällen"."""
    candidates = []
    patterns = [
        rf"\b{COUNT_LEAD}\s+(?P<n>{NUMBER_RE})\s+(?P<rest>.+)",
        rf"\bvid\s+(?P<n>{NUMBER_RE})\s+(?P<rest>(?:olika\s+)?tillfällen.*)",
        rf"\b{TARGET_VERBS}\s+(?P<n>{NUMBER_RE})\s+(?P<rest>.+)",
        rf"\b(?P<n>{NUMBER_RE})\s+(?P<rest>(?:gång(?:er)?|tillfällen)\s+(?:per|om|i|varje|under)\b.*)",
        rf"(?<![\w-])(?P<n>{NUMBER_RE})\s+(?P<rest>[\wåäö-]+(?:/år|\s+per\s+(?:år|termin|vecka|månad)).*)",
        r"\b(?:den|det)\s+(?P<annual>årliga)\s+(?P<rest>.+)",
        rf"\bunder\s+(?P<n>{NUMBER_RE})\s+(?P<rest>(?:arbets)?(?:dag|dagar|vecka|veckor|kväll|kvällar)\b.*)",
    ]
    for pattern in patterns:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            annual = match.groupdict().get("annual")
            quantity = 1 if annual else parse_number(match.group("n"))
            if not quantity:
                continue
            unit = _unit(match.group("rest").split())
            if not unit:
                continue
            per = "år" if match.groupdict().get("annual") else _per(text, match.start())
            candidates.append(
                (match.start(), Target(quantity, unit[0], per, match.group(0)[:80].strip()))
            )
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


CONDITION_PATTERNS = [
    r"\bvid behov\b",
    r"\bom (?:det|invånarna|medborgarna|boende|man|någon|skolor|föräldrar|behov)\b[^.]{0,80}",
    r"^om\b[^.]{0,80}",
    r"\bnär (?:förutsättningar|möjlighet|behov)\w*\b[^.]{0,40}",
    r"\bi mån av\b[^.,]{0,40}",
    r"\bom möjligt\b",
    r"\bdär det är möjligt\b",
    r"\butifrån vad som bedöms (?:vara )?möjligt\b",
    r"\bi den mån\b[^.,]{0,40}",
    r"\bom (?:så|det) (?:behövs|krävs|efterfrågas)\b",
]


# Where a leading condition ends and the promise itself begins: "Om det uppkommer
# önskemål om trygghetsvandringar så lovar vi att bistå".
CONDITION_END = re.compile(
    r",?\s+så\s+|,\s+(?=(?:lovar|kommer|ska|skall|kan|genomför|erbjuder|bjuder)\b)", re.I
)


def find_condition(text: str) -> str | None:
    for pattern in CONDITION_PATTERNS:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            return CONDITION_END.split(match.group(0), maxsplit=1)[0].strip(" ,")
    return None


# --- Period ----------------------------------------------------------------------------


def _date_re(p: str) -> str:
    return (
        rf"(?:(?P<{p}d>\d{{1,2}})\s+(?P<{p}m>{MONTH_RE})(?:\s+(?P<{p}y>\d{{4}}))?"
        rf"|(?P<{p}iso>\d{{4}}-\d{{2}}-\d{{2}}))"
    )


RANGE_SEP = r"\s*(?:-{1,2}|–|—|till och med|t\.?\s?o\.?\s?m\.?|till|fram till)\s*(?:den\s+)?"
EXCLUDE_CONTEXT = re.compile(
    r"samverkansöverenskommelse|samverkansavtal|\bavtal\b|överenskommelsen|"
    r"\bhar\b[^.]{0,60}\b(?:arbetat|genomfört|gjort|visat|haft)\b|genomför(?:des|de|ts)\b|"
    r"tidigare|publicera|uppdaterad|lägesbild|trygghetsmätning|undersökning",
    re.IGNORECASE,
)


def _date(match, prefix: str, fallback_year: int | None = None) -> date | None:
    iso = match.group(f"{prefix}iso")
    if iso:
        try:
            return date.fromisoformat(iso)
        except ValueError:
            return None
    year = match.group(f"{prefix}y") or fallback_year
    if not year:
        return None
    try:
        return date(
            int(year), MONTHS[match.group(f"{prefix}m").lower()], int(match.group(f"{prefix}d"))
        )
    except ValueError:
        return None


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def find_period(blocks: list[Block], region: tuple[int, int]) -> Period:
    candidates: list[tuple[int, int, Period]] = []  # (score, order, period)
    full = re.compile(_date_re("a") + RANGE_SEP + _date_re("b"), re.IGNORECASE)
    months = re.compile(rf"\b({MONTH_RE})\s*[-–]\s*({MONTH_RE})\s+(\d{{4}})", re.IGNORECASE)
    years = re.compile(r"(?<![\d-])((?:19|20)\d{2})\s*(?:-|–|—|till)\s*((?:19|20)\d{2})(?![\d-])")
    single = re.compile(
        r"(?:\b(?P<cue>medborgarlöfte\w*|löfte\w*|gäller|gälla)\b[^.\d]{0,40}?|\bunder\s+)"
        r"(?:år\s+)?(?P<y>(?:19|20)\d{2})(?![\d-])",
        re.IGNORECASE,
    )
    extension = re.compile(
        r"förläng\w*[^.]{0,20}?((?:19|20)\d{2}) års[^.]{0,30}?(?:gälla|gäller)\s+(?:även|också)?"
        r"\s*(?:för\s+|under\s+)?((?:19|20)\d{2})|förläng\w*\s+(?:till och med|t\.o\.m\.|till)"
        r"\s+((?:19|20)\d{2})",
        re.IGNORECASE,
    )
    ext: Period | None = None
    section = "neutral"
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            section = _heading_kind(block.text)
        in_region = region[0] <= index < region[1]
        bonus = 5 if in_region else -40
        if section == "followup":
            continue
        for sentence in _sentences(block.text):
            excluded = EXCLUDE_CONTEXT.search(sentence) and not re.match(
                r"(?:medborgarlöfte|löfte)", sentence, re.IGNORECASE
            )
            for m in extension.finditer(sentence):
                if m.group(1):
                    ext = Period(date(int(m.group(1)), 1, 1), _year_end(int(m.group(2))))
                else:
                    ext = Period(None, _year_end(int(m.group(3))))
                ext.text, ext.source_lines, ext.extended = m.group(0), block.lines, True
            if excluded:
                continue
            for m in full.finditer(sentence):
                end = _date(m, "b")
                start = _date(m, "a", end.year if end else None)
                if start and end and start < end:
                    period = Period(start, end, m.group(0), block.lines, unsure=False)
                    candidates.append((90 + bonus, index, period))
            for m in months.finditer(sentence):
                year = int(m.group(3))
                first, last = MONTHS[m.group(1).lower()], MONTHS[m.group(2).lower()]
                if first <= last:
                    period = Period(
                        date(year, first, 1),
                        date(year, last, calendar.monthrange(year, last)[1]),
                        m.group(0),
                        block.lines,
                        unsure=False,
                    )
                    candidates.append((80 + bonus, index, period))
            for m in years.finditer(sentence):
                a, b = int(m.group(1)), int(m.group(2))
                if not 0 < b - a <= 5:
                    continue
                cue = block.kind == "heading" or re.search(
                    r"medborgarlöfte|löfte|perioden|åren|gäller|genomförande", sentence, re.I
                )
                period = Period(date(a, 1, 1), _year_end(b), m.group(0), block.lines)
                period.unsure = not cue
                candidates.append(((70 if cue else 45) + bonus, index, period))
            for m in single.finditer(sentence):
                year = int(m.group("y"))
                if years.search(sentence[max(0, m.start("y") - 6) : m.end("y") + 6]):
                    continue
                score = 60 if m.group("cue") else 40
                period = Period(date(year, 1, 1), _year_end(year), m.group(0), block.lines)
                period.unsure = score < 60
                candidates.append((score + bonus, index, period))
    best = max(candidates, key=lambda c: (c[0], -c[1]))[2] if candidates else Period()
    if ext is not None:
        start = ext.from_date or best.from_date
        return Period(start, ext.to_date, ext.text, ext.source_lines, True, unsure=start is None)
    return best


# --- Signatories, title, areas, themes, follow-up --------------------------------------

NAME_WORD = r"[A-ZÅÄÖÉ][a-zåäöéüè]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?"
NAME_RE = re.compile(rf"^(?:{NAME_WORD})(?:\s+(?:{NAME_WORD}|von|af|de)){{1,3}}$")
ROLE_RE = re.compile(
    r"chef|ordförande|direktör|kommunalråd|kommunpolis|regionråd|strateg|samordnare|"
    r"polisområde|handläggare|sekreterare|borgmästare|ledamot|kommunstyrelse|regionstyrelse",
    re.IGNORECASE,
)
NOT_NAME_START = {
    "Till", "Hjälp", "Logotyp", "Sök", "Medborgarlöfte", "Medborgarlöften", "Polisen",
    "Kommunen", "Region", "Startsida", "Foto", "Bild", "Mer", "Läs",
}  # fmt: skip
SIGNED_RE = re.compile(
    r"(?:undertecknats|undertecknades|undertecknas|skrevs under|skrivits under|signerats|"
    r"skrevs på|skrivs under|skriver under|undertecknar|undertecknade)",
    re.IGNORECASE,
)


def _is_name(text: str) -> bool:
    text = text.strip()
    return bool(NAME_RE.match(text)) and text.split()[0] not in NOT_NAME_START


def find_signatories(lines: list[Line]) -> list[Signatory]:
    content = [line for line in lines if line.kind != "blank"]
    authors = set()
    for index, line in enumerate(content[:-1]):
        if re.fullmatch(r"handläggare:?", line.text, re.IGNORECASE):
            authors.add(content[index + 1].text)
        inline = re.match(r"handläggare:?\s+(.+)$", line.text, re.IGNORECASE)
        if inline:
            authors.add(inline.group(1).strip())
    found: list[Signatory] = []

    def add(name, title, nos):
        name, title = name.strip(" ,."), title.strip(" ,.")
        if name not in authors and name not in {s.name for s in found}:
            found.append(Signatory(name, title, list(nos)))

    for index, line in enumerate(content):
        text = line.text
        nxt = content[index + 1] if index + 1 < len(content) else None
        columns = [c for c in re.split(r"\s{3,}", line.raw.strip()) if c]
        if len(columns) >= 2 and all(_is_name(c) for c in columns) and nxt is not None:
            titles = [c for c in re.split(r"\s{3,}", nxt.raw.strip()) if c]
            if len(titles) == len(columns) and all(ROLE_RE.search(t) for t in titles):
                for name, title in zip(columns, titles, strict=True):
                    add(name, title, [line.no, nxt.no])
                continue
        if (
            _is_name(text)
            and nxt is not None
            and ROLE_RE.search(nxt.text)
            and len(nxt.text) < 80
            and not re.search(r"[.!?]$", nxt.text)
        ):
            add(text, nxt.text, [line.no, nxt.no])
            continue
        pair = re.fullmatch(rf"({NAME_WORD}(?:\s+{NAME_WORD}){{1,3}}),\s*([^,]{{3,80}})", text)
        if (
            pair
            and ROLE_RE.search(pair.group(2))
            and pair.group(1).split()[0] not in NOT_NAME_START
        ):
            add(pair.group(1), pair.group(2), [line.no])
            continue
        signed = SIGNED_RE.search(text)
        previous = content[index - 1].text if index else ""
        if signed and re.search(r"\bav\s+", text[signed.end() : signed.end() + 5]):
            listing = re.split(r"(?<=[.])\s", text[signed.end() :].split(" av ", 1)[-1])[0]
            for person in _people(listing):
                add(*person, [line.no])
        elif SIGNED_RE.search(previous) and text.count(",") >= 2:
            for person in _people(text):
                add(*person, [line.no])
    return found


def _people(listing: str) -> list[tuple[str, str]]:
    """ "titel Namn, titel Namn och Namn, titel" → [(name, title), …]."""
    people: list[list[str]] = []
    parts = [p.strip(" .") for p in re.split(r",\s*|\s+och\s+", listing) if p.strip(" .")]
    for part in parts:
        if _is_name(part):
            people.append([part, ""])
            continue
        titled = re.match(
            rf"^([a-zåäö][\wåäö .-]*?)\s+({NAME_WORD}(?:\s+{NAME_WORD}){{1,3}})$", part
        )
        if titled and ROLE_RE.search(titled.group(1)):
            people.append([titled.group(2), titled.group(1)])
        elif people and not people[-1][1] and ROLE_RE.search(part):
            people[-1][1] = part
    return [(name, title) for name, title in people if title]


def _title_candidates(lines: list[Line]) -> list[tuple[str, list[int]]]:
    """Short lines, and a title wrapped onto a second line ("… Katrineholms / kommun 2020")."""
    candidates = []
    for index, line in enumerate(lines):
        if line.kind not in {"heading", "text"} or len(line.text) >= 100:
            continue
        after = lines[index + 1] if index + 1 < len(lines) else None
        if (
            after is not None
            and after.kind in {"heading", "text", "para"}  # "para": joined by _blocks
            and re.match(r"[a-zåäö0-9]", after.text)
            and not re.search(r"[.:;!?]$", line.text)
            and len(line.text) + len(after.text) < 100
        ):
            candidates.append((f"{line.text} {after.text}", [line.no, after.no]))
        candidates.append((line.text, [line.no]))
    return candidates


def _is_sentence(text: str) -> bool:
    """ "… har skrivit under medborgarlöftet för 2024." reads as a sentence, not a title."""
    return text.endswith(".") and len(text.split()) > 4


def find_title(lines: list[Line]) -> tuple[str | None, list[int]]:
    candidates = _title_candidates(lines)
    for test in (
        lambda t: "medborgarlöft" in t.lower() and re.search(r"\d{4}", t) and not _is_sentence(t),
        lambda t: "medborgarlöft" in t.lower() and not _is_sentence(t),
        lambda t: "medborgarlöft" in t.lower(),
    ):
        for text, numbers in candidates:
            if test(text):
                return text.rstrip(":"), numbers
    headings = [line for line in lines if line.kind == "heading"]
    return (headings[0].text, [headings[0].no]) if headings else (None, [])


def find_police_area(text: str) -> str | None:
    counts: dict[str, int] = {}
    for match in re.finditer(
        r"\b(?:[Ll]okalpolisområde(?:t)?|[Ll]okalpolsområde|LPO)\s+"
        r"((?:Norra|Södra|Östra|Västra|Mellersta|Centrala)\s+)?([A-ZÅÄÖ][\wåäö]+)(\s+älvdal)?",
        text,
    ):
        name = "".join(part for part in match.groups() if part).strip()
        counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else None


def find_themes(text: str, themes: dict[str, tuple[str, tuple[str, ...]]]) -> list[str]:
    lower = text.lower()
    return [slug for slug, (_, stems) in themes.items() if any(s in lower for s in stems)]


def find_areas(text: str, areas: list[str]) -> list[str]:
    return [
        area
        for area in areas
        if re.search(rf"(?<![\wåäö]){re.escape(area)}(?![\wåäö])", text, re.I)
    ]


CADENCES = [
    (r"tertial|tre gånger (?:under|per|om|i) (?:året|år|\d{4})|t1\s*-\s*t3", "tertial"),
    (r"kvartal|fyra gånger (?:under|per|om) (?:året|år|\d{4})", "kvartal"),
    (r"halvår|två gånger (?:under|per|om) (?:året|år|\d{4})", "halvar"),
    (r"årligen|en gång (?:per|om|varje) år|årlig uppföljning|varje år", "ar"),
]


def find_followup(blocks: list[Block]) -> FollowUpPlan | None:
    texts, lines = [], []
    section = "neutral"
    for block in blocks:
        if block.kind == "heading":
            section = _heading_kind(block.text)
            continue
        if section == "followup" or (
            block.kind == "para"
            and re.search(
                r"följs upp|följas upp|utvärderas|redovisas|uppföljning", block.text, re.I
            )
        ):
            texts.append(block.text)
            lines.extend(block.lines)
    if not texts:
        return None
    text = " ".join(texts)
    cadence = next((c for p, c in CADENCES if re.search(p, text, re.IGNORECASE)), None)
    return FollowUpPlan(text, cadence, lines)


LEAD_MIN = 80
LEAD_MAX_PARAGRAPHS = 3


def _passages(blocks: list[Block], *, before_line: int, skip_lines: set[int]) -> list[Passage]:
    """Background, lägesbild and effect paragraphs under their headings, and the lead: the
    paragraphs that open the document before its first commitment ("Medborgarlöftet är ett
    löfte om konkreta aktiviteter …"), which become the introduction when no heading says
    "Bakgrund"."""
    result: list[Passage] = []
    lead: list[Passage] = []
    section = "neutral"
    for block in blocks:
        if block.kind == "heading":
            section = _heading_kind(block.text)
            continue
        if block.kind == "para" and section in {"background", "situation", "effect"}:
            result.append(Passage(section, block.text, block.lines))
        elif (
            block.kind == "para"
            and section in {"neutral", "promise"}  # "Åsele – medborgarlöften" is a heading
            and len(lead) < LEAD_MAX_PARAGRAPHS
            and max(block.lines) < before_line
            and not skip_lines.intersection(block.lines)
            and len(block.text) >= LEAD_MIN
            and not block.text.rstrip().endswith(":")
        ):
            lead.append(Passage("background", block.text, block.lines))
    return lead + result


# --- Entry point -----------------------------------------------------------------------


def extract(
    text: str,
    *,
    kommuner: list[str] | None = None,
    areas: list[str] | None = None,
    themes: list[tuple[str, str]] | None = None,
) -> Extraction:
    """Extract a promise from ``text`` (as a reader returns it).

    ``kommuner`` narrows the kommun names looked for (default: all 290),
    ``areas`` are the partnership's area names, ``themes`` its (slug, name)
    pairs; themes not in the built-in vocabulary are matched by their name.
    """
    vocabulary = dict(THEMES)
    for slug, name in themes or []:
        stems = vocabulary.get(slug, (name, ()))[1]
        vocabulary[slug] = (name, (*stems, name.lower()))
    lines = _lines(text)
    blocks = _blocks(lines)
    parties = Parties(text, kommuner)
    commitments, goals = _find_commitments(parties, blocks)
    area_names = list(areas or [])
    for commitment in commitments:
        commitment.themes = find_themes(commitment.text, vocabulary)
        commitment.areas = find_areas(commitment.text, area_names)
    title, title_lines = find_title(lines)
    period = find_period(blocks, _active_region(blocks))
    signatories = find_signatories(lines)
    first_commitment = min(
        (n for commitment in commitments for n in commitment.source_lines), default=len(lines) + 1
    )
    taken = {
        *title_lines,
        *(n for signatory in signatories for n in signatory.source_lines),
    }
    promise_themes: list[str] = []
    for commitment in commitments:
        promise_themes.extend(t for t in commitment.themes if t not in promise_themes)
    return Extraction(
        title=title,
        kommuner=parties.kommuner,
        police_area=find_police_area(text),
        period=period,
        commitments=commitments,
        signatories=signatories,
        themes=promise_themes,
        areas=find_areas(text, area_names),
        passages=_passages(blocks, before_line=first_commitment, skip_lines=taken) + goals,
        followup=find_followup(blocks),
        title_lines=title_lines,
    )
