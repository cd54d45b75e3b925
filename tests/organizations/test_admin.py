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


def test_the_admin_is_swedish_and_offers_no_english_placeholder(client, superuser):
    client.force_login(superuser)
    for url in (
        "/admin/organizations/partnership/add/",
        "/admin/organizations/membership/add/",
        "/admin/organizations/area/add/",
        "/admin/organizations/theme/add/",
    ):
        page = client.get(url).content.decode()
        assert "Select an option" not in page, url
    # Django 6.1's blank choice, e.g. before a membership's role, is Swedish.
    assert (
        '<option value="" selected>Välj …</option>'
        in client.get("/admin/organizations/membership/add/").content.decode()
    )


def test_a_partnership_made_in_the_admin_gets_the_default_requirements(
    client, superuser, kalmar, lpo_kalmar
):
    from organizations.models import OrganisationEvent, Partnership

    client.force_login(superuser)
    response = client.post(
        "/admin/organizations/partnership/add/",
        {
            "name": "Samverkan i admin",
            "status": Partnership.Status.ACTIVE,
            "police_area": lpo_kalmar.pk,
            "municipalities": [kalmar.pk],
            "require_mfa_for_signing": "on",
            "separate_signatories": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    partnership = Partnership.objects.get(name="Samverkan i admin")
    assert [
        (r.organisation, r.title) for r in partnership.signatory_requirements.order_by("order")
    ] == [(lpo_kalmar, "Lokalpolisområdeschef"), (kalmar, "Kommunens företrädare")]
    summaries = list(
        OrganisationEvent.objects.filter(partnership=partnership).values_list("summary", flat=True)
    )
    assert any(s.startswith("I administrationen") for s in summaries)
    assert any("standard" in s for s in summaries)


def test_a_requirement_in_the_admin_offers_only_the_partnerships_parties(
    client, superuser, kalmar_partnership, kalmar, lpo_kalmar
):
    client.force_login(superuser)
    response = client.get(f"/admin/organizations/partnership/{kalmar_partnership.pk}/change/")
    field = response.context["inline_admin_formsets"][0].formset.forms[0].fields["organisation"]
    assert set(field.queryset) == {kalmar, lpo_kalmar}
    police_area = response.context["adminform"].form.fields["police_area"]
    assert {o.kind for o in police_area.queryset} == {"lokalpolisomrade"}


def test_requirements_are_not_changed_in_the_admin_while_a_version_awaits_signatures(
    client, superuser, kalmar_partnership, kalmar_coordinator
):
    from datetime import date

    from promises import services as promise_services
    from promises.models import Promise

    promise = promise_services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Väntar",
        valid_from_date=date(2027, 1, 1),
        valid_to_date=date(2027, 12, 31),
    )
    Promise.objects.filter(pk=promise.pk).update(status=Promise.Status.AWAITING_SIGNATURES)
    client.force_login(superuser)
    url = f"/admin/organizations/partnership/{kalmar_partnership.pk}/change/"
    form = client.get(url).context["adminform"].form
    requirements = list(kalmar_partnership.signatory_requirements.order_by("order"))
    data = {
        "name": kalmar_partnership.name,
        "status": kalmar_partnership.status,
        "police_area": kalmar_partnership.police_area_id,
        "municipalities": [m.pk for m in kalmar_partnership.municipalities.all()],
        "separate_signatories": "on",
        "signatory_requirements-TOTAL_FORMS": str(len(requirements)),
        "signatory_requirements-INITIAL_FORMS": str(len(requirements)),
        "signatory_requirements-MIN_NUM_FORMS": "0",
        "signatory_requirements-MAX_NUM_FORMS": "1000",
    }
    for i, r in enumerate(requirements):
        data |= {
            f"signatory_requirements-{i}-id": r.pk,
            f"signatory_requirements-{i}-partnership": kalmar_partnership.pk,
            f"signatory_requirements-{i}-organisation": r.organisation_id,
            f"signatory_requirements-{i}-signing_role": r.signing_role,
            f"signatory_requirements-{i}-title": r.title + (" (ny)" if i == 0 else ""),
            f"signatory_requirements-{i}-order": r.order,
        }
    assert form is not None
    response = client.post(url, data)
    assert response.status_code == 200
    assert "väntar på underskrifter" in response.content.decode()
    assert not kalmar_partnership.signatory_requirements.filter(title__endswith="(ny)").exists()


def test_the_organisation_page_in_the_admin_links_to_inviting_a_local_administrator(
    client, superuser, kalmar
):
    client.force_login(superuser)
    page = client.get(f"/admin/organizations/organisation/{kalmar.pk}/change/").content.decode()
    assert f"/arbetsyta/organisationer/{kalmar.slug}/bjud-in/?roll=administrator" in page
