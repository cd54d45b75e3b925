"""The search index: found through its GIN indexes, updated in place, repaired after a crash."""

import pytest
from django.db import connection

from core import search
from core.models import SearchEntry, SearchPending
from promises.search import group_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(publish_kalmar_promise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return publish_kalmar_promise(title="Medborgarlöfte mot ungdomsbrottslighet")


def _titles(query):
    return {entry.title for entry in search.search(query)}


def test_parts_of_compound_words_find_their_word(published):
    assert published.title in _titles("brott")
    assert published.title in _titles("löfte")
    assert published.title in _titles("ungdomsbrottslighet")
    assert published.title not in _titles("narkotika")


def test_every_term_must_occur(published):
    assert published.title in _titles("löfte brott")
    assert published.title not in _titles("löfte narkotika")


def test_search_reads_through_the_gin_indexes(published):
    """With sequential scans priced out, the plan uses the indexes: no scan of every row."""
    sql, params = search.search("brott").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan TO off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "searchentry_parts_gin" in plan
    assert "searchentry_document_gin" in plan


def test_an_unchanged_group_is_reindexed_without_writing(published):
    key = group_key(published.pk)
    before = set(SearchEntry.objects.filter(group_key=key).values_list("pk", flat=True))
    assert before
    result = search.refresh(key)
    assert not result.changed
    assert result.entries == len(before)
    assert set(SearchEntry.objects.filter(group_key=key).values_list("pk", flat=True)) == before


def test_a_change_rewrites_only_what_changed(published):
    key = group_key(published.pk)
    entry = SearchEntry.objects.filter(group_key=key, kind="promise").get()
    others = set(SearchEntry.objects.filter(group_key=key).exclude(pk=entry.pk).values_list("pk"))
    SearchEntry.objects.filter(pk=entry.pk).update(digest="gammal")
    result = search.refresh(key)
    assert (result.inserted, result.deleted) == (1, 1)
    assert set(SearchEntry.objects.filter(group_key=key, kind="promise").values_list("pk")) != {
        (entry.pk,)
    }
    assert (
        set(SearchEntry.objects.filter(group_key=key).exclude(kind="promise").values_list("pk"))
        == others
    )


def test_publication_leaves_no_pending_mark(published):
    assert not SearchPending.objects.exists()


def test_repair_finds_missing_and_pending_groups_and_drops_unpublished_ones(published):
    key = group_key(published.pk)
    assert search.repair().fixed == 0

    # A process killed between the commit and the reindex: entries missing, mark left.
    SearchEntry.objects.filter(group_key=key).delete()
    SearchPending.objects.create(group_key=key)
    repaired = search.repair()
    assert repaired.pending == [key]
    assert SearchEntry.objects.filter(group_key=key).exists()
    assert not SearchPending.objects.exists()

    SearchEntry.objects.filter(group_key=key).delete()
    assert search.repair().missing == [key]

    SearchEntry.objects.create(group_key="promise:999999", kind="promise", title="x", url="/x/")
    assert search.repair().dropped == ["promise:999999"]
    assert not SearchEntry.objects.filter(group_key="promise:999999").exists()


def test_the_check_on_a_complete_index_costs_a_few_queries(
    published, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        assert search.repair().fixed == 0
