"""Signing that cannot be bent: the right person, the right role, the exact version, two factors."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from organizations.models import Membership, SigningRole
from organizations.services import partnership_create
from promises import services
from promises.models import Commitment, Promise, Signature
from tests.factories import PASSWORD, PoliceAreaFactory, UserFactory, municipality, sign, totp_code

pytestmark = pytest.mark.django_db
Role = Membership.Role

FOUR = [
    ("lpo", SigningRole.POLICE_AREA_CHIEF, "Lokalpolisområdeschef"),
    ("lpo", SigningRole.COMMUNITY_POLICE, "Kommunpolis"),
    ("kommun", SigningRole.MUNICIPAL_CHIEF, "Kommunchef"),
    ("kommun", SigningRole.COMMISSIONER, "Kommunalråd"),
]


@pytest.fixture
def mala():
    """A partnership like Malå's: four required signatories, two on each side."""
    kommun = municipality("2418")
    lpo = PoliceAreaFactory(name="LPO Skellefteå", slug="lpo-test-skelleftea")
    orgs = {"lpo": lpo, "kommun": kommun}
    partnership = partnership_create(
        name="Samverkan Malå",
        police_area=lpo,
        municipalities=[kommun],
        signatories=[(orgs[key], role, title) for key, role, title in FOUR],
    )
    coordinator = UserFactory(username="t-mala-samordnare")
    Membership.objects.create(user=coordinator, organisation=kommun, role=Role.COORDINATOR)
    return partnership, orgs, coordinator


def signatory(username, organisation, signing_role):
    user = UserFactory(username=username)
    Membership.objects.create(
        user=user, organisation=organisation, role=Role.SIGNATORY, signing_role=signing_role
    )
    return user


def awaiting(partnership, coordinator, title="Medborgarlöfte Malå 2027"):
    promise = services.promise_create(
        user=coordinator,
        partnership=partnership,
        title=title,
        valid_from_date=date(2027, 1, 1),
        valid_to_date=date(2027, 12, 31),
    )
    services.commitment_create(
        user=coordinator,
        promise=promise,
        party=Commitment.Party.POLICE,
        text="Polisen genomför trafikkontroller.",
    )
    services.promise_submit_for_signing(user=coordinator, promise=promise)
    promise.refresh_from_db()
    return promise


def test_four_signatories_each_fill_their_own_requirement_before_publication(mala):
    partnership, orgs, coordinator = mala
    promise = awaiting(partnership, coordinator)
    people = [signatory(f"t-mala-{role}", orgs[key], role) for key, role, _title in FOUR]
    for index, person in enumerate(people):
        signature = sign(person, promise)
        assert signature.requirement.signing_role == FOUR[index][1]
        assert signature.signer_title == FOUR[index][2]
        promise.refresh_from_db()
        expected = Promise.Status.PUBLISHED if index == 3 else Promise.Status.AWAITING_SIGNATURES
        assert promise.status == expected
    assert Signature.objects.filter(version=promise.published_version).count() == 4
    assert len({s.signer_id for s in promise.published_version.signatures.all()}) == 4


@pytest.mark.parametrize("role", [role for _key, role, _title in FOUR])
@pytest.mark.parametrize("member_of", ["lpo", "kommun"])
def test_requirement_matrix_a_role_fills_only_the_requirement_it_matches(mala, role, member_of):
    partnership, orgs, coordinator = mala
    promise = awaiting(partnership, coordinator)
    person = signatory("t-mala-en", orgs[member_of], role)
    matching = [
        r
        for r in partnership.signatory_requirements.all()
        if r.signing_role == role and r.organisation == orgs[member_of]
    ]
    if not matching:
        with pytest.raises(PermissionDenied):
            sign(person, promise)
        assert not Signature.objects.exists()
        return
    (requirement,) = matching
    assert sign(person, promise).requirement == requirement


def test_the_kommunchef_cannot_fill_the_kommunpolis_requirement(mala):
    partnership, orgs, coordinator = mala
    promise = awaiting(partnership, coordinator)
    chief = signatory("t-mala-kommunchef", orgs["kommun"], SigningRole.MUNICIPAL_CHIEF)
    police_requirement = partnership.signatory_requirements.get(
        signing_role=SigningRole.COMMUNITY_POLICE
    )
    with pytest.raises(ValidationError) as error:
        sign(chief, promise, requirement_id=police_requirement.pk)
    assert "Du kan inte signera som den rollen." in str(error.value)
    assert sign(chief, promise).requirement.signing_role == SigningRole.MUNICIPAL_CHIEF


