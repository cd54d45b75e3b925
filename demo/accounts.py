"""Accounts and organisations: the demo's people, their roles, the two partnerships.

The accounts are roles, not people; no real person's name is used for a
login. The national administrator (``admin``) agrees the two partnerships as
anyone agrees one in the workspace — proposed, signing requirements set,
accepted for the kommun — and adds the areas the seed documents name.
Signatories and ``admin`` add an authenticator app as a person does: the app
shows a code, the code confirms it.

Skips whatever exists, so loading again changes nothing.
"""

from base64 import b32encode
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from demo.common import SEEDS, acting_as, say
from organizations.models import (
    Area,
    Membership,
    Organisation,
    Partnership,
    PartnershipProposal,
    SigningRole,
    Theme,
)
from organizations.services import (
    area_create,
    membership_grant,
    partnership_propose,
    proposal_accept,
    requirements_edit_proposed,
)

DEMO_PASSWORD = "demo-medborgarlofte"

Role = Membership.Role

#: The shared vocabulary of themes the two documents use.
THEMES = {
    "upplevd-trygghet": "Upplevd trygghet",
    "trygghet-i-stadsdelar": "Trygghet i stadsdelar",
    "narkotika": "Narkotika",
    "trygghet-i-centrum": "Trygghet i centrum",
    "ungdomsbrottslighet": "Ungdomsbrottslighet",
}

# (username, first name, last name, organisation, role, title); signatories sign in the
# role SIGNING_ROLES names.
DEMO_USERS = [
    (
        "kalmar-samordnare",
        "Kommunsamordnare",
        "Kalmar (demo)",
        "kalmar",
        Role.COORDINATOR,
        "Strateg, social hållbarhet",
    ),
    (
        "kalmar-kommunpolis",
        "Kommunpolis",
        "Kalmar (demo)",
        "lpo-kalmar",
        Role.COORDINATOR,
        "Kommunpolis",
    ),
    (
        "kalmar-lpo-chef",
        "Lokalpolisområdeschef",
        "Kalmar (demo)",
        "lpo-kalmar",
        Role.SIGNATORY,
        "Lokalpolisområdeschef",
    ),
    (
        "kalmar-ks-ordforande",
        "KS-ordförande",
        "Kalmar (demo)",
        "kalmar",
        Role.SIGNATORY,
        "Kommunstyrelsens ordförande",
    ),
    ("kalmar-lasare", "Läsare", "Kalmar (demo)", "kalmar", Role.READER, ""),
    (
        "katrineholm-samordnare",
        "Kommunsamordnare",
        "Katrineholm (demo)",
        "katrineholm",
        Role.COORDINATOR,
        "Säkerhetsstrateg",
    ),
    (
        "katrineholm-kommunpolis",
        "Kommunpolis",
        "Katrineholm (demo)",
        "lpo-katrineholm",
        Role.COORDINATOR,
        "Kommunpolis",
    ),
    (
        "katrineholm-lpo-chef",
        "Lokalpolisområdeschef",
        "Katrineholm (demo)",
        "lpo-katrineholm",
        Role.SIGNATORY,
        "Chef lokalpolisområde Katrineholm",
    ),
    (
        "katrineholm-ks-ordforande",
        "KS-ordförande",
        "Katrineholm (demo)",
        "katrineholm",
        Role.SIGNATORY,
        "Kommunstyrelsens ordförande",
    ),
    ("katrineholm-lasare", "Läsare", "Katrineholm (demo)", "katrineholm", Role.READER, ""),
    # Local administrators: invite people, give roles, agree partnerships and requirements.
    ("kalmar-administrator", "Administratör", "Kalmar (demo)", "kalmar", Role.ADMIN, ""),
    (
        "kalmar-polisadministrator",
        "Administratör",
        "LPO Kalmar (demo)",
        "lpo-kalmar",
        Role.ADMIN,
        "",
    ),
]

SIGNING_ROLES = {
    "kalmar-lpo-chef": SigningRole.POLICE_AREA_CHIEF,
    "kalmar-ks-ordforande": SigningRole.BOARD_CHAIR,
    "katrineholm-lpo-chef": SigningRole.POLICE_AREA_CHIEF,
    "katrineholm-ks-ordforande": SigningRole.BOARD_CHAIR,
}

#: Those who sign or administer have a second factor: an authenticator app whose secret
#: `make run` prints (a real app, or `manage.py demo_code`, gives the code).
SECOND_FACTOR_USERS = [
    "admin",
    "kalmar-lpo-chef",
    "kalmar-ks-ordforande",
    "katrineholm-lpo-chef",
    "katrineholm-ks-ordforande",
]


def _organisations() -> dict[str, Organisation]:
    # The kommuner and lokalpolisområden are reference data, loaded by migration.
    found = {}
    for seed in SEEDS:
        municipality = Organisation.objects.get(municipality_code=seed.MUNICIPALITY_CODE)
        found[municipality.slug] = municipality
        found[seed.POLICE_AREA] = Organisation.objects.police_areas().get(slug=seed.POLICE_AREA)
    return found


@cache
def _password_hash() -> str:
    """The demo password, hashed once: every account has it, and the hasher is slow on
    purpose (about a second each, thirteen accounts)."""
    return make_password(DEMO_PASSWORD)


