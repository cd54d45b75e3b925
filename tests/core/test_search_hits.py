"""``core.search.Hits``: a page of search results read in two steps is the same page
as the whole ordered search (issue 17).

The whole-word matches are ranked; the entries found only inside words ("löfte" in
"medborgarlöfte") follow, newest first, read through ``searchentry_newest``
instead of sorting every match.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import search

pytestmark = pytest.mark.django_db

QUERIES = [
    "löfte",  # inside words only ("medborgarlöfte")
    "narkotika",  # whole words and inside words ("narkotikabrott")
    "trygghetsvandring",
    "brott",
    "polisen kommunen",
    "grannsamverkan -inbrottsskydd",
    '"trygghet i centrum"',
    "zzzyx",  # nothing
]


@pytest.fixture
def generated():
    call_command(
        "generate_national", force=True, workers=1, scale=0.004, years=2, stdout=StringIO()
    )


def _ids(rows):
    return [(row.pk, round(row.rank, 6)) for row in rows]


@pytest.mark.parametrize("query", QUERIES)
def test_every_slice_is_the_slice_of_the_ordered_search(generated, query):
    whole = list(search.search(query))
    hits = search.hits(query)
    for size in (1, 7, 20):
        for start in range(0, len(whole) + 2 * size, size):
            assert _ids(hits[start : start + size]) == _ids(whole[start : start + size]), (
                query,
                start,
                size,
            )
    assert hits.count_upto(5) == min(len(whole), 6)


@pytest.mark.parametrize("query", ["genererat", "polisen", "kommunen"])
def test_past_the_ranked_window_whole_words_come_newest_first(generated, monkeypatch, query):
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    whole = list(search.search(query))
    ranks = [row.rank for row in whole]
    assert sum(rank >= search.RANKED for rank in ranks) == 3
    older = [row for row in whole if row.rank == pytest.approx(search.WORD_RANK)]
    assert older, "more whole-word matches than the window"
    assert [row.pk for row in older] == [
        row.pk for row in sorted(older, key=lambda row: (-row.published_at.timestamp(), row.pk))
    ]
    hits = search.hits(query)
    for size in (1, 2, 5):
        for start in range(0, len(whole) + 2 * size, size):
            assert _ids(hits[start : start + size]) == _ids(whole[start : start + size])


def test_facets_filter_both_steps(generated):
    facets = {"ar": "2026"}
    whole = list(search.search("löfte", facets=facets))
    assert whole and len(whole) < len(list(search.search("löfte")))
    assert _ids(search.hits("löfte", facets=facets)[0:500]) == _ids(whole)


def test_matches_inside_words_follow_the_ranked_ones_newest_first(generated):
    rows = list(search.search("brott"))  # "för brott", and "narkotikabrott"
    inside = [row for row in rows if row.rank == pytest.approx(search.INSIDE_RANK)]
    ranked = rows[: len(rows) - len(inside)]
    assert ranked and inside, "the set has both kinds of match"
    assert all(row.rank >= search.RANKED for row in ranked)
    newest = sorted(inside, key=lambda row: (-row.published_at.timestamp(), row.pk))
    assert [row.pk for row in inside] == [row.pk for row in newest]


def test_a_word_found_only_inside_words_reads_the_newest_through_the_index(generated):
    hits = search.hits("löfte")
    with search.through_the_indexes(), CaptureQueriesContext(connection) as queries:
        page = hits[0:21]
    assert len(page) == 21
    assert len(queries.captured_queries) == 2  # the ranked (none here), then inside words
    sql = queries.captured_queries[-1]["sql"]
    with search.through_the_indexes(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "searchentry_newest" in plan, plan
    assert "Sort" not in plan, plan


def test_nothing_to_search_for_is_empty():
    assert not search.hits("  ")
    assert search.hits("")[0:20] == []
