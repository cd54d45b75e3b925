"""A first run that guides: the next steps on "Mitt arbete", each a link, ticked off when done."""

from datetime import date

import pytest

from organizations import services
from organizations.models import Membership, Organisation
from organizations.views.pages import first_run_steps
from tests.factories import MembershipFactory, municipality
from tests.organizations.conftest import administrator

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture
def mala(db):
    return municipality("2418")


@pytest.fixture
def skelleftea(db):
    return Organisation.objects.get(slug="lpo-skelleftea")


def done(steps):
    return [step.done for step in steps]


def test_a_new_organisation_sees_its_next_steps_as_links(client, mala):
    admin = administrator("t-mala-admin", mala)
    client.force_login(admin)
    page = client.get("/arbetsyta/").content.decode()
    assert "Kom igång: Malå kommun" in page
    assert page.index("Kom igång") < page.index("Mina organisationer")
    assert f'href="/arbetsyta/organisationer/{mala.slug}/bjud-in/?roll=samordnare"' in page
    assert f'href="/arbetsyta/organisationer/{mala.slug}/foresla-samverkan/"' in page
    assert done(first_run_steps(admin, mala)) == [False, False, False, False]


def test_steps_are_ticked_off_as_they_are_done(mala, skelleftea):
    mala_admin = administrator("t-mala-admin", mala)
    police_admin = administrator("t-skelleftea-admin", skelleftea)
    partnership = services.partnership_propose(
        actor=mala_admin,
        proposer=mala,
        name="Samverkan Malå",
        police_area=skelleftea,
        municipalities=[mala],
    )
    coordinator = MembershipFactory(organisation=mala, role=Role.COORDINATOR).user
    steps = first_run_steps(mala_admin, mala)
    assert done(steps) == [False, False, False, False]
    assert "Lokalpolisområde Skellefteå" in steps[0].note
    assert steps[1].url == partnership.get_absolute_url()

    services.proposal_accept(actor=police_admin, proposal=partnership.proposals.get())
    partnership.refresh_from_db()
    MembershipFactory(organisation=skelleftea, role=Role.COORDINATOR)
    assert done(first_run_steps(mala_admin, mala)) == [True, True, False, False]
    # The coordinator's links go to writing the lägesbild and the promise.
    steps = first_run_steps(coordinator, mala)
    assert steps[2].url == f"/arbetsyta/lagesbilder/ny/?samverkan={partnership.pk}"
    assert steps[3].url == f"/arbetsyta/loften/nytt/{partnership.pk}/"

    from promises import services as promise_services

    promise_services.promise_create(
        user=coordinator,
        partnership=partnership,
        title="Tryggare Malå",
        valid_from_date=date(2025, 1, 1),
        valid_to_date=date(2025, 12, 31),
    )
    assert done(first_run_steps(coordinator, mala)) == [True, True, False, True]


def test_an_organisation_that_is_up_and_running_sees_no_guide(
    client, kalmar_coordinator, kalmar_police_coordinator, kalmar_partnership
):
    from promises import services as promise_services
    from situation.models import SituationReport

    promise_services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Tryggare Kalmar",
        valid_from_date=date(2027, 1, 1),
        valid_to_date=date(2027, 12, 31),
    )
    SituationReport.objects.create(
        partnership=kalmar_partnership,
        title="Lägesbild",
        period_start_date=date(2026, 1, 1),
        period_end_date=date(2026, 12, 31),
    )
    client.force_login(kalmar_coordinator)
    assert "Kom igång" not in client.get("/arbetsyta/").content.decode()
