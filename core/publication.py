"""What happens when something becomes public: the search index and the page caches follow.

``changed(group_key)`` is the one "public data changed" hook. Services call it
inside their transaction; it

1. marks the group pending (``core.models.SearchPending``) in that same
   transaction, so a process that dies between the commit and the reindex
   leaves a mark that ``core.search.repair`` finds;
2. once the transaction commits — once per group, however many times the
   transaction called it — brings the group's search entries up to date in
   place and renews the cached pages that show the group.

Cached pages are keyed by the version of one *scope* (``scope_versions``):
``promise:<id>`` (its page, PDF, API document), ``kommun:<slug>`` (its page and
feed) or ``national`` (every list: start page, kommuner, search, feeds,
sitemap, API lists and CSV), plus an epoch that renews everything
(``changed_everywhere``, e.g. an organisation renamed). A change renews the
group's own scopes always, and the scopes of the lists — national, the
kommuner and neighbouring promises a resolver names — only when what lists
show changed: the group's search entries, which carry every published version,
follow-up and activity the lists show. An activity report changes only the
progress on its promise's own page, so every other cached page stays.

Versions are fresh random numbers, never counters: a version lost from the
cache (evicted, Redis restarted) is replaced by one no cached page was ever
stored under, so a page can never come back from before a change.
"""

import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, transaction

from core import search
from core.models import SearchPending

logger = logging.getLogger(__name__)

#: Changes on every change of anything public (PDF cache, bulk files).
GENERATION_KEY = "public:generation"
#: Renews every cached page at once.
EPOCH_KEY = "public:epoch"
SCOPE_PREFIX = "public:scope:"
NATIONAL = "national"


def promise_scope(promise_id: int) -> str:
    return f"promise:{promise_id}"


def municipality_scope(slug: str) -> str:
    return f"kommun:{slug}"


# --- Versions -----------------------------------------------------------------------


def generation() -> int:
    """A number that changes whenever anything public changes."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, secrets.randbits(48), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def _bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key expired or was never set
        cache.set(GENERATION_KEY, secrets.randbits(48), timeout=None)
    _announce()


def _announce() -> None:
    """With Redis: every process drops its copies of the versions (``core.cache``), this
    one at once, the others when the announcement reaches them."""
    announce = getattr(cache, "announce_renewal", None)
    if announce is not None:
        cache.version_watch.forget()
        announce()


#: How long a version first asked for by a page lives. Any URL names a scope
#: (``/kommuner/<anything>/``), so these must not pile up for ever; a version that expires
#: is replaced by a fresh one, which only makes its pages miss once.
ASKED_VERSION_TIMEOUT = 24 * 60 * 60


def scope_keys(*scopes: str) -> list[str]:
    """The cache keys of the epoch and of each scope's version, in that order."""
    return [EPOCH_KEY, *(SCOPE_PREFIX + s for s in scopes)]


def scope_versions(*scopes: str) -> list[int]:
    """The epoch and the version of each scope, in that order: one cache round trip."""
    keys = scope_keys(*scopes)
    found = cache.get_many(keys)
    missing = [k for k in keys if k not in found]
    if missing:
        lasting = (EPOCH_KEY, SCOPE_PREFIX + NATIONAL)
        for key in missing:
            timeout = None if key in lasting else ASKED_VERSION_TIMEOUT
            cache.add(key, secrets.randbits(48), timeout=timeout)
        found.update(cache.get_many(missing))
    return [found.get(k, 0) for k in keys]


def renew(*scopes: str) -> None:
    """Make every cached page of ``scopes`` stale."""
    if scopes:
        cache.set_many({SCOPE_PREFIX + s: secrets.randbits(48) for s in scopes}, timeout=None)
    _bump_generation()


def invalidate_public_pages() -> None:
    """Make every cached public page stale at once."""
    cache.set(EPOCH_KEY, secrets.randbits(48), timeout=None)
    _bump_generation()
    _after_publication()


# --- After a publication: what is built from public data (the open-data files) -------

_after: list[Callable[[], None]] = []