def test_one_person_with_roles_on_both_sides_fills_only_one_requirement(mala):
    partnership, orgs, coordinator = mala
    promise = awaiting(partnership, coordinator)
    both = signatory("t-mala-bada", orgs["lpo"], SigningRole.POLICE_AREA_CHIEF)
    Membership.objects.create(
        user=both,
        organisation=orgs["kommun"],
        role=Role.SIGNATORY,
        signing_role=SigningRole.COMMISSIONER,
    )
    with pytest.raises(ValidationError) as error:
        sign(both, promise)  # two roles match: the signer must say which one
    assert "Välj vilken roll du signerar som." in str(error.value)
    commissioner = partnership.signatory_requirements.get(signing_role=SigningRole.COMMISSIONER)
    sign(both, promise, requirement_id=commissioner.pk)
    both.__dict__.pop("_signing_roles", None)
    with pytest.raises(PermissionDenied):
        sign(both, promise)
    assert Signature.objects.filter(signer=both).count() == 1


def test_a_stale_version_or_hash_is_refused(mala):
    partnership, orgs, coordinator = mala
    promise = awaiting(partnership, coordinator)
    person = signatory("t-mala-lpochef", orgs["lpo"], SigningRole.POLICE_AREA_CHIEF)
    first = promise.current_version()
    services.promise_return_to_draft(user=coordinator, promise=promise)
    promise.refresh_from_db()
    services.promise_update(
        user=coordinator,
        promise=promise,
        expected_version=promise.lock_version,
        data={"title": "Medborgarlöfte Malå 2027, ändrat"},
    )
    services.promise_submit_for_signing(user=coordinator, promise=promise)
    second = promise.current_version()
    assert second.content_sha256 != first.content_sha256
    for version_id, digest in [
        (first.pk, first.content_sha256),  # read version 1, version 2 awaits
        (second.pk, first.content_sha256),  # right version, wrong hash
        (second.pk, "0" * 64),
    ]:
        with pytest.raises(ValidationError) as error:
            services.promise_sign(
                user=person,
                promise=promise,
                version_id=version_id,
                content_sha256=digest,
                password=PASSWORD,
            )
        assert error.value.code == "stale_version"
    assert not Signature.objects.exists()
    assert sign(person, promise).version == second


def test_no_single_coordinator_can_publish_by_any_path(mala):
    partnership, orgs, coordinator = mala
    promise = awaiting(partnership, coordinator)
    with pytest.raises(PermissionDenied):
        sign(coordinator, promise)
    services.promise_return_to_draft(user=coordinator, promise=promise)
    from tests.promises.test_paper_signatures import scan

    services.promise_record_paper_signatures(
        user=coordinator,
        promise=promise,
        signatures=[
            {"requirement": r, "name": f"Person {i}", "title": r.title}
            for i, r in enumerate(partnership.signatory_requirements.all())
        ],
        scan=scan(),
    )
    promise.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.promise_confirm_paper_signatures(user=coordinator, promise=promise)
    promise.refresh_from_db()
    assert promise.published_version is None


# --- Second factors -------------------------------------------------------------------


@pytest.fixture
def with_app(kalmar_police_chief, kalmar_municipal_signatory):
    for user in (kalmar_police_chief, kalmar_municipal_signatory):
        TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    return kalmar_police_chief


@pytest.fixture
def kalmar_awaiting(kalmar_partnership, kalmar_coordinator):
    kalmar_partnership.require_mfa_for_signing = True
    kalmar_partnership.save()
    return awaiting(kalmar_partnership, kalmar_coordinator, title="Tryggare Kalmar")


def test_signing_requires_the_second_factor_and_records_it(with_app, kalmar_awaiting):
    with pytest.raises(ValidationError) as error:
        sign(with_app, kalmar_awaiting, code="000000")
    assert "Koden stämmer inte" in str(error.value)
    signature = sign(with_app, kalmar_awaiting)  # the code the app shows now
    assert signature.method == Signature.Method.PASSWORD_TOTP


def test_signing_without_a_second_factor_is_refused_where_it_is_required(
    kalmar_awaiting, kalmar_police_chief
):
    with pytest.raises(ValidationError) as error:
        sign(kalmar_police_chief, kalmar_awaiting)
    assert error.value.code == "mfa_required"
    assert not Signature.objects.exists()


def test_a_recovery_code_works_once(with_app, kalmar_awaiting, kalmar_municipal_signatory):
    codes = mfa.recovery_codes_generate(with_app)
    assert sign(with_app, kalmar_awaiting, code=codes[0]).method == (
        Signature.Method.PASSWORD_RECOVERY
    )
    second = awaiting(kalmar_awaiting.partnership, kalmar_awaiting_coordinator(), "Nästa löfte")
    with pytest.raises(ValidationError):
        sign(with_app, second, code=codes[0])


def kalmar_awaiting_coordinator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="t-kalmar-samordnare")


def test_failed_signing_attempts_are_throttled(with_app, kalmar_awaiting, settings):
    for _ in range(settings.SIGNING_FAILURE_LIMIT):
        with pytest.raises(ValidationError):
            sign(with_app, kalmar_awaiting, password="fel")
    with pytest.raises(ValidationError) as error:
        sign(with_app, kalmar_awaiting)  # right password and code, but paused
    assert error.value.code == "throttled"
    assert not Signature.objects.exists()


