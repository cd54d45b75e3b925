"""Organisation and partnership pages, their history, and the dashboard panels."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.dashboard import Panel
from core.pagination import page_of
from organizations import permissions as perms
from organizations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationEvent,
    Partnership,
    PartnershipProposal,
    SigningRole,
)
from organizations.services import promises_awaiting_signatures
from organizations.views.common import forbid_unless, organisation_for, partnership_for
from promises.models import Promise
from situation.models import SituationReport

Role = Membership.Role
MEMBERS_PER_PAGE = 50


def dashboard_panel(request: HttpRequest) -> Panel:
    """The user's organisations and partnerships on "Mitt arbete"."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )
    partnerships = (
        Partnership.objects.visible_to(request.user)
        .select_related("police_area")
        .prefetch_related("municipalities")
        .order_by("name")
    )
    return Panel(
        "organizations/_dashboard_panel.html",
        {"memberships": memberships, "partnerships": partnerships},
    )


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    url: str = ""
    note: str = ""


def first_run_steps(user, organisation: Organisation) -> list[Step]:
    """What an organisation still has to do before its first promise, in order."""
    partnerships = list(
        Partnership.objects.of_organisation(organisation)
        .exclude(status=Partnership.Status.NOT_AGREED)
        .select_related("police_area")
        .prefetch_related("municipalities", "other_partners")
        .order_by("created_at")
    )
    active = next((p for p in partnerships if p.is_active), None)
    partnership = active or (partnerships[0] if partnerships else None)
    administers = perms.can_administer_organisation(user, organisation)

    parties = partnership.parties() if partnership else [organisation]
    coordinated = set(
        Membership.objects.filter(organisation__in=parties, role=Role.COORDINATOR).values_list(
            "organisation_id", flat=True
        )
    )
    missing = [p for p in parties if p.pk not in coordinated]
    invite_url = (
        reverse("organizations:invitation-create", kwargs={"slug": organisation.slug})
        + f"?roll={Role.COORDINATOR}"
        if administers
        else organisation.get_absolute_url()
    )
    others_missing = [p.display_name for p in missing if p.pk != organisation.pk]
    steps = [
        Step(
            _("Bjud in samordnarna, er egen och den andra partens"),
            done=partnership is not None and not missing,
            url=invite_url,
            note=(
                _("Saknar samordnare: %(names)s. Varje part bjuder in sin egen.")
                % {"names": ", ".join(others_missing)}
                if others_missing
                else ""
            ),
        )
    ]
    if active:
        agree_url, agree_note = active.get_absolute_url(), ""
    elif partnership:
        agree_url = partnership.get_absolute_url()
        agree_note = _("Förslaget väntar på att alla parter godtar det.")
    elif perms.can_propose_partnership(user, organisation):
        agree_url = reverse("organizations:partnership-propose", kwargs={"slug": organisation.slug})
        agree_note = _("Föreslå samverkan med den andra parten; deras administratör godtar den.")
    else:
        agree_url = organisation.get_absolute_url()
        agree_note = _("Er lokala administratör föreslår samverkan.")
    steps.append(
        Step(_("Kom överens om samverkan"), done=active is not None, url=agree_url, note=agree_note)
    )
    coordinates = active is not None and perms.can_coordinate_partnership(user, active)
    later = _("När samverkan är överenskommen.") if active is None else ""
    steps.append(
        Step(
            _("Skriv lägesbilden"),
            done=active is not None and active.situation_reports.exists(),
            url=(
                reverse("situation:report-create") + f"?samverkan={active.pk}"
                if coordinates
                else ""
            ),
            note=later or ("" if coordinates else _("Samordnarna skriver den.")),
        )
    )
    steps.append(
        Step(
            _("Skriv medborgarlöftet"),
            done=active is not None and active.promises.exists(),
            url=(
                reverse("promises:promise-create", kwargs={"partnership_pk": active.pk})
                if coordinates
                else ""
            ),
            note=later or ("" if coordinates else _("Samordnarna skriver det.")),
        )
    )
    return steps


#: At most this many organisations get their steps worked out on "Mitt arbete"; a person
#: who coordinates for many kommuner at once sees the first few and a count of the rest.
FIRST_RUN_GUIDES = 5


def _started(organisation_ref) -> Exists:
    """Whether the organisation is a party to an active partnership with both a lägesbild
    and a promise: its first run is over, whatever else changes later."""
    return Exists(
        Partnership.objects.filter(
            Q(police_area=organisation_ref)
            | Q(municipalities=organisation_ref)
            | Q(other_partners=organisation_ref),
            status=Partnership.Status.ACTIVE,
        )
        .filter(Exists(Promise.objects.filter(partnership=OuterRef("pk"))))
        .filter(Exists(SituationReport.objects.filter(partnership=OuterRef("pk"))))
    )


