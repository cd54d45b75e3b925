"""Swedish full-text search over what is published.

Apps register *providers*: ``provider(group_key) -> list[Document]`` returns the
public documents of one group (for example one promise with its commitments,
activities and follow-ups). ``reindex(group_key)`` brings that group's entries
up to date *in place*: entries whose content is unchanged are left alone, only
the difference is deleted and inserted, so the frequent changes that alter
nothing searchable (an activity report) write nothing and the table does not
bloat. ``core.publication`` calls it once the change commits.

Matching uses two GIN indexes of core PostgreSQL (no contrib extension, so the
embedded server uses them as well):

* ``document``: the ``swedish`` text search configuration (stemming, so
  inflections match), ranked;
* ``parts``: every ending of every word, unstemmed. A search term is looked up
  as a *prefix* of those endings, which finds it anywhere inside a word —
  parts of compound words find their word ("löfte" finds "medborgarlöfte",
  "brott" finds "ungdomsbrottslighet") through the index instead of a scan.

An entry matches either way, and with several terms every term must occur.

Crash safety: a change marks its group pending in the same transaction
(``core.models.SearchPending``); ``repair()`` (``manage.py search_check``, run on
start) reindexes pending groups, adds published groups missing from the index
and drops entries of groups that are no longer published.
"""

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, connections, transaction
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.html import escape

from core.models import SearchEntry, SearchPending

MAX_QUERY_LENGTH = 200
#: Words longer than this are not split into parts (URLs, codes): nobody searches inside them.
MAX_WORD_LENGTH = 40
#: The shortest part indexed and the shortest term looked up inside words.
MIN_PART_LENGTH = 3
_WORD = re.compile(r"[^\W_]+")


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
Refresher = Callable[[str], None]
_providers: list[Provider] = []
_group_listers: list[GroupLister] = []
_refreshers: list[Refresher] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def register_refresher(refresher: Refresher) -> Refresher:
    """Register ``refresher(group_key)``: other data derived from a group's published
    content (``followups.status_counts``), rewritten in the same transaction as the
    group's entries. A crash before it leaves the group pending, and ``repair``
    brings both back; ``rebuild`` rewrites both."""
    if refresher not in _refreshers:
        _refreshers.append(refresher)
    return refresher


def register_groups(lister: GroupLister) -> GroupLister:
    """Register a function that lists every group key that should be in the index."""
    if lister not in _group_listers:
        _group_listers.append(lister)
    return lister


# --- What one reindex shares between providers --------------------------------------

_memo: ContextVar[dict | None] = ContextVar("search_memo", default=None)


def memo(key, factory: Callable):
    """``factory()``, computed once per reindex of a group and shared by its providers.

    Every provider of a promise's group reads the same published promise; this
    reads it once instead of once per provider. Outside a reindex it just calls
    ``factory``.
    """
    cache = _memo.get()
    if cache is None:
        return factory()
    if key not in cache:
        cache[key] = factory()
    return cache[key]


# --- Entries ------------------------------------------------------------------------


def word_parts(text: str) -> set[str]:
    """Every ending of at least ``MIN_PART_LENGTH`` letters of every word, lower case."""
    parts = set()
    for word in _WORD.findall(text.lower()):
        if MIN_PART_LENGTH <= len(word) <= MAX_WORD_LENGTH:
            parts.update(word[i:] for i in range(len(word) - MIN_PART_LENGTH + 1))
    return parts


def parts_vector(title: str, body: str) -> str:
    """The ``parts`` column as a tsvector literal (lexemes are letters and digits only)."""
    return " ".join(f"'{part}'" for part in sorted(word_parts(f"{title} {body}")))


