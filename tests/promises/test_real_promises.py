"""Promises as they are really written: owner sets, commitment periods, reported figures,
next year's promise."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followups import services as followup_services
from organizations.services import partnership_create
from promises import services
from promises.models import Commitment, Promise
from promises.snapshot import parse
from public import pdf
from public.read import promise_page
from tests.factories import PoliceAreaFactory, UserFactory, municipality, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_kommuner():
    """One LPO with Stenungsund, Orust and Tjörn, as in their real promises."""
    from organizations.models import Membership, SigningRole

    kommuner = [municipality(code) for code in ("1415", "1421", "1419")]
    lpo = PoliceAreaFactory(name="LPO Stenungsund", slug="lpo-test-stenungsund")
    partnership = partnership_create(
        name="Samverkan Stenungsund, Orust och Tjörn", police_area=lpo, municipalities=kommuner
    )
    partnership.require_mfa_for_signing = False
    partnership.save()
    coordinator = UserFactory(username="t-sot-samordnare")
    Membership.objects.create(
        user=coordinator, organisation=kommuner[0], role=Membership.Role.COORDINATOR
    )
    signers = [UserFactory(username="t-sot-lpo")]
    Membership.objects.create(
        user=signers[0],
        organisation=lpo,
        role=Membership.Role.SIGNATORY,
        signing_role=SigningRole.POLICE_AREA_CHIEF,
    )
    for kommun in kommuner:
        user = UserFactory(username=f"t-sot-{kommun.slug}")
        Membership.objects.create(
            user=user,
            organisation=kommun,
            role=Membership.Role.SIGNATORY,
            signing_role=SigningRole.MUNICIPAL_REPRESENTATIVE,
        )
        signers.append(user)
    return partnership, kommuner, lpo, coordinator, signers


def test_three_kommuner_promise_together_once_under_one_heading(client, three_kommuner):
    partnership, kommuner, lpo, coordinator, signers = three_kommuner
    promise = services.promise_create(
        user=coordinator,
        partnership=partnership,
        title="Medborgarlöfte 2024",
        valid_from_date=date(2024, 1, 1),
        valid_to_date=date(2024, 12, 31),
    )
    client.force_login(coordinator)
    add = reverse("promises:commitment-create", kwargs={"pk": promise.pk})
    texts = [
        "Kommunerna genomför trygghetsvandringar.",
        "Kommunerna håller föräldramöten om droger.",
        "Kommunerna erbjuder nattvandring.",
        "Kommunerna utvecklar fältarbetet.",
    ]
    for text in texts:
        response = client.post(
            add,
            {"ny-owners": [k.pk for k in kommuner], "ny-text": text, "ny-target_period": "period"},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    client.post(
        add,
        {
            "ny-owners": [lpo.pk],
            "ny-text": "Polisen gör riktade insatser.",
            "ny-target_period": "period",
        },
    )
    assert Commitment.objects.filter(promise=promise).count() == 5  # each entered once

    services.promise_submit_for_signing(user=coordinator, promise=promise)
    for signer in signers:
        sign(signer, promise)
    promise.refresh_from_db()
    assert promise.status == Promise.Status.PUBLISHED

    content = parse(promise.published_version.snapshot)
    joint = [c for c in content.commitments if c.party == "municipality"]
    assert len(joint) == 4
    assert {o.name for o in joint[0].owners} == {
        "Stenungsunds kommun",
        "Orust kommun",
        "Tjörns kommun",
    }
    heading = "Orust, Stenungsunds och Tjörns kommuner lovar"
    assert joint[0].heading == heading

    page = client.get(promise.get_public_url()).content.decode()
    assert page.count(heading) == 1
    for text in texts:
        assert page.count(text) == 1
    assert "Polisen lovar" in page
    data = client.get(f"/api/v1/promises/{promise.pk}").json()
    api_joint = [c for c in data["commitments"] if c["party"] == "municipality"]
    assert len(api_joint) == 4
    assert sorted(o["municipality_code"] for o in api_joint[0]["owners"]) == [
        "1415",
        "1419",
        "1421",
    ]


@pytest.mark.parametrize(
    "owners, party, heading",
    [
        (["lpo"], "police", "Polisen lovar"),
        (["1415"], "municipality", "Stenungsunds kommun lovar"),
        (["1415", "1419"], "municipality", "Stenungsunds och Tjörns kommuner lovar"),
        (["lpo", "1415", "1421", "1419"], "joint", "Tillsammans lovar vi"),
        (["lpo", "1419"], "joint", "Tillsammans lovar vi"),
    ],
)
def test_owner_sets_give_the_party_and_the_heading(three_kommuner, owners, party, heading):
    partnership, kommuner, lpo, coordinator, _signers = three_kommuner
    orgs = {"lpo": lpo, **{k.municipality_code: k for k in kommuner}}
    promise = services.promise_create(
        user=coordinator,
        partnership=partnership,
        title="Löfte",
        valid_from_date=date(2024, 1, 1),
        valid_to_date=date(2024, 12, 31),
    )
    commitment = services.commitment_create(
        user=coordinator, promise=promise, owners=[orgs[o] for o in owners], text="Text"
    )
    assert commitment.party == party
    assert commitment.heading == heading
    (signed,) = parse(services.promise_snapshot(promise)).commitments
    assert (signed.party, signed.heading) == (party, heading)


def test_another_partner_promises_under_its_own_name(three_kommuner):
    from tests.factories import OtherPartnerFactory

    partnership, kommuner, lpo, coordinator, _signers = three_kommuner
    housing = OtherPartnerFactory(name="Stenungsundshem", full_name="Stenungsundshem AB")
    partnership.other_partners.add(housing)
    promise = services.promise_create(
        user=coordinator,
        partnership=partnership,
        title="Löfte",
        valid_from_date=date(2024, 1, 1),
        valid_to_date=date(2024, 12, 31),
    )
    commitment = services.commitment_create(
        user=coordinator, promise=promise, owners=[housing], text="Vi byter belysning."
    )
    assert commitment.party == "other"
    assert commitment.heading == "Stenungsundshem AB lovar"


def test_commitment_periods_lie_within_the_promise_and_its_extension(three_kommuner):
    partnership, kommuner, lpo, coordinator, _signers = three_kommuner
    promise = services.promise_create(
        user=coordinator,
        partnership=partnership,
        title="Löfte 2023, förlängt",
        valid_from_date=date(2023, 1, 1),
        valid_to_date=date(2023, 12, 31),
        extended_to_date=date(2024, 12, 31),
    )
    extension = services.commitment_create(
        user=coordinator,
        promise=promise,
        owners=[lpo],
        text="Under förlängningen: fler trafikkontroller.",
        period_start_date=date(2024, 1, 1),
        period_end_date=date(2024, 12, 31),
    )
    (signed,) = parse(services.promise_snapshot(promise)).commitments
    assert signed.id == extension.pk and signed.period.start == date(2024, 1, 1)
    for start, end in [(date(2022, 12, 1), None), (None, date(2025, 1, 1))]:
        with pytest.raises(ValidationError) as error:
            services.commitment_create(
                user=coordinator,
                promise=promise,
                owners=[lpo],
                text="Utanför",
                period_start_date=start,
                period_end_date=end,
            )
        assert "Åtagandets period måste ligga inom löftets period." in str(error.value)
    assert not Commitment.objects.filter(text="Utanför").exists()


@pytest.fixture
def published_with_target(three_kommuner, django_capture_on_commit_callbacks):
    partnership, kommuner, lpo, coordinator, signers = three_kommuner
    with django_capture_on_commit_callbacks(execute=True):
        promise = services.promise_create(
            user=coordinator,
            partnership=partnership,
            title="Narkotika 2020",
            valid_from_date=date(2020, 1, 1),
            valid_to_date=date(2020, 12, 31),
        )
        services.commitment_create(
            user=coordinator,
            promise=promise,
            owners=[lpo],
            text="Polisen genomför riktade insatser mot narkotika.",
            target_quantity=6,
            target_unit="riktade insatser",
        )
        services.commitment_create(
            user=coordinator, promise=promise, owners=kommuner, text="Kommunerna informerar."
        )
        services.promise_submit_for_signing(user=coordinator, promise=promise)
        for signer in signers:
            sign(signer, promise)
    promise.refresh_from_db()
    return promise, coordinator


def test_a_typed_figure_without_any_activity_plan_is_what_the_public_reads(
    client, published_with_target, django_capture_on_commit_callbacks
):
    from organizations.models import Membership

    promise, coordinator = published_with_target
    police = UserFactory(username="t-sot-kommunpolis")
    Membership.objects.create(
        user=police,
        organisation=promise.partnership.police_area,
        role=Membership.Role.COORDINATOR,
    )
    with django_capture_on_commit_callbacks(execute=True):
        third = followup_services.followups_schedule(user=coordinator, promise=promise)[2]
        followup_services.followup_start_draft(user=coordinator, followup=third)
        third.refresh_from_db()
        raids, info = third.assessments.order_by("order")
        assert raids.figure is None and raids.figure_source == ""  # no reports: no figure
        followup_services.followup_update(
            user=coordinator,
            followup=third,
            expected_version=third.lock_version,
            narrative="Året i sammandrag.",
            assessments={raids.pk: {"figure": 11, "status": "genomford", "outcome": "Elva."}},
        )
        # A recount from the (absent) reports never overwrites what was typed.
        third.refresh_from_db()
        followup_services.followup_refresh_counts(
            user=coordinator, followup=third, expected_version=third.lock_version
        )
        raids.refresh_from_db()
        assert (raids.figure, raids.figure_source, raids.outcome) == (11, "angivet", "Elva.")
        for approver in (police, coordinator):
            followup_services.followup_approve(user=approver, followup=third)
        followup_services.followup_publish(user=coordinator, followup=third)

    page = client.get(promise.get_public_url()).content.decode()
    assert "11 av minst 6" in page
    assert "enligt uppföljningen Tertial 3 2020" in page
    assert "Ingen uppgift" in page  # the kommuner's commitment: nobody assessed it
    assert "0 genomförda" not in page
    data = client.get(f"/api/v1/promises/{promise.pk}").json()
    api_raids = data["commitments"][0]["outcome"]
    assert (api_raids["figure"], api_raids["target"], api_raids["label"]) == (
        11,
        6,
        "11 av minst 6",
    )
    assert data["commitments"][1]["outcome"] is None
    html = pdf.promise_pdf_html(promise_page(promise.pk))
    assert "11 av minst 6" in html and "Tertial 3 2020" in html