def first_run_panel(request: HttpRequest) -> Panel | None:
    """For an organisation that has not yet written a promise: the next steps, ticked off.

    Organisations past their first run are left out in SQL, so the number of queries
    does not grow with the number of organisations a person works for.
    """
    organisations = (
        Organisation.objects.filter(
            memberships__user=request.user,
            memberships__role__in=[Role.ADMIN, Role.COORDINATOR],
            kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.POLICE_AREA],
        )
        .exclude(_started(OuterRef("pk")))
        .distinct()
        .order_by("name")
    )
    guides = []
    candidates = list(organisations[: FIRST_RUN_GUIDES + 1])
    for organisation in candidates[:FIRST_RUN_GUIDES]:
        steps = first_run_steps(request.user, organisation)
        if not all(step.done for step in steps):
            guides.append((organisation, steps))
    more = organisations.count() - FIRST_RUN_GUIDES if len(candidates) > FIRST_RUN_GUIDES else 0
    if not guides and not more:
        return None
    return Panel("organizations/_first_run_panel.html", {"guides": guides, "more": more})


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The user's organisations; for the national administrator, every one, searchable."""
    query = request.GET.get("q", "").strip()[:80]
    organisations = Organisation.objects.visible_to(request.user).order_by("kind", "name", "pk")
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(full_name__icontains=query)
        )
    page = page_of(request, organisations, per_page=50)
    return render(
        request,
        "organizations/organisation_list.html",
        {"page": page, "query": query, "breadcrumbs": [(_("Organisationer"), None)]},
    )


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation the user belongs to: members, invitations, partnerships."""
    organisation = organisation_for(request, slug)
    administers = perms.can_administer_organisation(request.user, organisation)
    # One page of people (an organisation may have many), each with all their roles here.
    page = page_of(
        request,
        get_user_model()
        .objects.filter(pk__in=organisation.memberships.values("user_id"))
        .order_by("last_name", "first_name", "username", "pk"),
        per_page=MEMBERS_PER_PAGE,
    )
    memberships = list(
        organisation.memberships.filter(user__in=page.object_list)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "user_id", "role")
    )
    members: dict[int, dict] = {}
    for membership in memberships:
        entry = members.setdefault(membership.user_id, {"user": membership.user, "memberships": []})
        entry["memberships"].append(membership)
    partnerships = (
        Partnership.objects.of_organisation(organisation)
        .filter(pk__in=Partnership.objects.visible_to(request.user).values("pk"))
        .order_by("name")
    )
    invitations = (
        organisation.invitations.filter(status=Invitation.Status.OPEN).order_by("-created_at")
        if administers
        else []
    )
    return render(
        request,
        "organizations/organisation_detail.html",
        {
            "organisation": organisation,
            "members": list(members.values()),
            "page": page,
            "partnerships": partnerships,
            "invitations": invitations,
            "administers": administers,
            "can_propose": perms.can_propose_partnership(request.user, organisation),
            "can_see_history": perms.can_view_history(request.user, organisation),
            "breadcrumbs": [
                (_("Organisationer"), reverse("organizations:organisation-list")),
                (organisation.display_name, None),
            ],
        },
    )


@require_GET
def organisation_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Who changed what, and when, in the organisation and its partnerships."""
    organisation = organisation_for(request, slug)
    forbid_unless(perms.can_view_history(request.user, organisation))
    events = (
        OrganisationEvent.objects.for_organisation(organisation)
        .select_related("actor", "organisation", "partnership")
        .order_by("-at", "-pk")
    )
    page = Paginator(events, 100).get_page(request.GET.get("sida"))
    return render(
        request,
        "organizations/organisation_history.html",
        {
            "organisation": organisation,
            "page": page,
            "breadcrumbs": [
                (_("Organisationer"), reverse("organizations:organisation-list")),
                (organisation.display_name, organisation.get_absolute_url()),
                (_("Historik"), None),
            ],
        },
    )


@dataclass
class ProposalView:
    proposal: PartnershipProposal
    #: ``[(party, acceptance or None)]`` for every party but the proposer.
    answers: list
    #: ``[(title, organisation)]`` of a proposed requirement set.
    requirements: list
    can_answer: bool
    can_withdraw: bool


def _proposal_views(request, partnership, proposals) -> list[ProposalView]:
    parties = {p.pk: p for p in partnership.parties()}
    views = []
    for proposal in proposals:
        accepted = {a.organisation_id: a for a in proposal.acceptances.all()}
        answers = [
            (party, accepted.get(party.pk))
            for party in parties.values()
            if party.pk != proposal.proposed_by_id
        ]
        requirements = [
            (
                item["title"],
                parties.get(item["organisation_id"]),
                SigningRole(item["signing_role"]).label,
            )
            for item in proposal.requirements
        ]
        views.append(
            ProposalView(
                proposal=proposal,
                answers=answers,
                requirements=requirements,
                can_answer=perms.can_answer_proposal(request.user, proposal),
                can_withdraw=perms.can_withdraw_proposal(request.user, proposal),
            )
        )
    return views


@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A partnership the user is party to: parties, agreement, signatures, open proposals."""
    partnership = partnership_for(request, pk)
    proposals = (
        partnership.proposals.filter(status=PartnershipProposal.Status.OPEN)
        .select_related("proposed_by", "created_by")
        .prefetch_related(Prefetch("acceptances"))
        .order_by("created_at")
    )
    admins: dict[int, list[str]] = {}
    for membership in (
        Membership.objects.filter(
            organisation__in=partnership.party_ids(), role=Role.ADMIN, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ):
        admins.setdefault(membership.organisation_id, []).append(str(membership.user))
    parties = [(party, admins.get(party.pk, [])) for party in partnership.parties()]
    return render(
        request,
        "organizations/partnership_detail.html",
        {
            "partnership": partnership,
            "parties": parties,
            "requirements": partnership.signatory_requirements.select_related("organisation"),
            "proposals": _proposal_views(request, partnership, proposals),
            "can_change_requirements": perms.can_change_requirements(request.user, partnership),
            "can_manage_vocabulary": perms.can_manage_vocabulary(request.user, partnership),
            "awaiting_signatures": partnership.is_active
            and promises_awaiting_signatures(partnership),
            "breadcrumbs": [(partnership.name, None)],
        },
    )
