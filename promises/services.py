"""Every change of state of a promise: one transaction, permission re-checked,
an event written, notifications sent once the transaction commits."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import publication
from core.concurrency import save_versioned
from core.notify import notify
from core.services import require
from organizations.models import Membership, Partnership
from promises import chain, snapshot
from promises import permissions as perms
from promises.models import (
    Commitment,
    Promise,
    PromiseTransition,
    PromiseVersion,
    Signature,
)
from promises.search import group_key

Status = Promise.Status
Kind = PromiseTransition.Kind

PROMISE_FIELDS = [
    "title",
    "valid_from_date",
    "valid_to_date",
    "extended_to_date",
    "introduction",
    "effect_goal",
    "effect_indicator",
    "effect_baseline",
    "effect_target",
    "effect_target_year",
    "followup_cadence",
    "followup_channels",
    "decision_reference",
    "predecessor",
    "situation_report",
]
COMMITMENT_FIELDS = [
    "party",
    "municipality",
    "partner",
    "text",
    "theme",
    "target_quantity",
    "target_unit",
    "target_period",
    "target_per_area",
    "condition",
]


def _require_status(promise: Promise, *statuses: str, message: str) -> None:
    if promise.status not in statuses:
        raise ValidationError(message, code="wrong_status")


def _event(
    promise, kind, *, actor=None, version=None, from_status="", note=""
) -> PromiseTransition:
    return PromiseTransition.objects.create(
        promise=promise,
        kind=kind,
        actor=actor if actor and actor.is_authenticated else None,
        version=version,
        from_status=from_status,
        to_status=promise.status,
        note=note,
    )


def _lock(promise: Promise) -> Promise:
    """Re-read the promise under a row lock so transitions cannot interleave."""
    return Promise.objects.select_for_update().get(pk=promise.pk)


def _check_situation_report(promise: Promise) -> None:
    report = promise.situation_report
    if report is not None and report.partnership_id != promise.partnership_id:
        raise ValidationError({"situation_report": _("Välj en lägesbild från samma samverkan.")})


def _set_findings(commitment: Commitment, findings) -> None:
    """Link the findings a commitment answers; only findings of the promise's lägesbild."""
    findings = list(findings)
    report_id = commitment.promise.situation_report_id
    if any(f.report_id != report_id for f in findings):
        raise ValidationError({"findings": _("Välj fynd ur löftets lägesbild.")})
    commitment.findings.set(findings)


def _check_commitment_parties(commitment: Commitment) -> None:
    """A named municipality or partner must be a party to the promise's partnership."""
    partnership = commitment.promise.partnership
    errors = {}
    if commitment.party == Commitment.Party.MUNICIPALITY:
        if commitment.municipality_id not in {m.pk for m in partnership.municipalities.all()}:
            errors["municipality"] = _("Välj en av kommunerna i samverkan.")
    else:
        commitment.municipality = None
    if commitment.party == Commitment.Party.OTHER:
        if commitment.partner_id not in {p.pk for p in partnership.other_partners.all()}:
            errors["partner"] = _("Välj en av de övriga parterna i samverkan.")
    else:
        commitment.partner = None
    if errors:
        raise ValidationError(errors)


# --- Editing the working copy ---------------------------------------------------


@transaction.atomic
def promise_create(*, user, partnership: Partnership, **fields) -> Promise:
    """Start a draft promise for a partnership the user coordinates."""
    from organizations.permissions import can_coordinate_partnership

    require(
        can_coordinate_partnership(user, partnership),
        _("Du samordnar inte den här samverkan."),
    )
    themes = fields.pop("themes", None)
    areas = fields.pop("areas", None)
    promise = Promise(partnership=partnership, **fields)
    promise.full_clean()
    _check_situation_report(promise)
    promise.save()
    if themes is not None:
        promise.themes.set(themes)
    if areas is not None:
        promise.areas.set(areas)
    _event(promise, Kind.CREATED, actor=user)
    return promise


