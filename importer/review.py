"""From an extraction to the review page: what the extractor proposes, in the portal's terms.

The extractor speaks in owner tokens (``police``, ``kommun:Katrineholm``,
``other:Borås City``), theme slugs and area names; the review forms speak in
the partnership's organisations, themes and areas. This module translates,
attaches the quoted source lines to every proposal, and says where it had to
guess (``unsure``) and why (``notes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from importer import extract as ex
from importer.readers import Document
from organizations.models import Area, Organisation, Partnership
from promises.forms import themes_for
from promises.models import Commitment, Promise
from promises.owners import heading

#: The extractor's "per" words and the commitment target periods they become.
TARGET_PERIODS = {
    "år": Commitment.Period.YEAR,
    "tertial": Commitment.Period.TERTIAL,
    "månad": Commitment.Period.MONTH,
    "vecka": Commitment.Period.WEEK,
}
TITLE_MAX = 200


@dataclass
class Quote:
    """Source lines as (line number, text), for the page to show beside a proposal."""

    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        numbers = [no for no, _text in self.lines]
        if not numbers:
            return ""
        if len(numbers) == 1:
            return _("rad %(line)s") % {"line": numbers[0]}
        return _("rad %(first)s–%(last)s") % {"first": numbers[0], "last": numbers[-1]}


@dataclass
class Proposal:
    """One proposed commitment: its initial form values, where it came from, how sure."""

    initial: dict
    quote: Quote
    heading: str
    unsure: bool
    notes: list[str]


@dataclass
class Review:
    document: Document
    extraction: ex.Extraction
    promise_initial: dict
    promise_quotes: dict[str, Quote]
    promise_notes: dict[str, list[str]]
    proposals: list[Proposal]
    signatories: list[tuple[ex.Signatory, Quote]]

    @property
    def numbered_lines(self) -> list[tuple[int, str]]:
        return list(enumerate(self.document.lines, start=1))


def quote(document: Document, numbers: list[int]) -> Quote:
    lines = document.lines
    return Quote([(no, lines[no - 1]) for no in sorted(set(numbers)) if 0 < no <= len(lines)])


class Vocabulary:
    """The partnership's parties, themes and areas, loaded once per page."""

    def __init__(self, partnership: Partnership):
        self.partnership = partnership
        self.police = partnership.police_area
        self.kommuner = list(partnership.municipalities.order_by("name"))
        self.others = list(partnership.other_partners.order_by("name"))
        self.themes = list(themes_for(partnership))
        self.areas = list(
            Area.objects.for_partnership(partnership)
            .select_related("municipality")
            .order_by("name", "pk")
        )

    @property
    def parties(self) -> list[Organisation]:
        return [self.police, *self.kommuner, *self.others]

    def extract(self, document: Document) -> ex.Extraction:
        # All 290 names, not only the partnership's: a document that names another kommun
        # ("Laxå kommun lovar" in Heby's partnership) is flagged instead of silently given
        # to the partnership's kommun.
        return ex.extract(
            document.text,
            kommuner=None,
            areas=sorted({area.name for area in self.areas}),
            themes=[(theme.slug, theme.name) for theme in self.themes],
        )

    def owners(self, tokens: list[str]) -> tuple[list[Organisation], list[str]]:
        """Organisations for the extractor's owner tokens, and notes on what did not match."""
        found: list[Organisation] = []
        notes: list[str] = []

        def add(org):
            if org not in found:
                found.append(org)

        for token in tokens:
            if token == ex.POLICE:
                add(self.police)
            elif token == ex.ANY_MUNICIPALITY:
                for org in self.kommuner:
                    add(org)
            elif token.startswith("kommun:"):
                name = token.removeprefix("kommun:")
                match = next((o for o in self.kommuner if o.name.lower() == name.lower()), None)
                if match is None:
                    notes.append(_("%(name)s kommun är inte part i samverkan.") % {"name": name})
                else:
                    add(match)
            elif token.startswith("other:"):
                name = token.removeprefix("other:").lower()
                match = next(
                    (o for o in self.others if name in {o.name.lower(), o.display_name.lower()}),
                    None,
                )
                if match is None:
                    notes.append(
                        _("”%(name)s” är inte part i samverkan.")
                        % {"name": token.removeprefix("other:")}
                    )
                else:
                    add(match)
        return found, notes

    def theme_ids(self, slugs: list[str]) -> list[int]:
        by_slug = {theme.slug: theme for theme in self.themes}
        return [by_slug[slug].pk for slug in slugs if slug in by_slug]

    def missing_themes(self, slugs: list[str]) -> list[str]:
        """Names of themes the extractor found that the portal has no row for."""
        have = {theme.slug for theme in self.themes}
        return [ex.THEMES[slug][0] for slug in slugs if slug not in have and slug in ex.THEMES]

    def outsiders(self, names: list[str]) -> list[str]:
        """Kommuner the document names that are not parties to the partnership."""
        parties = {org.name.lower() for org in self.kommuner}
        return [name for name in names if name.lower() not in parties]

    def area_ids(self, names: list[str]) -> list[int]:
        wanted = {name.lower() for name in names}
        return [area.pk for area in self.areas if area.name.lower() in wanted]


