"""``manage.py bench``: the public pages over HTTP, against gunicorn with production settings.

For the current database (``DATABASE_URL``; ``make bench`` loads the demo,
``DATABASE_URL=…/national make bench`` measures the national set), it

1. counts the SQL queries of one uncached request per URL, in-process;
2. starts gunicorn with production settings (``DJANGO_DEBUG=False``, two
   workers unless ``--workers``) on loopback and runs wrk against it:
   first with the page cache (16 connections), then with the cache off
   (``CACHE_URL=dummycache://``, one connection, so p50 is one request's time);
3. prints one Markdown table: req/s, p50 and p99 per URL, each as a ratio to a
   static file (whitenoise) measured in the same phase of the same run, so the
   numbers can be compared on a machine whose CPU other work shares.

Rerunnable: it stops its gunicorn, and ``--readme`` replaces the table between
the ``bench`` markers of README.md with this run's.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.test import Client

from core.replica import REPLICA, replica_configured
from organizations.models import Organisation
from promises.models import Promise

STATIC_URL_PATH = "/static/css/site.css"
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"
#: The proxy in front terminates TLS and says so; without it production settings redirect.
PROXY_HEADER = ("X-Forwarded-Proto", "https")
#: What every browser says: pages are sent gzip-compressed (``public.caching``), the
#: static file as WhiteNoise's compressed copy.
BROWSER_HEADER = ("Accept-Encoding", "gzip, deflate, br")


class QueryCounter(list):
    """A database execute wrapper that records every SQL statement it lets through."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