def register_after_publication(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback()`` once public data changed and its pages were renewed (once per
    committed transaction). It should only queue work (a task), never do it."""
    if callback not in _after:
        _after.append(callback)
    return callback


def _after_publication() -> None:
    for callback in _after:
        try:
            callback()
        except Exception:
            logger.exception("Efter publiceringen: %s misslyckades", callback)


# --- Which scopes show a group ------------------------------------------------------


@dataclass(frozen=True)
class Scopes:
    #: Renewed on every change of the group (the promise's own page).
    own: tuple[str, ...]
    #: Renewed when what lists show changed: kommuner, neighbouring promises.
    lists: tuple[str, ...] = ()


ScopeResolver = Callable[[str], Scopes | None]
_resolvers: list[ScopeResolver] = []


def register_scopes(resolver: ScopeResolver) -> ScopeResolver:
    """Register ``resolver(group_key) -> Scopes | None`` (None: not one of its groups)."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)
    return resolver


def _scopes_of(group_key: str) -> Scopes | None:
    for resolver in _resolvers:
        found = resolver(group_key)
        if found is not None:
            return found
    return None


def _publish(group_key: str) -> None:
    """After the commit: reindex in place, then renew what shows the group."""
    try:
        result = search.refresh(group_key)
    except Exception:
        # The pending mark stays; search_check reindexes the group later.
        logger.exception("Sökindexet kunde inte uppdateras för %s", group_key)
        invalidate_public_pages()
        return
    scopes = _scopes_of(group_key)
    if scopes is None:
        invalidate_public_pages()
    elif result.changed:
        renew(*scopes.own, *scopes.lists, NATIONAL)
    else:
        renew(*scopes.own)


# --- The hook -----------------------------------------------------------------------


@dataclass
class _Batch:
    """The groups one transaction changed, published once it commits."""

    keys: set[str] = field(default_factory=set)
    #: Set once it runs: a later change then starts a batch of its own, even where the
    #: callback list is not emptied after running (tests capturing on_commit callbacks).
    ran: bool = False

    def __call__(self) -> None:
        self.ran = True
        publish_collected(self.keys)


_deferred: ContextVar[set[str] | None] = ContextVar("publication_deferred", default=None)


@contextmanager
def deferred() -> Iterator[set[str]]:
    """Collect the changed groups instead of publishing them (bulk loads such as
    ``manage.py generate_national``, which rebuilds the index once at the end).

    The caller must then publish them (``publish_collected``), or rebuild the index
    (``search.rebuild``) and call ``invalidate_public_pages``.
    """
    keys: set[str] = set()
    token = _deferred.set(keys)
    try:
        yield keys
    finally:
        _deferred.reset(token)


def publish_collected(keys: Iterable[str]) -> None:
    """Publish groups as a commit does: each reindexed and its pages renewed, then what
    follows a publication (the bulk files) once. What ``deferred()`` collected is
    published so once, not once per change (``manage.py load_demo``)."""
    keys = sorted(set(keys))
    for key in keys:
        _publish(key)
    if keys:
        _after_publication()


def _current_batch() -> _Batch:
    """This transaction's batch, registered with on_commit once."""
    batch = getattr(connection, "_public_batch", None)
    registered = (
        batch is not None
        and not batch.ran
        and any(entry[1] is batch for entry in connection.run_on_commit)
    )
    if not registered:
        batch = _Batch()
        connection._public_batch = batch
        transaction.on_commit(batch, robust=True)
    return batch


def changed(group_key: str) -> None:
    """Public data of one group changed: reindex it and renew its pages once this commits.

    Call it inside the transaction that makes the change.
    """
    collecting = _deferred.get()
    if collecting is not None:
        collecting.add(group_key)
        return
    if not connection.in_atomic_block:
        publish_collected([group_key])
        return
    batch = _current_batch()
    if group_key not in batch.keys:
        batch.keys.add(group_key)
        SearchPending.objects.bulk_create(
            [SearchPending(group_key=group_key)], ignore_conflicts=True
        )


def changed_everywhere() -> None:
    """Something every public page may show changed (an organisation's name): drop the caches."""
    transaction.on_commit(invalidate_public_pages)
