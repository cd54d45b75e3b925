"""Roles and titles, deactivation, themes and areas, and the history that records them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from organizations import services
from organizations.models import (
    Area,
    Membership,
    OrganisationEvent,
    SigningRole,
    Theme,
)
from tests.factories import MembershipFactory, municipality

pytestmark = pytest.mark.django_db

Role = Membership.Role


def test_an_administrator_gives_a_member_a_role_and_a_title(kalmar_admin, kalmar_reader, kalmar):
    membership = Membership.objects.get(user=kalmar_reader)
    services.membership_update(
        actor=kalmar_admin,
        membership=membership,
        role=Role.SIGNATORY,
        signing_role=SigningRole.COMMISSIONER,
        title="Kommunalråd",
    )
    membership.refresh_from_db()
    assert (membership.role, membership.signing_role, membership.title) == (
        Role.SIGNATORY,
        SigningRole.COMMISSIONER,
        "Kommunalråd",
    )
    event = OrganisationEvent.objects.get(kind=OrganisationEvent.Kind.MEMBERSHIP_CHANGED)
    assert "läsare" in event.summary and "kommunalråd" in event.summary.lower()
    with pytest.raises(ValidationError):
        services.membership_update(
            actor=kalmar_admin,
            membership=membership,
            role=Role.SIGNATORY,
            signing_role=SigningRole.POLICE_AREA_CHIEF,
        )
    # A role that is not a signatory signs in no capacity.
    services.membership_update(
        actor=kalmar_admin, membership=membership, role=Role.READER, signing_role="x"
    )
    membership.refresh_from_db()
    assert membership.signing_role == ""


def test_another_role_only_for_someone_already_a_member(
    kalmar_admin, kalmar_reader, kalmar, katrineholm_coordinator
):
    services.membership_add(
        actor=kalmar_admin, organisation=kalmar, user=kalmar_reader, role=Role.COORDINATOR
    )
    assert set(kalmar_reader.memberships.values_list("role", flat=True)) == {
        Role.READER,
        Role.COORDINATOR,
    }
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            actor=kalmar_admin,
            organisation=kalmar,
            user=katrineholm_coordinator,
            role=Role.READER,
        )
    assert "user" in error.value.message_dict


def test_the_last_administrator_stays(kalmar_admin, kalmar):
    own = Membership.objects.get(user=kalmar_admin)
    with pytest.raises(ValidationError) as error:
        services.membership_update(actor=kalmar_admin, membership=own, role=Role.COORDINATOR)
    assert error.value.code == "last_admin"
    with pytest.raises(ValidationError):
        services.membership_remove(actor=kalmar_admin, membership=own)
    second = MembershipFactory(organisation=kalmar, role=Role.ADMIN).user
    services.membership_remove(actor=second, membership=own)
    assert not Membership.objects.filter(user=kalmar_admin).exists()


def test_deactivating_a_member_removes_their_roles_and_switches_off_a_lone_account(
    client, kalmar_admin, kalmar, kalmar_reader, katrineholm_coordinator, password
):
    services.member_deactivate(actor=kalmar_admin, organisation=kalmar, user=kalmar_reader)
    kalmar_reader.refresh_from_db()
    assert not kalmar_reader.is_active
    assert not kalmar_reader.memberships.exists()
    response = client.post(
        "/konto/logga-in/", {"username": kalmar_reader.username, "password": password}
    )
    assert response.status_code == 200 and not response.context["user"].is_authenticated
    # Someone who also works elsewhere keeps the account and the other roles.
    Membership.objects.create(user=katrineholm_coordinator, organisation=kalmar, role=Role.READER)
    assert not services.member_deactivate(
        actor=kalmar_admin, organisation=kalmar, user=katrineholm_coordinator
    )
    katrineholm_coordinator.refresh_from_db()
    assert katrineholm_coordinator.is_active
    assert katrineholm_coordinator.memberships.count() == 1
    with pytest.raises(ValidationError):
        services.member_deactivate(actor=kalmar_admin, organisation=kalmar, user=kalmar_admin)
    kinds = list(
        OrganisationEvent.objects.filter(organisation=kalmar).values_list("kind", flat=True)
    )
    assert kinds.count(OrganisationEvent.Kind.MEMBER_DEACTIVATED) == 2


def test_membership_changes_are_for_administrators_of_that_organisation(
    kalmar_coordinator, katrineholm_admin, kalmar_reader, kalmar
):
    membership = Membership.objects.get(user=kalmar_reader)
    for actor in (kalmar_coordinator, katrineholm_admin):
        with pytest.raises(PermissionDenied):
            services.membership_update(actor=actor, membership=membership, role=Role.COORDINATOR)
        with pytest.raises(PermissionDenied):
            services.member_deactivate(actor=actor, organisation=kalmar, user=kalmar_reader)


def test_a_partnership_adds_its_own_themes_to_the_shared_vocabulary(
    kalmar_partnership, kalmar_admin, katrineholm_partnership, katrineholm_admin
):
    theme = services.theme_create(
        actor=kalmar_admin, partnership=kalmar_partnership, name="Trygghet i Oxhagen"
    )
    assert theme.partnership == kalmar_partnership
    # The same name in another partnership is another theme.
    services.theme_create(
        actor=katrineholm_admin, partnership=katrineholm_partnership, name="Trygghet i Oxhagen"
    )
    shared, _ = Theme.objects.get_or_create(
        partnership=None, slug="narkotika", defaults={"name": "Narkotika"}
    )
    with pytest.raises(ValidationError):
        services.theme_create(actor=kalmar_admin, partnership=kalmar_partnership, name=shared.name)
    with pytest.raises(ValidationError):
        services.theme_update(
            actor=kalmar_admin, partnership=kalmar_partnership, theme=shared, name="Annat"
        )
    with pytest.raises(PermissionDenied):
        services.theme_create(actor=katrineholm_admin, partnership=kalmar_partnership, name="X")
    services.theme_update(
        actor=kalmar_admin, partnership=kalmar_partnership, theme=theme, name="Oxhagen"
    )
    theme.refresh_from_db()
    assert theme.name == "Oxhagen"


def test_a_theme_in_use_is_not_removed(kalmar_partnership, kalmar_admin, kalmar_coordinator):
    from promises import services as promise_services

    theme = services.theme_create(actor=kalmar_admin, partnership=kalmar_partnership, name="Hamnen")
    promise_services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Tryggare hamn",
        valid_from_date=date(2027, 1, 1),
        valid_to_date=date(2027, 12, 31),
        themes=[theme],
    )
    with pytest.raises(ValidationError) as error:
        services.theme_delete(actor=kalmar_admin, partnership=kalmar_partnership, theme=theme)
    assert error.value.code == "in_use"
    unused = services.theme_create(actor=kalmar_admin, partnership=kalmar_partnership, name="Tåg")
    services.theme_delete(actor=kalmar_admin, partnership=kalmar_partnership, theme=unused)
    assert not Theme.objects.filter(pk=unused.pk).exists()


def test_areas_belong_to_the_partnerships_kommuner(kalmar_partnership, kalmar_admin, kalmar):
    area = services.area_create(
        actor=kalmar_admin,
        partnership=kalmar_partnership,
        municipality=kalmar,
        name="Oxhagen",
        kind=Area.Kind.DISTRICT,
    )
    assert area.municipality == kalmar
    with pytest.raises(ValidationError):
        services.area_create(
            actor=kalmar_admin,
            partnership=kalmar_partnership,
            municipality=municipality("0483"),
            name="Nävertorp",
            kind=Area.Kind.DISTRICT,
        )
    with pytest.raises(ValidationError):
        services.area_create(
            actor=kalmar_admin,
            partnership=kalmar_partnership,
            municipality=kalmar,
            name="Oxhagen",
            kind=Area.Kind.PLACE,
        )
    services.area_update(
        actor=kalmar_admin,
        partnership=kalmar_partnership,
        area=area,
        name="Oxhagen-Norrliden",
        kind=Area.Kind.DISTRICT,
    )
    services.area_delete(actor=kalmar_admin, partnership=kalmar_partnership, area=area)
    assert list(
        OrganisationEvent.objects.filter(kind=OrganisationEvent.Kind.AREA_CHANGED)
        .order_by("pk")
        .values_list("summary", flat=True)
    ) == [
        "Lade till stadsdel ”Oxhagen” i Kalmar kommun.",
        "Ändrade Stadsdel ”Oxhagen” till stadsdel ”Oxhagen-Norrliden”.",
        "Tog bort området ”Oxhagen-Norrliden” i Kalmar kommun.",
    ]


def test_the_history_is_append_only(kalmar_admin, kalmar):
    services.invitation_create(
        actor=kalmar_admin, organisation=kalmar, email="a@example.invalid", role=Role.READER
    )
    event = OrganisationEvent.objects.get()
    for statement in (
        lambda: OrganisationEvent.objects.filter(pk=event.pk).update(summary="Inget hände."),
        lambda: OrganisationEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement()


def test_the_history_page_shows_who_did_what_and_when(
    client, kalmar_admin, kalmar, kalmar_partnership, lpo_kalmar_admin, lpo_kalmar
):
    services.invitation_create(
        actor=kalmar_admin, organisation=kalmar, email="a@example.invalid", role=Role.READER
    )
    services.requirements_propose(
        actor=lpo_kalmar_admin,
        partnership=kalmar_partnership,
        requirements=[
            (lpo_kalmar, SigningRole.POLICE_AREA_CHIEF, "Chef"),
            (kalmar, SigningRole.MUNICIPAL_REPRESENTATIVE, "Kommunstyrelsens ordförande"),
        ],
    )
    client.force_login(kalmar_admin)
    page = client.get(f"/arbetsyta/organisationer/{kalmar.slug}/historik/").content.decode()
    assert "Bjöd in a@example.invalid som läsare." in page
    # What the other party did in a shared partnership shows too.
    assert "föreslog nya krav på underskrifter" in page
    assert str(lpo_kalmar_admin) in page and str(kalmar_admin) in page
