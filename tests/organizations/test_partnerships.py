"""Partnerships and signing requirements are agreed by both sides, and never mid-signature."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from organizations import permissions as perms
from organizations import services
from organizations.models import (
    OrganisationEvent,
    Partnership,
    PartnershipProposal,
    SignatoryRequirement,
    SigningRole,
)
from tests.factories import municipality
from tests.organizations.conftest import administrator

pytestmark = pytest.mark.django_db

Status = Partnership.Status


@pytest.fixture
def mala(db):
    return municipality("2418")


@pytest.fixture
def skelleftea(db):
    from organizations.models import Organisation

    return Organisation.objects.get(slug="lpo-skelleftea")


@pytest.fixture
def mala_admin(mala):
    return administrator("t-mala-admin", mala)


@pytest.fixture
def skelleftea_admin(skelleftea):
    return administrator("t-skelleftea-admin", skelleftea)


@pytest.fixture
def proposed(mala_admin, mala, skelleftea, skelleftea_admin):
    return services.partnership_propose(
        actor=mala_admin,
        proposer=mala,
        name="Samverkan Malå",
        police_area=skelleftea,
        municipalities=[mala],
        agreement_reference="KS 2024/17",
        agreement_start_date=date(2024, 1, 1),
        agreement_end_date=date(2027, 12, 31),
    )


FOUR = [
    ("lpo", SigningRole.POLICE_AREA_CHIEF, "Lokalpolisområdeschef"),
    ("lpo", SigningRole.COMMUNITY_POLICE, "Kommunpolis"),
    ("kommun", SigningRole.MUNICIPAL_CHIEF, "Kommunchef"),
    ("kommun", SigningRole.COMMISSIONER, "Kommunalråd"),
]


def four(lpo, kommun):
    orgs = {"lpo": lpo, "kommun": kommun}
    return [(orgs[key], role, title) for key, role, title in FOUR]


def titles(partnership):
    return [r.title for r in partnership.signatory_requirements.order_by("order")]


def test_a_kommun_proposes_and_the_police_area_accepts(
    proposed, mala_admin, skelleftea_admin, mala, skelleftea
):
    assert proposed.status == Status.PROPOSED
    assert proposed.proposed_by == mala
    assert titles(proposed) == ["Lokalpolisområdeschef", "Kommunens företrädare"]
    assert [m.to for m in mail.outbox] == [[skelleftea_admin.email]]
    assert "Samverkan Malå" in mail.outbox[0].subject
    (proposal,) = proposed.proposals.all()
    # Not usable for promises until agreed; the proposer cannot accept for the other side.
    assert proposed not in Partnership.objects.editable_by(mala_admin)
    assert not perms.can_answer_proposal(mala_admin, proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_accept(actor=mala_admin, proposal=proposal)

    services.proposal_accept(actor=skelleftea_admin, proposal=proposal)
    proposed.refresh_from_db()
    proposal.refresh_from_db()
    assert proposed.status == Status.ACTIVE
    assert proposal.status == PartnershipProposal.Status.ACCEPTED
    assert list(proposal.acceptances.values_list("organisation", flat=True)) == [skelleftea.pk]
    kinds = set(OrganisationEvent.objects.for_organisation(mala).values_list("kind", flat=True))
    assert {"samverkan_foreslagen", "forslag_godtaget", "samverkan_overenskommen"} <= kinds


def test_a_promise_cannot_be_written_before_every_party_accepts(
    proposed, mala, mala_admin, skelleftea_admin
):
    from promises import services as promise_services
    from tests.factories import MembershipFactory

    coordinator = MembershipFactory(organisation=mala).user
    assert not perms.can_coordinate_partnership(coordinator, proposed)
    with pytest.raises(PermissionDenied):
        promise_services.promise_create(
            user=coordinator,
            partnership=proposed,
            title="För tidigt",
            valid_from_date=date(2025, 1, 1),
            valid_to_date=date(2025, 12, 31),
        )
    services.proposal_accept(actor=skelleftea_admin, proposal=proposed.proposals.get())
    perms.forget_roles(coordinator)
    proposed.refresh_from_db()
    assert perms.can_coordinate_partnership(coordinator, proposed)


def test_every_party_must_accept(mala_admin, mala, skelleftea, skelleftea_admin):
    norsjo = municipality("2417")
    norsjo_admin = administrator("t-norsjo-admin", norsjo)
    partnership = services.partnership_propose(
        actor=skelleftea_admin,
        proposer=skelleftea,
        name="Samverkan i inlandet",
        police_area=skelleftea,
        municipalities=[mala, norsjo],
    )
    proposal = partnership.proposals.get()
    services.proposal_accept(actor=mala_admin, proposal=proposal)
    partnership.refresh_from_db()
    assert partnership.status == Status.PROPOSED
    assert not perms.can_answer_proposal(mala_admin, proposal)
    services.proposal_accept(actor=norsjo_admin, proposal=proposal)
    partnership.refresh_from_db()
    assert partnership.status == Status.ACTIVE


def test_the_proposer_must_be_a_party(mala_admin, mala, skelleftea):
    with pytest.raises(ValidationError) as error:
        services.partnership_propose(
            actor=mala_admin,
            proposer=mala,
            name="Utan Malå",
            police_area=skelleftea,
            municipalities=[municipality("2417")],
        )
    assert "municipalities" in error.value.message_dict


def test_a_declined_proposal_leaves_a_partnership_that_takes_no_promises(
    proposed, skelleftea_admin, mala_admin
):
    proposal = proposed.proposals.get()
    services.proposal_decline(actor=skelleftea_admin, proposal=proposal, note="Fel period")
    proposed.refresh_from_db()
    assert proposed.status == Status.NOT_AGREED
    assert "Fel period" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [mala_admin.email]
    with pytest.raises(PermissionDenied):
        services.proposal_accept(actor=skelleftea_admin, proposal=proposal)


def test_the_proposer_shapes_the_requirements_and_the_other_side_accepts_them(
    proposed, mala_admin, skelleftea_admin, mala, skelleftea
):
    proposal = proposed.proposals.get()
    with pytest.raises(PermissionDenied):
        services.requirements_edit_proposed(
            actor=skelleftea_admin, partnership=proposed, requirements=four(skelleftea, mala)
        )
    services.requirements_edit_proposed(
        actor=mala_admin, partnership=proposed, requirements=four(skelleftea, mala)
    )
    assert titles(proposed) == ["Lokalpolisområdeschef", "Kommunpolis", "Kommunchef", "Kommunalråd"]
    # Nothing signed yet: requirements that went were deleted, not archived.
    assert SignatoryRequirement.all_objects.filter(partnership=proposed).count() == 4
    services.proposal_accept(actor=skelleftea_admin, proposal=proposal)
    proposed.refresh_from_db()
    assert proposed.is_active
    assert titles(proposed) == ["Lokalpolisområdeschef", "Kommunpolis", "Kommunchef", "Kommunalråd"]


def test_changing_the_proposal_asks_the_other_side_again(
    mala_admin, mala, skelleftea, skelleftea_admin
):
    norsjo = municipality("2417")
    administrator("t-norsjo-admin", norsjo)
    partnership = services.partnership_propose(
        actor=mala_admin,
        proposer=mala,
        name="Samverkan",
        police_area=skelleftea,
        municipalities=[mala, norsjo],
    )
    proposal = partnership.proposals.get()
    services.proposal_accept(actor=skelleftea_admin, proposal=proposal)
    assert proposal.acceptances.count() == 1
    services.requirements_edit_proposed(
        actor=mala_admin,
        partnership=partnership,
        requirements=[
            (skelleftea, SigningRole.POLICE_AREA_CHIEF, ""),
            (mala, SigningRole.BOARD_CHAIR, ""),
            (norsjo, SigningRole.BOARD_CHAIR, ""),
        ],
    )
    assert proposal.acceptances.count() == 0
    assert titles(partnership)[1] == "Kommunstyrelsens ordförande"


def test_requirements_are_only_parties_and_roles_that_fit_them(
    proposed, mala_admin, mala, skelleftea
):
    for requirements in (
        [],
        [(municipality("0880"), SigningRole.BOARD_CHAIR, "")],
        [(mala, SigningRole.POLICE_AREA_CHIEF, "")],
        [(mala, SigningRole.BOARD_CHAIR, "KSO"), (mala, SigningRole.COMMISSIONER, "kso")],
    ):
        with pytest.raises(ValidationError):
            services.requirements_edit_proposed(
                actor=mala_admin, partnership=proposed, requirements=requirements
            )
    assert titles(proposed) == ["Lokalpolisområdeschef", "Kommunens företrädare"]


def test_both_parties_must_sign_every_promise(kalmar_partnership, kalmar_admin, kalmar, lpo_kalmar):
    """Found by an adversarial review: a set with only the kommun's signatory could be
    proposed, and once accepted promises would publish signed by one party."""
    for requirements in (
        [(kalmar, SigningRole.BOARD_CHAIR, "Kommunstyrelsens ordförande")],
        [(lpo_kalmar, SigningRole.POLICE_AREA_CHIEF, "Lokalpolisområdeschef")],
    ):
        with pytest.raises(ValidationError) as error:
            services.requirements_propose(
                actor=kalmar_admin, partnership=kalmar_partnership, requirements=requirements
            )
        assert error.value.code == "party_missing"
        assert "måste ha minst en underskrift" in error.value.messages[0]


# --- An agreed partnership -------------------------------------------------------------


def test_a_requirement_change_needs_both_sides(
    kalmar_partnership, kalmar_admin, lpo_kalmar_admin, kalmar, lpo_kalmar
):
    before = titles(kalmar_partnership)
    proposal = services.requirements_propose(
        actor=kalmar_admin, partnership=kalmar_partnership, requirements=four(lpo_kalmar, kalmar)
    )
    assert proposal.proposed_by == kalmar
    # Proposed is not agreed: the requirements in force are unchanged.
    assert titles(kalmar_partnership) == before
    assert mail.outbox[-1].to == [lpo_kalmar_admin.email]
    with pytest.raises(PermissionDenied):
        services.proposal_accept(actor=kalmar_admin, proposal=proposal)
    with pytest.raises(ValidationError):
        # One open proposal at a time.
        services.requirements_propose(
            actor=lpo_kalmar_admin,
            partnership=kalmar_partnership,
            requirements=four(lpo_kalmar, kalmar)[:2],
        )
    services.proposal_accept(actor=lpo_kalmar_admin, proposal=proposal)
    assert titles(kalmar_partnership) == [
        "Lokalpolisområdeschef",
        "Kommunpolis",
        "Kommunchef",
        "Kommunalråd",
    ]
    # The police chief's requirement stayed the same row; the kommun's old one is archived.
    archived = SignatoryRequirement.all_objects.get(
        partnership=kalmar_partnership, archived_at__isnull=False
    )
    assert archived.title == "Kommunens företrädare"
    assert SignatoryRequirement.all_objects.filter(partnership=kalmar_partnership).count() == 5


def test_a_declined_or_withdrawn_requirement_change_changes_nothing(
    kalmar_partnership, kalmar_admin, lpo_kalmar_admin, kalmar, lpo_kalmar
):
    before = titles(kalmar_partnership)
    proposal = services.requirements_propose(
        actor=kalmar_admin, partnership=kalmar_partnership, requirements=four(lpo_kalmar, kalmar)
    )
    services.proposal_decline(actor=lpo_kalmar_admin, proposal=proposal)
    second = services.requirements_propose(
        actor=kalmar_admin, partnership=kalmar_partnership, requirements=four(lpo_kalmar, kalmar)
    )
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(actor=lpo_kalmar_admin, proposal=second)
    services.proposal_withdraw(actor=kalmar_admin, proposal=second)
    kalmar_partnership.refresh_from_db()
    assert kalmar_partnership.is_active
    assert titles(kalmar_partnership) == before


def test_coordinators_and_signatories_do_not_change_requirements(
    kalmar_partnership, kalmar_coordinator, kalmar_police_chief, kalmar, lpo_kalmar
):
    for user in (kalmar_coordinator, kalmar_police_chief):
        with pytest.raises(PermissionDenied):
            services.requirements_propose(
                actor=user, partnership=kalmar_partnership, requirements=four(lpo_kalmar, kalmar)
            )


@pytest.fixture
def awaiting(kalmar_partnership, kalmar_coordinator):
    """A promise of the partnership whose version is out for signing."""
    from promises import services as promise_services
    from promises.models import Promise

    promise = promise_services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Tryggare Kalmar",
        valid_from_date=date(2027, 1, 1),
        valid_to_date=date(2027, 12, 31),
    )
    Promise.objects.filter(pk=promise.pk).update(status=Promise.Status.AWAITING_SIGNATURES)
    return promise


def test_no_requirement_change_while_a_version_awaits_signatures(
    kalmar_partnership, kalmar_admin, lpo_kalmar_admin, kalmar, lpo_kalmar, kalmar_coordinator
):
    from promises import services as promise_services
    from promises.models import Promise

    proposal = services.requirements_propose(
        actor=kalmar_admin, partnership=kalmar_partnership, requirements=four(lpo_kalmar, kalmar)
    )
    promise = promise_services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Tryggare Kalmar",
        valid_from_date=date(2027, 1, 1),
        valid_to_date=date(2027, 12, 31),
    )
    before = titles(kalmar_partnership)
    for status in (Promise.Status.AWAITING_SIGNATURES, Promise.Status.AWAITING_PAPER):
        Promise.objects.filter(pk=promise.pk).update(status=status)
        # Neither the acceptance of an earlier proposal …
        with pytest.raises(ValidationError) as error:
            services.proposal_accept(actor=lpo_kalmar_admin, proposal=proposal)
        assert error.value.code == "awaiting_signatures"
        # … nor a new proposal.
        with pytest.raises(ValidationError) as error:
            services.requirements_propose(
                actor=lpo_kalmar_admin,
                partnership=kalmar_partnership,
                requirements=four(lpo_kalmar, kalmar)[:3],
            )
        assert error.value.code == "awaiting_signatures"
    assert titles(kalmar_partnership) == before
    proposal.refresh_from_db()
    assert proposal.is_open and not proposal.acceptances.exists()
    # Once the version is taken back to draft (or signed) the change can be agreed.
    Promise.objects.filter(pk=promise.pk).update(status=Promise.Status.DRAFT)
    services.proposal_accept(actor=lpo_kalmar_admin, proposal=proposal)
    assert len(titles(kalmar_partnership)) == 4


def test_the_workspace_page_refuses_a_change_while_a_version_awaits_signatures(
    client, awaiting, kalmar_admin, kalmar_partnership
):
    client.force_login(kalmar_admin)
    url = f"/arbetsyta/samverkan/{kalmar_partnership.pk}/underskrifter/"
    page = client.get(url)
    assert "väntar på underskrifter" in page.content.decode()
    form = page.context["formset"]
    data = {
        "krav-TOTAL_FORMS": str(len(form.forms)),
        "krav-INITIAL_FORMS": str(form.initial_form_count()),
        "krav-MIN_NUM_FORMS": "0",
        "krav-MAX_NUM_FORMS": "20",
    }
    for i, f in enumerate(form.forms):
        data[f"krav-{i}-holder"] = f.initial.get("holder", "")
        data[f"krav-{i}-title"] = f.initial.get("title", "")
    data["krav-0-title"] = "Chef för lokalpolisområdet"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "kan inte ändras medan" in response.content.decode()
    assert not PartnershipProposal.objects.filter(partnership=kalmar_partnership).exists()


def test_an_archived_requirement_still_names_the_signatures_that_filled_it(
    kalmar_partnership, kalmar_admin, lpo_kalmar_admin, kalmar, lpo_kalmar
):
    old = kalmar_partnership.signatory_requirements.get(organisation=kalmar)
    proposal = services.requirements_propose(
        actor=kalmar_admin, partnership=kalmar_partnership, requirements=four(lpo_kalmar, kalmar)
    )
    services.proposal_accept(actor=lpo_kalmar_admin, proposal=proposal)
    assert not kalmar_partnership.signatory_requirements.filter(pk=old.pk).exists()
    assert SignatoryRequirement._base_manager.get(pk=old.pk).archived_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_requirement_change_waits_for_a_submission_under_way_and_is_then_refused(
    kalmar_partnership, kalmar_admin, lpo_kalmar_admin, kalmar, lpo_kalmar, kalmar_coordinator
):
    """Real threads: the version is being sent for signing while the change is accepted."""
    import threading

    from django.db import connection, transaction

    from promises import services as promise_services
    from promises.models import Promise

    proposal = services.requirements_propose(
        actor=kalmar_admin, partnership=kalmar_partnership, requirements=four(lpo_kalmar, kalmar)
    )
    promise = promise_services.promise_create(
        user=kalmar_coordinator,
        partnership=kalmar_partnership,
        title="Tryggare Kalmar",
        valid_from_date=date(2027, 1, 1),
        valid_to_date=date(2027, 12, 31),
    )
    before = titles(kalmar_partnership)
    locked, release = threading.Event(), threading.Event()
    outcome = {}

    def submit():
        # What promise_submit_for_signing does: lock the promise, freeze, change its status.
        try:
            with transaction.atomic():
                row = Promise.objects.select_for_update().get(pk=promise.pk)
                row.status = Promise.Status.AWAITING_SIGNATURES
                row.save(update_fields=["status"])
                locked.set()
                release.wait()
        finally:
            connection.close()

    def accept():
        try:
            services.proposal_accept(actor=lpo_kalmar_admin, proposal=proposal)
            outcome["result"] = "accepted"
        except ValidationError as error:
            outcome["result"] = error.code
        finally:
            connection.close()

    submitter = threading.Thread(target=submit)
    submitter.start()
    locked.wait()
    accepter = threading.Thread(target=accept)
    accepter.start()
    # Let the submission commit once the acceptance waits for its lock (or has finished).
    with connection.cursor() as cursor:
        while accepter.is_alive():
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
    release.set()
    submitter.join()
    accepter.join()
    assert outcome["result"] == "awaiting_signatures"
    assert titles(kalmar_partnership) == before
