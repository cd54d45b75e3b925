"""Partnerships and their signing requirements, agreed party by party."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notify import notify
from core.services import require
from organizations import permissions as perms
from organizations.models import (
    Organisation,
    Partnership,
    PartnershipProposal,
    ProposalAcceptance,
    SignatoryRequirement,
    SigningRole,
    check_signing_role,
)
from organizations.services.common import (
    DEFAULT_MUNICIPAL_SIGNATORY,
    DEFAULT_POLICE_SIGNATORY,
    Event,
    RequirementSpec,
    Role,
    log_event,
    name_of,
    names_of,
)


def default_requirements(
    police_area: Organisation, municipalities: Iterable[Organisation]
) -> list[RequirementSpec]:
    """The police chief and one representative of each kommun: the common case."""
    return [(police_area, *DEFAULT_POLICE_SIGNATORY)] + [
        (m, *DEFAULT_MUNICIPAL_SIGNATORY) for m in municipalities
    ]


def _create_requirements(partnership: Partnership, specs: Iterable[RequirementSpec]) -> None:
    for order, (organisation, signing_role, title) in enumerate(specs):
        requirement = SignatoryRequirement(
            partnership=partnership,
            organisation=organisation,
            signing_role=signing_role,
            title=title,
            order=order,
        )
        requirement.full_clean()
        requirement.save()


@transaction.atomic
def partnership_create(
    *,
    name: str,
    police_area: Organisation,
    municipalities: Iterable[Organisation],
    agreement_reference: str = "",
    agreement_start_date: date | None = None,
    agreement_end_date: date | None = None,
    signatories: Iterable[RequirementSpec] | None = None,
) -> Partnership:
    """Create an agreed partnership with its signing requirements (national administrator, demo).

    ``signatories`` are ``(organisation, signing role, title on the document)``.
    Without them the police chief and one representative of each kommun must
    sign, which is the common case. Local administrators use
    ``partnership_propose`` instead, which the other parties must accept.
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
        signatories = default_requirements(police_area, municipalities)
    _create_requirements(partnership, signatories)
    return partnership


@transaction.atomic
def partnership_add_default_requirements(*, actor, partnership: Partnership) -> None:
    """Give a partnership made in the Django admin the same requirements as the workspace."""
    require(actor.is_superuser, _("Bara den nationella administratören gör det här."))
    if SignatoryRequirement.objects.filter(partnership=partnership).exists():
        return
    specs = default_requirements(partnership.police_area, partnership.municipalities.all())
    _create_requirements(partnership, specs)
    log_event(
        Event.REQUIREMENTS_CHANGED,
        actor=actor,
        partnership=partnership,
        summary=_("Krav på underskrifter enligt standard: %(list)s.")
        % {"list": _requirements_text(_normalise(specs))},
    )


def _lock_partnership(partnership: Partnership) -> Partnership:
    """Re-read under a row lock, so two answers to one proposal cannot interleave."""
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _admins_of(organisation_ids):
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation__in=organisation_ids,
            memberships__role=Role.ADMIN,
            is_active=True,
        )
        .distinct()
    )


def _tell_admins(partnership, organisation_ids, *, subject: str, message: str) -> None:
    notify(
        _admins_of(organisation_ids),
        subject=subject,
        template_name="organizations/email/partnership.txt",
        context={
            "partnership": partnership,
            "message": message,
            "url": reverse("organizations:partnership-detail", kwargs={"pk": partnership.pk}),
        },
    )


def _acting_party(actor, partnership: Partnership) -> Organisation:
    """The party ``actor`` speaks for: the first they administer (police area first).

    The national administrator who administers none speaks for the police area.
    """
    for party in partnership.parties():
        if perms.has_role_in(actor, [party.pk], Role.ADMIN):
            return party
    return partnership.police_area