@transaction.atomic
def promise_update(
    *, user, promise: Promise, expected_version: int, data: dict, themes=None, areas=None
) -> Promise:
    """Save the draft's own fields, refusing a save based on a stale version."""
    # Status from the locked row, not from the object the form was built on.
    current = _lock(promise)
    require(perms.can_coordinate_promise(user, current), _("Du får inte ändra löftet."))
    _require_status(
        current, Status.DRAFT, message=_("Bara utkast kan ändras. Återta löftet till utkast först.")
    )
    for name, value in data.items():
        if name in PROMISE_FIELDS:
            setattr(promise, name, value)
    promise.full_clean(exclude=["published_version"])
    _check_situation_report(promise)
    save_versioned(
        promise, expected_version=expected_version, fields=[f for f in PROMISE_FIELDS if f in data]
    )
    if themes is not None:
        promise.themes.set(themes)
    if areas is not None:
        promise.areas.set(areas)
    return promise


@transaction.atomic
def commitment_create(*, user, promise: Promise, areas=None, findings=None, **fields) -> Commitment:
    # The row lock orders this after a concurrent submit-for-signing: the edit is
    # either in the frozen version or refused, never silently outside it.
    promise = _lock(promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte ändra löftet."))
    _require_status(promise, Status.DRAFT, message=_("Bara utkast kan ändras."))
    order = (promise.commitments.aggregate(m=Max("order"))["m"] or 0) + 1
    commitment = Commitment(promise=promise, order=order, **fields)
    _check_commitment_parties(commitment)
    commitment.full_clean()
    commitment.save()
    if areas is not None:
        commitment.areas.set(areas)
    if findings is not None:
        _set_findings(commitment, findings)
    return commitment


@transaction.atomic
def commitment_update(
    *, user, commitment: Commitment, expected_version: int, data: dict, areas=None, findings=None
) -> Commitment:
    promise = _lock(commitment.promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte ändra löftet."))
    _require_status(promise, Status.DRAFT, message=_("Bara utkast kan ändras."))
    for name, value in data.items():
        if name in COMMITMENT_FIELDS:
            setattr(commitment, name, value)
    _check_commitment_parties(commitment)
    commitment.full_clean()
    save_versioned(
        commitment,
        expected_version=expected_version,
        fields=[f for f in COMMITMENT_FIELDS if f in data or f in ("municipality", "partner")],
    )
    if areas is not None:
        commitment.areas.set(areas)
    if findings is not None:
        _set_findings(commitment, findings)
    return commitment


def _is_on_record(commitment: Commitment) -> bool:
    """Frozen into a version, or referred to by activities or follow-ups."""
    return (
        PromiseVersion.objects.filter(
            promise_id=commitment.promise_id,
            snapshot__commitments__contains=[{"id": commitment.pk}],
        ).exists()
        or commitment.activities.exists()
        or commitment.assessments.exists()
    )


@transaction.atomic
def commitment_delete(*, user, commitment: Commitment) -> None:
    """Remove a commitment from the draft.

    One that was ever frozen into a version, or that activities or follow-ups
    refer to, is archived instead of deleted: signed versions, published
    follow-ups, activities and their reports keep pointing at it.
    """
    promise = _lock(commitment.promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte ändra löftet."))
    _require_status(promise, Status.DRAFT, message=_("Bara utkast kan ändras."))
    if _is_on_record(commitment):
        commitment.archived_at = timezone.now()
        commitment.save(update_fields=["archived_at", "updated_at"])
    else:
        commitment.delete()


@transaction.atomic
def commitment_move(*, user, commitment: Commitment, direction: str) -> None:
    """Swap the commitment with its neighbour in its group (party, and which kommun or partner)."""
    promise = _lock(commitment.promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte ändra löftet."))
    _require_status(promise, Status.DRAFT, message=_("Bara utkast kan ändras."))
    # The group on screen: same party and, with several kommuner or partners, the same one.
    siblings = list(
        promise.commitments.select_for_update()
        .filter(
            party=commitment.party,
            municipality_id=commitment.municipality_id,
            partner_id=commitment.partner_id,
        )
        .order_by("order", "pk")
    )
    index = next(i for i, c in enumerate(siblings) if c.pk == commitment.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    # Renumber the whole party so equal or missing order values cannot stick.
    for position, item in enumerate(siblings, start=1):
        Commitment.objects.filter(pk=item.pk).update(order=position)


# --- The snapshot that is signed -----------------------------------------------------


def promise_snapshot(promise: Promise) -> dict:
    """Everything the signatories sign, as plain JSON data (``promises.snapshot``)."""
    return snapshot.build(promise)


def _freeze(promise: Promise, user) -> PromiseVersion:
    return chain.append_version(promise=promise, snapshot=snapshot.build(promise), user=user)


# --- Workflow ------------------------------------------------------------------------


@transaction.atomic
def promise_submit_for_signing(*, user, promise: Promise) -> PromiseVersion:
    """Freeze the draft as a new version and ask the signatories to sign it."""
    promise = _lock(promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte skicka löftet."))
    _require_status(promise, Status.DRAFT, message=_("Bara ett utkast kan skickas för signering."))
    if not promise.commitments.exists():
        raise ValidationError(_("Löftet har inga åtaganden ännu."), code="no_commitments")
    if not promise.partnership.signatory_requirements.exists():
        raise ValidationError(
            _("Samverkan saknar krav på underskrifter. Be en administratör lägga till dem."),
            code="no_requirements",
        )
    version = _freeze(promise, user)
    previous = promise.status
    promise.status = Status.AWAITING_SIGNATURES
    promise.save(update_fields=["status", "updated_at"])
    _event(promise, Kind.SUBMITTED, actor=user, version=version, from_status=previous)
    notify(
        promise.partnership.signatories(),
        subject=_("Medborgarlöfte att signera: %(title)s") % {"title": promise.title},
        template_name="promises/email/awaiting_signature.txt",
        context={"promise": promise, "version": version},
    )
    return version


@transaction.atomic
def promise_return_to_draft(*, user, promise: Promise, note: str = "") -> Promise:
    """Take a version back from signing so the draft can be changed again."""
    promise = _lock(promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte återta löftet."))
    _require_status(
        promise,
        Status.AWAITING_SIGNATURES,
        message=_("Bara ett löfte som väntar på signering kan återtas."),
    )
    promise.status = Status.DRAFT
    promise.save(update_fields=["status", "updated_at"])
    _event(
        promise,
        Kind.RETURNED,
        actor=user,
        version=promise.current_version(),
        from_status=Status.AWAITING_SIGNATURES,
        note=note,
    )
    return promise


@transaction.atomic
def promise_sign(*, user, promise: Promise, password: str) -> Signature:
    """Sign the version awaiting signatures, after asking for the password again.

    Records signer, role and organisation (copied), database time, the content
    hash and the authentication method. Publishes when every required role has
    signed the same hash.
    """
    promise = _lock(promise)
    _require_status(
        promise, Status.AWAITING_SIGNATURES, message=_("Det finns ingen version att signera.")
    )
    version = promise.current_version()
    requirements = perms.signable_requirements(user, promise, version)
    require(bool(requirements), _("Du kan inte signera det här löftet."))
    if not password or not user.check_password(password):
        raise ValidationError({"password": _("Fel lösenord. Underskriften sparades inte.")})
    if not version.is_intact():
        raise ValidationError(
            _(
                "Versionens innehåll stämmer inte med sin kontrollsumma och kan inte signeras. "
                "Kontakta administratören."
            ),
            code="tampered",
        )
    requirement = requirements[0]
    membership = Membership.objects.filter(
        user=user, organisation=requirement.organisation, role=Membership.Role.SIGNATORY
    ).first()
    signature = chain.append_signature(
        version=version,
        requirement=requirement,
        signer=user,
        signer_name=user.get_full_name() or user.username,
        signer_title=(membership.title if membership and membership.title else requirement.title),
        organisation=requirement.organisation,
        organisation_name=requirement.organisation.display_name,
        method=Signature.Method.PASSWORD,
    )
    _event(promise, Kind.SIGNED, actor=user, version=version, from_status=promise.status)
    _publish_if_complete(promise, version, actor=user)
    return signature


def _publish_if_complete(promise: Promise, version: PromiseVersion, *, actor) -> bool:
    required = set(promise.partnership.signatory_requirements.values_list("pk", flat=True))
    signed = set(
        Signature.objects.for_hash(version)
        .filter(requirement__isnull=False)
        .values_list("requirement_id", flat=True)
    )
    if not required or not required <= signed:
        return False
    previous = promise.status
    promise.status = Status.PUBLISHED
    promise.published_version = version
    promise.published_at = (
        version.signatures.order_by("-signed_at").values_list("signed_at", flat=True).first()
    )
    promise.save(update_fields=["status", "published_version", "published_at", "updated_at"])
    _event(promise, Kind.PUBLISHED, actor=actor, version=version, from_status=previous)
    publication.changed(group_key(promise.pk))
    notify(
        promise.partnership.coordinators(),
        subject=_("Medborgarlöftet är signerat och publicerat: %(title)s")
        % {"title": promise.title},
        template_name="promises/email/published.txt",
        context={"promise": promise, "version": version},
    )
    return True


@transaction.atomic
def promise_amend(*, user, promise: Promise, note: str = "") -> Promise:
    """Start changing a published (or ended) promise; the public keeps the signed version.

    An ended promise can be amended too: an extension is often agreed after
    the original period is over.
    """
    promise = _lock(promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte ändra löftet."))
    _require_status(
        promise,
        Status.PUBLISHED,
        Status.ENDED,
        message=_("Bara ett publicerat löfte kan ändras."),
    )
    previous = promise.status
    promise.status = Status.DRAFT
    promise.save(update_fields=["status", "updated_at"])
    _event(
        promise,
        Kind.AMENDED,
        actor=user,
        version=promise.published_version,
        from_status=previous,
        note=note,
    )
    return promise


@transaction.atomic
def promise_expire(*, promise: Promise, today: date, user=None) -> Promise:
    """Mark a published promise as ended once its (extended) period is over. Still public."""
    promise = _lock(promise)
    _require_status(promise, Status.PUBLISHED, message=_("Bara ett publicerat löfte kan avslutas."))
    if promise.end_date >= today:
        raise ValidationError(_("Löftets period har inte tagit slut."), code="not_over")
    promise.status = Status.ENDED
    promise.save(update_fields=["status", "updated_at"])
    publication.changed(group_key(promise.pk))
    _event(
        promise,
        Kind.ENDED,
        actor=user,
        version=promise.published_version,
        from_status=Status.PUBLISHED,
    )
    return promise


def promises_expire_due(*, today: date) -> list[Promise]:
    """End every published promise whose period is over (for cron)."""
    due = Promise.objects.filter(status=Status.PUBLISHED).order_by("pk")
    return [promise_expire(promise=p, today=today) for p in due if p.end_date < today]


@transaction.atomic
def promise_record_paper_signatures(
    *, user, promise: Promise, signatures: list[dict], note: str = ""
) -> PromiseVersion:
    """Record a historic, paper-signed document: freeze it, record the signatures, publish.

    Each signature is ``{"requirement": SignatoryRequirement, "name", "title",
    "date" (optional), "place"}``; no login is involved for those who signed on paper.
    """
    promise = _lock(promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte registrera underskrifter."))
    _require_status(
        promise, Status.DRAFT, message=_("Pappersunderskrifter registreras på ett utkast.")
    )
    required = list(promise.partnership.signatory_requirements.all())
    if {s["requirement"].pk for s in signatures} != {r.pk for r in required}:
        raise ValidationError(
            _("Ange en underskrift för varje roll som ska signera."), code="incomplete"
        )
    for s in signatures:
        # The date is optional: old documents often carry names but no date.
        if not s.get("name", "").strip():
            raise ValidationError(_("Varje underskrift behöver ett namn."), code="incomplete")
    version = _freeze(promise, user)
    for s in signatures:
        requirement = s["requirement"]
        chain.append_signature(
            version=version,
            requirement=requirement,
            signer=None,
            signer_name=s["name"].strip(),
            signer_title=s.get("title") or requirement.title,
            organisation=requirement.organisation,
            organisation_name=requirement.organisation.display_name,
            method=Signature.Method.PAPER,
            signed_on_date=s.get("date"),
            place=s.get("place", ""),
        )
    _event(promise, Kind.PAPER, actor=user, version=version, from_status=promise.status, note=note)
    _publish_if_complete(promise, version, actor=user)
    return version
