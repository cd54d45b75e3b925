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