def _digest(group_key: str, doc: Document, title: str) -> str:
    data = [
        group_key,
        doc.kind,
        title,
        doc.body,
        doc.url,
        doc.facets,
        doc.published_at.isoformat() if doc.published_at else None,
    ]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _entry(group_key: str, doc: Document) -> SearchEntry:
    title = doc.title[:300]
    return SearchEntry(
        group_key=group_key,
        kind=doc.kind,
        title=title,
        body=doc.body,
        url=doc.url,
        facets=doc.facets,
        published_at=doc.published_at,
        parts=parts_vector(title, doc.body),
        digest=_digest(group_key, doc, title),
    )


def _documents(group_key: str) -> list[Document]:
    token = _memo.set({})
    try:
        return [doc for provider in _providers for doc in provider(group_key)]
    finally:
        _memo.reset(token)


def _lock_group(group_key: str) -> None:
    """Two processes reindexing one group take turns (ends with the transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"search:{group_key}"])


@dataclass(frozen=True)
class Reindexed:
    entries: int
    inserted: int
    deleted: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted)


def refresh(group_key: str) -> Reindexed:
    """Bring ``group_key`` up to date in place and clear its pending mark; what changed.

    Built in the site's language (Swedish), whatever the language of the
    request that published: the index is searched with Swedish stemming.
    """
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        _lock_group(group_key)
        wanted = [_entry(group_key, doc) for doc in _documents(group_key)]
        existing = list(SearchEntry.objects.filter(group_key=group_key).values_list("pk", "digest"))
        keep = Counter(entry.digest for entry in wanted)
        stale = []
        for pk, digest in existing:
            if keep[digest] > 0:
                keep[digest] -= 1
            else:
                stale.append(pk)
        have = Counter(digest for _pk, digest in existing)
        new = []
        for entry in wanted:
            if have[entry.digest] > 0:
                have[entry.digest] -= 1
            else:
                new.append(entry)
        if stale:
            SearchEntry.objects.filter(pk__in=stale).delete()
        if new:
            SearchEntry.objects.bulk_create(new)
        for refresher in _refreshers:
            refresher(group_key)
        SearchPending.objects.filter(group_key=group_key).delete()
    return Reindexed(entries=len(wanted), inserted=len(new), deleted=len(stale))


def reindex(group_key: str) -> int:
    """Bring ``group_key``'s entries up to date (in place); the number of entries it has."""
    return refresh(group_key).entries


def reindex_on_commit(group_key: str) -> None:
    transaction.on_commit(lambda: reindex(group_key))


def published_groups() -> list[str]:
    """Every group key that should be in the index, from the registered listers."""
    return [key for lister in _group_listers for key in lister()]


def _indexed_groups() -> set[str]:
    return set(SearchEntry.objects.order_by().values_list("group_key", flat=True).distinct())


def _drop_groups(keys: Iterable[str]) -> int:
    keys = list(keys)
    if not keys:
        return 0
    deleted, _ = SearchEntry.objects.filter(group_key__in=keys).delete()
    SearchPending.objects.filter(group_key__in=keys).delete()
    return deleted


def rebuild() -> int:
    """Recompute every published group in place and drop the rest; the number of entries.

    Searches keep working meanwhile: nothing is emptied first.
    """
    wanted = published_groups()
    total = sum(reindex(key) for key in wanted)
    _drop_groups(_indexed_groups() - set(wanted))
    SearchPending.objects.exclude(group_key__in=wanted).delete()
    return total


@dataclass(frozen=True)
class Repair:
    pending: list[str]
    missing: list[str]
    dropped: list[str]

    @property
    def fixed(self) -> int:
        return len(self.pending) + len(self.missing) + len(self.dropped)


def repair() -> Repair:
    """Make the index complete again after a crash, cheaply: three small queries when fine.

    Reindexes groups marked pending (changed, but the process died before the
    reindex), indexes published groups that have no entry at all, and drops
    entries of groups that are no longer published.
    """
    wanted = set(published_groups())
    indexed = _indexed_groups()
    pending = sorted(set(SearchPending.objects.values_list("group_key", flat=True)) & wanted)
    missing = sorted(wanted - indexed - set(pending))
    dropped = sorted(indexed - wanted)
    for key in [*pending, *missing]:
        reindex(key)
    _drop_groups(dropped)
    SearchPending.objects.exclude(group_key__in=wanted).delete()
    return Repair(pending=pending, missing=missing, dropped=dropped)


