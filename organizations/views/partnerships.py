"""Agreeing a partnership and its signing requirements, party by party."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import attach_errors, flash_errors
from organizations import permissions as perms
from organizations import services
from organizations.forms import (
    DeclineForm,
    PartnershipProposalForm,
    requirement_formset,
)
from organizations.views.common import forbid_unless, organisation_for, partnership_for


@require_http_methods(["GET", "POST"])
def partnership_propose(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose a partnership to the other party (a kommun to its LPO, or the other way)."""
    proposer = organisation_for(request, slug)
    forbid_unless(perms.can_propose_partnership(request.user, proposer))
    initial = {"name": _("Samverkan %(name)s") % {"name": proposer.display_name}}
    if proposer.is_municipality:
        initial["municipalities"] = [proposer.pk]
    form = PartnershipProposalForm(request.POST or None, proposer=proposer, initial=initial)
    if not form.is_bound:
        choices = form.fields["police_area"].queryset
        if len(choices) == 1:
            form.fields["police_area"].initial = choices[0].pk
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_propose(
                actor=request.user, proposer=proposer, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Förslaget är skickat till de andra parternas administratörer. Ändra kraven "
                    "på underskrifter nu om de inte ska vara de vanliga."
                ),
            )
            return redirect(partnership)
    return render(
        request,
        "organizations/partnership_propose.html",
        {
            "organisation": proposer,
            "form": form,
            "breadcrumbs": [
                (_("Organisationer"), reverse("organizations:organisation-list")),
                (proposer.display_name, proposer.get_absolute_url()),
                (_("Föreslå samverkan"), None),
            ],
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def requirements_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Who must sign: edited in the proposal, or proposed anew once the partnership is agreed."""
    partnership = partnership_for(request, pk)
    forbid_unless(perms.can_change_requirements(request.user, partnership))
    formset = requirement_formset(partnership, request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        specs = [spec for form in formset.forms if (spec := form.spec()) is not None]
        service = (
            services.requirements_propose
            if partnership.is_active
            else services.requirements_edit_proposed
        )
        try:
            service(actor=request.user, partnership=partnership, requirements=specs)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Förslaget om nya krav är skickat till de andra parterna.")
                if partnership.is_active
                else _(
                    "Kraven i förslaget är ändrade. De andra parterna godtar dem med samverkan."
                ),
            )
            return redirect(partnership)
    elif request.method == "POST":
        errors = [e for form in formset.forms for field in form.errors.values() for e in field]
        errors += list(formset.non_form_errors())
    return render(
        request,
        "organizations/requirements_form.html",
        {
            "partnership": partnership,
            "formset": formset,
            "errors": errors,
            "awaiting_signatures": partnership.is_active
            and services.promises_awaiting_signatures(partnership),
            "breadcrumbs": [
                (partnership.name, partnership.get_absolute_url()),
                (_("Krav på underskrifter"), None),
            ],
        },
        status=400 if errors else 200,
    )


def _proposal(request: HttpRequest, pk: int, proposal_pk: int):
    partnership = partnership_for(request, pk)
    proposal = get_object_or_404(
        partnership.proposals.select_related("proposed_by"), pk=proposal_pk
    )
    return partnership, proposal


@require_POST
def proposal_accept(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    partnership, proposal = _proposal(request, pk, proposal_pk)
    forbid_unless(perms.can_answer_proposal(request.user, proposal))
    try:
        proposal = services.proposal_accept(actor=request.user, proposal=proposal)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if proposal.status == proposal.Status.ACCEPTED:
            messages.success(
                request,
                _("Samverkan är överenskommen. Samordnarna kan nu skriva lägesbild och löfte.")
                if proposal.kind == proposal.Kind.AGREEMENT
                else _("De nya kraven på underskrifter gäller nu."),
            )
        else:
            messages.success(request, _("Ni har godtagit förslaget. Det väntar på fler parter."))
    return redirect(partnership)


@require_POST
def proposal_decline(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    partnership, proposal = _proposal(request, pk, proposal_pk)
    forbid_unless(perms.can_answer_proposal(request.user, proposal))
    form = DeclineForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.proposal_decline(actor=request.user, proposal=proposal, note=note)
    messages.success(request, _("Förslaget är avböjt."))
    return redirect(partnership)


@require_POST
def proposal_withdraw(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    partnership, proposal = _proposal(request, pk, proposal_pk)
    forbid_unless(perms.can_withdraw_proposal(request.user, proposal))
    services.proposal_withdraw(actor=request.user, proposal=proposal)
    messages.success(request, _("Förslaget är återtaget."))
    return redirect(partnership)
