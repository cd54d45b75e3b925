"""Words residents meet on the public pages, explained in plain Swedish (klarspråk).

Promises are written by officials, and their texts use the officials' words:
EST, SIG, ANDTS, tertial, lägesbild. The signed text stays exactly as signed;
the pages explain the words where they appear (an ``<abbr>`` with the
expansion, see ``explain``) and list the ones a page uses in a short glossary
(``terms_in``), which also serves touch and keyboard users, who cannot see a
tooltip. The full list is on the page about the site (``/om/#ordlista``).
"""

import re
from dataclasses import dataclass
from functools import cache

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Term:
    slug: str
    #: The forms it is written in; abbreviations match case-sensitively, words not.
    forms: tuple[str, ...]
    term: str
    explanation: str
    abbreviation: bool = False


TERMS: tuple[Term, ...] = (
    Term(
        "medborgarlofte",
        ("medborgarlöfte", "medborgarlöften", "medborgarlöftet"),
        _("medborgarlöfte"),
        _(
            "Ett löfte från kommunen och polisen till dem som bor i kommunen om vad de ska "
            "göra för att minska brott och öka tryggheten under en viss tid."
        ),
    ),
    Term(
        "lagesbild",
        ("lägesbild", "lägesbilden", "lägesbilder"),
        _("lägesbild"),
        _(
            "En beskrivning av vilka brott och vilken otrygghet som finns i kommunen. "
            "Kommunen och polisen tar fram den tillsammans, och löftet bygger på den."
        ),
    ),
    Term(
        "lpo",
        ("LPO",),
        _("LPO, lokalpolisområde"),
        _(
            "Polisens indelning närmast invånarna. Ett lokalpolisområde har en eller flera "
            "kommuner."
        ),
        abbreviation=True,
    ),
    Term(
        "lokalpolisomrade",
        ("lokalpolisområde", "lokalpolisområdet"),
        _("lokalpolisområde"),
        _(
            "Polisens indelning närmast invånarna. Ett lokalpolisområde har en eller flera "
            "kommuner."
        ),
    ),
    Term(
        "kommunpolis",
        ("kommunpolis", "kommunpolisen"),
        _("kommunpolis"),
        _("En polis som har särskilt ansvar för samarbetet med kommunen."),
    ),
    Term(
        "est",
        ("EST",),
        _("EST, effektiv samordning för trygghet"),
        _(
            "Ett sätt att arbeta där kommunen, polisen och andra delar med sig av vad de ser, "
            "varje vecka, för att snabbt kunna göra något åt otrygga platser."
        ),
        abbreviation=True,
    ),
    Term(
        "sig",
        ("SIG",),
        _("SIG, sociala insatsgrupper"),
        _(
            "Socialtjänsten, polisen, skolan och andra hjälper tillsammans unga som riskerar "
            "att börja begå brott, eller vill lämna en kriminell miljö."
        ),
        abbreviation=True,
    ),
    Term(
        "sspf",
        ("SSPF",),
        _("SSPF, skola, socialtjänst, polis och fritid"),
        _(
            "Ett samarbete mellan skola, socialtjänst, polis och fritid kring unga som riskerar "
            "att hamna i brott."
        ),
        abbreviation=True,
    ),
    Term(
        "andts",
        ("ANDTS", "ANDT"),
        _("ANDTS"),
        _("Alkohol, narkotika, dopning, tobak och spel om pengar."),
        abbreviation=True,
    ),
    Term(
        "bra",
        ("BRÅ", "Brå"),
        _("Brå, Brottsförebyggande rådet"),
        _("En myndighet som tar fram kunskap om brott och om hur brott kan förebyggas."),
        abbreviation=True,
    ),
    Term(
        "ntu",
        ("NTU",),
        _("NTU, Nationella trygghetsundersökningen"),
        _(
            "Brås stora enkät varje år om hur trygga människor känner sig och vilka brott de "
            "utsatts för."
        ),
        abbreviation=True,
    ),
    Term(
        "tertial",
        ("tertial", "tertialet", "tertialen"),
        _("tertial"),
        _(
            "En tredjedel av året, fyra månader. Den som följer upp varje tertial gör det tre "
            "gånger per år."
        ),
    ),
    Term(
        "trygghetsvandring",
        ("trygghetsvandring", "trygghetsvandringar"),
        _("trygghetsvandring"),
        _(
            "Invånare, kommunen och polisen går tillsammans genom ett område och letar efter "
            "platser som känns otrygga."
        ),
    ),
    Term(
        "grannsamverkan",
        ("grannsamverkan",),
        _("grannsamverkan"),
        _(
            "Grannar hjälps åt att hålla uppsikt över sitt bostadsområde för att minska inbrott "
            "och andra brott."
        ),
    ),
    Term(
        "kontrollsumma",
        ("kontrollsumma", "kontrollsumman", "SHA-256"),
        _("kontrollsumma (SHA-256)"),
        _(
            "Ett fingeravtryck av exakt den text som undertecknades. Ändras ett enda tecken i "
            "texten blir fingeravtrycket ett helt annat, så vem som helst kan se att texten är "
            "densamma som undertecknades."
        ),
    ),
    Term(
        "nyhetsflode",
        ("Atom-flöde", "Atom-flödet", "nyhetsflöde"),
        _("nyhetsflöde (Atom)"),
        _(
            "En adress som en nyhetsläsare eller ett nyhetsprogram kan bevaka, så att du ser när "
            "något nytt publiceras utan att besöka webbplatsen."
        ),
    ),
)


@cache
def _pattern() -> re.Pattern:
    """One alternation over every form, longest first, on word boundaries."""
    forms = sorted({f for t in TERMS for f in t.forms}, key=len, reverse=True)
    alternatives = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)


@cache
def _by_form() -> dict[str, Term]:
    return {f.casefold(): t for t in TERMS for f in t.forms}


def _term_for(match: str) -> Term | None:
    term = _by_form().get(match.casefold())
    if term is None:
        return None
    # "Est" or "sig" in running text is a word, not the abbreviation.
    if term.abbreviation and match not in term.forms:
        return None
    return term


def terms_in(*texts: str) -> list[Term]:
    """The glossary terms ``texts`` use, in the glossary's order."""
    found: set[str] = set()
    for text in texts:
        for match in _pattern().finditer(text or ""):
            term = _term_for(match.group(1))
            if term is not None:
                found.add(term.slug)
    return [t for t in TERMS if t.slug in found]


def explain(text: str) -> SafeString:
    """``text`` escaped, with each abbreviation it uses in an ``<abbr>`` giving its meaning.

    Only abbreviations are marked: a page full of dotted words is harder to
    read, and the ordinary words are in the page's short glossary.
    """
    text = text or ""
    parts: list[str] = []
    position = 0
    for match in _pattern().finditer(text):
        term = _term_for(match.group(1))
        if term is None or not term.abbreviation:
            continue
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html('<abbr title="{}">{}</abbr>', term.explanation, match.group(1)))
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every part is escaped above