# --- Searching ----------------------------------------------------------------------


def clean_query(text: str) -> str:
    """Trim, collapse white space and cap the length of what the user typed."""
    return re.sub(r"\s+", " ", (text or "")).strip()[:MAX_QUERY_LENGTH]


def _terms(query: str) -> list[str]:
    """Words of at least three letters, for the match inside words."""
    return [t for t in _WORD.findall(query.lower()) if len(t) >= MIN_PART_LENGTH][:8]


#: Search pages count matches only this far ("fler än 200 träffar" beyond it).
COUNT_CAP = 200


def count_upto(results, cap: int = COUNT_CAP) -> int:
    """How many entries ``results`` (from ``search()``) holds, counting no further than
    ``cap + 1``: ids only, unordered and unranked, so the count stops after that many
    matches instead of ranking and counting every one."""
    return results.order_by().values("pk")[: cap + 1].count()


@contextmanager
def through_the_indexes(using: str = "default") -> Iterator[None]:
    """Read search results through the GIN indexes, never a sequential scan.

    For a word in many entries ("narkotika" is in 12,000 of 55,600 at national
    size) the planner prefers reading the whole table, because it does not count
    the cost of unpacking each row's word-endings vector to test it: 96 ms,
    against 47 through the two indexes, which read only the matching rows. Set for
    this transaction only, and put back as it was on the way out (inside a larger
    transaction too): nothing else is planned differently.
    """
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)"
        )
        before = cursor.fetchone()[0]
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])


def _matching(query: str, facets: dict | None):
    """``(entries, whole words, inside words)`` for ``query``: the entries the facets
    allow, the Swedish full-text query, and the prefix query for parts of words (None
    when no term is long enough). None when there is nothing to search for."""
    query = clean_query(query)
    entries = SearchEntry.objects.defer("document", "parts")
    for key, value in (facets or {}).items():
        if value not in (None, ""):
            entries = entries.filter(facets__contains={key: [value]})
    if not query:
        return None
    words = SearchQuery(query, config="swedish", search_type="websearch")
    terms = _terms(query)
    inside = None
    if terms:
        inside = SearchQuery(
            " & ".join(f"{term}:*" for term in terms), config="simple", search_type="raw"
        )
    return entries, words, inside


#: Best first: by rank, then the newest.
ORDER = ("-rank", "-published_at", "pk")
NEWEST = ORDER[1:]
#: Whole-word matches ranked by their text: the newest this many of them. A word in
#: nearly every entry ("polisen": 41,000 of the 55,600 national entries) would
#: otherwise unpack and rank every match's vector for each page (130 ms), to sort
#: entries the word barely tells apart; past this many, newest first.
RANK_WINDOW = 1000
#: The rank of a match inside words only ("löfte" in "medborgarlöfte"), of a whole-word
#: match beyond the window, and what a whole-word match in the window adds to its
#: full-text rank (which is 0 for some matches, "a -b"): each kind comes before the next.
INSIDE_RANK = 0.01
WORD_RANK = 0.02
RANKED = 0.03


def _whole_words(entries, words):
    """``(whole-word matches, the ids of the newest RANK_WINDOW of them)``."""
    whole = entries.filter(document=words)
    return whole, whole.order_by(*NEWEST).values("pk")[:RANK_WINDOW]


