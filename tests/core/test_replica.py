"""The read-replica router: anonymous public page views read from ``replica``, nothing else.

No replica runs in the suite; ``replica_configured`` is made true so the routing
decision itself is tested. The bench runs the same code against a real streaming
standby (README, Performance).
"""

import pytest
from django.test import RequestFactory

from core import replica
from core.replica import REPLICA, PublicReadsMiddleware, ReplicaRouter
from promises.models import Promise


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def public_view(request):
    return None


public_view.public_read = True


def workspace_view(request):
    return None


def routed(request, view):
    """Where a read goes while ``view`` answers ``request`` behind the middleware."""
    seen = []

    def get_response(request):
        middleware.process_view(request, view, (), {})
        seen.append(ReplicaRouter().db_for_read(Promise))
        return "response"

    middleware = PublicReadsMiddleware(get_response)
    assert middleware(request) == "response"
    # After the response every read goes to default again.
    assert ReplicaRouter().db_for_read(Promise) is None
    return seen[0]


def test_without_a_replica_every_read_goes_to_default():
    assert routed(RequestFactory().get("/"), public_view) is None


def test_an_anonymous_public_page_reads_from_the_replica(configured):
    assert routed(RequestFactory().get("/"), public_view) == REPLICA
    assert routed(RequestFactory().head("/"), public_view) == REPLICA


def test_a_session_a_write_or_a_workspace_view_reads_from_default(configured, settings):
    factory = RequestFactory()
    with_cookie = factory.get("/")
    with_cookie.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    assert routed(with_cookie, public_view) is None
    assert routed(factory.post("/"), public_view) is None
    assert routed(factory.get("/arbetsyta/"), workspace_view) is None


def test_writes_and_migrations_always_go_to_default(configured):
    router = ReplicaRouter()
    with replica.public_reads():
        assert router.db_for_read(Promise) == REPLICA
        assert router.db_for_write(Promise) == "default"
    assert router.allow_migrate(REPLICA, "promises") is False
    assert router.allow_migrate("default", "promises") is True


def test_the_public_pages_are_marked_for_the_replica():
    from django.urls import resolve

    for path in ("/", "/kommuner/", "/sok/"):
        assert getattr(resolve(path).func, "public_read", False), path
    assert not getattr(resolve("/arbetsyta/").func, "public_read", False)


class _Recording:
    """Stands in for the replica's connection: notes each cursor, hands out default's."""

    def __init__(self):
        self.cursors = 0

    def cursor(self):
        from django.db import connection

        self.cursors += 1
        return connection.cursor()


@pytest.mark.django_db
def test_the_raw_sql_of_public_figures_goes_where_the_router_sends_reads(configured, monkeypatch):
    """The national figures and outcome counts are raw SQL: on an anonymous public page
    they read from the replica like the ORM's queries, never from ``default`` alone."""
    from django.db import connections

    from followups.selectors import latest_public_status_counts
    from promises.published import municipality_figures, public_figures

    standby = _Recording()

    class Connections:
        def __getitem__(self, alias):
            return standby if alias == REPLICA else connections[alias]

    monkeypatch.setattr(replica, "connections", Connections())
    public_figures()
    municipality_figures()
    latest_public_status_counts([1])
    assert standby.cursors == 0  # outside a public page: default
    with replica.public_reads():
        public_figures()
        municipality_figures()
        latest_public_status_counts([1])
    assert standby.cursors == 3
