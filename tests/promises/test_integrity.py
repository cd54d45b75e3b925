"""Signed history cannot be rewritten, and what a superuser forces past the database is caught.

Versions, signatures and the transition log refuse UPDATE and DELETE in the
database, whatever the ORM or pgtrigger says. A change forced with triggers
switched off (as only a superuser can) is detected by the public page, the
API, the PDF, the lists and ``manage.py verify_signatures``.
"""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from promises import published as published_models
from promises import services
from promises.chain import GENESIS, link, signature_record, version_record
from promises.models import Commitment, Promise, PromiseTransition, PromiseVersion, Signature
from promises.snapshot import SnapshotError, parse, sha256_hex
from tests.factories import force_sql, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(
    kalmar_coordinator,
    kalmar_partnership,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        promise = services.promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_partnership,
            title="Tryggare Kalmar",
            valid_from_date=date(2026, 1, 1),
            valid_to_date=date(2026, 12, 31),
        )
        services.commitment_create(
            user=kalmar_coordinator,
            promise=promise,
            party=Commitment.Party.POLICE,
            text="Polisen patrullerar till fots i centrum.",
        )
        services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
        for signer in (kalmar_police_chief, kalmar_municipal_signatory):
            sign(signer, promise)
    promise.refresh_from_db()
    assert promise.status == Promise.Status.PUBLISHED
    return promise


def refused(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def test_versions_refuse_update_and_delete_through_the_orm_and_sql(published):
    version = published.published_version
    version.snapshot = {**version.snapshot, "title": "Omskrivet"}
    refused(lambda: version.save())
    refused(lambda: PromiseVersion.objects.filter(pk=version.pk).update(content="{}"))
    refused(lambda: PromiseVersion.objects.filter(pk=version.pk).delete())

    def sql():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE promises_promiseversion SET content_sha256 = %s WHERE id = %s",
                ["0" * 64, version.pk],
            )

    refused(sql)
    version.refresh_from_db()
    assert version.is_intact()


def test_pgtrigger_ignore_does_not_switch_the_protection_off(published):
    """pgtrigger.ignore() works by a session variable its own triggers read; ours read none."""
    signature = Signature.objects.filter(version=published.published_version).first()
    ignore = (
        "{promises_signature:promises_signature_append_only,"
        "promises_signature:pgtrigger_signature_append_only_b4ef5}"
    )

    def update():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [ignore])
            cursor.execute(
                "UPDATE promises_signature SET signer_name = 'Någon' WHERE id = %s",
                [signature.pk],
            )

    refused(update)
    refused(lambda: Signature.objects.filter(pk=signature.pk).delete())
    refused(lambda: PromiseTransition.objects.filter(promise=published).delete())


def tamper_title(promise):
    """Rewrite the live version's title in both copies, as a superuser could."""
    force_sql(
        "UPDATE promises_promiseversion SET "
        "snapshot = jsonb_set(snapshot, '{title}', '\"Omskrivet\"'), "
        "content = replace(content, '\"Tryggare Kalmar\"', '\"Omskrivet\"') WHERE id = %s",
        [promise.published_version_id],
    )


def test_a_forced_rewrite_is_never_presented_as_signed(client, published):
    tamper_title(published)
    page = client.get(f"/medborgarloften/{published.pk}/")
    assert page.status_code == 409
    body = page.content.decode()
    assert "stämmer inte med den kontrollsumma" in body and "Omskrivet" not in body
    api = client.get(f"/api/v1/promises/{published.pk}")
    assert api.status_code == 409 and "Omskrivet" not in api.content.decode()
    assert client.get(f"/medborgarloften/{published.pk}/pdf/").status_code == 409
    assert client.get("/api/v1/promises").json()["items"] == []
    assert client.get(f"/api/v1/promises/{published.pk}/kedja").status_code == 404
    assert "Omskrivet" not in client.get("/").content.decode()
    with pytest.raises(CommandError):
        call_command("verify_signatures")


def test_only_the_queryable_copy_rewritten_is_caught_too(client, published):
    force_sql(
        "UPDATE promises_promiseversion SET snapshot = jsonb_set(snapshot, '{title}', "
        "'\"Omskrivet\"') WHERE id = %s",
        [published.published_version_id],
    )
    assert client.get(f"/medborgarloften/{published.pk}/").status_code == 409
    assert client.get("/api/v1/promises").json()["items"] == []
    with pytest.raises(CommandError):
        call_command("verify_signatures")