def test_totp_enrolment_and_the_login_second_step(client, kalmar_police_chief):
    client.force_login(kalmar_police_chief)
    page = client.get(reverse("accounts:totp-add"))
    assert page.status_code == 200 and "<svg" in page.text
    device = TOTPDevice.objects.get(user=kalmar_police_chief, confirmed=False)
    wrong = client.post(reverse("accounts:totp-add"), {"code": "123456"})
    assert wrong.status_code == 400 and "Koden stämmer inte" in wrong.text
    # django-otp pauses a device for a second after a wrong code; the test does not wait.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    done = client.post(reverse("accounts:totp-add"), {"code": totp_code_of(device)})
    assert done.status_code == 302 and done.url == reverse("accounts:recovery-codes")
    device.refresh_from_db()
    assert device.confirmed
    codes = client.post(reverse("accounts:recovery-codes"))
    assert codes.status_code == 200 and codes.text.count("<code>") == 10

    # A new login asks for the second factor before anything else.
    client.logout()
    login = client.post(
        reverse("accounts:login"),
        {"username": kalmar_police_chief.username, "password": PASSWORD},
    )
    assert login.status_code == 302
    blocked = client.get(reverse("core:dashboard"))
    assert blocked.status_code == 302 and blocked.url.startswith(reverse("accounts:second-factor"))
    # The public site needs no second factor and stays cookie-free for everyone.
    assert client.get("/").status_code == 200
    # A code is accepted once per 30-second step; the test stands in for the next step.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    step = client.post(
        reverse("accounts:second-factor"),
        {"code": totp_code(kalmar_police_chief), "next": reverse("core:dashboard")},
    )
    assert step.status_code == 302 and step.url == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200


def totp_code_of(device):
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_signing_page_says_who_signs_what_and_who_is_left(client, with_app, kalmar_awaiting):
    client.force_login(with_app)
    session = client.session
    from django_otp.plugins.otp_totp.models import TOTPDevice as Device

    session["otp_device_id"] = Device.objects.get(user=with_app).persistent_id
    session.save()
    page = client.get(reverse("promises:promise-sign", args=[kalmar_awaiting.pk])).text
    version = kalmar_awaiting.current_version()
    assert "Du signerar som <strong>Lokalpolisområdeschef</strong>" in page
    assert version.content_sha256 in page
    assert "Kommunens företrädare, Kalmar kommun" in page  # still to sign
    assert 'name="version_id"' in page and 'name="code"' in page


# --- Races, with real threads ---------------------------------------------------------


def _run_together(*targets):
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def runner(index, target):
        try:
            barrier.wait()
            results[index] = ("ok", target())
        except Exception as error:  # noqa: BLE001 - the outcome is what is tested
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_signers_at_the_same_instant_give_one_publication(
    kalmar_partnership, kalmar_coordinator, kalmar_police_chief, kalmar_municipal_signatory
):
    from promises.models import PromiseTransition

    for _ in range(5):
        promise = awaiting(kalmar_partnership, kalmar_coordinator, title="Samtidigt")
        results = _run_together(
            lambda p=promise: sign(kalmar_police_chief, p),
            lambda p=promise: sign(kalmar_municipal_signatory, p),
        )
        assert [r[0] for r in results] == ["ok", "ok"]
        promise.refresh_from_db()
        assert promise.status == Promise.Status.PUBLISHED
        assert promise.transitions.filter(kind=PromiseTransition.Kind.PUBLISHED).count() == 1
        from promises.integrity import chain_problems

        assert chain_problems(promise.pk) == []
        services.promise_amend(user=kalmar_coordinator, promise=promise)


@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_submit_is_in_the_frozen_version_or_refused(
    kalmar_partnership, kalmar_coordinator, kalmar_police_coordinator
):
    for attempt in range(8):
        promise = services.promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_partnership,
            title=f"Kapplöpning {attempt}",
            valid_from_date=date(2027, 1, 1),
            valid_to_date=date(2027, 12, 31),
        )
        services.commitment_create(
            user=kalmar_coordinator, promise=promise, party="police", text="Första åtagandet"
        )
        text = f"Tillägg {attempt}"
        results = _run_together(
            lambda p=promise: services.promise_submit_for_signing(
                user=kalmar_coordinator, promise=p
            ),
            lambda p=promise, t=text: services.commitment_create(
                user=kalmar_police_coordinator, promise=p, party="police", text=t
            ),
        )
        submitted, edited = results
        assert submitted[0] == "ok"
        frozen = [c["text"] for c in submitted[1].snapshot["commitments"]]
        if edited[0] == "ok":
            assert text in frozen  # the edit landed before the freeze
        else:
            assert isinstance(edited[1], ValidationError)  # refused: no longer a draft
            assert text not in frozen
            assert not Commitment.objects.filter(text=text).exists()
