"""Anonymous public reads from a read replica, when one is configured.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database and this
router. A request is routed to the replica only while it is answered by a cached
public page view (``public.caching.public_page`` marks those) for a visitor who
is not signed in, and only for reads: every write, every workspace page, every
signed-in visitor, the subscription links that confirm or cancel (they write,
then read what they wrote) and migrations use ``default``.

A replica may lag a moment behind the primary. That is acceptable for what an
anonymous visitor reads (the page cache already serves what was true a moment
ago), and never reaches a decision: signing, publication and every service read
inside a write go to the primary.

Without ``DATABASE_REPLICA_URL`` nothing changes: the router answers None and
Django uses ``default``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections, router

REPLICA = "replica"
#: The attribute ``public.caching.public_page`` sets on the views it wraps.
PUBLIC_READ_ATTRIBUTE = "public_read"

_public_reads: ContextVar[bool] = ContextVar("public_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.databases


@contextmanager
def public_reads() -> Iterator[None]:
    """Send the reads inside to the replica (when there is one)."""
    token = _public_reads.set(True)
    try:
        yield
    finally:
        _public_reads.reset(token)


def read_connection(model):
    """The connection the router sends reads of ``model`` to. Raw SQL that a public page
    reads with (the national figures, the outcome counts) must go where the ORM's reads
    of the same page go: ``django.db.connection`` is always ``default``."""
    return connections[router.db_for_read(model)]


class ReplicaRouter:
    """Reads of anonymous public pages to ``replica``; everything else to ``default``."""

    def db_for_read(self, model, **hints):
        if _public_reads.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of default: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PublicReadsMiddleware:
    """Route a GET or HEAD to a public page view, without a session cookie, to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._public_reads_token = None
        try:
            return self.get_response(request)
        finally:
            token = request._public_reads_token
            if token is not None:
                _public_reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method in ("GET", "HEAD")
            and getattr(view_func, PUBLIC_READ_ATTRIBUTE, False)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and replica_configured()
        ):
            request._public_reads_token = _public_reads.set(True)
        return None
