"""The Redis cache backend, with one Redis client per connection pool instead of one per call.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every
cache operation. A client is cheap to keep but not to build: its constructor
fills a table of about 170 response callbacks, which took a fifth of the time
of a page served from the cache (``public.caching.PageCacheMiddleware``). A
``redis.Redis`` is safe to share between threads — it takes a connection from
its pool for each command — so one per pool is enough. Everything else is
Django's backend: the same pools, serializer, options and URLs
(``CACHE_URL=redis://…``, chosen in settings).
"""

import contextlib
import logging
import os
import threading
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping the ``redis.Redis`` it builds for each pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with shared clients."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    @cached_property
    def version_watch(self) -> "VersionWatch":
        """Kept current by pub/sub: see ``VersionWatch``. One per process (the cache
        object is per thread, the watch is shared through ``version_watch_for``)."""
        return version_watch_for(self._servers[0], lambda: self._cache.get_client(write=True))

    def announce_renewal(self) -> None:
        """Tell every process that page-cache versions changed (``core.publication``)."""
        self._cache.get_client(write=True).publish(VERSIONS_CHANNEL, b"renewed")


# --- Scope versions, pushed to every process -------------------------------------------

#: The channel on which a renewal of public pages is announced (``core.publication``).
VERSIONS_CHANNEL = "medborgarlofte:public-versions"


class VersionWatch:
    """This process's copy of the page-cache versions, kept true by Redis pub/sub.

    A cached page is served only at the versions of the scopes it shows
    (``public.caching.PageKey``); asking Redis for them costs a round trip, half of
    the time of a page served from the cache. Here each version read from Redis is
    kept, and dropped — all of them — the moment any renewal is announced
    (``core.publication``), so a publication makes its pages miss in every process
    as soon as the message arrives, as it does in the process that published.

    It never trusts more than it can know:

    - only while subscribed and answered: the thread pings every second, and without
      a pong for ``SILENCE_SECONDS`` (a dead connection, a Redis restart) every copy is
      dropped and each request asks Redis again until the subscription is back;
    - a version read while an announcement arrived is not kept (``generation``), so a
      value read just before a renewal cannot outlive it;
    - no copy is older than ``TRUST_SECONDS``, whatever happened to the channel.
    """

    TRUST_SECONDS = 5.0
    SILENCE_SECONDS = 3.0
    PING_SECONDS = 1.0

    def __init__(self, client_factory):
        self._client_factory = client_factory
        self._versions: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()
        self._pid = None
        self._last_pong = 0.0
        self._subscribed = False
        self._stopped = threading.Event()
        #: Changes with every announcement and every loss of the subscription.
        self.generation = 0

    # --- Read by the page cache --------------------------------------------------------

    def get(self, keys: list[str]) -> tuple | None:
        """The versions of ``keys`` when every one is known and trusted, else None."""
        self._ensure_running()
        if not self._live():
            return None
        oldest = time.monotonic() - self.TRUST_SECONDS
        values = []
        for key in keys:
            found = self._versions.get(key)
            if found is None or found[0] < oldest:
                return None
            values.append(found[1])
        return tuple(values)

    def remember(self, found: dict, generation: int) -> None:
        """Keep versions read from Redis, unless an announcement came in meanwhile."""
        if not self._live():
            return
        now = time.monotonic()
        with self._lock:
            if generation != self.generation:
                return
            for key, value in found.items():
                self._versions[key] = (now, value)

    def forget(self) -> None:
        """Drop every copy (an announcement, a lost subscription, or this process's own
        renewal, which must not wait for its message to come back)."""
        with self._lock:
            self.generation += 1
            self._versions.clear()

    # --- The subscriber thread -------------------------------------------------------------

    def _live(self) -> bool:
        return self._subscribed and time.monotonic() - self._last_pong < self.SILENCE_SECONDS

    def _ensure_running(self) -> None:
        pid = os.getpid()
        if self._pid == pid:
            return
        with self._lock:
            if self._pid == pid:
                return
            # A new process (gunicorn forks): nothing inherited is trusted.
            self._pid = pid
            self._subscribed = False
            self._versions.clear()
            self.generation += 1
            threading.Thread(target=self._run, name="page-cache-versions", daemon=True).start()

    def stop(self) -> None:
        """End the subscriber thread (a test's watch on a Redis that is not there)."""
        self._stopped.set()

    def _run(self) -> None:
        reported = False  # one warning per outage, not one a second
        while not self._stopped.is_set():
            pubsub = None
            try:
                pubsub = self._client_factory().pubsub()
                pubsub.subscribe(VERSIONS_CHANNEL)
                last_ping = 0.0
                while not self._stopped.is_set():
                    now = time.monotonic()
                    if now - last_ping >= self.PING_SECONDS:
                        pubsub.ping()
                        last_ping = now
                    message = pubsub.get_message(timeout=self.PING_SECONDS)
                    if message is None:
                        continue
                    kind = message.get("type")
                    if kind == "subscribe":
                        self.forget()
                        self._subscribed = True
                        self._last_pong = time.monotonic()
                        reported = False
                    elif kind == "pong":
                        self._last_pong = time.monotonic()
                    elif kind == "message":
                        self.forget()
            except Exception:  # noqa: BLE001 — any failure: trust nothing, subscribe again
                if not reported:
                    logger.warning(
                        "Sidcachens versionsprenumeration avbröts; sidorna frågar Redis "
                        "vid varje begäran tills den är tillbaka.",
                        exc_info=True,
                    )
                    reported = True
            finally:
                self._subscribed = False
                self.forget()
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        pubsub.close()
            self._stopped.wait(self.PING_SECONDS)


_watches: dict[str, VersionWatch] = {}
_watches_lock = threading.Lock()


def version_watch_for(server: str, client_factory) -> VersionWatch:
    """The one ``VersionWatch`` of this process for a Redis server."""
    with _watches_lock:
        watch = _watches.get(server)
        if watch is None:
            watch = _watches[server] = VersionWatch(client_factory)
        return watch
