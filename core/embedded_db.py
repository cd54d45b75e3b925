"""The embedded PostgreSQL server used when ``DATABASE_URL`` is not set.

``pgserver`` ships a real PostgreSQL 16 in a wheel; this module uses its
binaries (``initdb``, ``pg_ctl``, ``postgres``) and runs the server's life cycle
itself. The server keeps running after the process that started it exits, so
``runserver``, ``migrate``, the shell and the test run share one server and one
data folder instead of each paying for a start-up.

Why not ``pgserver.get_server``: its bookkeeping does not survive a killed
process. It rewrites ``.handle_pids.json`` in place at every start *and* at
every exit, so a kill at the wrong moment leaves the file empty and every later
start dies with a ``JSONDecodeError``; it takes a live pid in ``postmaster.pid``
as proof that the server runs (pids are reused), asserts on a
``postmaster.pid`` that is still being written, and gives up after ten seconds
of crash recovery. Here the only state is what PostgreSQL keeps itself, nothing
is written when a process exits, and every decision is made under one
``flock`` in the data folder:

* "the server runs" means it answers a connection on its socket;
* a server of this folder that is starting, recovering or stopping is waited
  for, never started twice;
* ``postmaster.pid`` and socket lock files are removed only when no process of
  this data folder is left (every PostgreSQL process has the folder as its
  working directory), so PostgreSQL's own guard against two servers on one
  folder stays intact;
* ``initdb`` runs in a staging folder whose contents are moved in with
  ``PG_VERSION`` last, so an interrupted first start is redone, not mistaken
  for a database.

When the server really cannot start, :class:`EmbeddedDatabaseError` carries one
Swedish sentence that says why and what to do.
"""

import errno
import fcntl
import hashlib
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = ".embedded_db.lock"
STAGING_NAME = ".initdb"
# pgserver's per-process bookkeeping; no longer read, harmless when left behind.
IGNORED_NAMES = {LOCK_NAME, ".handle_pids.json"}
# PostgreSQL names its socket after the port; only the socket listens (-h "").
PORT = 5432
# Unix socket paths are limited to 104 (macOS) or 108 (Linux) bytes.
MAX_SOCKET_PATH = 100
# PostgreSQL refuses to run as root; pgserver's user, so folders it made still work.
ROOT_SERVER_USER = "pgserver"


class EmbeddedDatabaseError(RuntimeError):
    """The embedded server cannot be used; ``str()`` is one Swedish sentence for the user."""


@dataclass(frozen=True)
class PidFile:
    """What ``postmaster.pid`` says, tolerating a file that is missing or half written."""

    pid: int | None
    port: int | None
    socket_dir: Path | None
    status: str

    @classmethod
    def read(cls, data_dir: Path) -> "PidFile | None":
        try:
            lines = (data_dir / "postmaster.pid").read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return None
        fields = [line.strip() for line in lines] + [""] * 8

        def number(text: str) -> int | None:
            return int(text) if text.isdigit() else None

        return cls(
            pid=number(fields[0]),
            port=number(fields[3]),
            socket_dir=Path(fields[4]) if fields[4] else None,
            status=fields[7],
        )


def database_config(data_dir: Path, *, start_timeout: float = 60) -> dict:
    """Start (or reuse) the embedded server in ``data_dir`` and return a ``DATABASES`` entry."""
    socket_dir, port = ensure_server(data_dir, start_timeout=start_timeout)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(socket_dir),
        "PORT": str(port),
    }


def ensure_server(data_dir: Path, *, start_timeout: float = 60) -> tuple[Path, int]:
    """Return the socket folder and port of a server of ``data_dir`` that answers.

    Starts the server when none answers, waiting at most ``start_timeout``
    seconds for other starters, a server that is still starting, and its start.
    """
    # The real path: server processes are recognised by their working directory,
    # which the kernel reports with symlinks resolved.
    data_dir = Path(data_dir).expanduser().resolve()
    deadline = time.monotonic() + start_timeout
    try:
        address = _answering(data_dir)
        if address is not None:
            return address
        _make_data_dir(data_dir)
        with _locked(data_dir, deadline):
            # Another process may have started it while this one waited for the lock.
            address = _answering(data_dir)
            if address is not None:
                return address
            _ensure_initialised(data_dir, deadline)
            return _start(data_dir, deadline)
    except OSError as exc:
        raise EmbeddedDatabaseError(_os_error_message(data_dir, exc)) from exc
    except subprocess.TimeoutExpired as exc:
        raise EmbeddedDatabaseError(_timeout_message(data_dir, start_timeout)) from exc