@pytest.mark.parametrize(
    "assignment",
    [
        "snapshot = jsonb_set(snapshot, '{title}', '\"Omskrivet\"')",
        "content = replace(content, '\"Tryggare Kalmar\"', '\"Omskrivet\"')",
        # Both copies rewritten alike, and the hash recorded for the new text.
        "snapshot = jsonb_set(snapshot, '{title}', '\"Omskrivet\"'), "
        "content = replace(content, '\"Tryggare Kalmar\"', '\"Omskrivet\"'), "
        "content_sha256 = encode(sha256(convert_to(replace(content, "
        "'\"Tryggare Kalmar\"', '\"Omskrivet\"'), 'UTF8')), 'hex')",
    ],
    ids=["snapshot", "content", "both-and-hash"],
)
def test_the_stored_intact_flag_is_recomputed_by_a_forced_update(published, assignment):
    """``content_intact`` cannot be written; PostgreSQL recomputes it, triggers or not."""
    version_id = published.published_version_id
    assert PromiseVersion.objects.get(pk=version_id).content_intact is True
    assert published_models.live_promises().filter(pk=published.pk).exists()

    force_sql(f"UPDATE promises_promiseversion SET {assignment} WHERE id = %s", [version_id])

    version = PromiseVersion.objects.get(pk=version_id)
    if "content_sha256" in assignment:
        # The text and its recorded hash agree again: only the signatures
        # (still carrying the old hash) and the chain give it away.
        assert version.content_intact is True
    else:
        assert version.content_intact is False
        assert not PromiseVersion.objects.filter(pk=version_id).intact().exists()
    assert not published_models.live_promises().filter(pk=published.pk).exists()
    assert published_models.summaries() == []
    assert published_models.summary_count() == 0
    with pytest.raises(CommandError):
        call_command("verify_signatures")


def test_the_stored_intact_flag_refuses_a_direct_write(published):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE promises_promiseversion SET content_intact = true WHERE id = %s",
            [published.published_version_id],
        )


def test_lists_read_the_stored_flag_instead_of_hashing_every_row(published):
    """The live-promise count filters on ``content_intact``; no hash is computed per row."""
    queryset = published_models.live_promises().order_by()
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (VERBOSE) SELECT COUNT(*) FROM ({sql}) AS live", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "content_intact" in plan
    for computed in ("sha256(", "convert_to(", "medborgarlofte_sha256_hex(", "::jsonb"):
        assert computed not in plan
    assert queryset.count() == 1


def test_a_signature_moved_to_another_hash_is_caught(client, published):
    signature = Signature.objects.filter(version=published.published_version).first()
    force_sql(
        "UPDATE promises_signature SET content_sha256 = %s WHERE id = %s",
        ["f" * 64, signature.pk],
    )
    assert client.get(f"/medborgarloften/{published.pk}/").status_code == 409
    assert published_models.summaries() == []  # and no list shows it (the SQL check)
    assert not published_models.live_ids().exists()
    with pytest.raises(CommandError):
        call_command("verify_signatures")


def test_a_rewritten_or_removed_chain_record_breaks_the_chain(published, capsys):
    signature = Signature.objects.filter(version=published.published_version).first()
    force_sql(
        "UPDATE promises_signature SET signer_name = 'Någon annan' WHERE id = %s",
        [signature.pk],
    )
    with pytest.raises(CommandError):
        call_command("verify_signatures")
    assert "hashkedjan" in capsys.readouterr().err


def test_removing_a_signature_breaks_the_chain(published, capsys):
    first = Signature.objects.filter(version=published.published_version).order_by("pk").first()
    force_sql("DELETE FROM promises_signature WHERE id = %s", [first.pk])
    with pytest.raises(CommandError):
        call_command("verify_signatures")
    assert "hashkedjan" in capsys.readouterr().err


def test_verify_signatures_passes_on_intact_data(published, capsys):
    call_command("verify_signatures")
    assert "Allt stämmer" in capsys.readouterr().out


