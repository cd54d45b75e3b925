"""Demo organisations and fictional role accounts for Kalmar and Katrineholm.

Idempotent: running it again updates instead of duplicating. The accounts are
roles, not people; no real person's name is used for a login.
"""

from base64 import b32encode
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations.models import Membership, Organisation, Partnership, SigningRole
from organizations.services import membership_grant, partnership_create

DEMO_PASSWORD = "demo-medborgarlofte"

Role = Membership.Role

# (username, first name, last name, organisation key, role, title); signatories sign in the
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
]


@transaction.atomic
def load(stdout=None) -> dict:
    User = get_user_model()
    kalmar = Organisation.objects.get(municipality_code="0880")
    katrineholm = Organisation.objects.get(municipality_code="0483")
    # The lokalpolisområden are reference data (organizations/data/), loaded by
    # migration; the demo uses those rows rather than making its own.
    lpo_kalmar = Organisation.objects.police_areas().get(slug="lpo-kalmar")
    lpo_katrineholm = Organisation.objects.police_areas().get(slug="lpo-katrineholm")
    orgs = {
        "kalmar": kalmar,
        "katrineholm": katrineholm,
        "lpo-kalmar": lpo_kalmar,
        "lpo-katrineholm": lpo_katrineholm,
    }

    partnerships = {}
    for key, name, police, municipality, reference, start, end, titles in [
        (
            "kalmar",
            "Samverkan Kalmar kommun och lokalpolisområde Kalmar",
            lpo_kalmar,
            kalmar,
            "Samverkansöverenskommelse Kalmar kommun – Polisen",
            None,
            date(2020, 9, 30),
            ("Lokalpolisområdeschef", "Kommunstyrelsens ordförande"),
        ),
        (
            "katrineholm",
            "Samverkan Katrineholms kommun och lokalpolisområde Katrineholm",
            lpo_katrineholm,
            katrineholm,
            "Samverkansöverenskommelse om trygghetsskapande och brottsförebyggande arbete",
            None,
            None,
            ("Chef lokalpolisområde Katrineholm", "Kommunstyrelsens ordförande"),
        ),
    ]:
        partnership = Partnership.objects.filter(name=name).first()
        if partnership is None:
            partnership = partnership_create(
                name=name,
                police_area=police,
                municipalities=[municipality],
                agreement_reference=reference,
                agreement_start_date=start,
                agreement_end_date=end,
                signatories=[
                    (police, SigningRole.POLICE_AREA_CHIEF, titles[0]),
                    (municipality, SigningRole.BOARD_CHAIR, titles[1]),
                ],
            )
        partnerships[key] = partnership

    for username, first, last, org_key, role, title in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        membership_grant(
            user=user,
            organisation=orgs[org_key],
            role=role,
            title=title,
            signing_role=SIGNING_ROLES.get(username, ""),
        )

    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "first_name": "Administratör",
            "last_name": "(demo)",
            "is_staff": True,
            "is_superuser": True,
            "email": "admin@example.invalid",
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])

    # Those who sign or administer have a second factor: a TOTP app, whose
    # secret `make run` prints (a real app, or `manage.py demo_code`, gives the code).
    for username in SECOND_FACTOR_USERS:
        user = User.objects.get(username=username)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Kodapp (demo)", confirmed=True)
    for partnership in partnerships.values():
        if not partnership.require_mfa_for_signing:
            partnership.require_mfa_for_signing = True
            partnership.save(update_fields=["require_mfa_for_signing"])

    return {"organisations": orgs, "partnerships": partnerships}


def totp_secrets() -> dict[str, str]:
    """``{username: base32 secret}`` of the demo's TOTP apps, to enter in an authenticator."""
    devices = TOTPDevice.objects.filter(
        user__username__in=SECOND_FACTOR_USERS, confirmed=True
    ).select_related("user")
    return {d.user.username: b32encode(d.bin_key).decode() for d in devices.order_by("pk")}


SECOND_FACTOR_USERS = [
    "admin",
    "kalmar-lpo-chef",
    "kalmar-ks-ordforande",
    "katrineholm-lpo-chef",
    "katrineholm-ks-ordforande",
]

SIGNING_ROLES = {
    "kalmar-lpo-chef": SigningRole.POLICE_AREA_CHIEF,
    "kalmar-ks-ordforande": SigningRole.BOARD_CHAIR,
    "katrineholm-lpo-chef": SigningRole.POLICE_AREA_CHIEF,
    "katrineholm-ks-ordforande": SigningRole.BOARD_CHAIR,
}


def logins() -> list[tuple[str, str]]:
    """(username, description) for every demo account, for printing."""
    rows = [("admin", "Administratör (superanvändare)")]
    for username, first, last, _org, role, _title in DEMO_USERS:
        rows.append((username, f"{first}, {last.replace(' (demo)', '')} – {Role(role).label}"))
    return rows
