import pytest

from organizations.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_coordinator(kalmar_coordinator):
    from django.contrib.auth.models import Permission

    kalmar_coordinator.is_staff = True
    kalmar_coordinator.save()
    kalmar_coordinator.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="organizations",
            codename__in=[
                "view_organisation",
                "change_organisation",
                "view_membership",
                "change_membership",
                "add_membership",
                "view_partnership",
            ],
        )
    )
    return kalmar_coordinator


def test_admin_is_scoped_for_staff_who_are_not_superusers(
    client, staff_coordinator, kalmar, katrineholm, katrineholm_coordinator
):
    client.force_login(staff_coordinator)
    listing = client.get("/admin/organizations/organisation/").content.decode()
    assert "Kalmar kommun" in listing
    assert "Katrineholm" not in listing
    assert client.get(
        f"/admin/organizations/organisation/{katrineholm.pk}/change/"
    ).status_code in (
        302,
        404,
    )
    memberships = client.get("/admin/organizations/membership/").content.decode()
    assert "t-kalmar-samordnare" in memberships or "Person" in memberships
    other = Membership.objects.get(user=katrineholm_coordinator)
    assert client.get(f"/admin/organizations/membership/{other.pk}/change/").status_code in (
        302,
        404,
    )


def test_superuser_admin_lists_all_municipalities(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/organizations/organisation/?kind__exact=kommun")
    assert response.status_code == 200
    assert "290 organisationer" in response.content.decode()