def _tiers(entries, words, inside) -> list:
    """The matches in the order ``search()`` lists them, as consecutive querysets:
    the window of whole-word matches ranked, older whole-word matches, then those found
    only inside words — the last two newest first, each a read through an index."""
    whole, window = _whole_words(entries, words)
    tiers = [
        whole.filter(pk__in=window).annotate(rank=_text_rank(words)).order_by(*ORDER),
        whole.exclude(pk__in=window).annotate(rank=_fixed(WORD_RANK)).order_by(*NEWEST),
    ]
    if inside is not None:
        only_inside = entries.filter(parts=inside).exclude(document=words)
        tiers.append(only_inside.annotate(rank=_fixed(INSIDE_RANK)).order_by(*NEWEST))
    return tiers


def _text_rank(words: SearchQuery):
    # In double precision: ``ts_rank`` is a real, and ``real + 0.03`` is a real just below
    # 0.03, which no longer compares equal to ``RANKED``.
    return Cast(SearchRank(F("document"), words), FloatField()) + _fixed(RANKED)


def _fixed(rank: float) -> Value:
    return Value(rank, output_field=FloatField())


def search(query: str, *, facets: dict | None = None):
    """Entries matching ``query`` and every facet filter, best first, in one queryset.

    Each result has ``rank``. The newest ``RANK_WINDOW`` entries that match whole
    words (``document``) come first, by full-text rank (plus ``RANKED``); older
    whole-word matches follow (``WORD_RANK``), then those found only inside words
    (``INSIDE_RANK``), both newest first. ``hits()`` reads a page of the same order
    without ranking or sorting every match. ``highlight()`` makes the snippet to
    show; the vectors themselves are not fetched.
    """
    found = _matching(query, facets)
    if found is None:
        return SearchEntry.objects.none()
    entries, words, inside = found
    whole, window = _whole_words(entries, words)
    condition = Q(document=words) | Q(parts=inside) if inside is not None else Q(document=words)
    rank = Case(
        When(pk__in=window, then=_text_rank(words)),
        When(pk__in=whole.values("pk"), then=_fixed(WORD_RANK)),
        default=_fixed(INSIDE_RANK),
        output_field=FloatField(),
    )
    return entries.filter(condition).annotate(rank=rank).order_by(*ORDER)


@dataclass(frozen=True)
class Hits:
    """``search(query, facets)`` to be read a slice at a time (the search page).

    A slice is read kind by kind (``_tiers``): the ranked window, then, to fill the
    slice, older whole-word matches and those found only inside words, newest first
    through ``searchentry_newest``. At national size "löfte", found inside words in
    32,000 entries, takes 17 ms a page instead of 100; "polisen" ranks a thousand
    entries, not 41,000. A tier is counted only when the slice starts past it.
    """

    query: str
    facets: dict | None = None

    @property
    def db(self) -> str:
        return SearchEntry.objects.db

    def __bool__(self) -> bool:
        return _matching(self.query, self.facets) is not None

    def __getitem__(self, page: slice) -> list[SearchEntry]:
        start, stop = page.start or 0, page.stop
        found = _matching(self.query, self.facets)
        if found is None or stop <= start:
            return []
        rows: list[SearchEntry] = []
        offset = start  # of the slice's first row within the tier being read
        tiers = _tiers(*found)
        for n, tier in enumerate(tiers):
            wanted = stop - start - len(rows)
            if wanted <= 0:
                break
            if tier is None:
                continue
            got = list(tier[offset : offset + wanted])
            size = None  # of this kind, when this read tells it
            if got or not offset:
                rows += got
                if len(got) < wanted:
                    size = offset + len(got)
                offset = 0
            elif n < len(tiers) - 1:  # past this kind: where the next one starts
                size = tier.count()
                offset = max(0, offset - size)
            if n == 0 and size is not None and size < RANK_WINDOW:
                tiers[1] = None  # fewer whole-word matches than the window: none older
        return rows

    def count_upto(self, cap: int = COUNT_CAP) -> int:
        return count_upto(search(self.query, facets=self.facets), cap)


def hits(query: str, *, facets: dict | None = None) -> Hits:
    """The results of ``search()``, for reading a page at a time."""
    return Hits(query, facets)


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