def stop_server(data_dir: Path, *, mode: str = "fast", timeout: float = 60) -> None:
    """Stop the server of ``data_dir`` if one runs; for tests and scripts, the app never does."""
    data_dir = Path(data_dir).expanduser().resolve()
    if not (data_dir / "PG_VERSION").exists():
        return
    _run(
        "pg_ctl",
        ["-D", str(data_dir), "-m", mode, "-w", "-t", str(int(timeout)), "stop"],
        data_dir,
        timeout=timeout + 10,
    )
    deadline = time.monotonic() + timeout
    while server_processes(data_dir) and time.monotonic() < deadline:
        time.sleep(0.1)


def server_processes(data_dir: Path) -> list:
    """The running PostgreSQL processes of ``data_dir``: postmaster, backends, orphans.

    PostgreSQL changes into its data folder at start and every child inherits
    that, so the working directory identifies them even when ``postmaster.pid``
    is gone or lies. Zombies (a killed server nobody reaped) do not count.
    """
    import psutil

    data_dir = Path(data_dir).expanduser().resolve()
    found = []
    for process in psutil.process_iter(["name"]):
        if not (process.info["name"] or "").startswith("postgres"):
            continue
        try:
            if process.status() != psutil.STATUS_ZOMBIE and Path(process.cwd()) == data_dir:
                found.append(process)
        except psutil.Error:
            continue
    return found


# --- Finding a server that answers --------------------------------------------


def _answering(data_dir: Path) -> tuple[Path, int] | None:
    """The server's address if ``postmaster.pid`` says ready and the server answers there."""
    info = PidFile.read(data_dir)
    if info is None or info.status != "ready" or info.socket_dir is None:
        return None
    port = info.port or PORT
    import psycopg2

    try:
        connection = psycopg2.connect(
            dbname="postgres",
            user="postgres",
            host=str(info.socket_dir),
            port=port,
            connect_timeout=3,
        )
    except psycopg2.Error:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('data_directory')")
            (directory,) = cursor.fetchone()
    except psycopg2.Error:
        return None
    finally:
        connection.close()
    # A socket folder outside the data folder could be served by another server.
    if not os.path.exists(directory) or not os.path.samefile(directory, data_dir):
        return None
    return info.socket_dir, port


# --- Preparing the folder -----------------------------------------------------


def _server_user() -> str | None:
    return ROOT_SERVER_USER if os.geteuid() == 0 else None


