"""Kill ``make run`` at random moments and check that the next ``make run`` serves.

    .venv/bin/python scripts/kill_make_run.py [--rounds 20] [--seed 7] [--keep]

Works on a throw-away clone of this repository (committed HEAD) with its own
``.pgdata``; the clone borrows this checkout's ``.venv`` by symlink (and dates
its ``pyproject.toml`` back so make does not reinstall into it). Each round
first does something to the clone's embedded server at random (nothing; kill
it with SIGKILL; stop it; kill it and leave pgserver's old leftovers, an empty
``.handle_pids.json`` and a ``postmaster.pid`` naming a live unrelated process;
or delete the whole data folder so the next start runs initdb), then starts
``make run``, kills its whole process group at a random moment with SIGKILL,
SIGTERM or SIGINT (sometimes the server's postmaster with it), and then starts
``make run`` again and waits for ``/healthz`` to answer 200. Exit status 1 if
any make run failed by itself before its kill, or a next start did not serve.

Only processes this script started are killed: ``make`` runs in a session of
its own and is killed by process group; the clone's server is found by its
data folder. The shared server in this checkout's ``.pgdata`` is never touched.
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(SOURCE))

import psutil  # noqa: E402

from core.embedded_db import server_processes, stop_server  # noqa: E402

SERVE_TIMEOUT = 240
EARLY = 3.0
PREPARATIONS = ["none", "none", "kill-server", "stop-server", "stale-leftovers", "fresh-folder"]
SIGNALS = [signal.SIGKILL, signal.SIGKILL, signal.SIGTERM, signal.SIGINT]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--max-delay", type=float, default=None, help="seconds; default: measured")
    parser.add_argument("--keep", action="store_true", help="keep the clone for inspection")
    args = parser.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(10_000)
    rng = random.Random(seed)
    venv = SOURCE / ".venv"
    if not (venv / ".installed").exists():
        print(f"{venv} is not set up; run make run once in {SOURCE} first.")
        return 2

    workdir = Path(tempfile.mkdtemp(prefix="kill-make-run-"))
    repo = workdir / "repo"
    subprocess.run(["git", "clone", "-q", str(SOURCE), str(repo)], check=True)
    (repo / ".venv").symlink_to(venv)
    # Older than .venv/.installed, so make does not pip-install the clone into the shared venv.
    os.utime(repo / "pyproject.toml", (946684800, 946684800))
    data_dir = repo / ".pgdata"
    logs = workdir / "logs"
    logs.mkdir()
    print(f"clone {repo} (HEAD {_head(repo)}), seed {seed}, {args.rounds} rounds")

    failures = 0
    try:
        first = _serve(repo, logs / "round-00-first.log")
        warm = _serve(repo, logs / "round-00-warm.log")
        if first is None or warm is None:
            print("make run did not serve /healthz before any kill; see", logs)
            return 1
        # Kills land anywhere from the start to a little after it serves: a
        # fresh folder (initdb, every migration) takes much longer than a warm start.
        cold_delay = args.max_delay or round(first * 1.2, 1)
        warm_delay = args.max_delay or round(warm * 1.2, 1)
        print(
            f"make run served /healthz after {first:.1f} s on a new folder, {warm:.1f} s warm; "
            f"kills land in 0–{warm_delay} s (0–{cold_delay} s after a fresh folder)"
        )
        for number in range(1, args.rounds + 1):
            preparation = rng.choice(PREPARATIONS)
            _prepare(preparation, data_dir)
            cold = preparation == "fresh-folder"
            # A third of the kills in the first seconds, where settings start the
            # server (pg_ctl) or initialise a new folder (initdb).
            window = EARLY if rng.random() < 0.35 else (cold_delay if cold else warm_delay)
            delay = rng.uniform(0, window)
            sig = rng.choice(SIGNALS)
            with_server = rng.random() < 0.25
            killed_log = logs / f"round-{number:02}-killed.log"
            phase, exited = _start_and_kill(repo, killed_log, delay, sig)
            if with_server:
                _kill_server(data_dir)
            served = _serve(repo, logs / f"round-{number:02}-next.log")
            ok = served is not None and not exited
            failures += not ok
            if exited:
                killed = f"make FAILED BY ITSELF ({phase}: {_last_line(killed_log)})"
            else:
                server = ", and the postmaster" if with_server else ""
                killed = f"killed make with {sig.name:7} after {delay:4.1f} s ({phase}{server})"
            outcome = f"served /healthz 200 after {served:.1f} s" if served else "DID NOT SERVE"
            print(f"round {number:2}/{args.rounds}: {preparation:15} {killed}; next {outcome}")
    finally:
        _stop(data_dir)
        if args.keep or failures:
            print("kept", workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"{args.rounds - failures}/{args.rounds} rounds: every make run served or was killed")
    return 1 if failures else 0


def _head(repo: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()


def _environment() -> dict:
    drop = {"DATABASE_URL", "PGSERVER_DATA", "TEST_DATABASE_NAME", "DJANGO_SETTINGS_MODULE"}
    return {key: value for key, value in os.environ.items() if key not in drop}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _make_run(repo: Path, log: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        ["make", "run", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=repo,
        env=_environment(),
        stdin=subprocess.DEVNULL,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _end(process: subprocess.Popen, sig: int = signal.SIGINT) -> None:
    """Signal make's whole process group, then make sure nothing of it is left."""
    with contextlib.suppress(ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, sig)
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _phase(log: Path) -> str:
    """What make was doing: the last command it echoed."""
    phase = "before migrate"
    for line in log.read_text(errors="replace").splitlines():
        for command in ("migrate", "load_demo", "runserver", "core.envfile"):
            if "manage.py " + command in line or "-m " + command in line:
                phase = "during " + command
        if "Starting development server" in line:
            phase = "while serving"
    return phase


