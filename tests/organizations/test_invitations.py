"""Invitations: one-time, expiring links; only a hash is stored; resend, revoke, accept."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from organizations import services
from organizations.models import Invitation, Membership, OrganisationEvent, SigningRole
from tests.factories import PASSWORD, totp_code
from tests.organizations.conftest import link_tokens

pytestmark = pytest.mark.django_db

Role = Membership.Role
User = get_user_model()


def invite(actor, organisation, email="anna@example.invalid", role=Role.COORDINATOR, **extra):
    return services.invitation_create(
        actor=actor, organisation=organisation, email=email, role=role, **extra
    )


def accept(token, username="anna", **extra):
    return services.invitation_accept(
        token=token, username=username, password=PASSWORD, first_name="Anna", last_name="A", **extra
    )


def test_an_invitation_is_e_mailed_and_only_its_hash_is_stored(kalmar_admin, kalmar):
    invitation = invite(kalmar_admin, kalmar, first_name="Anna", title="Strateg")
    (token,) = link_tokens()
    assert mail.outbox[0].to == ["anna@example.invalid"]
    assert "Kalmar kommun" in mail.outbox[0].body
    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get(pk=invitation.pk))
    assert stored.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert stored.expires_at - timezone.now() <= timedelta(days=7)
    event = OrganisationEvent.objects.get(kind=OrganisationEvent.Kind.INVITATION_SENT)
    assert event.actor == kalmar_admin and event.organisation == kalmar
    assert "samordnare" in event.summary


def test_the_link_works_once(kalmar_admin, kalmar):
    invite(kalmar_admin, kalmar, title="Strateg")
    (token,) = link_tokens()
    membership = accept(token)
    assert membership.organisation == kalmar and membership.role == Role.COORDINATOR
    assert membership.title == "Strateg"
    assert membership.user.email == "anna@example.invalid"
    assert membership.user.check_password(PASSWORD)
    with pytest.raises(ValidationError) as error:
        accept(token, username="someone-else")
    assert error.value.code == "invalid"
    assert User.objects.filter(email__iexact="anna@example.invalid").count() == 1


def test_the_link_expires_after_seven_days(kalmar_admin, kalmar):
    invitation = invite(kalmar_admin, kalmar)
    (token,) = link_tokens()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError) as error:
        accept(token)
    assert error.value.code == "expired"
    assert not User.objects.filter(username="anna").exists()


def test_resending_makes_a_new_link_and_kills_the_old_one(kalmar_admin, kalmar):
    invitation = invite(kalmar_admin, kalmar)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    services.invitation_resend(actor=kalmar_admin, invitation=invitation)
    old, new = link_tokens()
    assert old != new
    with pytest.raises(ValidationError) as error:
        accept(old)
    assert error.value.code == "invalid"
    assert accept(new).organisation == kalmar
    assert Invitation.objects.get(pk=invitation.pk).sent_count == 2


def test_a_revoked_invitation_does_not_work(kalmar_admin, kalmar):
    invitation = invite(kalmar_admin, kalmar)
    services.invitation_revoke(actor=kalmar_admin, invitation=invitation)
    (token,) = link_tokens()
    with pytest.raises(ValidationError) as error:
        accept(token)
    assert error.value.code == "invalid"
    with pytest.raises(ValidationError):
        services.invitation_resend(actor=kalmar_admin, invitation=invitation)


def test_an_unknown_or_huge_token_is_simply_invalid(db):
    for token in ("", "nope", "x" * 10_000):
        with pytest.raises(ValidationError) as error:
            accept(token)
        assert error.value.code == "invalid"


def test_a_signatory_is_invited_in_a_signing_role_that_fits_the_organisation(kalmar_admin, kalmar):
    with pytest.raises(ValidationError) as error:
        invite(kalmar_admin, kalmar, role=Role.SIGNATORY)
    assert "signing_role" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        invite(kalmar_admin, kalmar, role=Role.SIGNATORY, signing_role=SigningRole.COMMUNITY_POLICE)
    assert "signing_role" in error.value.message_dict
    invitation = invite(
        kalmar_admin, kalmar, role=Role.SIGNATORY, signing_role=SigningRole.COMMISSIONER
    )
    (token,) = link_tokens()
    membership = accept(token)
    assert membership.signing_role == SigningRole.COMMISSIONER
    assert invitation.signing_role == SigningRole.COMMISSIONER


def test_one_open_invitation_per_address_and_role(kalmar_admin, kalmar):
    invite(kalmar_admin, kalmar, email="Anna@Example.invalid")
    with pytest.raises(ValidationError) as error:
        invite(kalmar_admin, kalmar, email="anna@example.invalid")
    assert "Skicka den igen" in str(error.value)
    invite(kalmar_admin, kalmar, email="anna@example.invalid", role=Role.READER)


def test_only_the_organisations_administrators_invite(
    kalmar, kalmar_coordinator, katrineholm_admin, superuser
):
    for user in (kalmar_coordinator, katrineholm_admin):
        with pytest.raises(PermissionDenied):
            invite(user, kalmar)
    # The national administrator invites the first local administrator of any organisation.
    assert invite(superuser, kalmar, role=Role.ADMIN).role == Role.ADMIN


def test_someone_with_an_account_signs_in_and_takes_the_role(
    kalmar_admin, kalmar, katrineholm_coordinator, kalmar_reader
):
    invite(kalmar_admin, kalmar, email=katrineholm_coordinator.email)
    (token,) = link_tokens()
    with pytest.raises(ValidationError) as error:
        accept(token)
    assert error.value.code == "account_exists"
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=token, user=kalmar_reader)
    assert error.value.code == "wrong_account"
    membership = services.invitation_accept(token=token, user=katrineholm_coordinator)
    assert membership.user == katrineholm_coordinator
    assert set(
        katrineholm_coordinator.memberships.values_list("organisation__name", flat=True)
    ) == {
        "Katrineholm",
        "Kalmar",
    }


def test_passwords_are_checked_by_the_validators(kalmar_admin, kalmar):
    invite(kalmar_admin, kalmar)
    (token,) = link_tokens()
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=token, username="anna", password="kort")
    assert "password1" in error.value.message_dict
    assert Invitation.objects.get().status == Invitation.Status.OPEN


# --- Through the pages ----------------------------------------------------------------


def test_accepting_through_the_page_signs_the_newcomer_in(client, kalmar_admin, kalmar):
    invite(kalmar_admin, kalmar, first_name="Anna", last_name="Andersson")
    (token,) = link_tokens()
    url = f"/konto/inbjudan/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Välkommen till Kalmar kommun" in page.content.decode()
    assert 'value="Andersson"' in page.content.decode()
    weak = client.post(
        url,
        {
            "first_name": "Anna",
            "last_name": "A",
            "username": "anna",
            "password1": "abc",
            "password2": "abc",
        },
    )
    assert weak.status_code == 400
    assert "error-summary" in weak.content.decode()
    response = client.post(
        url,
        {
            "first_name": "Anna",
            "last_name": "Andersson",
            "username": "anna",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/arbetsyta/"
    assert client.get("/arbetsyta/").context["user"].username == "anna"
    used = client.get(url)
    assert used.status_code == 404
    assert "Länken fungerar inte längre" in used.content.decode()


def test_an_expired_link_says_so(client, kalmar_admin, kalmar):
    invitation = invite(kalmar_admin, kalmar)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    (token,) = link_tokens()
    response = client.get(f"/konto/inbjudan/{token}/")
    assert response.status_code == 410
    assert "har gått ut" in response.content.decode()


def test_a_signatory_where_signing_needs_two_factors_goes_on_to_add_an_app(
    client, kalmar_admin, kalmar, kalmar_partnership
):
    kalmar_partnership.require_mfa_for_signing = True
    kalmar_partnership.save()
    invite(
        kalmar_admin,
        kalmar,
        email="ks@example.invalid",
        role=Role.SIGNATORY,
        signing_role=SigningRole.MUNICIPAL_REPRESENTATIVE,
    )
    (token,) = link_tokens()
    response = client.post(
        f"/konto/inbjudan/{token}/",
        {
            "first_name": "Kim",
            "last_name": "S",
            "username": "kim",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/sakerhet/app/"
    assert client.get("/konto/sakerhet/app/").status_code == 200


def test_someone_with_a_second_factor_uses_it_before_taking_the_role(
    client, kalmar_admin, kalmar, katrineholm_coordinator
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=katrineholm_coordinator, name="App", confirmed=True)
    invite(
        kalmar_admin,
        kalmar,
        email=katrineholm_coordinator.email,
        role=Role.SIGNATORY,
        signing_role=SigningRole.BOARD_CHAIR,
    )
    (token,) = link_tokens()
    page = f"/konto/inbjudan/{token}/"
    client.force_login(katrineholm_coordinator)
    for response in (client.get(page), client.post(page)):
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/tvastegsverifiering/?next=")
    assert not Membership.objects.filter(user=katrineholm_coordinator, organisation=kalmar).exists()
    # The service refuses too: the signed-in user has not used the factor.
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(token=token, user=katrineholm_coordinator)
    assert refused.value.code == "second_factor"

    response = client.post(
        "/konto/tvastegsverifiering/",
        {"code": totp_code(katrineholm_coordinator), "next": page},
    )
    assert response.status_code == 302
    assert response["Location"] == page
    assert client.get(page).status_code == 200
    response = client.post(page)
    assert response.status_code == 302
    membership = Membership.objects.get(user=katrineholm_coordinator, organisation=kalmar)
    assert membership.role == Role.SIGNATORY
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED


def test_the_history_names_the_invitee_by_name_when_there_is_one(kalmar_admin, kalmar):
    invitation = invite(kalmar_admin, kalmar, first_name="Anna", last_name="Berg")
    services.invitation_resend(actor=kalmar_admin, invitation=invitation)
    services.invitation_revoke(actor=kalmar_admin, invitation=invitation)
    summaries = list(
        OrganisationEvent.objects.filter(organisation=kalmar)
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries[-3:] == [
        "Bjöd in Anna Berg som samordnare.",
        "Skickade inbjudan till Anna Berg igen.",
        "Återkallade inbjudan till Anna Berg.",
    ]
    assert not any("anna@example.invalid" in summary for summary in summaries)


@pytest.mark.django_db(transaction=True)
def test_two_people_opening_the_same_link_at_once_make_one_account(kalmar_admin, kalmar):
    import threading

    from django.db import connection

    invite(kalmar_admin, kalmar)
    (token,) = link_tokens()
    barrier = threading.Barrier(2)
    results = [None, None]

    def run(index):
        try:
            barrier.wait()
            results[index] = ("ok", accept(token, username=f"anna{index}"))
        except ValidationError as error:
            results[index] = (error.code, error)
        except Exception as error:  # noqa: BLE001 - the outcome is what is tested
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r[0] for r in results) == ["invalid", "ok"], results
    assert User.objects.filter(email__iexact="anna@example.invalid").count() == 1
    assert Membership.objects.filter(organisation=kalmar, role=Role.COORDINATOR).count() == 1
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED
