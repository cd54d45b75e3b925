"""The stored copies of a version's signed snapshot (``PromiseVersion.signed_*``).

Lists, filters and figures read these generated columns instead of taking every
live snapshot apart. They must say exactly what the snapshot says, for every
schema ever written, follow a forced rewrite, and be what the queries read.
"""

import json
import re
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from organizations.models import Theme
from promises import published, services
from promises.chain import GENESIS
from promises.models import Commitment, Promise, PromiseVersion
from promises.snapshot import parse, sha256_hex
from tests.factories import force_sql, sign


@pytest.fixture
def extended(
    kalmar_coordinator,
    kalmar_partnership,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    django_capture_on_commit_callbacks,
):
    """A published promise with an extension, two themes and two commitments."""
    themes = [
        Theme.objects.create(name="Trygghet i centrum", slug="trygghet-i-centrum-kolumn"),
        Theme.objects.create(name="Narkotika i skolan", slug="narkotika-i-skolan-kolumn"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        promise = services.promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_partnership,
            title="Tryggare Kalmar 2025",
            valid_from_date=date(2025, 1, 1),
            valid_to_date=date(2025, 12, 31),
            extended_to_date=date(2026, 6, 30),
            themes=themes,
        )
        for text in ("Polisen patrullerar till fots.", "Kommunen lagar belysningen."):
            services.commitment_create(
                user=kalmar_coordinator, promise=promise, party=Commitment.Party.POLICE, text=text
            )
        services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
        for signer in (kalmar_police_chief, kalmar_municipal_signatory):
            sign(signer, promise)
    promise.refresh_from_db()
    assert promise.status == Promise.Status.PUBLISHED
    return promise


def test_every_stored_column_says_what_the_signed_snapshot_says(extended):
    version = PromiseVersion.objects.get(pk=extended.published_version_id)
    content = parse(version.snapshot)
    assert version.signed_title == content.title == "Tryggare Kalmar 2025"
    assert version.signed_from == content.valid_from == date(2025, 1, 1)
    assert version.signed_valid_to == content.valid_to == date(2025, 12, 31)
    assert version.signed_extended_to == content.extended_to == date(2026, 6, 30)
    assert version.signed_end == content.end_date == date(2026, 6, 30)
    assert version.signed_municipality_codes == ["0880"]
    assert version.signed_municipalities == version.snapshot["partnership"]["municipalities"]
    assert version.signed_police_area == version.snapshot["partnership"]["police_area"]
    assert version.signed_partners == []
    assert sorted(version.signed_theme_names) == ["Narkotika i skolan", "Trygghet i centrum"]
    assert version.signed_theme_set == ["Narkotika i skolan", "Trygghet i centrum"]
    assert version.signed_municipality_code_set == ["0880"]
    assert version.signed_commitment_ids == [c.id for c in content.commitments]
    assert len(version.signed_commitment_ids) == 2
    assert version.signed_cadence == content.followup.cadence
    assert version.signed_predecessor_id == content.predecessor_id

    (summary,) = published.summaries()
    assert (summary.title, summary.valid_from, summary.end_date) == (
        "Tryggare Kalmar 2025",
        date(2025, 1, 1),
        date(2026, 6, 30),
    )
    assert summary.municipality_codes == ["0880"] and summary.commitment_count == 2
    assert sorted(summary.themes) == ["Narkotika i skolan", "Trygghet i centrum"]


def _schema_1(promise_id: int) -> dict:
    return {
        "schema": 1,
        "promise_id": promise_id,
        "title": "Medborgarlöfte 2020",
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
        "extended_to": None,
        "themes": ["Narkotika", "Trafik"],
        "followup": {"cadence": "kvartal", "cadence_label": "Fyra gånger per år"},
        "partnership": {
            "name": "Samverkan",
            "police_area": {"id": 1, "kind": "lokalpolisomrade", "name": "LPO"},
            "municipalities": [
                {"id": 2, "kind": "kommun", "name": "Kalmar kommun", "municipality_code": "0880"},
                {"id": 3, "kind": "kommun", "name": "Nybro kommun", "municipality_code": "0881"},
            ],
            "other_partners": [],
        },
        "commitments": [{"id": 5, "text": "Vi går trygghetsvandringar."}, {"id": 6}],
    }


def _stored_version(promise, data: dict) -> PromiseVersion:
    """A version of ``promise`` holding ``data``, read back with its generated columns."""
    content = json.dumps(data)
    version = PromiseVersion.objects.create(
        promise=promise,
        number=99,
        content=content,
        snapshot=data,
        content_sha256=sha256_hex(content),
        chain_position=999,
        previous_sha256=GENESIS,
        chain_sha256=GENESIS,
    )
    version.refresh_from_db()
    return version


def test_a_schema_1_snapshot_names_its_themes_as_plain_strings(extended):
    """Schema 1 froze theme names as strings, schema 2 as objects: both are names here."""
    data = _schema_1(extended.pk)
    version = _stored_version(extended, data)
    assert version.signed_theme_names == ["Narkotika", "Trafik"]
    assert version.signed_theme_set == ["Narkotika", "Trafik"]
    assert version.signed_municipality_codes == ["0880", "0881"]
    assert version.signed_municipality_code_set == ["0880", "0881"]
    assert version.signed_extended_to is None
    assert version.signed_end == date(2020, 12, 31)
    assert version.signed_commitment_ids == [5, 6]
    assert version.signed_cadence == "kvartal"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-02-28", date(2020, 2, 28)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2023-02-29", None),
        ("2020-13-01", None),
        ("20200101", None),
        ("1 januari 2020", None),
        ("", None),
        (None, None),
    ],
)
def test_the_iso_date_function_gives_null_for_anything_that_is_not_a_date(db, text, expected):
    with connection.cursor() as cursor:
        cursor.execute("SELECT medborgarlofte_iso_date(%s)", [text])
        assert cursor.fetchone()[0] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["Trafik", "Narkotika", "Trafik"], ["Narkotika", "Trafik"]),
        (["Narkotika", None, 3], ["3", "Narkotika"]),
        ([], []),
    ],
)
def test_the_distinct_texts_function_gives_each_string_once_sorted(db, value, expected):
    """A kommun's own theme may have a shared theme's name: counted once per promise."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT medborgarlofte_distinct_texts(%s::jsonb)", [json.dumps(value)])
        assert cursor.fetchone()[0] == expected


def test_a_theme_named_twice_counts_once_for_its_promise(extended):
    data = _schema_1(extended.pk)
    data["themes"] = ["Trafik", "Narkotika", "Trafik"]
    version = _stored_version(extended, data)
    assert version.signed_theme_names == ["Trafik", "Narkotika", "Trafik"]
    assert version.signed_theme_set == ["Narkotika", "Trafik"]


def test_a_forced_rewrite_of_the_snapshot_is_recomputed_and_not_listed(extended):
    """A superuser who rewrites the snapshot past the triggers changes the stored copies
    too, and the row stops being live: no list shows the rewritten title."""
    version_id = extended.published_version_id
    force_sql(
        "UPDATE promises_promiseversion "
        "SET snapshot = jsonb_set(snapshot, '{title}', '\"Omskriven\"') WHERE id = %s",
        [version_id],
    )
    version = PromiseVersion.objects.get(pk=version_id)
    assert version.signed_title == "Omskriven"
    assert version.content_intact is False
    assert published.summaries() == []
    assert published.public_figures().published == 0
    assert published.live_commitment_count() == 0


def test_the_stored_copies_refuse_a_direct_write(extended):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE promises_promiseversion SET signed_title = 'Omskriven' WHERE id = %s",
            [extended.published_version_id],
        )


def _plans(action) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        action()
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN (VERBOSE) {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@pytest.mark.parametrize(
    "action",
    [
        lambda: published.summaries(limit=5),
        lambda: published.summaries(published.PromiseFilter(municipality="0880")),
        lambda: published.public_figures(),
        lambda: published.live_commitment_count(),
        lambda: published.summary_count(published.PromiseFilter(year=2025)),
    ],
    ids=["list-page", "kommun", "figures", "commitments", "year-count"],
)
def test_lists_and_figures_never_take_a_snapshot_apart(extended, action):
    """The plans read the stored columns and never compute on ``snapshot``: no JSON
    path, containment or function over it. (A scan's output names every column of
    the row; PostgreSQL only detoasts the snapshot where an expression uses it.)"""
    plans = _plans(action)
    assert plans
    for plan in plans:
        assert "signed_" in plan
        assert not SNAPSHOT_COMPUTED.search(plan), plan


SNAPSHOT_COMPUTED = re.compile(r"snapshot\s*(?:->|#>|@>|\?)|\w\([^()]*\bsnapshot\b")


def test_the_successor_links_read_the_stored_predecessor(extended):
    """A promise page asks which live versions name it as predecessor: on the indexed
    column, not by looking inside every snapshot."""
    plans = _plans(lambda: published._links(extended.pk, None))
    assert len(plans) == 1 and "signed_predecessor_id" in plans[0]
    assert not SNAPSHOT_COMPUTED.search(plans[0]), plans[0]
