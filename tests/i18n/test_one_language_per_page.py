"""Must show (issue 16): the English site shows no Swedish UI string on any public page,
and the Swedish site no English one.

What people wrote (titles, commitments, names, the signed text) stays in the language it
was written in, and is marked with ``lang``: on an English page Swedish content carries
``lang="sv"``, on a Swedish page the English summary ``lang="en"``. Everything outside
such elements, text and the attributes a screen reader speaks, is the interface, and
must be in the page's language.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from demo import promises as promises_demo
from promises.models import Promise

pytestmark = pytest.mark.django_db

#: Common words of the Swedish interface; none of them is an English word. The service's
#: name, Medborgarlöfte, is a name and stays as it is in English.
SWEDISH = [
    "och",
    "Kommuner",
    "kommuner",
    "Sök",
    "sök",
    "Medborgarlöften",
    "medborgarlöften",
    "åtaganden",
    "Åtaganden",
    "Uppföljning",
    "uppföljning",
    "Hoppa",
    "huvudinnehållet",
    "Logga",
    "gällande",
    "avslutat",
    "lovar",
    "Läs",
    "Visa",
    "för",
    "inte",
    "är",
    "med",
    "och",
    "av",
    "på",
    "till",
    "som",
    "Tillgänglighet",
    "Personuppgifter",
    "Kontakt",
    "Om",
    "Startsida",
    "Öppna",
    "Lägesbild",
    "lägesbild",
    "Underskrifter",
    "Polisen",
    "Tillsammans",
    "minst",
    "Ingen",
    "uppgift",
]
#: Common words of the English interface, none of them Swedish.
ENGLISH = [
    "the",
    "and",
    "The",
    "Municipalities",
    "municipality",
    "Search",
    "search",
    "promises",
    "Citizen",
    "citizen",
    "commitments",
    "Follow-up",
    "follow-up",
    "Skip",
    "Log",
    "in force",
    "ended",
    "Read",
    "Show",
    "for",
    "not",
    "with",
    "of",
    "to",
    "Accessibility",
    "Privacy",
    "Contact",
    "About",
    "Open data",
    "situation report",
    "Signatures",
    "police",
    "Together",
    "at least",
]
ADDRESS = re.compile(r"(https?://\S+|/\S*)")
SPOKEN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "aria-description")
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class InterfaceText(HTMLParser):
    """The text of a page outside elements in the ``other`` language, and the attributes a
    screen reader speaks, as ``(text, where)`` pairs. Code (``<code>``, ``<pre>``) is in
    neither language; scripts, styles and the map's drawing are not text."""

    SKIPPED = ("script", "style", "svg", "code", "pre")

    def __init__(self, other: str):
        super().__init__(convert_charrefs=True)
        self.other = other
        self.stack: list[tuple[str, bool]] = []
        self.found: list[tuple[str, str]] = []
        #: What was skipped for being in the other language (the page's <title> repeats it).
        self.content: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        in_other = (attrs.get("lang") or "").split("-")[0] == self.other
        if not self.skipping and not in_other and tag != "meta":
            for name in SPOKEN_ATTRIBUTES:
                if attrs.get(name):
                    self.found.append((attrs[name], f"<{tag} {name}>"))
        if tag not in VOID:
            self.stack.append((tag, in_other or tag in self.SKIPPED))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not data.strip():
            return
        if self.skipping:
            self.content.append(data.strip())
        else:
            where = "/".join(tag for tag, _ in self.stack[-3:])
            self.found.append((data.strip(), where))


def leaks(body: str, words: list[str], other: str, names: list[str]) -> list[str]:
    """Interface text holding one of ``words``. ``names`` are proper names (who runs the
    site), which keep their spelling in every language (WCAG 3.1.2 exempts them)."""
    parser = InterfaceText(other)
    parser.feed(body)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-]|\.\w)")
    problems = []
    for text, where in parser.found:
        if ADDRESS.fullmatch(text):
            continue  # an address written out: its path segments are Swedish everywhere
        # The page's <title> repeats the heading written in Swedish.
        quoted = [*names, *parser.content] if where.endswith("title") else names
        for known in sorted(quoted, key=len, reverse=True):
            text = text.replace(known, " ")
        if pattern.search(text):
            problems.append(f"{where}: {text[:120]!r}")
    return problems


def public_paths(client) -> list[str]:
    promise = Promise.objects.get(title=promises_demo.KATRINEHOLM_TITLE)
    return [
        "/",
        "/kommuner/",
        "/kommuner/katrineholm/",
        "/kommuner/kalmar/",
        f"/medborgarloften/{promise.pk}/",
        "/sverige/",
        "/sok/?q=trygghet",
        "/sok/?q=",
        "/om/",
        "/kontakt/",
        "/personuppgifter/",
        "/tillganglighet/",
        "/oppna-data/",
    ]


def test_the_english_site_shows_no_swedish_interface_text(client, full_demo):
    found = {}
    for path in public_paths(client):
        response = client.get(f"/en{path}")
        assert response.status_code == 200, path
        body = response.content.decode()
        assert '<html lang="en">' in body, path
        if problems := leaks(body, SWEDISH, other="sv", names=[settings.SERVICE_OWNER]):
            found[path] = problems
    assert not found, "\n".join(f"/en{p}\n  " + "\n  ".join(v) for p, v in found.items())


def test_the_swedish_site_shows_no_english_interface_text(client, full_demo):
    found = {}
    for path in public_paths(client):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert '<html lang="sv">' in body, path
        if problems := leaks(body, ENGLISH, other="en", names=[settings.SERVICE_OWNER]):
            found[path] = problems
    assert not found, "\n".join(f"{p}\n  " + "\n  ".join(v) for p, v in found.items())
