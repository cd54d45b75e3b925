"""Hostile input to the promise, organisation and account forms: never a 500, nothing half-saved.

The same table as ``test_workspace_forms`` (which covers lägesbilder, aktiviteter
and uppföljningar), for the forms it left out: the promise and its commitments,
the workflow notes, signing, paper signatures, local administration (members,
roles, invitations, partnerships, signature requirements, themes and areas) and
the account forms (login, password change and reset, the authenticator app).

Each case is a valid submission, the user who sends it, and the kind of each
field. Every field in turn gets every hostile value of its kind; a value that
cannot be right must be refused without a row written, and nothing may answer
500. The submission is built afresh for every request, so an uploaded scan is
a new file each time.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations import services as org_services
from organizations.models import Area, Membership, Organisation, SigningRole
from promises import services
from promises.models import Commitment, Promise
from promises.services import promise_snapshot
from promises.snapshot import sha256_of
from tests.factories import PASSWORD, UserFactory
from tests.hostile.conftest import server_error
from tests.hostile.test_workspace_forms import HARMLESS, NUL, REFUSED
from tests.organizations.conftest import kalmar_admin, lpo_kalmar_admin  # noqa: F401
from tests.promises.factories import CommitmentFactory
from tests.promises.fixtures_ui import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

Role = Membership.Role

KINDS = {
    **REFUSED,
    # A promise runs 2000-01-01..2100-12-31 (commit df225b9): the edges just outside.
    "promise date": {
        **REFUSED["date"],
        "before 2000": "1999-12-31",
        "after 2100": "2101-01-01",
    },
    "password": {"NUL": f"hemligt{NUL}", "overlong": "x" * 5_000},
}


def _scan():
    return SimpleUploadedFile(
        "underskrifter.pdf", b"%PDF-1.7\n% skannad\n%%EOF\n", content_type="application/pdf"
    )


@dataclass
class World:
    draft: Promise
    awaiting: Promise
    published: Promise
    commitment: Commitment
    org: str
    partnership: str
    extra: object
    membership: Membership
    theme: object
    area: Area
    kalmar: Organisation
    lpo_kalmar: Organisation


def _promise(user, partnership, year, texts=("Polisen patrullerar i hamnen.",)):
    promise = services.promise_create(
        user=user,
        partnership=partnership,
        title=f"Tryggare Kalmar {year}",
        valid_from_date=date(year, 1, 1),
        valid_to_date=date(year, 12, 31),
    )
    for text in texts:
        CommitmentFactory(promise=promise, text=text, party=Commitment.Party.POLICE)
    return promise


@pytest.fixture
def world(published, everyone, kalmar_partnership, kalmar, lpo_kalmar, request):
    coordinator = everyone["kalmar_coordinator"]
    admin = request.getfixturevalue("kalmar_admin")
    request.getfixturevalue("lpo_kalmar_admin")
    draft = _promise(coordinator, kalmar_partnership, 2028)
    awaiting = _promise(coordinator, kalmar_partnership, 2029)
    services.promise_submit_for_signing(user=coordinator, promise=awaiting)
    awaiting.refresh_from_db()
    extra = UserFactory(username="t-kalmar-extra")
    membership = Membership.objects.create(user=extra, organisation=kalmar, role=Role.READER)
    theme = org_services.theme_create(actor=admin, partnership=kalmar_partnership, name="Hamnen")
    area = org_services.area_create(
        actor=admin,
        partnership=kalmar_partnership,
        municipality=kalmar,
        name="Oxhagen",
        kind=Area.Kind.DISTRICT,
    )
    return World(
        draft=draft,
        awaiting=awaiting,
        published=published,
        commitment=draft.commitments.order_by("pk").first(),
        org=f"/arbetsyta/organisationer/{kalmar.slug}/",
        partnership=f"/arbetsyta/samverkan/{kalmar_partnership.pk}/",
        extra=extra,
        membership=membership,
        theme=theme,
        area=area,
        kalmar=kalmar,
        lpo_kalmar=lpo_kalmar,
    )


@dataclass
class FormCase:
    name: str
    user: str | None  # the fixture that signs in; None: anonymous
    url: object  # World -> str
    data: object  # World -> dict, a submission that is valid
    fields: dict[str, str] = field(default_factory=dict)
    #: A valid submission writes (False for forms that only send mail or sign in).
    writes: bool = True
    multipart: bool = False


def _promise_data(w, promise=None):
    data = {
        "title": "Tryggare Kalmar",
        "valid_from_date": "2030-01-01",
        "valid_to_date": "2030-12-31",
        "extended_to_date": "",
        "introduction": "Vi lovar.",
        "effect_goal": "",
        "effect_indicator": "",
        "effect_baseline": "",
        "effect_target": "",
        "effect_target_year": "",
        "followup_cadence": Promise.Cadence.TERTIAL,
        "followup_channels": "",
        "decision_reference": "",
        "predecessor": "",
    }
    if promise is not None:
        data["lock_version"] = promise.lock_version
    return data


PROMISE_FIELDS = {
    "title": "short",
    "valid_from_date": "promise date",
    "valid_to_date": "promise date",
    "extended_to_date": "promise date",
    "introduction": "text",
    "summary_easy_swedish": "text",
    "effect_goal": "text",
    "effect_baseline": "text",
    "effect_target_year": "year",
    "themes": "choice",
    "areas": "choice",
    "followup_cadence": "choice",
    "followup_channels": "text",
    "decision_reference": "short",
    "situation_report": "choice",
    "predecessor": "choice",
}


def _commitment_data(w, prefix, lock_version=None):
    owners = [o.pk for o in w.commitment.owners.all()]
    data = {
        f"{prefix}-owners": owners,
        f"{prefix}-text": "Polisen besöker skolorna.",
        f"{prefix}-target_quantity": "3",
        f"{prefix}-target_unit": "besök",
        f"{prefix}-target_period": "ar",
    }
    if lock_version is not None:
        data[f"{prefix}-lock_version"] = lock_version
    return data


COMMITMENT_FIELDS = {
    "-owners": "choice",
    "-text": "text",
    "-theme": "choice",
    "-areas": "choice",
    "-target_quantity": "int",
    "-target_unit": "short",
    "-target_period": "choice",
    "-period_start_date": "promise date",
    "-period_end_date": "promise date",
    # "findings" is offered only when the promise names a lägesbild; these do not.
}


def _paper_data(w):
    data = {
        "note": "Originalet finns i diariet.",
        "content_sha256": sha256_of(promise_snapshot(w.draft)),
        "scan": _scan(),
    }
    requirements = w.draft.partnership.signatory_requirements.order_by("order", "pk")
    # One person per role: the service refuses the same name twice.
    for number, requirement in enumerate(requirements, start=1):
        name = f"Anna Polis {number}"
        data |= {
            f"underskrift-{requirement.pk}-name": name,
            f"underskrift-{requirement.pk}-title": "",
            f"underskrift-{requirement.pk}-date": "2028-03-14",
            f"underskrift-{requirement.pk}-place": "Kalmar",
        }
    return data


def _first_requirement(w):
    return w.draft.partnership.signatory_requirements.order_by("order", "pk").first().pk


def _sign_data(w):
    version = w.awaiting.current_version()
    return {
        "version_id": version.pk,
        "content_sha256": version.content_sha256,
        "password": PASSWORD,
    }


def _police_area(w):
    return Organisation.objects.police_areas().get(coverage__municipality=w.kalmar).pk


def _requirements(w):
    lpo, kalmar = w.lpo_kalmar.pk, w.kalmar.pk
    return {
        "krav-TOTAL_FORMS": "3",
        "krav-INITIAL_FORMS": "0",
        "krav-MIN_NUM_FORMS": "0",
        "krav-MAX_NUM_FORMS": "20",
        "krav-0-holder": f"{lpo}:{SigningRole.POLICE_AREA_CHIEF}",
        "krav-0-title": "Lokalpolisområdeschef",
        "krav-1-holder": f"{lpo}:{SigningRole.COMMUNITY_POLICE}",
        "krav-2-holder": f"{kalmar}:{SigningRole.MUNICIPAL_CHIEF}",
    }


FORMS = [
    # --- Medborgarlöften --------------------------------------------------------------
    FormCase(
        "promises:promise-create",
        "kalmar_coordinator",
        lambda w: reverse("promises:promise-create", args=[w.draft.partnership_id]),
        _promise_data,
        PROMISE_FIELDS,
    ),
    FormCase(
        "promises:promise-update",
        "kalmar_coordinator",
        lambda w: reverse("promises:promise-update", args=[w.draft.pk]),
        lambda w: _promise_data(w, w.draft),
        {**PROMISE_FIELDS, "lock_version": "version"},
    ),
    FormCase(
        "promises:commitment-create",
        "kalmar_coordinator",
        lambda w: reverse("promises:commitment-create", args=[w.draft.pk]),
        lambda w: _commitment_data(w, "ny"),
        COMMITMENT_FIELDS,
    ),
    FormCase(
        "promises:commitment-update",
        "kalmar_coordinator",
        lambda w: reverse(
            "promises:commitment-update",
            kwargs={"pk": w.draft.pk, "commitment_pk": w.commitment.pk},
        ),
        lambda w: _commitment_data(w, f"a{w.commitment.pk}", w.commitment.lock_version),
        {**COMMITMENT_FIELDS, "-lock_version": "version"},
    ),
    FormCase(
        "promises:promise-return",
        "kalmar_coordinator",
        lambda w: reverse("promises:promise-return", args=[w.awaiting.pk]),
        lambda w: {"note": "Fel datum"},
        {"note": "short"},
    ),
    FormCase(
        "promises:promise-amend",
        "kalmar_coordinator",
        lambda w: reverse("promises:promise-amend", args=[w.published.pk]),
        lambda w: {"note": "Nytt år"},
        {"note": "short"},
    ),
    FormCase(
        "promises:promise-sign",
        "kalmar_police_chief",
        lambda w: reverse("promises:promise-sign", args=[w.awaiting.pk]),
        _sign_data,
        {
            "version_id": "int",
            "content_sha256": "short",
            "requirement": "choice",
            "password": "password",
            "code": "short",
            "passkey": "short",
        },
    ),
    FormCase(
        "promises:promise-paper-signatures",
        "kalmar_coordinator",
        lambda w: reverse("promises:promise-paper-signatures", args=[w.draft.pk]),
        _paper_data,
        {
            "note": "text",
            "content_sha256": "short",
            "underskrift-{req}-name": "short",
            "underskrift-{req}-title": "short",
            "underskrift-{req}-date": "date",
            "underskrift-{req}-place": "short",
        },
        multipart=True,
    ),
    # --- Lokal administration ---------------------------------------------------------
    FormCase(
        "organizations:invitation-create",
        "kalmar_admin",
        lambda w: w.org + "bjud-in/",
        lambda w: {
            "first_name": "Anna",
            "last_name": "Berg",
            "email": "annan@example.invalid",
            "role": Role.READER,
            "title": "Strateg",
        },
        {
            "first_name": "short",
            "last_name": "short",
            "email": "short",
            "role": "choice",
            "signing_role": "choice",
            "title": "short",
        },
    ),
    FormCase(
        "organizations:membership-create",
        "kalmar_admin",
        lambda w: w.org + "roller/ny/",
        lambda w: {"user": w.extra.pk, "role": Role.COORDINATOR},
        {"user": "choice", "role": "choice", "title": "short"},
    ),
    FormCase(
        "organizations:membership-update",
        "kalmar_admin",
        lambda w: w.org + f"roller/{w.membership.pk}/andra/",
        lambda w: {"role": Role.COORDINATOR, "title": "Strateg"},
        {"role": "choice", "signing_role": "choice", "title": "short"},
    ),
    FormCase(
        "organizations:partnership-propose",
        "kalmar_admin",
        lambda w: w.org + "foresla-samverkan/",
        lambda w: {
            "name": "Samverkan Kalmar 2027",
            "police_area": _police_area(w),
            "municipalities": [w.kalmar.pk],
            "agreement_start_date": "2027-01-01",
            "agreement_end_date": "2029-12-31",
        },
        {
            "name": "short",
            "police_area": "choice",
            "municipalities": "choice",
            "other_partners": "choice",
            "agreement_reference": "short",
            "agreement_start_date": "date",
            "agreement_end_date": "date",
        },
    ),
    FormCase(
        "organizations:requirements-update",
        "kalmar_admin",
        lambda w: w.partnership + "underskrifter/",
        _requirements,
        {
            "krav-TOTAL_FORMS": "int",
            "krav-0-holder": "choice",
            "krav-0-title": "short",
        },
    ),
    FormCase(
        "organizations:theme-create",
        "kalmar_admin",
        lambda w: w.partnership + "teman-och-omraden/",
        lambda w: {"tema": "1", "tema-name": "Stationen"},
        {"tema-name": "short"},
    ),
    FormCase(
        "organizations:area-create",
        "kalmar_admin",
        lambda w: w.partnership + "teman-och-omraden/",
        lambda w: {
            "omrade": "1",
            "omrade-municipality": w.kalmar.pk,
            "omrade-name": "Berga",
            "omrade-kind": Area.Kind.DISTRICT,
        },
        {"omrade-municipality": "choice", "omrade-name": "short", "omrade-kind": "choice"},
    ),
    FormCase(
        "organizations:theme-update",
        "kalmar_admin",
        lambda w: w.partnership + f"teman/{w.theme.pk}/andra/",
        lambda w: {"tema-name": "Kvarnholmen"},
        {"tema-name": "short"},
    ),
    FormCase(
        "organizations:area-update",
        "kalmar_admin",
        lambda w: w.partnership + f"omraden/{w.area.pk}/andra/",
        lambda w: {"omrade-name": "Oxhagen-Norrliden", "omrade-kind": Area.Kind.DISTRICT},
        {"omrade-name": "short", "omrade-kind": "choice"},
    ),
    # --- Konto ------------------------------------------------------------------------
    FormCase(
        "accounts:login",
        None,
        lambda w: reverse("accounts:login"),
        lambda w: {"username": "t-kalmar-extra", "password": "fel lösenord"},
        {"username": "short", "password": "password"},
        writes=False,
    ),
    FormCase(
        "accounts:password_change",
        "kalmar_reader",
        lambda w: reverse("accounts:password_change"),
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": "Ett-nytt-langt-losenord-2028",
            "new_password2": "Ett-nytt-langt-losenord-2028",
        },
        {"old_password": "password", "new_password1": "password", "new_password2": "password"},
        # The password is a column of the user: the fingerprint sees rows, not values.
        writes=False,
    ),
    FormCase(
        "accounts:password_reset",
        None,
        lambda w: reverse("accounts:password_reset"),
        lambda w: {"email": "ingen@example.invalid"},
        {"email": "short"},
        writes=False,
    ),
    FormCase(
        "accounts:totp-add",
        "kalmar_reader",
        lambda w: reverse("accounts:totp-add"),
        lambda w: {"code": "123456"},
        {"code": "short"},
        # A wrong code saves nothing; a GET of the page starts the (unconfirmed) device.
        writes=False,
    ),
]


def _key(name: str, data: dict, world: World) -> str:
    """Prefixed fields (``-text``) take the prefix of the valid submission."""
    name = name.replace("{req}", str(_first_requirement(world)))
    if name.startswith("-"):
        prefix = next(key for key in data if "-" in key).split("-", 1)[0]
        return prefix + name
    return name


@pytest.fixture
def sign_in(client, request):
    def as_(user):
        client.logout()
        if user is not None:
            client.force_login(request.getfixturevalue(user))

    return as_


#: What the table found and is not fixed yet (issue 11): each a precise gap, kept visible.
KNOWN_GAPS = {
    "promises:promise-sign": "code/passkey are truncated, not refused, when no factor is needed",
    "organizations:partnership-propose": (
        "other_partners is not a field when no other partner exists: a value for it is ignored"
    ),
    "organizations:requirements-update": "the valid submission is not detected as a write",
    "organizations:theme-update": "a rename is not seen by the fingerprint (no updated_at)",
    "organizations:area-update": "a rename is not seen by the fingerprint (no updated_at)",
}
CASES = [
    pytest.param(case, id=case.name, marks=pytest.mark.xfail(reason=KNOWN_GAPS[case.name]))
    if case.name in KNOWN_GAPS
    else pytest.param(case, id=case.name)
    for case in FORMS
]


@pytest.mark.parametrize("case", CASES)
def test_hostile_values_are_refused_and_save_nothing(case, world, probe, sign_in):
    sign_in(case.user)
    url = case.url(world)
    if case.name == "accounts:totp-add":
        probe("get", url)  # nothing pending: the page starts a device in its own request
        sign_in(case.user)
    status, wrote = probe("post", url, data=case.data(world))
    assert not server_error(status), status
    assert wrote == case.writes, f"the valid submission should {'' if case.writes else 'not '}save"
    failures = []
    for name, kind in case.fields.items():
        key = _key(name, case.data(world), world)
        for label, value in KINDS[kind].items():
            data = {k: v for k, v in case.data(world).items() if k != key}
            if value is not None:
                data[key] = value
            status, wrote = probe("post", url, data=data)
            if server_error(status) or wrote:
                failures.append((key, label, status, "wrote" if wrote else ""))
        for label, value in HARMLESS.get(kind, {}).items():
            status, _ = probe("post", url, data={**case.data(world), key: value})
            if server_error(status):
                failures.append((key, label, status, ""))
    assert not failures, failures


def test_a_promise_longer_than_ten_years_is_refused(world, probe, sign_in):
    sign_in("kalmar_coordinator")
    url = reverse("promises:promise-create", args=[world.draft.partnership_id])
    for start, end, extension in (
        ("2030-01-01", "2040-01-01", ""),
        ("2030-01-01", "2030-12-31", "2041-01-01"),
        ("2000-01-01", "2100-12-31", ""),
    ):
        data = {
            **_promise_data(world),
            "valid_from_date": start,
            "valid_to_date": end,
            "extended_to_date": extension,
        }
        status, wrote = probe("post", url, data=data)
        assert status == 200 and not wrote, (start, end, extension, status)


@pytest.mark.parametrize("case", [c for c in FORMS if not c.multipart], ids=lambda c: c.name)
def test_bytes_that_are_not_utf8_never_crash(case, world, probe, sign_in):
    """A body in Latin-1 (or garbage) instead of UTF-8: decoded with replacement, never a 500."""
    sign_in(case.user)
    url = case.url(world)
    valid = case.data(world)
    body = urlencode({k: v for k, v in valid.items() if not isinstance(v, list)}).encode()
    for garbage in (b"&title=%FF%FE%00", b"&note=\xe5\xe4\xf6", b"&%ED%A0%80=1", b"\xff\xfe"):
        status, _ = probe(
            "post", url, data=body + garbage, content_type="application/x-www-form-urlencoded"
        )
        assert not server_error(status), (garbage, status)


def test_workflow_buttons_are_safe_with_junk(world, probe, sign_in):
    """Buttons that post no data (submit, confirm, reject, delete) ignore what is posted."""
    junk = {"x": NUL, "lock_version": "abc", "direction": NUL, "pk": "9" * 30}
    sign_in("kalmar_coordinator")
    commitment = {"pk": world.draft.pk, "commitment_pk": world.commitment.pk}
    for url in (
        reverse("promises:promise-submit", args=[world.draft.pk]),
        reverse("promises:promise-copy-forward", args=[world.published.pk]),
        reverse("promises:promise-paper-confirm", args=[world.draft.pk]),
        reverse("promises:promise-paper-reject", args=[world.draft.pk]),
        reverse("promises:commitment-move", kwargs=commitment),
        reverse("promises:commitment-delete", kwargs=commitment),
    ):
        status, _ = probe("post", url, data=junk)
        assert not server_error(status), (url, status)
