"""The embedded PostgreSQL survives whatever an interrupted run leaves behind.

Every test works on its own throw-away data folder under pytest's tmp dir, a
copy of one folder initialised per module (initdb takes seconds); the shared
server in the project's ``.pgdata`` is never touched.
"""

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg2
import pytest

from core.embedded_db import (
    LOCK_NAME,
    ROOT_SERVER_USER,
    STAGING_NAME,
    EmbeddedDatabaseError,
    PidFile,
    database_config,
    ensure_server,
    server_processes,
    stop_server,
)

ROOT = Path(__file__).resolve().parents[2]
START = (
    "import sys; from core.embedded_db import database_config; "
    "print(database_config(sys.argv[1])['HOST'])"
)


def _select_one(config: dict) -> int:
    with (
        psycopg2.connect(
            dbname=config["NAME"], user=config["USER"], host=config["HOST"], port=config["PORT"]
        ) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


def _postmasters(data_dir: Path) -> list:
    """Server processes whose parent is not one: the postmaster(s) of the folder."""
    processes = server_processes(data_dir)
    pids = {process.pid for process in processes}
    postmasters = []
    for process in processes:
        try:
            parent = process.ppid()
        except psutil.NoSuchProcess:
            # A backend or auxiliary process that ended after the listing: not a postmaster.
            continue
        if parent not in pids:
            postmasters.append(process)
    return postmasters


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def _kill_server(data_dir: Path) -> None:
    # A process listed may end before it is signalled (a backend finishing): nothing to do.
    for process in server_processes(data_dir):
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGCONT)
    stop_server(data_dir, mode="immediate", timeout=10)
    for process in server_processes(data_dir):
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()


def _start_in_subprocess(data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", START, str(data_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _write_pid_file(data_dir: Path, pid: int, lines: int = 8) -> None:
    content = [str(pid), str(data_dir), "1796170000", "5432", str(data_dir), "", "  1  2", "ready"]
    (data_dir / "postmaster.pid").write_text("\n".join(content[:lines]) + "\n")


@pytest.fixture(scope="module")
def initialised_folder(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("template") / "pgdata"
    ensure_server(data_dir)
    stop_server(data_dir)
    yield data_dir
    _kill_server(data_dir)


@pytest.fixture
def data_dir(initialised_folder, tmp_path):
    """A stopped, initialised data folder of this test's own."""
    target = tmp_path / "pgdata"
    subprocess.run(["cp", "-a", str(initialised_folder), str(target)], check=True)
    yield target
    _kill_server(target)


@pytest.fixture
def unrelated_process():
    """A live process that is not PostgreSQL, to stand for a reused pid."""
    process = subprocess.Popen(["sleep", "600"])
    yield process
    process.kill()
    process.wait()


def test_first_start_initialises_the_folder_and_serves(tmp_path):
    data_dir = tmp_path / "new" / "pgdata"
    try:
        config = database_config(data_dir)
        assert _select_one(config) == 1
        assert config["HOST"] == str(data_dir)
        assert (data_dir / "PG_VERSION").exists()
        assert not (data_dir / STAGING_NAME).exists()
    finally:
        _kill_server(data_dir)


def test_a_running_server_is_reused_not_restarted(data_dir):
    ensure_server(data_dir)
    (postmaster,) = _postmasters(data_dir)
    ensure_server(data_dir)
    assert [process.pid for process in _postmasters(data_dir)] == [postmaster.pid]


def test_a_symlinked_path_finds_the_same_server(data_dir, tmp_path):
    link = tmp_path / "link-to-pgdata"
    link.symlink_to(data_dir)
    ensure_server(link)
    (postmaster,) = _postmasters(data_dir)
    # Paused, it does not answer: the starter must recognise it and wait, not start another.
    processes = server_processes(link)
    for process in processes:
        # A backend may end between the listing and the signal (the one that answered).
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGSTOP)
    try:
        with pytest.raises(EmbeddedDatabaseError):
            ensure_server(link, start_timeout=1)
    finally:
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGCONT)
    ensure_server(link)
    assert [process.pid for process in _postmasters(data_dir)] == [postmaster.pid]


