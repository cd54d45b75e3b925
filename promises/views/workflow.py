"""Workflow actions (submit, return, amend, sign), history and the diff."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import mfa
from accounts.views import relying_party
from core.errors import attach_errors, flash_errors
from organizations.permissions import is_partnership_signatory
from promises import services
from promises.diff import snapshot_diff
from promises.forms import (
    NoteForm,
    SignForm,
)
from promises.history import promise_history
from promises.models import Promise
from promises.permissions import signable_requirements
from promises.published import group_commitments
from promises.snapshot import parse
from promises.views.common import (
    _breadcrumbs,
    _promise,
    _require,
)

# --- Workflow ------------------------------------------------------------------------


@require_POST
def promise_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the draft as a version and send it to the signatories."""
    promise = _promise(request, pk)
    _require(request, "promises.coordinate_promise", promise)
    try:
        version = services.promise_submit_for_signing(user=request.user, promise=promise)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("Version %(number)s är skickad för signering. Undertecknarna har fått besked.")
            % {"number": version.number},
        )
    return redirect(promise)


@require_POST
def promise_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the version back from signing so the draft can be changed."""
    promise = _promise(request, pk)
    _require(request, "promises.coordinate_promise", promise)
    form = NoteForm(request.POST)
    if not form.is_valid():
        # A note that cannot be kept (too long, a NUL) stops the action: nothing happens
        # without the words the coordinator meant to leave in the history.
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(promise)
    note = form.cleaned_data["note"]
    try:
        services.promise_return_to_draft(user=request.user, promise=promise, note=note)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Löftet är återtaget till utkast och kan ändras igen."))
    return redirect(promise)


@require_POST
def promise_copy_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Skapa nästa löfte": a new draft from this one, linked as its successor."""
    promise = _promise(request, pk)
    _require(request, "promises.coordinate_promise", promise)
    try:
        new = services.promise_copy_forward(user=request.user, promise=promise)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(promise)
    messages.success(
        request,
        _(
            "Nästa löfte är skapat som utkast med %(count)s åtaganden. Kontrollera perioden "
            "och rubriken och skriv om det som ska ändras."
        )
        % {"count": new.commitments.count()},
    )
    return redirect(new)


@require_POST
def promise_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new draft of a published promise; the public keeps the signed version."""
    promise = _promise(request, pk)
    _require(request, "promises.coordinate_promise", promise)
    form = NoteForm(request.POST)
    if not form.is_valid():
        # A note that cannot be kept (too long, a NUL) stops the action: nothing happens
        # without the words the coordinator meant to leave in the history.
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(promise)
    note = form.cleaned_data["note"]
    try:
        services.promise_amend(user=request.user, promise=promise, note=note)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _(
                "Ett nytt utkast är påbörjat. Allmänheten ser den signerade versionen "
                "tills den nya är signerad."
            ),
        )
    return redirect(promise)


def _sign_nonce_key(version) -> str:
    return f"sign-nonce:{version.pk}"


@require_http_methods(["GET", "POST"])
def promise_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the exact version, the role you sign in and who is left; sign with two factors."""
    promise = _promise(request, pk)
    if not request.user.has_perm("promises.sign_promise", promise):
        if not is_partnership_signatory(request.user, promise.partnership):
            raise PermissionDenied
        messages.info(request, _("Det finns ingen version för dig att signera just nu."))
        return redirect(promise)
    version = promise.current_version()
    requirements = signable_requirements(request.user, promise, version)
    partnership = promise.partnership
    has_factor = mfa.has_second_factor(request.user)
    needs_factor = partnership.require_mfa_for_signing or has_factor
    rp_id, origin = relying_party(request)
    initial = {
        "version_id": version.pk,
        "content_sha256": version.content_sha256,
        "requirement": requirements[0].pk if len(requirements) == 1 else None,
    }
    form = SignForm(
        request.POST or None,
        initial=initial,
        requirements=requirements,
        second_factor=needs_factor,
    )
    version_changed = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.promise_sign(
                user=request.user,
                promise=promise,
                version_id=data["version_id"],
                content_sha256=data["content_sha256"],
                password=data["password"],
                requirement_id=data.get("requirement") or None,
                second_factor=mfa.SecondFactor(
                    code=data.get("code", ""),
                    passkey=data.get("passkey", ""),
                    nonce=request.session.get(_sign_nonce_key(version), ""),
                    origin=origin,
                    rp_id=rp_id,
                ),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "stale_version":
                # Returned and sent again meanwhile: the signer must read the new content first.
                version_changed = True
                form = SignForm(
                    initial=initial, requirements=requirements, second_factor=needs_factor
                )
            else:
                attach_errors(form, error)
        else:
            request.session.pop(_sign_nonce_key(version), None)
            promise.refresh_from_db(fields=["status"])
            messages.success(
                request,
                _("Du har signerat version %(number)s.") % {"number": version.number},
            )
            if promise.status == Promise.Status.PUBLISHED:
                messages.success(
                    request, _("Alla underskrifter är klara. Löftet är nu publicerat.")
                )
            return redirect(promise)
    nonce = mfa.new_nonce()
    request.session[_sign_nonce_key(version)] = nonce
    passkey_options = (
        json.loads(
            mfa.passkey_authentication_options(
                request.user,
                rp_id=rp_id,
                nonce=nonce,
                purpose=services.signing_purpose(version),
            )
        )
        if needs_factor and mfa.has_passkey(request.user)
        else None
    )
    signatures = list(version.signatures.order_by("chain_position"))
    signed = {s.requirement_id for s in signatures}
    return render(
        request,
        "promises/promise_sign.html",
        {
            "promise": promise,
            "version": version,
            "content": (content := parse(version.snapshot)),
            "snapshot_groups": group_commitments(content.commitments),
            "form": form,
            "version_changed": version_changed,
            "requirements": requirements,
            "signatures": signatures,
            "remaining": [
                r
                for r in partnership.signatory_requirements.select_related("organisation")
                if r.pk not in signed
            ],
            "needs_factor": needs_factor,
            "missing_factor": needs_factor and not has_factor,
            "passkey_options": passkey_options,
            "breadcrumbs": _breadcrumbs(
                (promise.title, promise.get_absolute_url()), (_("Signera"), None)
            ),
        },
    )


# --- History and differences ---------------------------------------------------------


@require_GET
def promise_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when, and every workflow step."""
    promise = _promise(request, pk)
    return render(
        request,
        "promises/promise_history.html",
        {
            "promise": promise,
            "history": promise_history(promise, user=request.user),
            "breadcrumbs": _breadcrumbs(
                (promise.title, promise.get_absolute_url()), (_("Historik"), None)
            ),
        },
    )


@require_GET
def promise_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """The current draft against the last signed version, field by field."""
    promise = _promise(request, pk)
    published = promise.published_version
    diff = (
        snapshot_diff(published.snapshot, services.promise_snapshot(promise)) if published else None
    )
    return render(
        request,
        "promises/promise_diff.html",
        {
            "promise": promise,
            "published": published,
            "diff": diff,
            "breadcrumbs": _breadcrumbs(
                (promise.title, promise.get_absolute_url()),
                (_("Jämför med signerad version"), None),
            ),
        },
    )
