"""Search reads through its GIN indexes (issue 17): ``core.search.through_the_indexes``.

A common word matches a fifth of the national index, and PostgreSQL then prefers a
sequential scan that unpacks every row's vectors (96 ms against 47). The search page
turns sequential scans off for its own transaction, and only for it.
"""

import pytest
from django.db import connection

from core import search
from public.views import search_page

pytestmark = pytest.mark.django_db


def _seqscan() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        return cursor.fetchone()[0]


def test_only_the_search_transaction_plans_without_sequential_scans():
    assert _seqscan() == "on"
    with search.through_the_indexes():
        assert _seqscan() == "off"
    assert _seqscan() == "on"


def test_the_search_page_reads_through_the_indexes(monkeypatch):
    seen = []
    original = search.through_the_indexes

    def recording(using="default"):
        seen.append(using)
        return original(using)

    monkeypatch.setattr(search, "through_the_indexes", recording)
    page = search_page(search.hits("trygghet"), 1)
    assert seen == ["default"]
    assert page.number == 1
    assert _seqscan() == "on"


def test_the_plan_uses_the_indexes_inside():
    sql, params = search.search("narkotika").query.sql_with_params()
    with search.through_the_indexes(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on core_searchentry" not in plan
    assert "Bitmap" in plan or "Index" in plan
