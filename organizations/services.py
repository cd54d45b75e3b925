"""State changes for organisations and partnerships."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from organizations.models import (
    Membership,
    Organisation,
    Partnership,
    SignatoryRequirement,
    SigningRole,
)

DEFAULT_POLICE_SIGNATORY = (SigningRole.POLICE_AREA_CHIEF, "Lokalpolisområdeschef")
DEFAULT_MUNICIPAL_SIGNATORY = (SigningRole.MUNICIPAL_REPRESENTATIVE, "Kommunens företrädare")


@transaction.atomic
def partnership_create(
    *,
    name: str,
    police_area: Organisation,
    municipalities: Iterable[Organisation],
    agreement_reference: str = "",
    agreement_start_date: date | None = None,
    agreement_end_date: date | None = None,
    signatories: Iterable[tuple[Organisation, str, str]] | None = None,
) -> Partnership:
    """Create a partnership with its signing requirements.

    ``signatories`` are ``(organisation, signing role, title on the document)``.
    Without them the police chief and one representative of each kommun must
    sign, which is the common case.
    """
    municipalities = list(municipalities)
    partnership = Partnership(
        name=name,
        police_area=police_area,
        agreement_reference=agreement_reference,
        agreement_start_date=agreement_start_date,
        agreement_end_date=agreement_end_date,
    )
    partnership.full_clean()
    partnership.save()
    partnership.municipalities.set(municipalities)
    if signatories is None:
        signatories = [(police_area, *DEFAULT_POLICE_SIGNATORY)] + [
            (m, *DEFAULT_MUNICIPAL_SIGNATORY) for m in municipalities
        ]
    for order, (organisation, signing_role, title) in enumerate(signatories):
        requirement = SignatoryRequirement(
            partnership=partnership,
            organisation=organisation,
            signing_role=signing_role,
            title=title,
            order=order,
        )
        requirement.full_clean()
        requirement.save()
    return partnership


def membership_grant(
    *, user, organisation: Organisation, role: str, title: str = "", signing_role: str = ""
) -> Membership:
    """Give ``user`` a role in ``organisation``; signatories sign in one ``signing_role``."""
    membership, _ = Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"title": title, "signing_role": signing_role},
    )
    return membership