def _account(username: str, **fields):
    """The account, as ``createsuperuser`` or the admin makes it; ``None`` if it existed.

    No service creates accounts (people arrive by invitation, the national
    administrator runs ``createsuperuser``), so this is a direct write, validated
    as the admin's form validates it.
    """
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return None
    if fields.pop("superuser", False):
        fields.update(is_staff=True, is_superuser=True)
    user = User(
        username=User.normalize_username(username),
        email=User.objects.normalize_email(f"{username}@example.invalid"),
        password=_password_hash(),
        **fields,
    )
    user.full_clean()
    user.save()
    return user


def _themes() -> bool:
    """The shared themes. Nothing in the workspace writes the national vocabulary (the
    national administrator keeps it in the Django admin), so they are created here."""
    missing = [
        Theme(slug=slug, name=name)
        for slug, name in THEMES.items()
        if not Theme.objects.filter(partnership__isnull=True, slug=slug).exists()
    ]
    for theme in missing:
        theme.full_clean()
        theme.save()
    return bool(missing)


def _partnership(admin, seed, organisations) -> tuple[Partnership, bool]:
    """Propose, set the document's signatories, accept: agreed, two factors for signing."""
    found = Partnership.objects.filter(name=seed.PARTNERSHIP).first()
    if found is not None:
        return found, False
    police = organisations[seed.POLICE_AREA]
    municipality = Organisation.objects.get(municipality_code=seed.MUNICIPALITY_CODE)
    with acting_as(admin):
        partnership = partnership_propose(
            actor=admin,
            proposer=police,
            name=seed.PARTNERSHIP,
            police_area=police,
            municipalities=[municipality],
            agreement_reference=seed.AGREEMENT_REFERENCE,
            agreement_start_date=seed.AGREEMENT_START_DATE,
            agreement_end_date=seed.AGREEMENT_END_DATE,
            require_mfa_for_signing=True,
        )
        requirements_edit_proposed(
            actor=admin,
            partnership=partnership,
            requirements=[
                (police, SigningRole.POLICE_AREA_CHIEF, seed.POLICE_SIGNATORY_TITLE),
                (municipality, SigningRole.BOARD_CHAIR, seed.MUNICIPAL_SIGNATORY_TITLE),
            ],
        )
        proposal_accept(
            actor=admin,
            proposal=partnership.proposals.get(status=PartnershipProposal.Status.OPEN),
        )
    partnership.refresh_from_db()
    return partnership, True


def _areas(admin, seed, partnership) -> bool:
    municipality = partnership.municipalities.get()
    wrote = False
    for name, kind in seed.AREAS.values():
        if Area.objects.filter(municipality=municipality, name__iexact=name).exists():
            continue
        with acting_as(admin):
            area_create(
                actor=admin,
                partnership=partnership,
                municipality=municipality,
                name=name,
                kind=kind,
            )
        wrote = True
    return wrote


def _members(organisations) -> bool:
    wrote = False
    for username, first, last, org_key, role, title in DEMO_USERS:
        user = _account(username, first_name=first, last_name=last)
        if user is None:
            user = get_user_model().objects.get(username=username)
        organisation = organisations[org_key]
        if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
            continue
        membership_grant(
            user=user,
            organisation=organisation,
            role=role,
            title=title,
            signing_role=SIGNING_ROLES.get(username, ""),
        )
        wrote = True
    return wrote


def _app_code(device: TOTPDevice) -> str:
    """What the authenticator app shows now for ``device``'s secret."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _second_factors() -> bool:
    wrote = False
    for username in SECOND_FACTOR_USERS:
        user = get_user_model().objects.get(username=username)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            continue
        # As under Säkerhet: a new secret, then the code the app shows confirms it.
        device = mfa.totp_start(user)
        mfa.totp_confirm(user, device, _app_code(device))
        wrote = True
    return wrote


def load(stdout=None) -> bool:
    """Returns whether anything was written."""
    with transaction.atomic():
        organisations = _organisations()
        admin = _account(
            "admin", first_name="Administratör", last_name="(demo)", superuser=True
        ) or get_user_model().objects.get(username="admin")
        wrote = _themes()
        for seed in SEEDS:
            partnership, created = _partnership(admin, seed, organisations)
            wrote = _areas(admin, seed, partnership) or created or wrote
        wrote = _members(organisations) or wrote
        wrote = _second_factors() or wrote
    say(stdout, "Konton och samverkan: Kalmar och Katrineholm.")
    return wrote


def logins() -> list[tuple[str, str]]:
    """(username, description) for every demo account, for printing."""
    rows = [("admin", "Administratör (superanvändare)")]
    for username, first, last, _org, role, _title in DEMO_USERS:
        rows.append((username, f"{first}, {last.replace(' (demo)', '')} – {Role(role).label}"))
    return rows


def totp_secrets() -> dict[str, str]:
    """``{username: base32 secret}`` of the demo's authenticator apps, to enter in one."""
    devices = {
        d.user.username: d
        for d in TOTPDevice.objects.filter(
            user__username__in=SECOND_FACTOR_USERS, confirmed=True
        ).select_related("user")
    }
    return {
        username: b32encode(devices[username].bin_key).decode()
        for username in SECOND_FACTOR_USERS
        if username in devices
    }