@pytest.mark.parametrize("content", ["", "[12", "[1, 2, 3]", "\x00\x00\x00", "{not json"])
def test_empty_or_half_written_handle_pids_file_does_not_matter(data_dir, content):
    (data_dir / ".handle_pids.json").write_text(content)
    assert _select_one(database_config(data_dir)) == 1


def test_stale_postmaster_pid_with_a_dead_pid(data_dir):
    _write_pid_file(data_dir, _dead_pid())
    assert _select_one(database_config(data_dir)) == 1


@pytest.mark.parametrize("lines", [0, 1, 3, 7])
def test_half_written_postmaster_pid(data_dir, lines):
    _write_pid_file(data_dir, _dead_pid(), lines=lines)
    assert _select_one(database_config(data_dir)) == 1


def test_stale_postmaster_pid_whose_pid_now_belongs_to_another_process(data_dir, unrelated_process):
    # After a reboot or in a container the old pid is often alive again, and
    # PostgreSQL then refuses to start on its own.
    _write_pid_file(data_dir, unrelated_process.pid)
    assert _select_one(database_config(data_dir)) == 1
    assert unrelated_process.poll() is None


def test_leftover_socket_and_socket_lock_file(data_dir, unrelated_process):
    leftover = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    leftover.bind(str(data_dir / ".s.PGSQL.5432"))
    leftover.close()
    (data_dir / ".s.PGSQL.5432.lock").write_text(
        f"{unrelated_process.pid}\n{data_dir}\n1796170000\n5432\n"
    )
    _write_pid_file(data_dir, _dead_pid())
    assert _select_one(database_config(data_dir)) == 1


def test_lock_files_naming_pid_1_and_a_zombie(data_dir):
    # What a killed server leaves in a container whose PID 1 never reaps: its pid
    # stays a zombie, and PID 1 itself (found by the kill script) is alive and
    # may not even let root read its working directory.
    # The server's own user, so that PostgreSQL may signal it and takes it for alive.
    zombie = subprocess.Popen(["true"], user=ROOT_SERVER_USER if os.geteuid() == 0 else None)
    while psutil.Process(zombie.pid).status() != psutil.STATUS_ZOMBIE:
        time.sleep(0.01)
    try:
        _write_pid_file(data_dir, 1)
        (data_dir / ".s.PGSQL.5432.lock").write_text(
            f"{zombie.pid}\n{data_dir}\n1796170000\n5432\n"
        )
        assert _select_one(database_config(data_dir)) == 1
    finally:
        zombie.wait()


def test_a_killed_server_is_started_again_with_crash_recovery(data_dir):
    ensure_server(data_dir)
    (postmaster,) = _postmasters(data_dir)
    postmaster.kill()
    postmaster.wait(10)
    assert _select_one(database_config(data_dir)) == 1
    assert [process.pid for process in _postmasters(data_dir)] != [postmaster.pid]


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.3, 0.6, 1.0])
def test_a_starter_killed_at_any_moment_leaves_nothing_that_stops_the_next(data_dir, delay):
    starter = _start_in_subprocess(data_dir)
    time.sleep(delay)
    os.killpg(starter.pid, signal.SIGKILL)
    starter.wait()
    assert _select_one(database_config(data_dir)) == 1
    assert len(_postmasters(data_dir)) == 1


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8])
def test_an_interrupted_first_initialisation_is_redone(tmp_path, delay):
    data_dir = tmp_path / "pgdata"
    try:
        starter = _start_in_subprocess(data_dir)
        time.sleep(delay)
        os.killpg(starter.pid, signal.SIGKILL)
        starter.wait()
        assert _select_one(database_config(data_dir)) == 1
        assert not (data_dir / STAGING_NAME).exists()
    finally:
        _kill_server(data_dir)