@dataclass
class Measured:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> Measured:
    """Requests/s, p50 and p99 (ms) and the non-2xx/3xx count from ``wrk --latency`` output."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    return Measured(
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=_ms(p50.group(1)) if p50 else float("nan"),
        p99_ms=_ms(p99.group(1)) if p99 else float("nan"),
        errors=(int(errors.group(1)) if errors else 0)
        + (int(timeouts.group(1)) if timeouts else 0),
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Command(BaseCommand):
    help = (
        "Mäter publika sidor, sökning och API över HTTP: gunicorn med produktionsinställningar "
        "och wrk, med och utan sidcache, i förhållande till en statisk fil i samma körning."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=5, help="Sekunder per URL och läge.")
        parser.add_argument("--connections", type=int, default=16, help="Samtidiga anslutningar.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn-processer.")
        parser.add_argument(
            "--readme", action="store_true", help="Skriv tabellen i README.md (mellan markörerna)."
        )
        parser.add_argument("--output", default="", help="Skriv tabellen även till den här filen.")

    def handle(self, *args, duration=5, connections=16, workers=2, readme=False, output="", **o):
        wrk = self._wrk()
        # The bulk files as a worker builds them after a publication (public.bulk).
        call_command("build_open_data", stdout=self.stdout)
        urls = self._urls()
        queries = {url: self._queries(url) for url in urls}
        promises = Promise.objects.published().count()
        self.stdout.write(f"{promises} publicerade löften; {len(urls)} adresser.")
        self._collectstatic()

        cached = self._phase(wrk, urls, workers, connections, duration, cache_url=None)
        uncached = self._phase(wrk, urls, workers, 1, duration, cache_url="dummycache://")

        replica = (
            " Anonyma läsningar från läsrepliken (DATABASE_REPLICA_URL)."
            if replica_configured()
            else ""
        )
        lines = [
            f"{promises} {'publicerat löfte' if promises == 1 else 'publicerade löften'}, "
            f"gunicorn med {workers} processer, wrk {duration} s per adress, "
            f"med {BROWSER_HEADER[0]}: {BROWSER_HEADER[1]} som en webbläsare. "
            f"Kvot = req/s delat med req/s för en statisk fil ({STATIC_URL_PATH}) "
            f"i samma körning och läge.{replica}",
            "",
            f"| adress | frågor | cachad req/s ({connections} ansl.) | p50 | p99 | kvot "
            "| ocachad req/s (1 ansl.) | p50 | p99 | kvot |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for url in [STATIC_URL_PATH, *urls]:
            row = [f"`{url}`", str(queries.get(url, "–"))]
            for phase in (cached, uncached):
                m, static = phase[url], phase[STATIC_URL_PATH]
                ratio = m.rps / static.rps if static.rps else 0.0
                row += [
                    f"{m.rps:.0f}" + (f" ({m.errors} fel)" if m.errors else ""),
                    f"{m.p50_ms:.1f} ms",
                    f"{m.p99_ms:.1f} ms",
                    f"{ratio:.3f}",
                ]
            lines.append("| " + " | ".join(row) + " |")
        table = "\n".join(lines)
        self.stdout.write(table)
        if output:
            Path(output).write_text(table + "\n", encoding="utf-8")
        if readme:
            self._write_readme(table)

    # --- Set-up ---------------------------------------------------------------------

    def _wrk(self) -> str:
        found = shutil.which("wrk")
        if found:
            return found
        if shutil.which("apt-get") and os.geteuid() == 0:
            self.stdout.write("wrk saknas; installerar det från distributionens paket.")
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
            found = shutil.which("wrk")
        if not found:
            raise CommandError("wrk saknas. Installera det (apt-get install wrk) och kör igen.")
        return found

    def _urls(self) -> list[str]:
        urls = ["/", "/kommuner/", "/sverige/"]
        promise = Promise.objects.published().order_by("pk").first()
        if promise is not None:
            municipality = (
                Organisation.objects.municipalities()
                .filter(municipal_partnerships__promises=promise)
                .order_by("name")
                .first()
            )
            if municipality is not None:
                urls += [f"/kommuner/{municipality.slug}/", f"/kommuner/{municipality.slug}/flode/"]
            urls.append(promise.get_public_url())
        urls += [f"/sok/?q={quote(q)}" for q in ("narkotika", "löfte", "trygghetsvandring")]
        urls += ["/flode/", "/api/v1/promises", "/api/v1/promises?offset=1000"]
        urls += ["/api/v1/municipalities", "/api/v1/bulk/followups.csv.gz"]
        if promise is not None:
            urls.append(f"/api/v1/promises/{promise.pk}")
        return urls

    def _queries(self, url: str) -> int | str:
        """The SQL statements of one uncached request, on every database (with a read
        replica configured, "7 (7 replik)" says how many of them it answered)."""
        client = Client(HTTP_HOST="127.0.0.1")
        counters = {alias: QueryCounter() for alias in connections}
        cache.clear()
        with ExitStack() as stack:
            for alias, counter in counters.items():
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = client.get(url)
        if response.status_code != 200:
            return f"status {response.status_code}"
        total = sum(len(counter) for counter in counters.values())
        if REPLICA in counters:
            return f"{total} ({len(counters[REPLICA])} replik)"
        return total

    def _environment(self, cache_url: str | None) -> dict:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "False",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        }
        if not env["DATABASE_URL"]:
            env.pop("DATABASE_URL")
        if cache_url:
            env["CACHE_URL"] = cache_url
        return env

    def _collectstatic(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=settings.BASE_DIR,
            env=self._environment(None),
            check=True,
        )

    # --- One phase: a gunicorn, every URL once with wrk ---------------------------

    def _phase(self, wrk, urls, workers, connections, duration, *, cache_url):
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "medborgarlofte.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
            ],
            cwd=settings.BASE_DIR,
            env=self._environment(cache_url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self._wait_until_up(base, server)
            results = {}
            for url in [STATIC_URL_PATH, *urls]:
                for _ in range(workers * 2):  # every worker has the page cached, if caching
                    self._get(base + url)
                run = subprocess.run(
                    [
                        wrk,
                        "--latency",
                        f"-t{min(connections, 2)}",
                        f"-c{connections}",
                        f"-d{duration}s",
                        "--timeout",
                        "10s",
                        "-H",
                        f"{PROXY_HEADER[0]}: {PROXY_HEADER[1]}",
                        "-H",
                        f"{BROWSER_HEADER[0]}: {BROWSER_HEADER[1]}",
                        base + url,
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                results[url] = parse_wrk(run.stdout)
                label = "cachad" if cache_url is None else "ocachad"
                self.stdout.write(f"  {label} {url}: {results[url].rps:.0f} req/s")
            return results
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()

    def _get(self, url: str) -> int:
        request = urllib.request.Request(url, headers=dict([PROXY_HEADER, BROWSER_HEADER]))
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def _wait_until_up(self, base: str, server: subprocess.Popen) -> None:
        for _ in range(600):
            if server.poll() is not None:
                raise CommandError("gunicorn startade inte (se inställningarna för produktion).")
            try:
                if self._get(base + "/healthz") == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise CommandError("gunicorn svarade inte på /healthz inom en minut.")

    def _write_readme(self, table: str) -> None:
        path = Path(settings.BASE_DIR) / "README.md"
        text = path.read_text(encoding="utf-8")
        if README_START not in text or README_END not in text:
            raise CommandError(f"README.md saknar markörerna {README_START} och {README_END}.")
        head, rest = text.split(README_START, 1)
        _old, tail = rest.split(README_END, 1)
        path.write_text(f"{head}{README_START}\n{table}\n{README_END}{tail}", encoding="utf-8")
