"""A rerunnable benchmark of the public pages: SQL queries and response times.

Runs in-process through Django's test client against the current database
(load the demo first: `make bench` does), so the numbers measure Django,
the queries and the templates, not the network. Each page is timed with an
empty cache ("kall") and from the page cache ("varm").
"""

import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from promises.models import Promise


class QueryCounter(list):
    """A database execute wrapper that records every SQL statement it lets through."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Mäter publika sidor: antal SQL-frågor och svarstider (kall och varm cache)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30, help="Anrop per sida och läge.")

    def handle(self, *args, requests=30, **options):
        client = Client(HTTP_HOST="127.0.0.1")
        urls = ["/", "/kommuner/", "/kommuner/katrineholm/", "/sok/?q=narkotika", "/sok/?q=löfte"]
        published = Promise.objects.published().order_by("pk").first()
        if published:
            urls += [
                published.get_public_url(),
                f"/api/v1/promises/{published.pk}",
                "/api/v1/promises",
                "/api/v1/municipalities",
                "/flode/",
            ]
        self.stdout.write(
            f"{'sida':<34} {'frågor':>6} {'kall median':>12} {'kall p95':>9} {'varm median':>12}"
        )
        for url in urls:
            queries = QueryCounter()
            cache.clear()
            with connection.execute_wrapper(queries):
                response = client.get(url)
            if response.status_code != 200:
                self.stdout.write(f"{url:<34} status {response.status_code}")
                continue
            cold = self._time(client, url, requests, clear=True)
            warm = self._time(client, url, requests, clear=False)
            self.stdout.write(
                f"{url[:34]:<34} {len(queries):>6} {self._ms(statistics.median(cold)):>12} "
                f"{self._ms(self._p95(cold)):>9} {self._ms(statistics.median(warm)):>12}"
            )

    @staticmethod
    def _time(client, url, n, *, clear):
        samples = []
        for _ in range(n):
            if clear:
                cache.clear()
            start = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - start)
        return samples

    @staticmethod
    def _p95(samples):
        return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]

    @staticmethod
    def _ms(seconds):
        return f"{seconds * 1000:.1f} ms"
