import selectors
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.dashboard import panels_for


@require_safe
@never_cache
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: 200 only when the database answers in time.

    503 after at most ``HEALTHZ_DATABASE_TIMEOUT`` seconds, whatever the database does.
    """
    try:
        _ping_database(timeout=settings.HEALTHZ_DATABASE_TIMEOUT)
    except TimeoutError:
        return JsonResponse({"status": "error", "reason": "database: timeout"}, status=503)
    except (DatabaseError, connection.Database.Error) as exc:
        return JsonResponse(
            {"status": "error", "reason": f"database: {exc.__class__.__name__}"}, status=503
        )
    return JsonResponse({"status": "ok"})


def _ping_database(*, timeout: float) -> None:
    """``SELECT 1`` on a new connection to the default database, within ``timeout`` seconds.

    A server-side ``statement_timeout`` cannot help here: a paused server, or a
    network that drops packets, is not there to enforce it, and a blocking
    libpq call then waits forever. So the connection is asynchronous and this
    process waits on its socket with its own deadline; a fresh connection also
    proves that new requests can connect, not only an old pooled one.
    """
    deadline = time.monotonic() + timeout
    params = connection.get_connection_params()
    # Django's cursor class and connect_timeout do not apply to asynchronous connections.
    params.pop("cursor_factory", None)
    params.pop("connect_timeout", None)
    database = connection.Database.connect(**params, async_=True)
    try:
        _wait_until_ready(database, deadline)
        cursor = database.cursor()
        cursor.execute("SELECT 1")
        _wait_until_ready(database, deadline)
        cursor.fetchone()
    finally:
        database.close()


def _wait_until_ready(database, deadline: float) -> None:
    """Drive an asynchronous psycopg2 connection until its operation is done or time is up."""
    extensions = connection.Database.extensions
    with selectors.DefaultSelector() as selector:
        while True:
            state = database.poll()
            if state == extensions.POLL_OK:
                return
            events = (
                selectors.EVENT_READ if state == extensions.POLL_READ else selectors.EVENT_WRITE
            )
            selector.register(database.fileno(), events)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise TimeoutError
            selector.unregister(database.fileno())


def dashboard(request: HttpRequest) -> HttpResponse:
    """ "Mitt arbete": what the signed-in user works on, one panel per app."""
    return render(request, "core/dashboard.html", {"panels": panels_for(request)})


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Tillgänglighetsredogörelse, linked from every footer."""
    return render(request, "core/accessibility.html")


@login_not_required
def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


@login_not_required
def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may be in one of them.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