def _start_and_kill(repo: Path, log: Path, delay: float, sig: int) -> tuple[str, bool]:
    """Start make run, kill it after ``delay`` s; what it was doing, and whether it had failed."""
    process = _make_run(repo, log, _free_port())
    time.sleep(delay)
    phase = _phase(log)
    if process.poll() is not None:
        return f"exit status {process.returncode}, {phase}", True
    busy = _server_tools(process.pid)
    _end(process, sig)
    return phase + (f" in {busy}" if busy else ""), False


def _server_tools(pid: int) -> str:
    """initdb or pg_ctl if make's descendants are running one: the server being set up."""
    try:
        names = {child.name() for child in psutil.Process(pid).children(recursive=True)}
    except psutil.Error:
        return ""
    return " and ".join(sorted(names & {"initdb", "pg_ctl"}))


def _last_line(log: Path) -> str:
    """The last thing make run said before make's own error line."""
    lines = log.read_text(errors="replace").splitlines()
    said = [line for line in lines if line.strip() and not line.startswith("make:")]
    return said[-1] if said else ""


def _serve(repo: Path, log: Path) -> float | None:
    """Start make run and wait for /healthz 200; the seconds it took, or None."""
    port = _free_port()
    started = time.monotonic()
    process = _make_run(repo, log, port)
    try:
        while time.monotonic() - started < SERVE_TIMEOUT:
            if process.poll() is not None:
                return None
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    if r.status == 200 and json.load(r) == {"status": "ok"}:
                        return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.3)
        return None
    finally:
        _end(process)


def _kill_server(data_dir: Path) -> None:
    for process in server_processes(data_dir):
        if process.ppid() not in {p.pid for p in server_processes(data_dir)}:
            process.kill()


def _stop(data_dir: Path) -> None:
    stop_server(data_dir, mode="fast", timeout=30)
    for process in server_processes(data_dir):
        process.kill()


def _prepare(preparation: str, data_dir: Path) -> None:
    if preparation == "kill-server":
        _kill_server(data_dir)
    elif preparation == "stop-server":
        stop_server(data_dir, mode="fast", timeout=30)
    elif preparation == "stale-leftovers":
        _kill_server(data_dir)
        time.sleep(0.5)
        (data_dir / ".handle_pids.json").write_text("")
        pid_file = data_dir / "postmaster.pid"
        if pid_file.exists():
            lines = pid_file.read_text().splitlines()
            # PID 1 is always alive and never PostgreSQL: the reused-pid case.
            pid_file.write_text("\n".join(["1", *lines[1:]]) + "\n")
    elif preparation == "fresh-folder":
        _stop(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