def _commitment(vocabulary: Vocabulary, document: Document, item: ex.Commitment) -> Proposal:
    owners, notes = vocabulary.owners(item.owners)
    notes = [*item.notes, *notes]
    unsure = item.unsure or bool(notes) or not owners
    initial = {
        "include": True,
        "text": item.text,
        "owners": [org.pk for org in owners],
        "condition": (item.condition or "")[:300],
        "target_period": Commitment.Period.WHOLE,
    }
    if item.target is not None:
        initial["target_quantity"] = item.target.quantity
        initial["target_unit"] = item.target.unit[:80]
        if item.target.per:
            period = TARGET_PERIODS.get(item.target.per)
            if period is None:
                unsure = True
                notes.append(
                    _("Målet gäller per %(per)s i dokumentet; välj den period som passar.")
                    % {"per": item.target.per}
                )
            else:
                initial["target_period"] = period
    themes = vocabulary.theme_ids(item.themes)
    if themes:
        initial["theme"] = themes[0]
    for name in vocabulary.missing_themes(item.themes):
        notes.append(
            _("Texten handlar om %(theme)s, men det temat finns inte i portalen; välj ett annat.")
            % {"theme": name.lower()}
        )
    initial["areas"] = vocabulary.area_ids(item.areas)
    return Proposal(
        initial=initial,
        quote=quote(document, item.source_lines),
        heading=heading(owners) if owners else _("Vem lovar? Välj nedan"),
        unsure=unsure,
        notes=notes,
    )


def build(
    partnership: Partnership, document: Document, *, vocabulary: Vocabulary | None = None
) -> Review:
    """Everything the review page proposes for ``document`` in ``partnership``."""
    vocabulary = vocabulary or Vocabulary(partnership)
    extraction = vocabulary.extract(document)
    period = extraction.period
    notes: dict[str, list[str]] = {"title": [], "period": []}
    title = extraction.title or ""
    outsiders = vocabulary.outsiders(extraction.kommuner)
    # Every kommun the document names is outside the partnership: the wrong one, perhaps.
    wrong_partnership = bool(outsiders) and len(outsiders) == len(extraction.kommuner)
    if wrong_partnership:
        notes["title"].append(
            _(
                "Dokumentet nämner %(named)s men inte %(parties)s. Kontrollera att du importerar "
                "till rätt samverkan."
            )
            % {
                "named": ", ".join(f"{name} kommun" for name in outsiders),
                "parties": ", ".join(org.display_name for org in vocabulary.kommuner)
                or partnership.name,
            }
        )
    if not title:
        notes["title"].append(_("Ingen rubrik hittades; skriv en."))
    elif len(title) > TITLE_MAX:
        title = title[:TITLE_MAX].rstrip()
        notes["title"].append(_("Rubriken var längre än 200 tecken och har kortats."))
    if (
        title
        and vocabulary.kommuner
        and not wrong_partnership  # said above
        and not any(org.name.lower() in title.lower() for org in vocabulary.kommuner)
    ):
        notes["title"].append(
            _(
                "Rubriken nämner ingen kommun. Skriv gärna in kommunens namn, så att invånarna "
                "ser vems löfte det är i listor och sökresultat."
            )
        )
    if period.from_date is None or period.to_date is None:
        notes["period"].append(_("Ingen period hittades; fyll i när löftet gäller."))
    elif period.unsure:
        notes["period"].append(_("Perioden är gissad; kontrollera datumen."))
    if period.extended:
        notes["period"].append(
            _(
                "Dokumentet nämner en förlängning. Perioden nedan slutar med förlängningen; "
                "ange den ursprungliga perioden och ”Förlängt till” om du vill skilja dem åt."
            )
        )
    passages = {"background": [], "effect": []}
    for passage in extraction.passages:
        if passage.kind in passages:
            passages[passage.kind].append(passage)
    promise_initial = {
        "title": title,
        "valid_from_date": period.from_date,
        "valid_to_date": period.to_date,
        "introduction": "\n\n".join(p.text for p in passages["background"]),
        "effect_goal": "\n\n".join(p.text for p in passages["effect"]),
        "themes": vocabulary.theme_ids(extraction.themes),
        "areas": vocabulary.area_ids(extraction.areas),
    }
    if extraction.followup and extraction.followup.cadence:
        promise_initial["followup_cadence"] = extraction.followup.cadence
    quotes = {
        "title": quote(document, extraction.title_lines),
        "period": quote(document, period.source_lines),
        "introduction": quote(
            document, [n for p in passages["background"] for n in p.source_lines]
        ),
        "effect_goal": quote(document, [n for p in passages["effect"] for n in p.source_lines]),
        "followup_cadence": quote(
            document, extraction.followup.source_lines if extraction.followup else []
        ),
    }
    return Review(
        document=document,
        extraction=extraction,
        promise_initial=promise_initial,
        promise_quotes=quotes,
        promise_notes=notes,
        proposals=[_commitment(vocabulary, document, c) for c in extraction.commitments],
        signatories=[(s, quote(document, s.source_lines)) for s in extraction.signatories],
    )


def earlier_promises(partnership: Partnership, sha256: str, period: ex.Period) -> list[dict]:
    """The partnership's promises this import may repeat: made from the same document
    (same SHA-256), or for the same period. Importing again is allowed (a second try may
    be wanted), but never without being told."""
    from importer.models import SourceDocument

    same_file = set(
        SourceDocument.objects.filter(promise__partnership=partnership, sha256=sha256).values_list(
            "promise_id", flat=True
        )
    )
    same_period = Promise.objects.none()
    if period.from_date and period.to_date:
        same_period = Promise.objects.filter(
            partnership=partnership,
            valid_from_date=period.from_date,
            valid_to_date=period.to_date,
        )
    found = Promise.objects.filter(pk__in=same_file) | same_period
    return [
        {"promise": promise, "same_file": promise.pk in same_file}
        for promise in found.distinct().order_by("-created_at", "-pk")[:5]
    ]