def _make_data_dir(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    user = _server_user()
    if user is None:
        return
    _bin_dir()  # imports pgserver quietly
    from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

    entry = ensure_user_exists(user)
    if data_dir.stat().st_uid != entry.pw_uid:
        os.chown(data_dir, entry.pw_uid, entry.pw_gid)
        data_dir.chmod(0o700)
    # The server user must be able to reach the folder and the binaries.
    ensure_prefix_permissions(data_dir)
    ensure_prefix_permissions(_bin_dir())


@contextmanager
def _locked(data_dir: Path, deadline: float) -> Iterator[None]:
    """Hold the folder's start lock; the kernel releases it when a process dies."""
    fd = os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise EmbeddedDatabaseError(
                        f"En annan process startar redan den inbyggda databasen i {data_dir} "
                        "och har inte blivit klar; vänta en stund och försök igen."
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


def _ensure_initialised(data_dir: Path, deadline: float) -> None:
    staging = data_dir / STAGING_NAME
    if staging.exists():
        if (data_dir / "PG_VERSION").exists():
            # Killed after the last move: only the empty staging folder is left.
            shutil.rmtree(staging)
        else:
            # Killed during initdb or the moves: everything here came from that attempt.
            for entry in data_dir.iterdir():
                if entry.name not in IGNORED_NAMES:
                    _remove(entry)
    if (data_dir / "PG_VERSION").exists():
        return
    foreign = sorted(e.name for e in data_dir.iterdir() if e.name not in IGNORED_NAMES)
    if foreign:
        raise EmbeddedDatabaseError(
            f"Mappen {data_dir} innehåller filer ({', '.join(foreign[:3])}) men ingen "
            "PostgreSQL-databas; flytta undan filerna eller sätt PGSERVER_DATA till en tom mapp."
        )
    result = _run(
        "initdb",
        [
            "-D",
            str(staging),
            "--auth=trust",
            "--auth-local=trust",
            "--encoding=utf8",
            "-U",
            "postgres",
        ],
        data_dir,
        timeout=max(deadline - time.monotonic(), 1),
    )
    if result.returncode != 0:
        raise EmbeddedDatabaseError(_failure_message(data_dir, result.stdout))
    # PG_VERSION last: its presence is what says "this folder holds a database".
    for entry in sorted(staging.iterdir(), key=lambda e: e.name == "PG_VERSION"):
        entry.rename(data_dir / entry.name)
    staging.rmdir()


# --- Starting -----------------------------------------------------------------


def _start(data_dir: Path, deadline: float) -> tuple[Path, int]:
    _check_version(data_dir)
    socket_dir = _socket_dir(data_dir)
    log = data_dir / "log"
    log_offset = log.stat().st_size if log.exists() else 0
    while True:
        address = _answering(data_dir)
        if address is not None:
            return address
        if server_processes(data_dir):
            # Starting, recovering after a crash, stopping, or orphaned backends
            # of a killed server on their way out: wait, never start a second one.
            if time.monotonic() > deadline:
                raise EmbeddedDatabaseError(_timeout_message(data_dir))
            time.sleep(0.2)
            continue
        _remove_stale_files(data_dir, socket_dir)
        remaining = max(int(deadline - time.monotonic()), 1)
        result = _run(
            "pg_ctl",
            [
                "-D",
                str(data_dir),
                "-w",
                "-t",
                str(remaining),
                "-l",
                str(log),
                "-o",
                f'-h "" -p {PORT} -k {shlex.quote(str(socket_dir))}',
                "start",
            ],
            data_dir,
            timeout=remaining + 10,
        )
        if result.returncode != 0 and not server_processes(data_dir):
            new_log = _read_from(log, log_offset)
            raise EmbeddedDatabaseError(_failure_message(data_dir, result.stdout + new_log))


def _check_version(data_dir: Path) -> None:
    folder_version = (data_dir / "PG_VERSION").read_text().strip()
    result = _run("postgres", ["-V"], data_dir, timeout=30)
    # "postgres (PostgreSQL) 16.2"
    server_version = result.stdout.split()[-1].split(".")[0] if result.stdout else "?"
    if folder_version != server_version:
        raise EmbeddedDatabaseError(
            f"Databasmappen {data_dir} är skapad av PostgreSQL {folder_version} men den "
            f"inbyggda servern är PostgreSQL {server_version}; flytta undan mappen (den "
            f"innehåller dina gamla data) eller sätt DATABASE_URL till en PostgreSQL "
            f"{folder_version}-server."
        )


def _socket_dir(data_dir: Path) -> Path:
    """The data folder itself, or a short private folder when its path is too long."""
    if len(os.fsencode(data_dir / f".s.PGSQL.{PORT}")) <= MAX_SOCKET_PATH:
        return data_dir
    digest = hashlib.sha256(os.fsencode(data_dir)).hexdigest()[:12]
    socket_dir = Path(tempfile.gettempdir()) / f"medborgarlofte-pg-{digest}"
    socket_dir.mkdir(mode=0o700, exist_ok=True)
    user = _server_user()
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(socket_dir, entry.pw_uid, entry.pw_gid)
    return socket_dir


def _remove_stale_files(data_dir: Path, socket_dir: Path) -> None:
    """Remove what a dead server left behind; call only when none of its processes run.

    PostgreSQL ignores a ``postmaster.pid`` whose pid is dead, but not one whose
    pid now belongs to another process (after a reboot, or in a container), nor
    a zombie: then it refuses to start. The same goes for the socket lock file.
    """
    info = PidFile.read(data_dir)
    if info is not None and info.pid is not None and _may_be_a_hidden_server(info.pid):
        return
    (data_dir / "postmaster.pid").unlink(missing_ok=True)
    lock = socket_dir / f".s.PGSQL.{PORT}.lock"
    try:
        lines = lock.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return
    pid = int(lines[0]) if lines and lines[0].strip().isdigit() else None
    # Only our own server's socket: the folder may be shared when it is not the data folder.
    if lines[1:2] == [str(data_dir)] and (pid is None or not _may_be_a_hidden_server(pid)):
        lock.unlink(missing_ok=True)
        (socket_dir / f".s.PGSQL.{PORT}").unlink(missing_ok=True)


def _may_be_a_hidden_server(pid: int) -> bool:
    """A live PostgreSQL process whose working directory we may not read.

    ``server_processes`` found none of this folder among the processes it can
    inspect; only a postgres of another user could still be one.
    """
    import psutil

    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return process.name().startswith("postgres")
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


# --- Running the binaries and explaining failures -----------------------------


def _bin_dir() -> Path:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, cron); pgserver's import
        # touches it, but nothing here uses the runtime folder.
        warnings.simplefilter("ignore")
        try:
            from pgserver._commands import POSTGRES_BIN_PATH
        except ImportError as exc:  # pragma: no cover - the package is a dependency
            raise EmbeddedDatabaseError(
                "DATABASE_URL är inte satt och paketet pgserver saknas; kör 'make run' "
                "eller sätt DATABASE_URL till en PostgreSQL-server."
            ) from exc
    return POSTGRES_BIN_PATH


def _run(program: str, args: list[str], data_dir: Path, *, timeout: float):
    """Run one of the server's binaries as the server's user; output in ``.stdout``."""
    user = _server_user()
    # As root: the server user's own group too, not root's.
    as_user = {}
    if user is not None:
        entry = pwd.getpwnam(user)
        as_user = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    # A file rather than a pipe: a server started from here must not inherit a pipe
    # that keeps this call waiting.
    with tempfile.TemporaryFile("w+", errors="replace") as output:
        result = subprocess.run(
            [str(_bin_dir() / program), *args],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=data_dir,
            timeout=timeout,
            check=False,
            text=True,
            **as_user,
        )
        output.seek(0)
        result.stdout = output.read()
    return result


def _read_from(path: Path, offset: int) -> str:
    try:
        with path.open("rb") as file:
            file.seek(offset)
            return file.read().decode(errors="replace")
    except FileNotFoundError:
        return ""


def _disk_full(data_dir: Path) -> bool:
    try:
        return shutil.disk_usage(data_dir).free < 16 * 1024 * 1024
    except OSError:
        return False


def _failure_message(data_dir: Path, output: str) -> str:
    log = data_dir / "log"
    if "No space left on device" in output or _disk_full(data_dir):
        return (
            f"Disken där den inbyggda databasen ligger ({data_dir}) är full; "
            "frigör utrymme och försök igen."
        )
    if "Permission denied" in output or "invalid permissions" in output:
        return (
            f"Den inbyggda databasen saknar behörighet till {data_dir}; ge användaren som "
            "kör portalen skrivrätt till mappen eller sätt PGSERVER_DATA till en annan mapp."
        )
    if "incompatible with server" in output:
        return (
            f"Databasmappen {data_dir} är skapad av en annan PostgreSQL-version än den "
            "inbyggda servern; flytta undan mappen eller sätt DATABASE_URL."
        )
    reasons = [line.strip() for line in output.splitlines() if "FATAL" in line or "error" in line]
    reason = f" ({reasons[-1][:200]})" if reasons else ""
    return (
        f"Den inbyggda PostgreSQL-servern i {data_dir} kunde inte starta{reason}; läs {log} "
        "eller sätt DATABASE_URL till en annan PostgreSQL-server."
    )


def _timeout_message(data_dir: Path, seconds: float | None = None) -> str:
    waited = f" på {int(seconds)} sekunder" if seconds else ""
    return (
        f"Den inbyggda PostgreSQL-servern i {data_dir} svarar inte{waited}; läs "
        f"{data_dir / 'log'}, stoppa den med 'pg_ctl -D {data_dir} stop' om den hänger, "
        "och försök igen (PGSERVER_START_TIMEOUT ger den mer tid)."
    )


def _os_error_message(data_dir: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return _failure_message(data_dir, "No space left on device")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _failure_message(data_dir, "Permission denied")
    return (
        f"Den inbyggda databasen i {data_dir} kunde inte förberedas ({exc.strerror or exc}"
        f"{': ' + str(exc.filename) if exc.filename else ''}); kontrollera mappen eller "
        "sätt PGSERVER_DATA till en annan mapp."
    )


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