@transaction.atomic
def partnership_propose(
    *,
    actor,
    proposer: Organisation,
    name: str,
    police_area: Organisation,
    municipalities: Iterable[Organisation],
    other_partners: Iterable[Organisation] = (),
    agreement_reference: str = "",
    agreement_start_date: date | None = None,
    agreement_end_date: date | None = None,
    require_mfa_for_signing: bool | None = None,
) -> Partnership:
    """Propose a partnership; it is agreed when every other party's administrator accepts.

    It starts with the default signing requirements, which the proposing side
    may change until the others have answered.
    """
    require(
        perms.can_propose_partnership(actor, proposer),
        _("Du kan inte föreslå samverkan för %(organisation)s.") % {"organisation": proposer},
    )
    municipalities = list(municipalities)
    other_partners = list(other_partners)
    errors = {}
    if police_area.kind != Organisation.Kind.POLICE_AREA:
        errors["police_area"] = _("Välj ett lokalpolisområde.")
    if not municipalities:
        errors["municipalities"] = _("Välj minst en kommun.")
    elif any(m.kind != Organisation.Kind.MUNICIPALITY for m in municipalities):
        errors["municipalities"] = _("Välj bara kommuner.")
    if any(o.kind != Organisation.Kind.OTHER for o in other_partners):
        errors["other_partners"] = _("Välj bara övriga samverkansparter.")
    if proposer.pk not in {police_area.pk, *(m.pk for m in municipalities)}:
        errors["municipalities" if proposer.is_municipality else "police_area"] = _(
            "%(organisation)s måste själv vara part i samverkan."
        ) % {"organisation": proposer}
    if errors:
        raise ValidationError(errors)
    partnership = Partnership(
        name=name,
        police_area=police_area,
        status=Partnership.Status.PROPOSED,
        proposed_by=proposer,
        agreement_reference=agreement_reference,
        agreement_start_date=agreement_start_date,
        agreement_end_date=agreement_end_date,
    )
    if require_mfa_for_signing is not None:
        partnership.require_mfa_for_signing = require_mfa_for_signing
    partnership.full_clean()
    partnership.save()
    partnership.municipalities.set(municipalities)
    partnership.other_partners.set(other_partners)
    _create_requirements(partnership, default_requirements(police_area, municipalities))
    proposal = PartnershipProposal(
        partnership=partnership,
        kind=PartnershipProposal.Kind.AGREEMENT,
        proposed_by=proposer,
        created_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    others = [p for p in partnership.parties() if p.pk != proposer.pk]
    log_event(
        Event.PARTNERSHIP_PROPOSED,
        actor=actor,
        organisation=proposer,
        partnership=partnership,
        summary=_("%(proposer)s föreslog samverkan ”%(name)s” med %(others)s.")
        % {"proposer": proposer, "name": partnership.name, "others": names_of(others)},
    )
    _tell_admins(
        partnership,
        [o.pk for o in others],
        subject=_("Förslag om samverkan: %(name)s") % {"name": partnership.name},
        message=_(
            "%(proposer)s föreslår samverkan med er. Läs förslaget och godta eller avböj det."
        )
        % {"proposer": proposer},
    )
    return partnership


def _normalise(specs: Iterable[RequirementSpec]) -> list[dict]:
    return [
        {
            "organisation_id": organisation.pk,
            "signing_role": str(signing_role),
            "title": (title or "").strip() or str(SigningRole(signing_role).label),
        }
        for organisation, signing_role, title in specs
    ]


def _validate_requirements(partnership: Partnership, specs: Sequence[RequirementSpec]) -> list:
    """The set as plain data, checked: parties only, roles that fit, no title twice."""
    if not specs:
        raise ValidationError(_("Ange minst ett krav på underskrift."), code="no_requirements")
    parties = partnership.party_ids()
    seen = set()
    for organisation, signing_role, _title in specs:
        if organisation.pk not in parties:
            raise ValidationError(
                _("%(organisation)s är inte part i samverkan.") % {"organisation": organisation},
                code="not_a_party",
            )
        try:
            check_signing_role(organisation, signing_role, "signing_role")
        except ValidationError as error:
            raise ValidationError(error.message_dict["signing_role"], code="role") from None
    # A medborgarlöfte is the police's and the kommun's promise: both sign, every time.
    signing = {organisation.pk for organisation, _role, _title in specs}
    for party in [partnership.police_area, *partnership.municipalities.order_by("name")]:
        if party is not None and party.pk not in signing:
            raise ValidationError(
                _(
                    "%(organisation)s måste ha minst en underskrift: löftet är både polisens "
                    "och kommunens och ska skrivas under av båda."
                )
                % {"organisation": party.display_name},
                code="party_missing",
            )
    normalised = _normalise(specs)
    for item in normalised:
        key = (item["organisation_id"], item["title"].casefold())
        if key in seen:
            raise ValidationError(
                _("Titeln ”%(title)s” står två gånger för samma organisation.")
                % {"title": item["title"]},
                code="duplicate",
            )
        seen.add(key)
    return normalised


def _current_requirements(partnership: Partnership) -> list[dict]:
    return [
        {"organisation_id": r.organisation_id, "signing_role": r.signing_role, "title": r.title}
        for r in partnership.signatory_requirements.order_by("order", "pk")
    ]


def _requirements_text(items: list[dict]) -> str:
    organisations = Organisation.objects.in_bulk([i["organisation_id"] for i in items])
    return "; ".join(
        f"{item['title']}, {organisations.get(item['organisation_id'], '?')}" for item in items
    )


def promises_awaiting_signatures(partnership: Partnership, *, lock: bool = False) -> bool:
    """Whether a version of one of the partnership's promises is out for signing.

    With ``lock`` (inside a transaction) the partnership's promises are locked
    first, as ``promise_submit_for_signing`` locks the one it sends: a
    submission under way finishes before the answer and is seen by it; one
    that starts later waits for the caller's transaction. A plain read would
    miss the first case.

    Read through the app registry: promises build on organisations, not the
    other way round.
    """
    Promise = apps.get_model("promises", "Promise")
    promises = Promise.objects.filter(partnership=partnership)
    if lock:
        promises = promises.select_for_update().order_by("pk")
    statuses = set(promises.values_list("status", flat=True))
    return bool(statuses & {Promise.Status.AWAITING_SIGNATURES, Promise.Status.AWAITING_PAPER})


def _refuse_while_signing(partnership: Partnership) -> None:
    """Refuse a change of requirements while a version is out for signing."""
    if promises_awaiting_signatures(partnership, lock=True):
        raise ValidationError(
            _(
                "Kraven på underskrifter kan inte ändras medan en version av ett löfte väntar på "
                "underskrifter. Vänta tills den är signerad eller ta tillbaka den till utkast."
            ),
            code="awaiting_signatures",
        )


def _apply_requirements(partnership: Partnership, items: list[dict]) -> None:
    """Make ``items`` the requirements in force, keeping rows that stay the same.

    Requirements that go are archived, not deleted, in an agreed partnership:
    signatures of earlier versions point at them.
    """
    current = {
        (r.organisation_id, r.signing_role, r.title): r
        for r in partnership.signatory_requirements.all()
    }
    wanted = [(i["organisation_id"], i["signing_role"], i["title"]) for i in items]
    leaving = [r for key, r in current.items() if key not in wanted]
    if partnership.is_active:
        SignatoryRequirement.objects.filter(pk__in=[r.pk for r in leaving]).update(
            archived_at=timezone.now()
        )
    else:
        SignatoryRequirement.objects.filter(pk__in=[r.pk for r in leaving]).delete()
    organisations = Organisation.objects.in_bulk([key[0] for key in wanted])
    for order, key in enumerate(wanted):
        requirement = current.get(key)
        if requirement is None:
            requirement = SignatoryRequirement(
                partnership=partnership,
                organisation=organisations[key[0]],
                signing_role=key[1],
                title=key[2],
            )
        requirement.order = order
        requirement.full_clean()
        requirement.save()


@transaction.atomic
def requirements_edit_proposed(
    *, actor, partnership: Partnership, requirements: Sequence[RequirementSpec]
) -> None:
    """The proposing side changes the requirements of a partnership not yet agreed.

    The other parties accept the partnership with these requirements, so any
    acceptance given before the change is withdrawn and they are asked again.
    """
    partnership = _lock_partnership(partnership)
    require(
        perms.can_edit_proposed_requirements(actor, partnership),
        _("Bara den part som föreslog samverkan ändrar kraven innan den är överenskommen."),
    )
    items = _validate_requirements(partnership, requirements)
    if items == _current_requirements(partnership):
        return
    _apply_requirements(partnership, items)
    proposal = partnership.proposals.filter(
        kind=PartnershipProposal.Kind.AGREEMENT, status=PartnershipProposal.Status.OPEN
    ).first()
    if proposal is not None:
        proposal.acceptances.all().delete()
    log_event(
        Event.REQUIREMENTS_EDITED,
        actor=actor,
        organisation=partnership.proposed_by,
        partnership=partnership,
        summary=_("Krav på underskrifter i förslaget: %(list)s.")
        % {"list": _requirements_text(items)},
    )
    _tell_admins(
        partnership,
        partnership.party_ids() - {partnership.proposed_by_id},
        subject=_("Förslaget om samverkan är ändrat: %(name)s") % {"name": partnership.name},
        message=_("Kraven på underskrifter i förslaget är ändrade. Läs förslaget igen."),
    )


@transaction.atomic
def requirements_propose(
    *, actor, partnership: Partnership, requirements: Sequence[RequirementSpec]
) -> PartnershipProposal:
    """Propose a new set of signing requirements for an agreed partnership.

    It takes effect when every other party's administrator has accepted it,
    and never while a version is out for signing.
    """
    partnership = _lock_partnership(partnership)
    require(
        perms.can_propose_requirements(actor, partnership),
        _("Du kan inte föreslå nya krav på underskrifter i den här samverkan."),
    )
    _refuse_while_signing(partnership)
    items = _validate_requirements(partnership, requirements)
    if items == _current_requirements(partnership):
        raise ValidationError(_("Kraven är desamma som nu."), code="unchanged")
    proposer = _acting_party(actor, partnership)
    proposal = PartnershipProposal(
        partnership=partnership,
        kind=PartnershipProposal.Kind.REQUIREMENTS,
        proposed_by=proposer,
        created_by=actor,
        requirements=items,
    )
    proposal.full_clean()
    proposal.save()
    log_event(
        Event.REQUIREMENTS_PROPOSED,
        actor=actor,
        organisation=proposer,
        partnership=partnership,
        summary=_("%(proposer)s föreslog nya krav på underskrifter: %(list)s.")
        % {"proposer": proposer, "list": _requirements_text(items)},
    )
    _tell_admins(
        partnership,
        partnership.party_ids() - {proposer.pk},
        subject=_("Förslag om nya krav på underskrifter: %(name)s") % {"name": partnership.name},
        message=_("%(proposer)s föreslår nya krav på underskrifter. Godta eller avböj förslaget.")
        % {"proposer": proposer},
    )
    return proposal


def _lock_proposal(proposal: PartnershipProposal) -> PartnershipProposal:
    return PartnershipProposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def proposal_accept(*, actor, proposal: PartnershipProposal) -> PartnershipProposal:
    """Accept for the parties ``actor`` administers; carry it out once every party has.

    The national administrator who administers none of them accepts for all
    that are still waiting.
    """
    partnership = _lock_partnership(proposal.partnership)
    proposal = _lock_proposal(proposal)
    require(perms.can_answer_proposal(actor, proposal), _("Du kan inte godta det här förslaget."))
    accepted = set(proposal.acceptances.values_list("organisation_id", flat=True))
    waiting = partnership.party_ids() - accepted - {proposal.proposed_by_id}
    accepting = perms.administered_ids(actor, waiting) or (waiting if actor.is_superuser else set())
    organisations = Organisation.objects.in_bulk(accepting)
    for org_id in sorted(accepting):
        acceptance = ProposalAcceptance(
            proposal=proposal, organisation=organisations[org_id], accepted_by=actor
        )
        acceptance.full_clean()
        acceptance.save()
    log_event(
        Event.PROPOSAL_ACCEPTED,
        actor=actor,
        partnership=partnership,
        organisation=organisations[min(accepting)] if len(accepting) == 1 else None,
        summary=_("%(parties)s godtog förslaget: %(what)s.")
        % {
            "parties": names_of(organisations[i] for i in sorted(accepting)),
            "what": str(proposal.get_kind_display()).lower(),
        },
    )
    if not waiting - accepting:
        _carry_out(proposal, partnership, actor=actor)
    return proposal


def _close(proposal: PartnershipProposal, status: str, *, actor, note: str = "") -> None:
    proposal.status = status
    proposal.decided_at = timezone.now()
    proposal.decided_by = actor
    proposal.note = note
    proposal.full_clean()
    proposal.save()


def _carry_out(proposal: PartnershipProposal, partnership: Partnership, *, actor) -> None:
    if proposal.kind == PartnershipProposal.Kind.AGREEMENT:
        partnership.status = Partnership.Status.ACTIVE
        partnership.full_clean()
        partnership.save(update_fields=["status", "updated_at"])
        _close(proposal, PartnershipProposal.Status.ACCEPTED, actor=actor)
        log_event(
            Event.PARTNERSHIP_AGREED,
            actor=actor,
            partnership=partnership,
            summary=_("Samverkan ”%(name)s” är överenskommen mellan %(parties)s.")
            % {"name": partnership.name, "parties": names_of(partnership.parties())},
        )
        notify(
            (_admins_of(partnership.party_ids()) | partnership.coordinators()).distinct(),
            subject=_("Samverkan är överenskommen: %(name)s") % {"name": partnership.name},
            template_name="organizations/email/partnership.txt",
            context={
                "partnership": partnership,
                "message": _(
                    "Alla parter har godtagit samverkan. Samordnarna kan nu skriva lägesbilden "
                    "och medborgarlöftet."
                ),
                "url": partnership.get_absolute_url(),
            },
        )
        return
    _refuse_while_signing(partnership)
    organisations = Organisation.objects.in_bulk(
        [item["organisation_id"] for item in proposal.requirements]
    )
    try:
        specs = [
            (organisations[i["organisation_id"]], i["signing_role"], i["title"])
            for i in proposal.requirements
        ]
    except KeyError:
        raise ValidationError(
            _("En organisation i förslaget finns inte längre."), code="stale"
        ) from None
    items = _validate_requirements(partnership, specs)
    _apply_requirements(partnership, items)
    _close(proposal, PartnershipProposal.Status.ACCEPTED, actor=actor)
    log_event(
        Event.REQUIREMENTS_CHANGED,
        actor=actor,
        partnership=partnership,
        summary=_("Nya krav på underskrifter gäller: %(list)s.")
        % {"list": _requirements_text(items)},
    )
    _tell_admins(
        partnership,
        partnership.party_ids(),
        subject=_("Nya krav på underskrifter gäller: %(name)s") % {"name": partnership.name},
        message=_("Alla parter har godtagit de nya kraven på underskrifter."),
    )


@transaction.atomic
def proposal_decline(
    *, actor, proposal: PartnershipProposal, note: str = ""
) -> PartnershipProposal:
    """A party says no. A declined partnership is not agreed and takes no promises."""
    partnership = _lock_partnership(proposal.partnership)
    proposal = _lock_proposal(proposal)
    require(perms.can_answer_proposal(actor, proposal), _("Du kan inte avböja det här förslaget."))
    _close(proposal, PartnershipProposal.Status.DECLINED, actor=actor, note=note.strip())
    _end_if_agreement(proposal, partnership)
    log_event(
        Event.PROPOSAL_DECLINED,
        actor=actor,
        partnership=partnership,
        summary=_("%(who)s avböjde förslaget: %(what)s.%(note)s")
        % {
            "who": name_of(actor),
            "what": str(proposal.get_kind_display()).lower(),
            "note": f" ”{note.strip()}”" if note.strip() else "",
        },
    )
    _tell_admins(
        partnership,
        [proposal.proposed_by_id],
        subject=_("Förslaget avböjdes: %(name)s") % {"name": partnership.name},
        message=_("Ert förslag avböjdes.") + (f" ”{note.strip()}”" if note.strip() else ""),
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor, proposal: PartnershipProposal) -> PartnershipProposal:
    """The proposing side takes its proposal back before everyone has accepted it."""
    partnership = _lock_partnership(proposal.partnership)
    proposal = _lock_proposal(proposal)
    require(
        perms.can_withdraw_proposal(actor, proposal), _("Du kan inte återta det här förslaget.")
    )
    _close(proposal, PartnershipProposal.Status.WITHDRAWN, actor=actor)
    _end_if_agreement(proposal, partnership)
    log_event(
        Event.PROPOSAL_WITHDRAWN,
        actor=actor,
        organisation=proposal.proposed_by,
        partnership=partnership,
        summary=_("%(who)s återtog förslaget: %(what)s.")
        % {"who": proposal.proposed_by, "what": str(proposal.get_kind_display()).lower()},
    )
    return proposal


def _end_if_agreement(proposal: PartnershipProposal, partnership: Partnership) -> None:
    if proposal.kind == PartnershipProposal.Kind.AGREEMENT:
        partnership.status = Partnership.Status.NOT_AGREED
        partnership.save(update_fields=["status", "updated_at"])
