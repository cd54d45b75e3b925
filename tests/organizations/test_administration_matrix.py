"""The permission matrix of local administration: every action × every role, through the views.

Outside your organisations: 404. Visible but not allowed: 403. Anonymous:
sent to the login page. A refused POST changes nothing (no history entry);
an allowed one changes something and says so in the history.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from organizations import services
from organizations.models import Area, Membership, Organisation, OrganisationEvent, SigningRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role

ROLES = [
    "kalmar_admin",
    "kalmar_coordinator",
    "kalmar_municipal_signatory",
    "kalmar_reader",
    "lpo_kalmar_admin",
    "katrineholm_admin",
    "superuser",
    "anonymous",
]
KALMAR = {"kalmar_admin", "kalmar_coordinator", "kalmar_municipal_signatory", "kalmar_reader"}
PARTNERSHIP = KALMAR | {"lpo_kalmar_admin"}
KALMAR_ADMIN = {"kalmar_admin"}
PARTY_ADMINS = {"kalmar_admin", "lpo_kalmar_admin"}


@pytest.fixture
def world(kalmar, kalmar_partnership, lpo_kalmar, lpo_kalmar_admin, kalmar_admin):
    """Something to act on for every action: an invitation, a member, a proposal, a theme."""
    extra = UserFactory(username="t-kalmar-extra")
    membership = Membership.objects.create(user=extra, organisation=kalmar, role=Role.READER)
    invitation = services.invitation_create(
        actor=kalmar_admin, organisation=kalmar, email="ny@example.invalid", role=Role.READER
    )
    proposal = services.requirements_propose(
        actor=lpo_kalmar_admin,
        partnership=kalmar_partnership,
        requirements=[
            (lpo_kalmar, SigningRole.POLICE_AREA_CHIEF, "Lokalpolisområdeschef"),
            (kalmar, SigningRole.BOARD_CHAIR, "Kommunstyrelsens ordförande"),
        ],
    )
    theme = services.theme_create(actor=kalmar_admin, partnership=kalmar_partnership, name="Hamnen")
    area = services.area_create(
        actor=kalmar_admin,
        partnership=kalmar_partnership,
        municipality=kalmar,
        name="Oxhagen",
        kind=Area.Kind.DISTRICT,
    )
    return {
        "org": f"/arbetsyta/organisationer/{kalmar.slug}/",
        "partnership": f"/arbetsyta/samverkan/{kalmar_partnership.pk}/",
        "extra": extra,
        "membership": membership,
        "invitation": invitation,
        "proposal": proposal,
        "theme": theme,
        "area": area,
        "kalmar": kalmar,
        "lpo_kalmar": lpo_kalmar,
        "lpo_kalmar_admin": lpo_kalmar_admin,
    }


def new_requirements(w):
    """The formset of the requirements page with a set that differs from the current one.

    One proposal at a time: the police's open proposal is withdrawn first.
    """
    services.proposal_withdraw(actor=w["lpo_kalmar_admin"], proposal=w["proposal"])
    lpo, kalmar = w["lpo_kalmar"].pk, w["kalmar"].pk
    return {
        "krav-TOTAL_FORMS": "3",
        "krav-INITIAL_FORMS": "0",
        "krav-MIN_NUM_FORMS": "0",
        "krav-MAX_NUM_FORMS": "20",
        "krav-0-holder": f"{lpo}:{SigningRole.POLICE_AREA_CHIEF}",
        "krav-1-holder": f"{lpo}:{SigningRole.COMMUNITY_POLICE}",
        "krav-2-holder": f"{kalmar}:{SigningRole.MUNICIPAL_CHIEF}",
    }


# name: (method, path, data, who may, who sees)
ACTIONS = {
    "organisation-detail": ("get", lambda w: w["org"], None, KALMAR, KALMAR),
    "organisation-history": (
        "get",
        lambda w: w["org"] + "historik/",
        None,
        {"kalmar_admin", "kalmar_coordinator"},
        KALMAR,
    ),
    "invitation-form": ("get", lambda w: w["org"] + "bjud-in/", None, KALMAR_ADMIN, KALMAR),
    "invitation-create": (
        "post",
        lambda w: w["org"] + "bjud-in/",
        {"email": "annan@example.invalid", "role": Role.READER},
        KALMAR_ADMIN,
        KALMAR,
    ),
    "invitation-resend": (
        "post",
        lambda w: w["org"] + f"inbjudningar/{w['invitation'].pk}/skicka-igen/",
        {},
        KALMAR_ADMIN,
        KALMAR,
    ),
    "invitation-revoke": (
        "post",
        lambda w: w["org"] + f"inbjudningar/{w['invitation'].pk}/aterkalla/",
        {},
        KALMAR_ADMIN,
        KALMAR,
    ),
    "membership-create": (
        "post",
        lambda w: w["org"] + "roller/ny/",
        lambda w: {"user": w["extra"].pk, "role": Role.COORDINATOR},
        KALMAR_ADMIN,
        KALMAR,
    ),
    "membership-update-form": (
        "get",
        lambda w: w["org"] + f"roller/{w['membership'].pk}/andra/",
        None,
        KALMAR_ADMIN,
        KALMAR,
    ),
    "membership-update": (
        "post",
        lambda w: w["org"] + f"roller/{w['membership'].pk}/andra/",
        {"role": Role.COORDINATOR, "title": "Strateg"},
        KALMAR_ADMIN,
        KALMAR,
    ),
    "membership-delete": (
        "post",
        lambda w: w["org"] + f"roller/{w['membership'].pk}/ta-bort/",
        {},
        KALMAR_ADMIN,
        KALMAR,
    ),
    "member-deactivate": (
        "post",
        lambda w: w["org"] + f"medlemmar/{w['extra'].pk}/stang-av/",
        {},
        KALMAR_ADMIN,
        KALMAR,
    ),
    "partnership-propose": (
        "get",
        lambda w: w["org"] + "foresla-samverkan/",
        None,
        KALMAR_ADMIN,
        KALMAR,
    ),
    "partnership-propose-post": (
        "post",
        lambda w: w["org"] + "foresla-samverkan/",
        lambda w: {
            "name": "Samverkan Kalmar 2027",
            # The lokalpolisområde that covers Kalmar in the reference data.
            "police_area": Organisation.objects.police_areas()
            .get(coverage__municipality=w["kalmar"])
            .pk,
            "municipalities": [w["kalmar"].pk],
        },
        KALMAR_ADMIN,
        KALMAR,
    ),
    "partnership-detail": ("get", lambda w: w["partnership"], None, PARTNERSHIP, PARTNERSHIP),
    "requirements-update": (
        "get",
        lambda w: w["partnership"] + "underskrifter/",
        None,
        PARTY_ADMINS,
        PARTNERSHIP,
    ),
    "requirements-propose": (
        "post",
        lambda w: w["partnership"] + "underskrifter/",
        new_requirements,
        PARTY_ADMINS,
        PARTNERSHIP,
    ),
    "proposal-accept": (
        "post",
        lambda w: w["partnership"] + f"forslag/{w['proposal'].pk}/godta/",
        {},
        KALMAR_ADMIN,
        PARTNERSHIP,
    ),
    "proposal-decline": (
        "post",
        lambda w: w["partnership"] + f"forslag/{w['proposal'].pk}/avboj/",
        {"note": "Nej"},
        KALMAR_ADMIN,
        PARTNERSHIP,
    ),
    "proposal-withdraw": (
        "post",
        lambda w: w["partnership"] + f"forslag/{w['proposal'].pk}/ateta/",
        {},
        {"lpo_kalmar_admin"},
        PARTNERSHIP,
    ),
    "vocabulary": (
        "get",
        lambda w: w["partnership"] + "teman-och-omraden/",
        None,
        PARTY_ADMINS,
        PARTNERSHIP,
    ),
    "theme-create": (
        "post",
        lambda w: w["partnership"] + "teman-och-omraden/",
        {"tema": "1", "tema-name": "Stationen"},
        PARTY_ADMINS,
        PARTNERSHIP,
    ),
    "area-create": (
        "post",
        lambda w: w["partnership"] + "teman-och-omraden/",
        lambda w: {
            "omrade": "1",
            "omrade-municipality": w["area"].municipality_id,
            "omrade-name": "Berga",
            "omrade-kind": Area.Kind.DISTRICT,
        },
        PARTY_ADMINS,
        PARTNERSHIP,
    ),
    "theme-update": (
        "post",
        lambda w: w["partnership"] + f"teman/{w['theme'].pk}/andra/",
        {"tema-name": "Kvarnholmen"},
        PARTY_ADMINS,
        PARTNERSHIP,
    ),
    "theme-delete": (
        "post",
        lambda w: w["partnership"] + f"teman/{w['theme'].pk}/ta-bort/",
        {},
        PARTY_ADMINS,
        PARTNERSHIP,
    ),
    "area-update": (
        "post",
        lambda w: w["partnership"] + f"omraden/{w['area'].pk}/andra/",
        {"omrade-name": "Oxhagen-Norrliden", "omrade-kind": Area.Kind.DISTRICT},
        PARTY_ADMINS,
        PARTNERSHIP,
    ),
    "area-delete": (
        "post",
        lambda w: w["partnership"] + f"omraden/{w['area'].pk}/ta-bort/",
        {},
        PARTY_ADMINS,
        PARTNERSHIP,
    ),
}


@pytest.fixture
def user_for(request):
    def get(role):
        return AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)

    return get


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_administration_permission_matrix(action, role, client, world, user_for):
    method, path, data, allowed, visible = ACTIONS[action]
    user = user_for(role)
    if role != "anonymous":
        client.force_login(user)
    url = path(world)
    if callable(data):
        data = data(world)
    events = OrganisationEvent.objects.count()
    response = client.get(url) if method == "get" else client.post(url, data)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/")
    elif role != "superuser" and role not in visible:
        assert response.status_code == 404
    elif role != "superuser" and role not in allowed:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if method == "get" else 302), response.content[:500]
        if method == "post":
            assert OrganisationEvent.objects.count() > events
        return
    assert OrganisationEvent.objects.count() == events


@pytest.mark.parametrize("role", ROLES)
def test_buttons_show_only_for_those_who_may_press_them(role, client, world, user_for):
    if role in ("anonymous", "katrineholm_admin"):
        return
    client.force_login(user_for(role))
    administers = role in ("kalmar_admin", "superuser")
    if role in KALMAR or role == "superuser":
        page = client.get(world["org"]).content.decode()
        assert ("Bjud in</a>" in page) is administers
        assert ("Stäng av" in page) is administers
        assert ("ny@example.invalid" in page) is administers
    page = client.get(world["partnership"]).content.decode()
    assert ("Godta förslaget" in page) is administers
    assert ("Återta förslaget" in page) is (role in ("lpo_kalmar_admin", "superuser"))
    assert ("Teman och områden</a>" in page) is (role in PARTY_ADMINS or role == "superuser")