def test_initialisation_killed_between_moving_files_is_redone(initialised_folder, tmp_path):
    data_dir = tmp_path / "pgdata"
    data_dir.mkdir(mode=0o700)
    staging = data_dir / STAGING_NAME
    subprocess.run(["cp", "-a", str(initialised_folder), str(staging)], check=True)
    (staging / "PG_VERSION").unlink()
    for name in ("base", "global", "pg_wal"):
        (staging / name).rename(data_dir / name)
    try:
        assert _select_one(database_config(data_dir)) == 1
        assert not staging.exists()
    finally:
        _kill_server(data_dir)


def test_concurrent_starters_start_one_server(data_dir):
    starters = [_start_in_subprocess(data_dir) for _ in range(4)]
    results = [starter.communicate(timeout=120) for starter in starters]
    assert [starter.returncode for starter in starters] == [0, 0, 0, 0], results
    assert {out.strip() for out, _ in results} == {str(data_dir)}
    assert len(_postmasters(data_dir)) == 1


def test_a_long_folder_path_gets_its_socket_in_a_short_folder(initialised_folder, tmp_path):
    data_dir = tmp_path / ("x" * 60) / ("y" * 60) / "pgdata"
    data_dir.parent.mkdir(parents=True)
    subprocess.run(["cp", "-a", str(initialised_folder), str(data_dir)], check=True)
    try:
        config = database_config(data_dir)
        assert _select_one(config) == 1
        assert len(config["HOST"]) < len(str(data_dir))
    finally:
        _kill_server(data_dir)


def test_postmaster_pid_is_read_even_when_half_written(tmp_path):
    (tmp_path / "postmaster.pid").write_text("123\n/x\n")
    assert PidFile.read(tmp_path) == PidFile(pid=123, port=None, socket_dir=None, status="")
    assert PidFile.read(tmp_path / "missing") is None


# --- When it really cannot start: one Swedish sentence ------------------------


def _assert_one_sentence(message: str) -> None:
    assert "\n" not in message
    assert "Traceback" not in message
    assert message.endswith(".")


def test_a_folder_from_another_major_version_says_what_to_do(data_dir):
    (data_dir / "PG_VERSION").write_text("15\n")
    with pytest.raises(EmbeddedDatabaseError) as raised:
        database_config(data_dir)
    message = str(raised.value)
    _assert_one_sentence(message)
    assert "PostgreSQL 15" in message
    assert "PostgreSQL 16" in message
    assert "flytta undan mappen" in message


def test_a_folder_with_other_files_is_not_overwritten(tmp_path):
    data_dir = tmp_path / "pgdata"
    data_dir.mkdir()
    (data_dir / "anteckningar.txt").write_text("mina filer")
    with pytest.raises(EmbeddedDatabaseError) as raised:
        database_config(data_dir)
    _assert_one_sentence(str(raised.value))
    assert "anteckningar.txt" in str(raised.value)
    assert (data_dir / "anteckningar.txt").read_text() == "mina filer"


def test_a_file_where_the_folder_should_be(tmp_path):
    (tmp_path / "pgdata").write_text("")
    with pytest.raises(EmbeddedDatabaseError) as raised:
        database_config(tmp_path / "pgdata")
    _assert_one_sentence(str(raised.value))
    assert "PGSERVER_DATA" in str(raised.value)


def test_a_server_that_does_not_answer(data_dir):
    ensure_server(data_dir)
    # A backend listed may end before it is signalled: it cannot answer either way.
    processes = server_processes(data_dir)
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGSTOP)
    try:
        with pytest.raises(EmbeddedDatabaseError) as raised:
            database_config(data_dir, start_timeout=1)
    finally:
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGCONT)
    _assert_one_sentence(str(raised.value))
    assert "svarar inte" in str(raised.value)


def test_another_starter_that_holds_the_lock_too_long(data_dir):
    with (data_dir / LOCK_NAME).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(EmbeddedDatabaseError) as raised:
            database_config(data_dir, start_timeout=0.5)
    _assert_one_sentence(str(raised.value))
    assert "En annan process startar redan" in str(raised.value)


def test_manage_py_prints_the_sentence_without_a_traceback(data_dir):
    (data_dir / "PG_VERSION").write_text("15\n")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**environment, "PGSERVER_DATA": str(data_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"Databasmappen {data_dir} är skapad av PostgreSQL 15")
