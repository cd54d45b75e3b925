"""Every change of state of a promise: one transaction, permission re-checked,
an event written, notifications sent once the transaction commits."""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import mfa
from core import publication
from core.concurrency import save_versioned
from core.notify import notify
from core.services import require
from organizations.models import Membership, Partnership
from promises import chain, snapshot
from promises import permissions as perms
from promises.models import (
    Commitment,
    PaperSigning,
    Promise,
    PromiseTransition,
    PromiseVersion,
    Signature,
)
from promises.owners import owners_for
from promises.paper import read_scan
from promises.search import group_key
from subscriptions import publishing as subscriptions

Status = Promise.Status
Kind = PromiseTransition.Kind

PROMISE_FIELDS = [
    "title",
    "valid_from_date",
    "valid_to_date",
    "extended_to_date",
    "introduction",
    "summary_easy_swedish",
    "summary_english",
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
    "text",
    "theme",
    "target_quantity",
    "target_unit",
    "target_period",
    "target_per_area",
    "condition",
    "period_start_date",
    "period_end_date",
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


def _owners(promise: Promise, *, owners=None, party=None, municipality=None, partner=None):
    """The owner set, given as organisations or as a party code (``promises.owners``).

    Every owner must be a party to the promise's partnership; at least one owns it.
    """
    partnership = promise.partnership
    if owners is None:
        if party is None:
            return None
        owners = owners_for(partnership, party, municipality, partner)
    owners = list(owners)
    if not owners:
        raise ValidationError({"owners": _("Ange vem som lovar.")}, code="no_owners")
    if {o.pk for o in owners} - partnership.party_ids():
        raise ValidationError(
            {"owners": _("Välj bland parterna i samverkan.")}, code="foreign_owner"
        )
    return owners


def _check_commitment_period(commitment: Commitment) -> None:
    """A commitment's own period lies within the promise's (with its extension)."""
    promise = commitment.promise
    start, end = commitment.period_start_date, commitment.period_end_date
    errors = {}
    if start and not promise.valid_from_date <= start <= promise.end_date:
        errors["period_start_date"] = _("Åtagandets period måste ligga inom löftets period.")
    if end and not promise.valid_from_date <= end <= promise.end_date:
        errors["period_end_date"] = _("Åtagandets period måste ligga inom löftets period.")
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


def _next_period(promise: Promise) -> tuple[date, date]:
    """The period after the promise's (extended) end, as long as the original period."""
    start = promise.end_date + timedelta(days=1)
    first, last = promise.valid_from_date, promise.valid_to_date
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        years = last.year - first.year + 1
        return date(start.year, 1, 1), date(start.year + years - 1, 12, 31)
    return start, start + (last - first)


def _shift_years(title: str, years: int) -> str:
    """ "Medborgarlöfte 2019–2020" → "Medborgarlöfte 2021–2022" for a shift of two years."""
    return re.sub(r"\b(19|20)\d{2}\b", lambda m: str(int(m.group()) + years), title)


@transaction.atomic
def promise_copy_forward(*, user, promise: Promise) -> Promise:
    """Start next year's promise from this one: a new draft, linked as its successor.

    Copies the content, the commitments with their owners, targets, conditions,
    themes, areas and findings, and the follow-up plan; proposes the next period
    and a title with its years moved on. Commitments' own periods are not copied:
    they belonged to the old period. The decision reference is left empty: the
    new promise is decided anew.
    """
    require(perms.can_coordinate_promise(user, promise), _("Du samordnar inte det här löftet."))
    start, end = _next_period(promise)
    new = Promise(
        partnership=promise.partnership,
        title=_shift_years(promise.title, start.year - promise.valid_from_date.year)[:200],
        valid_from_date=start,
        valid_to_date=end,
        **{
            name: getattr(promise, name)
            for name in [
                "introduction",
                "summary_easy_swedish",
                "summary_english",
                "effect_goal",
                "effect_indicator",
                "effect_baseline",
                "effect_target",
                "effect_target_year",
                "followup_cadence",
                "followup_channels",
                "situation_report",
            ]
        },
        predecessor=promise,
    )
    new.full_clean(exclude=["published_version"])
    new.save()
    new.themes.set(promise.themes.all())
    new.areas.set(promise.areas.all())
    commitments = promise.commitments.prefetch_related("owners", "areas", "findings")
    originals = list(commitments.order_by("order", "pk"))
    # Copies of rows that were validated when they were saved, into the same partnership:
    # written in one statement per table instead of a dozen per commitment (the database's
    # constraints still check every row).
    copies = Commitment.objects.bulk_create(
        Commitment(
            promise=new,
            order=position,
            **{
                name: getattr(old, name)
                for name in [
                    "text",
                    "theme_id",
                    "target_quantity",
                    "target_unit",
                    "target_period",
                    "target_per_area",
                    "condition",
                ]
            },
        )
        for position, old in enumerate(originals, start=1)
    )
    relations = [("owners", "organisation"), ("areas", "area"), ("findings", "finding")]
    for relation, target in relations:
        through = getattr(Commitment, relation).through
        through.objects.bulk_create(
            through(commitment_id=copy.pk, **{f"{target}_id": related.pk})
            for old, copy in zip(originals, copies, strict=True)
            for related in getattr(old, relation).all()
        )
    _event(
        new,
        Kind.CREATED,
        actor=user,
        note=_("Skapat som nästa löfte efter ”%(title)s”.") % {"title": promise.title},
    )
    return new


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
def commitment_create(
    *,
    user,
    promise: Promise,
    owners=None,
    party=None,
    municipality=None,
    partner=None,
    areas=None,
    findings=None,
    **fields,
) -> Commitment:
    """Add a commitment, owned by ``owners`` (or the set a ``party`` code names)."""
    # The row lock orders this after a concurrent submit-for-signing: the edit is
    # either in the frozen version or refused, never silently outside it.
    promise = _lock(promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte ändra löftet."))
    _require_status(promise, Status.DRAFT, message=_("Bara utkast kan ändras."))
    order = (promise.commitments.aggregate(m=Max("order"))["m"] or 0) + 1
    commitment = Commitment(promise=promise, order=order, **fields)
    owner_set = _owners(
        promise, owners=owners, party=party, municipality=municipality, partner=partner
    )
    if owner_set is None:
        raise ValidationError({"owners": _("Ange vem som lovar.")}, code="no_owners")
    commitment.full_clean()
    _check_commitment_period(commitment)
    commitment.save()
    commitment.owners.set(owner_set)
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
    owner_set = _owners(
        promise,
        owners=data.get("owners"),
        party=data.get("party"),
        municipality=data.get("municipality"),
        partner=data.get("partner"),
    )
    commitment.full_clean()
    _check_commitment_period(commitment)
    save_versioned(
        commitment,
        expected_version=expected_version,
        fields=[f for f in COMMITMENT_FIELDS if f in data],
    )
    if owner_set is not None:
        commitment.owners.set(owner_set)
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
    """Swap the commitment with its neighbour in its group (the same owners)."""
    promise = _lock(commitment.promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte ändra löftet."))
    _require_status(promise, Status.DRAFT, message=_("Bara utkast kan ändras."))
    # The group on screen: the same owner set.
    owner_ids = set(commitment.owners.values_list("pk", flat=True))
    siblings = [
        c
        for c in promise.commitments.select_for_update()
        .prefetch_related("owners")
        .order_by("order", "pk")
        if {o.pk for o in c.owners.all()} == owner_ids
    ]
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


SIGNATURE_METHODS = {
    None: Signature.Method.PASSWORD,
    mfa.TOTP: Signature.Method.PASSWORD_TOTP,
    mfa.PASSKEY: Signature.Method.PASSWORD_PASSKEY,
    mfa.RECOVERY_CODE: Signature.Method.PASSWORD_RECOVERY,
}


def signing_purpose(version: PromiseVersion) -> str:
    """What a passkey approves when it signs: this exact version, by its hash."""
    return f"sign:{version.content_sha256}"


@transaction.atomic
def promise_sign(
    *,
    user,
    promise: Promise,
    version_id: int,
    content_sha256: str,
    password: str,
    second_factor: mfa.SecondFactor | None = None,
    requirement_id: int | None = None,
) -> Signature:
    """Sign the version the signer read, in the one requirement that matches them.

    Under the promise's row lock: the version id and SHA-256 the signer was
    shown must still be the version awaiting signatures; the signer's
    membership (organisation and signing role) picks the requirement; a person
    never fills two requirements of one version; the password is asked again,
    and a second factor whenever the partnership requires it or the person has
    one (a passkey's challenge carries the version's hash). Failed attempts are
    counted and pause signing. Records signer, role and organisation (copied),
    database time, the hash and how they authenticated; publishes when every
    requirement has signed the same hash.
    """
    promise = _lock(promise)
    _require_status(
        promise, Status.AWAITING_SIGNATURES, message=_("Det finns ingen version att signera.")
    )
    version = promise.current_version()
    if version.pk != version_id or version.content_sha256 != content_sha256:
        raise ValidationError(
            _(
                "Versionen du läste är inte längre den som ska signeras. Läs igenom "
                "den aktuella versionen och signera den i stället."
            ),
            code="stale_version",
        )
    requirements = perms.signable_requirements(user, promise, version)
    require(bool(requirements), _("Du kan inte signera det här löftet."))
    if requirement_id is not None:
        requirements = [r for r in requirements if r.pk == requirement_id]
        if not requirements:
            raise ValidationError(
                {"requirement": _("Du kan inte signera som den rollen.")}, code="requirement"
            )
    elif len(requirements) > 1:
        raise ValidationError(
            {"requirement": _("Välj vilken roll du signerar som.")}, code="requirement"
        )
    requirement = requirements[0]
    if mfa.signing_paused(user):
        raise ValidationError(
            _(
                "För många misslyckade försök att signera. Vänta en stund och försök igen, "
                "eller kontakta administratören."
            ),
            code="throttled",
        )
    if not password or not user.check_password(password):
        mfa.signing_failed(user)
        raise ValidationError({"password": _("Fel lösenord. Underskriften sparades inte.")})
    second_factor = second_factor or mfa.SecondFactor()
    method_key = None
    if promise.partnership.require_mfa_for_signing or mfa.has_second_factor(user):
        if not mfa.has_second_factor(user):
            raise ValidationError(
                _(
                    "Samverkan kräver tvåstegsverifiering för underskrifter. Lägg till en "
                    "kodapp eller säkerhetsnyckel under Säkerhet och signera sedan."
                ),
                code="mfa_required",
            )
        try:
            device = mfa.verify(user, second_factor, purpose=signing_purpose(version))
        except ValidationError as error:
            mfa.signing_failed(user)
            raise ValidationError({"code": error.messages}, code=error.code) from None
        method_key = mfa.method_of(device)
    if not version.is_intact():
        raise ValidationError(
            _(
                "Versionens innehåll stämmer inte med sin kontrollsumma och kan inte signeras. "
                "Kontakta administratören."
            ),
            code="tampered",
        )
    membership = Membership.objects.filter(
        user=user,
        organisation=requirement.organisation,
        role=Membership.Role.SIGNATORY,
        signing_role=requirement.signing_role,
    ).first()
    signature = chain.append_signature(
        version=version,
        requirement=requirement,
        signer=user,
        signer_name=user.get_full_name() or user.username,
        signer_title=requirement.title or (membership.title if membership else ""),
        organisation=requirement.organisation,
        organisation_name=requirement.organisation.display_name,
        method=SIGNATURE_METHODS[method_key],
    )
    mfa.signing_succeeded(user)
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
    subscriptions.promise_published(promise)
    partnership = promise.partnership
    notify(
        (partnership.coordinators() | partnership.signatories()).distinct(),
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


# --- Documents signed on paper: recorded by one party, confirmed by the other -----------


def _side(organisation_id: int | None, partnership: Partnership) -> str | None:
    if organisation_id is None:
        return None
    return "police" if organisation_id == partnership.police_area_id else "municipal"


def _coordinated_parties(user, partnership: Partnership) -> list[int]:
    """Ids of the partnership's parties the user coordinates, the police area first."""
    parties = [
        partnership.police_area_id,
        *sorted(partnership.party_ids() - {partnership.police_area_id}),
    ]
    held = set(
        Membership.objects.filter(
            user=user, role=Membership.Role.COORDINATOR, organisation_id__in=parties
        ).values_list("organisation_id", flat=True)
    )
    return [org for org in parties if org in held]


def can_confirm_paper(user, paper: PaperSigning) -> bool:
    """Another person, coordinating for the other party than the one who recorded it."""
    if not user.is_authenticated or user.pk == paper.recorded_by_id:
        return False
    partnership = paper.promise.partnership
    recorded_side = _side(paper.recorded_for_id, partnership)
    return any(
        _side(org, partnership) != recorded_side for org in _coordinated_parties(user, partnership)
    )


@transaction.atomic
def promise_record_paper_signatures(
    *, user, promise: Promise, signatures: list[dict], scan, note: str = ""
) -> PaperSigning:
    """Record a document signed on paper: who signed, the scan; freeze it; ask the other party.

    Each signature is ``{"requirement": SignatoryRequirement, "name", "title",
    "date" (optional), "place"}``; old documents often carry names but no date.
    Nothing is published until a coordinator of the other party confirms
    (``promise_confirm_paper_signatures``).
    """
    promise = _lock(promise)
    require(perms.can_coordinate_promise(user, promise), _("Du får inte registrera underskrifter."))
    _require_status(
        promise, Status.DRAFT, message=_("Pappersunderskrifter registreras på ett utkast.")
    )
    partnership = promise.partnership
    required = list(partnership.signatory_requirements.all())
    if sorted(s["requirement"].pk for s in signatures) != sorted(r.pk for r in required):
        raise ValidationError(
            _("Ange en underskrift för varje roll som ska signera."), code="incomplete"
        )
    seen: dict[str, str] = {}
    for s in signatures:
        name = " ".join(s.get("name", "").split())
        if not name:
            raise ValidationError(_("Varje underskrift behöver ett namn."), code="incomplete")
        # Separation of duties on paper too: one person does not sign in two roles.
        if name.casefold() in seen:
            raise ValidationError(
                _(
                    "%(name)s står som undertecknare för två roller. Varje roll skrivs under "
                    "av en egen person; kontrollera namnen mot originalet."
                )
                % {"name": seen[name.casefold()]},
                code="same_person",
            )
        seen[name.casefold()] = name
    if not promise.commitments.exists():
        raise ValidationError(_("Löftet har inga åtaganden ännu."), code="no_commitments")
    checked = read_scan(scan)
    version = _freeze(promise, user)
    parties = _coordinated_parties(user, partnership)
    paper = PaperSigning(
        promise=promise,
        version=version,
        signatures=[
            {
                "requirement_id": s["requirement"].pk,
                "name": s["name"].strip(),
                "title": (s.get("title") or s["requirement"].title).strip(),
                "date": s["date"].isoformat() if s.get("date") else None,
                "place": (s.get("place") or "").strip(),
            }
            for s in signatures
        ],
        scan_sha256=checked.sha256,
        scan_content_type=checked.content_type,
        scan_size=checked.size,
        note=note,
        recorded_by=user,
        recorded_by_name=user.get_full_name() or user.username,
        recorded_for_id=parties[0] if parties else None,
    )
    paper.scan.save("skanning", ContentFile(checked.content), save=False)
    paper.full_clean()
    paper.save()
    previous = promise.status
    promise.status = Status.AWAITING_PAPER
    promise.save(update_fields=["status", "updated_at"])
    _event(promise, Kind.PAPER, actor=user, version=version, from_status=previous, note=note)
    named = {s["requirement"].organisation_id for s in signatures}
    notify(
        (
            partnership.coordinators().exclude(pk=user.pk)
            | partnership.signatories().filter(memberships__organisation_id__in=named)
        ).distinct(),
        subject=_("Pappersunderskrifter att bekräfta: %(title)s") % {"title": promise.title},
        template_name="promises/email/paper_recorded.txt",
        context={"promise": promise, "version": version, "paper": paper},
    )
    return paper


def _pending_paper(promise: Promise) -> PaperSigning:
    paper = (
        PaperSigning.objects.select_for_update()
        .filter(promise=promise, status=PaperSigning.Status.PENDING)
        .first()
    )
    if paper is None or promise.status != Status.AWAITING_PAPER:
        raise ValidationError(
            _("Det finns inga pappersunderskrifter som väntar på bekräftelse."),
            code="wrong_status",
        )
    return paper


def _decide(paper: PaperSigning, user, status: str, note: str = "") -> None:
    parties = _coordinated_parties(user, paper.promise.partnership)
    paper.status = status
    paper.decided_by = user
    paper.decided_by_name = user.get_full_name() or user.username
    paper.decided_for_id = parties[0] if parties else None
    paper.decided_at = timezone.now()
    paper.decision_note = note
    paper.save()


@transaction.atomic
def promise_confirm_paper_signatures(*, user, promise: Promise) -> PaperSigning:
    """The other party's coordinator confirms the scan matches; then the signatures count."""
    promise = _lock(promise)
    paper = _pending_paper(promise)
    require(
        can_confirm_paper(user, paper),
        _(
            "Pappersunderskrifterna bekräftas av en samordnare hos den andra parten, "
            "inte av den som registrerade dem."
        ),
    )
    version = paper.version
    if not version.is_intact():
        raise ValidationError(
            _("Versionens innehåll stämmer inte med sin kontrollsumma. Kontakta administratören."),
            code="tampered",
        )
    requirements = {r.pk: r for r in promise.partnership.signatory_requirements.all()}
    for entry in paper.signatures:
        requirement = requirements.get(entry["requirement_id"])
        if requirement is None:
            raise ValidationError(
                _("Kraven på underskrifter har ändrats sedan registreringen. Avvisa och börja om."),
                code="requirements_changed",
            )
        chain.append_signature(
            version=version,
            requirement=requirement,
            signer=None,
            signer_name=entry["name"],
            signer_title=entry["title"],
            organisation=requirement.organisation,
            organisation_name=requirement.organisation.display_name,
            method=Signature.Method.PAPER,
            signed_on_date=date.fromisoformat(entry["date"]) if entry["date"] else None,
            place=entry["place"],
            evidence_sha256=paper.scan_sha256,
        )
    _decide(paper, user, PaperSigning.Status.CONFIRMED)
    _event(
        promise,
        Kind.PAPER_CONFIRMED,
        actor=user,
        version=version,
        from_status=promise.status,
    )
    _publish_if_complete(promise, version, actor=user)
    return paper


@transaction.atomic
def promise_reject_paper_signatures(*, user, promise: Promise, note: str = "") -> PaperSigning:
    """The other party (or the recorder, withdrawing it) sends it back to draft; nothing counts."""
    promise = _lock(promise)
    paper = _pending_paper(promise)
    require(
        user.pk == paper.recorded_by_id or can_confirm_paper(user, paper),
        _("Du kan inte avvisa de här pappersunderskrifterna."),
    )
    _decide(paper, user, PaperSigning.Status.REJECTED, note)
    promise.status = Status.DRAFT
    promise.save(update_fields=["status", "updated_at"])
    _event(
        promise,
        Kind.RETURNED,
        actor=user,
        version=paper.version,
        from_status=Status.AWAITING_PAPER,
        note=note,
    )
    notify(
        promise.partnership.coordinators().exclude(pk=user.pk),
        subject=_("Pappersunderskrifterna avvisades: %(title)s") % {"title": promise.title},
        template_name="promises/email/paper_rejected.txt",
        context={"promise": promise, "paper": paper},
    )
    return paper
