"""The permission matrix: role × predicate, and scoping of every queryset."""

import pytest

from organizations import permissions as perms
from organizations.models import Membership, Organisation, Partnership

pytestmark = pytest.mark.django_db

ROLES = [
    "kalmar_coordinator",
    "kalmar_police_coordinator",
    "kalmar_police_chief",
    "kalmar_municipal_signatory",
    "kalmar_reader",
    "katrineholm_coordinator",
    "anonymous",
]

# role: (sees the Kalmar partnership, coordinates it, signs for it)
EXPECTED = {
    "kalmar_coordinator": (True, True, False),
    "kalmar_police_coordinator": (True, True, False),
    "kalmar_police_chief": (True, False, True),
    "kalmar_municipal_signatory": (True, False, True),
    "kalmar_reader": (True, False, False),
    "katrineholm_coordinator": (False, False, False),
    "anonymous": (False, False, False),
}


@pytest.fixture
def user_for(request):
    from django.contrib.auth.models import AnonymousUser

    def get(role):
        return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)

    return get


@pytest.mark.parametrize("role", ROLES)
def test_partnership_predicates(role, user_for, kalmar_partnership):
    user = user_for(role)
    sees, coordinates, signs = EXPECTED[role]
    assert perms.can_view_partnership(user, kalmar_partnership) is sees
    assert perms.can_coordinate_partnership(user, kalmar_partnership) is coordinates
    assert perms.is_partnership_signatory(user, kalmar_partnership) is signs
    assert user.has_perm("organizations.see_partnership", kalmar_partnership) is sees
    assert user.has_perm("organizations.coordinate_partnership", kalmar_partnership) is coordinates


@pytest.mark.parametrize("role", ROLES)
def test_partnership_querysets_are_scoped(role, user_for, kalmar_partnership):
    user = user_for(role)
    sees, coordinates, _ = EXPECTED[role]
    assert (kalmar_partnership in Partnership.objects.visible_to(user)) is sees
    assert (kalmar_partnership in Partnership.objects.editable_by(user)) is coordinates
    if role != "katrineholm_coordinator":
        assert Partnership.objects.visible_to(user).count() == int(sees)


@pytest.mark.parametrize("role", ROLES)
def test_partnership_page_is_404_outside_your_organisations(
    role, user_for, client, kalmar_partnership
):
    user = user_for(role)
    if role != "anonymous":
        client.force_login(user)
    response = client.get(kalmar_partnership.get_absolute_url())
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if EXPECTED[role][0] else 404)


@pytest.mark.parametrize("role", ROLES)
def test_organisation_page_is_404_unless_member(role, user_for, client, kalmar):
    user = user_for(role)
    if role != "anonymous":
        client.force_login(user)
    response = client.get(kalmar.get_absolute_url())
    member = role in {"kalmar_coordinator", "kalmar_municipal_signatory", "kalmar_reader"}
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if member else 404)


def test_other_partner_members_see_the_partnership(kalmar_partnership):
    from tests.factories import MembershipFactory, OtherPartnerFactory

    housing = OtherPartnerFactory()
    kalmar_partnership.other_partners.add(housing)
    member = MembershipFactory(organisation=housing, role=Membership.Role.READER).user
    assert perms.can_view_partnership(member, kalmar_partnership)
    assert not perms.can_coordinate_partnership(member, kalmar_partnership)


def test_superuser_sees_everything(superuser, kalmar_partnership, katrineholm_partnership):
    assert Partnership.objects.visible_to(superuser).count() == 2
    assert Organisation.objects.editable_by(superuser).count() >= 290


def test_default_signatory_requirements_are_police_chief_and_each_municipality(
    kalmar_partnership, lpo_kalmar, kalmar
):
    required = [(r.organisation, r.title) for r in kalmar_partnership.signatory_requirements.all()]
    assert required == [(lpo_kalmar, "Lokalpolisområdeschef"), (kalmar, "Kommunens företrädare")]


def test_roles_are_read_once_per_user(django_assert_num_queries, kalmar_coordinator, kalmar):
    kalmar_partnership = Partnership.objects.get(name="Samverkan Kalmar")
    list(kalmar_partnership.municipalities.all())
    with django_assert_num_queries(2):
        # one for the roles, one for the partnership's parties (both link tables at once)
        perms.can_view_partnership(kalmar_coordinator, kalmar_partnership)
    with django_assert_num_queries(1):
        perms.can_coordinate_partnership(kalmar_coordinator, kalmar_partnership)
