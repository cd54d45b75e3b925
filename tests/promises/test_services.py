"""The promise workflow: every transition, its refusals, and what it records."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InternalError, connection, transaction

from core.concurrency import StaleObjectError
from promises import services
from promises.models import Commitment, Promise, PromiseTransition, Signature
from tests.factories import force_sql, sign

pytestmark = pytest.mark.django_db

Status = Promise.Status


@pytest.fixture
def draft(kalmar_coordinator, kalmar_partnership, kalmar):
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
    services.commitment_create(
        user=kalmar_coordinator,
        promise=promise,
        party=Commitment.Party.MUNICIPALITY,
        municipality=kalmar,
        text="Kommunen arrangerar trygghetsvandringar.",
        target_quantity=2,
        target_unit="trygghetsvandringar",
    )
    return promise


@pytest.fixture
def submitted(draft, kalmar_coordinator, kalmar_police_chief, kalmar_municipal_signatory):
    services.promise_submit_for_signing(user=kalmar_coordinator, promise=draft)
    draft.refresh_from_db()
    return draft


def kinds(promise):
    return list(promise.transitions.order_by("pk").values_list("kind", flat=True))


# --- create / edit -------------------------------------------------------------------


def test_only_a_coordinator_of_the_partnership_can_create(
    kalmar_partnership, kalmar_reader, katrineholm_coordinator, kalmar_police_coordinator
):
    fields = {
        "title": "X",
        "valid_from_date": date(2026, 1, 1),
        "valid_to_date": date(2026, 12, 31),
    }
    for user in (kalmar_reader, katrineholm_coordinator):
        with pytest.raises(PermissionDenied):
            services.promise_create(user=user, partnership=kalmar_partnership, **fields)
    promise = services.promise_create(
        user=kalmar_police_coordinator, partnership=kalmar_partnership, **fields
    )
    assert promise.status == Status.DRAFT
    assert kinds(promise) == [PromiseTransition.Kind.CREATED]


def test_period_must_not_end_before_it_starts(kalmar_coordinator, kalmar_partnership):
    with pytest.raises(ValidationError) as error:
        services.promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_partnership,
            title="Baklänges",
            valid_from_date=date(2026, 6, 1),
            valid_to_date=date(2026, 1, 1),
        )
    assert "Perioden kan inte sluta innan den börjar." in str(error.value)
    assert not Promise.objects.filter(title="Baklänges").exists()


def test_commitment_needs_text_and_a_unit_for_its_target(draft, kalmar_coordinator):
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            user=kalmar_coordinator, promise=draft, party=Commitment.Party.JOINT, text=""
        )
    assert "Skriv vad som lovas." in str(error.value) or "text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            user=kalmar_coordinator,
            promise=draft,
            party=Commitment.Party.JOINT,
            text="Trygghetsvandringar",
            target_quantity=3,
        )
    assert "Ett mål behöver en enhet" in str(error.value)
    assert draft.commitments.count() == 2


def test_owners_must_be_parties_of_the_partnership(draft, kalmar_coordinator, katrineholm):
    for owners in ([katrineholm], []):
        with pytest.raises(ValidationError) as error:
            services.commitment_create(
                user=kalmar_coordinator, promise=draft, owners=owners, text="Fel part"
            )
        assert "owners" in error.value.message_dict
    assert not Commitment.objects.filter(text="Fel part").exists()


def test_stale_save_is_refused_and_carries_the_saved_row(draft, kalmar_coordinator):
    loaded = draft.lock_version
    services.promise_update(
        user=kalmar_coordinator,
        promise=Promise.objects.get(pk=draft.pk),
        expected_version=loaded,
        data={"title": "Första ändringen"},
    )
    with pytest.raises(StaleObjectError) as error:
        services.promise_update(
            user=kalmar_coordinator,
            promise=Promise.objects.get(pk=draft.pk),
            expected_version=loaded,
            data={"title": "Andra ändringen"},
        )
    assert error.value.current.title == "Första ändringen"
    assert Promise.objects.get(pk=draft.pk).title == "Första ändringen"


def test_reorder_swaps_within_the_party(draft, kalmar_coordinator):
    second = services.commitment_create(
        user=kalmar_coordinator, promise=draft, party=Commitment.Party.POLICE, text="Andra"
    )
    services.commitment_move(user=kalmar_coordinator, commitment=second, direction="up")
    police = [
        c.text
        for c in draft.commitments.prefetch_related("owners").order_by("order", "pk")
        if c.party == Commitment.Party.POLICE
    ]
    assert police == ["Andra", "Polisen patrullerar till fots i centrum."]


# --- submit / return -----------------------------------------------------------------


def test_submit_freezes_a_version_and_notifies_the_signatories(
    draft,
    kalmar_coordinator,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    kalmar_reader,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.promise_submit_for_signing(user=kalmar_coordinator, promise=draft)
    draft.refresh_from_db()
    assert draft.status == Status.AWAITING_SIGNATURES
    assert version.number == 1
    assert len(version.content_sha256) == 64
    assert version.is_intact()
    assert [c["text"] for c in version.snapshot["commitments"]][0].startswith("Polisen")
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([kalmar_police_chief.email, kalmar_municipal_signatory.email])
    assert "klart för signering" in mail.outbox[0].body
    # The mail takes the signatory to the signing page and names the exact version.
    for message in mail.outbox:
        assert f"/arbetsyta/loften/{draft.pk}/signera/" in message.body
        assert version.content_sha256 in message.body


def test_submit_is_refused_without_commitments_or_by_a_reader(
    kalmar_coordinator, kalmar_partnership, kalmar_reader, draft
):
    with pytest.raises(PermissionDenied):
        services.promise_submit_for_signing(user=kalmar_reader, promise=draft)
    empty = services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Tomt",
        valid_from_date=date(2026, 1, 1),
        valid_to_date=date(2026, 12, 31),
    )
    with pytest.raises(ValidationError):
        services.promise_submit_for_signing(user=kalmar_coordinator, promise=empty)
    assert not empty.versions.exists()


def test_a_promise_awaiting_signatures_cannot_be_edited(submitted, kalmar_coordinator):
    with pytest.raises(ValidationError):
        services.promise_update(
            user=kalmar_coordinator,
            promise=submitted,
            expected_version=submitted.lock_version,
            data={"title": "Smygändring"},
        )
    with pytest.raises(ValidationError):
        services.commitment_create(
            user=kalmar_coordinator, promise=submitted, party="police", text="Ny"
        )


def test_return_to_draft_then_edit(submitted, kalmar_coordinator):
    services.promise_return_to_draft(user=kalmar_coordinator, promise=submitted, note="Ändra")
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT
    assert kinds(submitted)[-1] == PromiseTransition.Kind.RETURNED
    with pytest.raises(ValidationError):
        services.promise_return_to_draft(user=kalmar_coordinator, promise=submitted)


# --- signing -------------------------------------------------------------------------


def test_signing_records_who_what_and_publishes_when_everyone_has_signed(
    submitted,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    kalmar_coordinator,
    django_capture_on_commit_callbacks,
):
    version = submitted.current_version()
    first = sign(kalmar_police_chief, submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.AWAITING_SIGNATURES
    assert submitted.published_version is None
    assert first.signer == kalmar_police_chief
    assert first.signer_title == "Lokalpolisområdeschef"
    assert first.organisation_name == "LPO Kalmar"
    assert first.content_sha256 == version.content_sha256
    assert first.method == Signature.Method.PASSWORD
    assert first.signed_at is not None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign(kalmar_municipal_signatory, submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.PUBLISHED
    assert submitted.published_version == version
    assert kinds(submitted)[-3:] == ["signerat", "signerat", "publicerat"]
    # Both parties' coordinators and signatories hear that it is published.
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [kalmar_coordinator.email, kalmar_police_chief.email, kalmar_municipal_signatory.email]
    )
    assert "publicerat" in mail.outbox[0].subject


def test_signing_refusals(
    submitted, kalmar_police_chief, kalmar_coordinator, kalmar_reader, katrineholm_coordinator
):
    for user in (kalmar_coordinator, kalmar_reader, katrineholm_coordinator):
        with pytest.raises(PermissionDenied):
            sign(user, submitted)
    with pytest.raises(ValidationError) as error:
        sign(kalmar_police_chief, submitted, password="fel")
    assert "Fel lösenord" in str(error.value)
    sign(kalmar_police_chief, submitted)
    with pytest.raises(PermissionDenied):
        sign(kalmar_police_chief, submitted)  # the same role cannot sign twice
    assert Signature.objects.count() == 1


def test_a_draft_cannot_be_signed(draft, kalmar_police_chief):
    with pytest.raises(ValidationError):
        sign(kalmar_police_chief, draft)


def test_a_tampered_snapshot_cannot_be_signed(submitted, kalmar_police_chief):
    version = submitted.current_version()
    force_sql(
        "UPDATE promises_promiseversion SET snapshot = jsonb_set(snapshot, '{title}', "
        "'\"Något annat\"') WHERE id = %s",
        [version.pk],
    )
    version.refresh_from_db()
    assert not version.is_intact()
    with pytest.raises(ValidationError) as error:
        sign(kalmar_police_chief, submitted)
    assert error.value.code == "tampered"
    assert not Signature.objects.exists()


def test_signature_rows_refuse_update_and_delete_in_the_database(submitted, kalmar_police_chief):
    signature = sign(kalmar_police_chief, submitted)
    for sql in (
        "UPDATE promises_signature SET signer_name = 'Någon annan' WHERE id = %s",
        "DELETE FROM promises_signature WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [signature.pk])
    signature.refresh_from_db()
    assert signature.signer_name != "Någon annan"


def test_transition_log_refuses_update(draft):
    event = draft.transitions.first()
    with (
        pytest.raises((InternalError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE promises_promisetransition SET note = 'x' WHERE id = %s", [event.pk])


# --- amend / expire / paper ------------------------------------------------------------


@pytest.fixture
def published(submitted, kalmar_police_chief, kalmar_municipal_signatory):
    sign(kalmar_police_chief, submitted)
    sign(kalmar_municipal_signatory, submitted)
    submitted.refresh_from_db()
    return submitted


def test_amending_keeps_the_signed_version_public_until_the_new_one_is_signed(
    published, kalmar_coordinator, kalmar_police_chief, kalmar_municipal_signatory
):
    signed = published.published_version
    services.promise_amend(user=kalmar_coordinator, promise=published)
    published.refresh_from_db()
    assert published.status == Status.DRAFT
    assert published.published_version == signed
    services.promise_update(
        user=kalmar_coordinator,
        promise=published,
        expected_version=published.lock_version,
        data={"title": "Tryggare Kalmar, reviderat"},
    )
    assert Promise.objects.published().filter(pk=published.pk).exists()
    services.promise_submit_for_signing(user=kalmar_coordinator, promise=published)
    sign(kalmar_police_chief, published)
    published.refresh_from_db()
    assert published.published_version == signed  # one signature is not enough
    sign(kalmar_municipal_signatory, published)
    published.refresh_from_db()
    assert published.published_version.number == 2
    assert published.published_version.snapshot["title"] == "Tryggare Kalmar, reviderat"


def test_only_a_published_promise_can_be_amended(draft, kalmar_coordinator):
    with pytest.raises(ValidationError):
        services.promise_amend(user=kalmar_coordinator, promise=draft)


def test_expire_ends_a_promise_after_its_period_but_keeps_it_public(published):
    with pytest.raises(ValidationError):
        services.promise_expire(promise=published, today=date(2026, 12, 31))
    ended = services.promises_expire_due(today=date(2027, 1, 1))
    assert [p.pk for p in ended] == [published.pk]
    published.refresh_from_db()
    assert published.status == Status.ENDED
    assert Promise.objects.published().filter(pk=published.pk).exists()


def test_paper_signatures_publish_a_historic_document_once_the_other_party_confirms(
    draft, kalmar_coordinator, kalmar_police_coordinator, kalmar_partnership
):
    from tests.promises.test_paper_signatures import scan

    police, municipal = kalmar_partnership.signatory_requirements.order_by("order")
    paper = services.promise_record_paper_signatures(
        user=kalmar_coordinator,
        promise=draft,
        signatures=[
            {"requirement": police, "name": "Polischef på papper", "date": date(2019, 1, 15)},
            {"requirement": municipal, "name": "Ordförande på papper", "place": "Kalmar"},
        ],
        scan=scan(),
    )
    draft.refresh_from_db()
    assert draft.status == Status.AWAITING_PAPER and draft.published_version is None
    services.promise_confirm_paper_signatures(user=kalmar_police_coordinator, promise=draft)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_version == paper.version
    signed = list(paper.version.signatures.order_by("requirement__order"))
    assert [s.method for s in signed] == ["papper", "papper"]
    assert signed[0].signer is None and signed[0].display_date == date(2019, 1, 15)
    assert signed[1].display_date is None and signed[1].place == "Kalmar"


def test_paper_signatures_need_every_required_role(draft, kalmar_coordinator, kalmar_partnership):
    from tests.promises.test_paper_signatures import scan

    police = kalmar_partnership.signatory_requirements.order_by("order").first()
    with pytest.raises(ValidationError):
        services.promise_record_paper_signatures(
            user=kalmar_coordinator,
            promise=draft,
            signatures=[{"requirement": police, "name": "Bara en"}],
            scan=scan(),
        )
    assert not draft.versions.exists()


def test_expire_promises_command(published):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("expire_promises", "--today", "2027-01-01", stdout=out)
    assert "1 medborgarlöften avslutades." in out.getvalue()
    published.refresh_from_db()
    assert published.status == Status.ENDED


def test_reorder_stays_within_one_kommun(kalmar_coordinator, kalmar_partnership, kalmar):
    from tests.factories import municipality

    nybro = municipality("0881")
    kalmar_partnership.municipalities.add(nybro)
    promise = services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Två kommuner",
        valid_from_date=date(2026, 1, 1),
        valid_to_date=date(2026, 12, 31),
    )

    def add(org, text):
        return services.commitment_create(
            user=kalmar_coordinator,
            promise=promise,
            party="municipality",
            municipality=org,
            text=text,
        )

    add(kalmar, "Kalmar ett")
    first_nybro = add(nybro, "Nybro ett")
    add(kalmar, "Kalmar två")
    # Nybro's first commitment is first in its own group: moving it up changes nothing.
    services.commitment_move(user=kalmar_coordinator, commitment=first_nybro, direction="up")
    texts = list(promise.commitments.order_by("order", "pk").values_list("text", flat=True))
    assert texts.index("Kalmar ett") < texts.index("Kalmar två")
    nybro_texts = [t for t in texts if t.startswith("Nybro")]
    assert nybro_texts == ["Nybro ett"]


def test_commitment_deletion_is_in_the_history(draft, kalmar_coordinator):
    from promises.models import CommitmentEvent

    commitment = draft.commitments.first()
    pk = commitment.pk
    services.commitment_delete(user=kalmar_coordinator, commitment=commitment)
    deleted = CommitmentEvent.objects.get(pgh_label="delete")
    assert deleted.id == pk and deleted.text == commitment.text