def test_the_published_chain_can_be_recomputed_offline(client, published):
    """What /oppna-data/ promises: the chain and the signed text verify with the API alone."""
    chain = client.get(f"/api/v1/promises/{published.pk}/kedja").json()
    previous = chain["genesis"]
    assert previous == GENESIS
    for record in chain["records"]:
        canonical = json.dumps(
            record["record"], sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        assert sha256_hex(canonical) == record["record_sha256"]
        assert record["previous_sha256"] == previous
        assert sha256_hex(previous + record["record_sha256"]) == record["chain_sha256"]
        previous = record["chain_sha256"]
    version = chain["records"][0]
    body = client.get(version["content_url"].removeprefix("http://127.0.0.1:8000")).content
    assert sha256_hex(body.decode("utf-8")) == version["record"]["content_sha256"]
    detail = client.get(f"/api/v1/promises/{published.pk}").json()
    assert detail["content_sha256"] == version["record"]["content_sha256"]
    assert all(
        r["record"]["content_sha256"] == detail["content_sha256"]
        for r in chain["records"]
        if r["kind"] == "signature"
    )


def test_versions_never_published_show_only_hashes(client, published, kalmar_coordinator):
    services.promise_amend(user=kalmar_coordinator, promise=published)
    published.refresh_from_db()
    services.commitment_create(
        user=kalmar_coordinator, promise=published, party="police", text="Hemligt tillägg"
    )
    services.promise_submit_for_signing(user=kalmar_coordinator, promise=published)
    response = client.get(f"/api/v1/promises/{published.pk}/kedja")
    records = response.json()["records"]
    unpublished = [r for r in records if not r["published"]]
    assert len(unpublished) == 1 and unpublished[0]["record"] is None
    assert "Hemligt" not in response.content.decode()
    assert client.get(f"/api/v1/promises/{published.pk}/versioner/2").status_code == 404


def test_chain_links_follow_each_other_in_the_database(published):
    versions = list(PromiseVersion.objects.filter(promise=published))
    signatures = list(Signature.objects.filter(version__promise=published))
    rows = sorted(versions + signatures, key=lambda r: r.chain_position)
    assert [r.chain_position for r in rows] == list(range(1, len(rows) + 1))
    previous = GENESIS
    for row in rows:
        record = (
            version_record(row)
            if isinstance(row, PromiseVersion)
            else signature_record(row, promise_id=published.pk, version_number=1)
        )
        assert row.previous_sha256 == previous
        assert row.chain_sha256 == link(previous, record)
        previous = row.chain_sha256


def test_snapshots_of_every_schema_are_read_and_anything_else_refused(published):
    content = parse(published.published_version.snapshot)
    assert content.title == "Tryggare Kalmar" and len(content.commitments) == 1
    v1 = {
        "schema": 1,
        "promise_id": 1,
        "title": "Medborgarlöfte 2020",
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
        "extended_to": None,
        "introduction": "",
        "effect_goal": {
            "text": "",
            "indicator": "",
            "baseline": "",
            "target": "",
            "target_year": None,
        },  # noqa: E501
        "themes": ["Narkotika"],
        "areas": ["Centrum"],
        "followup": {"cadence": "tertial", "cadence_label": "Tre gånger per år", "channels": ""},
        "decision_reference": "",
        "partnership": {
            "name": "Samverkan",
            "agreement_reference": "",
            "police_area": {
                "id": 1,
                "kind": "lokalpolisomrade",
                "name": "LPO",
                "municipality_code": None,
            },  # noqa: E501
            "municipalities": [
                {"id": 2, "kind": "kommun", "name": "Kalmar kommun", "municipality_code": "0880"}
            ],  # noqa: E501
            "other_partners": [],
        },
        "commitments": [
            {
                "id": 5,
                "order": 1,
                "party": "joint",
                "party_label": "Tillsammans",
                "municipality": None,
                "partner": None,
                "text": "Vi går trygghetsvandringar.",
                "theme": "Trygghet",
                "areas": ["Centrum"],
                "target": {
                    "quantity": 2,
                    "unit": "vandringar",
                    "period": "ar",
                    "per_area": False,
                    "text": "minst 2 vandringar per år",
                },  # noqa: E501
                "condition": "",
            }
        ],
    }
    old = parse(v1)
    assert old.theme_names == ["Narkotika"]
    assert old.commitments[0].target_text == "minst 2 vandringar per år"
    assert [o.name for o in old.commitments[0].owners] == ["LPO", "Kalmar kommun"]
    for broken in ({**v1, "schema": 9}, {**v1, "schema": 2}, {**v1, "title": None}, []):
        with pytest.raises(SnapshotError):
            parse(broken)
