"""A local administrator's people: invitations, roles and titles, deactivation."""

from django.contrib import messages
from django.contrib.auth import get_user_model
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
    InvitationForm,
    MembershipAddForm,
    MembershipForm,
)
from organizations.models import Membership
from organizations.views.common import forbid_unless, organisation_for


def _crumbs(organisation, label):
    return [
        (_("Organisationer"), reverse("organizations:organisation-list")),
        (organisation.display_name, organisation.get_absolute_url()),
        (label, None),
    ]


def _administered(request: HttpRequest, slug: str):
    organisation = organisation_for(request, slug)
    forbid_unless(perms.can_administer_organisation(request.user, organisation))
    return organisation


@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite someone by e-mail, in a role and with a title."""
    organisation = _administered(request, slug)
    initial = {"role": request.GET.get("roll", Membership.Role.COORDINATOR)}
    form = InvitationForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Inbjudan är skickad till %(email)s. Länken fungerar i sju dagar.")
                % {"email": invitation.email},
            )
            return redirect(organisation)
    return render(
        request,
        "organizations/invitation_form.html",
        {
            "organisation": organisation,
            "form": form,
            "breadcrumbs": _crumbs(organisation, _("Bjud in")),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A new link, valid for seven more days; the old one stops working."""
    organisation = _administered(request, slug)
    invitation = get_object_or_404(organisation.invitations, pk=pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("En ny länk är skickad till %(email)s. Den gamla fungerar inte längre.")
            % {"email": invitation.email},
        )
    return redirect(organisation)


@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _administered(request, slug)
    invitation = get_object_or_404(organisation.invitations, pk=pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("Inbjudan till %(email)s är återkallad.") % {"email": invitation.email},
        )
    return redirect(organisation)


@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest, slug: str) -> HttpResponse:
    """One more role for someone who is already a member."""
    organisation = _administered(request, slug)
    initial = {"user": request.GET.get("person")}
    form = MembershipAddForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Rollen är tillagd."))
            return redirect(organisation)
    return render(
        request,
        "organizations/membership_form.html",
        {
            "organisation": organisation,
            "form": form,
            "breadcrumbs": _crumbs(organisation, _("Ny roll")),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def membership_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a member's role, the signing role they sign in, and their title."""
    organisation = _administered(request, slug)
    membership = get_object_or_404(organisation.memberships.select_related("user"), pk=pk)
    initial = {
        "role": membership.role,
        "signing_role": membership.signing_role,
        "title": membership.title,
    }
    form = MembershipForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                actor=request.user, membership=membership, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Rollen är ändrad."))
            return redirect(organisation)
    return render(
        request,
        "organizations/membership_form.html",
        {
            "organisation": organisation,
            "membership": membership,
            "form": form,
            "breadcrumbs": _crumbs(organisation, _("Ändra roll")),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def membership_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _administered(request, slug)
    membership = get_object_or_404(organisation.memberships, pk=pk)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Rollen är borttagen."))
    return redirect(organisation)


@require_POST
def member_deactivate(request: HttpRequest, slug: str, user_pk: int) -> HttpResponse:
    """Every role in the organisation taken away; an account with nothing left is switched off."""
    organisation = _administered(request, slug)
    user = get_object_or_404(
        get_user_model().objects.filter(memberships__organisation=organisation).distinct(),
        pk=user_pk,
    )
    try:
        switched_off = services.member_deactivate(
            actor=request.user, organisation=organisation, user=user
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("%(name)s är avstängd och kan inte längre logga in.") % {"name": user}
            if switched_off
            else _("%(name)s har inte längre någon roll här.") % {"name": user},
        )
    return redirect(organisation)
