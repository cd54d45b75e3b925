"""Swedish full-text search over what is published.

Apps register *providers*: ``provider(group_key) -> list[Document]`` returns the
public documents of one group (for example one promise with its commitments,
activities and follow-ups). ``reindex(group_key)`` replaces that group's
entries; services call it on commit whenever something is published.

Matching: PostgreSQL's ``swedish`` text search (stemming, so inflections
match) *or* a substring match, so parts of compound words find their word
("löfte" finds "medborgarlöfte"). The substring match uses pg_trgm's index
where the server has it, and a plain scan where it does not (the embedded
server has no contrib extensions).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import transaction
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.html import escape

from core.models import SearchEntry

MAX_QUERY_LENGTH = 200


@dataclass
class Document:
    kind: str
    title: str
    body: str
    url: str
    facets: dict = field(default_factory=dict)
    published_at: datetime | None = None


Provider = Callable[[str], list[Document]]
GroupLister = Callable[[], list[str]]
_providers: list[Provider] = []
_group_listers: list[GroupLister] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def register_groups(lister: GroupLister) -> GroupLister:
    """Register a function that lists every group key that should be in the index."""
    if lister not in _group_listers:
        _group_listers.append(lister)
    return lister


@transaction.atomic
def rebuild() -> int:
    """Rebuild the whole index from what is published now."""
    SearchEntry.objects.all().delete()
    return sum(reindex(key) for lister in _group_listers for key in lister())


@transaction.atomic
def reindex(group_key: str) -> int:
    """Replace every entry of ``group_key`` with what the providers return now.

    Built in the site's language (Swedish), whatever the language of the
    request that published: the index is searched with Swedish stemming.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _reindex(group_key)


def _reindex(group_key: str) -> int:
    SearchEntry.objects.filter(group_key=group_key).delete()
    entries = [
        SearchEntry(
            group_key=group_key,
            kind=doc.kind,
            title=doc.title[:300],
            body=doc.body,
            url=doc.url,
            facets=doc.facets,
            published_at=doc.published_at,
        )
        for provider in _providers
        for doc in provider(group_key)
    ]
    SearchEntry.objects.bulk_create(entries)
    return len(entries)


def reindex_on_commit(group_key: str) -> None:
    transaction.on_commit(lambda: reindex(group_key))


def clean_query(text: str) -> str:
    """Trim, collapse white space and cap the length of what the user typed."""
    return re.sub(r"\s+", " ", (text or "")).strip()[:MAX_QUERY_LENGTH]


def _terms(query: str) -> list[str]:
    """Words of at least three letters, for the substring match."""
    return [t for t in re.findall(r"\w+", query.lower()) if len(t) >= 3][:8]


def search(query: str, *, facets: dict | None = None):
    """Entries matching ``query`` and every facet filter, best first.

    Each result has ``rank``; ``highlight()`` makes the snippet to show.
    """
    query = clean_query(query)
    entries = SearchEntry.objects.all()
    for key, value in (facets or {}).items():
        if value not in (None, ""):
            entries = entries.filter(facets__contains={key: [value]})
    if not query:
        return entries.none()
    ts_query = SearchQuery(query, config="swedish", search_type="websearch")
    terms = _terms(query)
    substring = Q()
    for term in terms:
        substring &= Q(title__icontains=term) | Q(body__icontains=term)
    condition = Q(document=ts_query) | (substring if terms else Q(pk__in=[]))
    return (
        entries.filter(condition)
        .annotate(
            rank=Coalesce(
                SearchRank(F("document"), ts_query), Value(0.0), output_field=FloatField()
            )
            + Value(0.01),
        )
        .order_by("-rank", "-published_at", "pk")
    )


def _stems(query: str) -> list[str]:
    """Rough stems for marking matches: inflected forms share all but the last letters."""
    return [t if len(t) < 6 else t[:-2] for t in _terms(query)]


def highlight(text: str, query: str, *, length: int = 240) -> str:
    """Escape ``text`` and wrap the matched words in <mark>.

    Done here rather than with ts_headline, which does not escape HTML.
    """
    terms = _stems(clean_query(query))
    lowered = text.lower()
    start = min((lowered.find(t) for t in terms if t in lowered), default=0)
    start = max(0, start - 60)
    snippet = text[start : start + length]
    html = escape(snippet)
    if terms:
        # Mark whole words that contain a term, so "löfte" marks "medborgarlöfte".
        pattern = "|".join(re.escape(str(escape(term))) for term in terms)
        html = re.sub(rf"(\w*(?:{pattern})\w*)", r"<mark>\1</mark>", html, flags=re.IGNORECASE)
    return ("…" if start else "") + html + ("…" if start + length < len(text) else "")
