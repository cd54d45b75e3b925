"""``/healthz``: 200 when the database answers, 503 within seconds when it does not.

The database that does not answer is simulated two ways: a TCP listener that
accepts connections and never replies, and a throw-away embedded server whose
processes are paused with SIGSTOP (never the shared server in ``.pgdata``).
"""

import signal
import socket
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection

from core.embedded_db import ensure_server, server_processes, stop_server

# The bar: with the database paused, /healthz answers 503 within 5 s.
WITHIN_SECONDS = 5


def _timed_get(client):
    started = time.monotonic()
    response = client.get("/healthz")
    return response, time.monotonic() - started


@pytest.fixture
def silent_listener():
    """A TCP port where connections are accepted (by the kernel) and never answered."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()
    listener.close()


@pytest.fixture
def refused_port():
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture(scope="module")
def throwaway_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("healthz") / "pgdata"
    socket_dir, port = ensure_server(data_dir)
    yield data_dir, socket_dir, port
    for process in server_processes(data_dir):
        process.send_signal(signal.SIGCONT)
    stop_server(data_dir, mode="immediate", timeout=10)


@pytest.fixture
def paused_server(throwaway_server):
    data_dir, socket_dir, port = throwaway_server
    processes = server_processes(data_dir)
    for process in processes:
        process.send_signal(signal.SIGSTOP)
    yield socket_dir, port
    for process in processes:
        process.send_signal(signal.SIGCONT)


def _database_at(host, port, name="postgres"):
    """Point new connections of the default alias elsewhere; the open test connection stays."""
    return mock.patch.dict(
        connection.settings_dict, {"HOST": str(host), "PORT": str(port), "NAME": name}
    )


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_with_a_reason_when_the_database_refuses(client, refused_port):
    with _database_at("127.0.0.1", refused_port):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "reason": "database: OperationalError"}


@pytest.mark.django_db
def test_healthz_is_503_within_seconds_when_the_database_never_replies(client, silent_listener):
    with _database_at(*silent_listener):
        response, elapsed = _timed_get(client)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "reason": "database: timeout"}
    assert elapsed < WITHIN_SECONDS


@pytest.mark.django_db
def test_healthz_is_503_within_seconds_when_the_server_is_paused(client, paused_server):
    with _database_at(*paused_server):
        response, elapsed = _timed_get(client)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "reason": "database: timeout"}
    assert elapsed < WITHIN_SECONDS


@pytest.mark.django_db
def test_healthz_is_ok_again_when_the_paused_server_resumes(client, throwaway_server):
    data_dir, socket_dir, port = throwaway_server
    processes = server_processes(data_dir)
    for process in processes:
        process.send_signal(signal.SIGSTOP)
    with _database_at(socket_dir, port):
        assert client.get("/healthz").status_code == 503
        for process in processes:
            process.send_signal(signal.SIGCONT)
        assert client.get("/healthz").status_code == 200


def test_every_connection_has_a_connect_and_a_statement_timeout():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["connect_timeout"] > 0
    assert "-c statement_timeout=" in options["options"]


@pytest.mark.django_db
def test_the_statement_timeout_is_in_force_on_the_connection():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (value,) = cursor.fetchone()
    assert value not in ("0", "")
