"""Commitments: add, edit inline, remove, reorder.

After every htmx swap the response names where the keyboard focus goes
(``focus_id`` for the whole section, ``item_focus`` for one commitment) and
carries its message once; ``static/js/app.js`` moves the focus and reads the
message in the page's live region. A failed save answers with the form and
its error summary, which gets the focus instead.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.concurrency import StaleObjectError
from core.errors import attach_errors, flash_errors
from promises import services
from promises.forms import (
    CommitmentForm,
    CommitmentUpdateForm,
)
from promises.models import Commitment
from promises.presentation import (
    commitment_item,
    edit_conflict,
    rebased_data,
)
from promises.views.common import (
    COMMITMENTS,
    _breadcrumbs,
    _commitment,
    _promise,
    _require,
    _section,
)

# --- Commitments ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def commitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a commitment; with htmx the new one appears in place without a reload."""
    promise = _promise(request, pk)
    _require(request, "promises.coordinate_promise", promise)
    form = CommitmentForm(request.POST or None, promise=promise, prefix="ny")
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(
                user=request.user,
                promise=promise,
                areas=form.cleaned_data["areas"],
                findings=form.cleaned_data.get("findings"),
                **form.service_data(),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if request.htmx:
                return _section(
                    request,
                    promise,
                    status_message=_("Åtagandet är tillagt."),
                    focus_id=f"atagande-{commitment.pk}",
                )
            messages.success(request, _("Åtagandet är tillagt."))
            return redirect(commitment)
    if request.htmx:
        return render(request, f"{COMMITMENTS}#add-form", {"promise": promise, "add_form": form})
    return render(
        request,
        "promises/commitment_form.html",
        {
            "form": form,
            "promise": promise,
            "breadcrumbs": _breadcrumbs(
                (promise.title, promise.get_absolute_url()), (_("Nytt åtagande"), None)
            ),
        },
    )


@require_GET
def commitment_detail(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    """One commitment as shown in the list (htmx: after cancelling an inline edit)."""
    commitment = _commitment(request, pk, commitment_pk)
    if not request.htmx:
        return redirect(commitment)
    promise = commitment.promise
    return render(
        request,
        f"{COMMITMENTS}#item",
        {
            "promise": promise,
            "item": commitment_item(promise, commitment.pk),
            "can_edit": request.user.has_perm("promises.edit_promise", promise),
            "item_focus": True,
            "standalone": not _on_promise_page(request, promise),
        },
    )


@require_http_methods(["GET", "POST"])
def commitment_update(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    """Edit one commitment inline; a stale save shows both texts and keeps the user's."""
    if request.method == "POST" and not _commitment_exists(request, pk, commitment_pk):
        return _commitment_gone(request, pk, commitment_pk)
    commitment = _commitment(request, pk, commitment_pk)
    promise = commitment.promise
    _require(request, "promises.coordinate_promise", promise)
    options = {"promise": promise, "prefix": f"a{commitment.pk}"}
    conflict = None
    # Read before the form writes the posted values onto the instance.
    owners_before = set(commitment.owners.values_list("pk", flat=True))
    if request.method == "POST":
        form = CommitmentUpdateForm(request.POST, instance=commitment, **options)
        if form.is_valid():
            try:
                services.commitment_update(
                    user=request.user,
                    commitment=commitment,
                    expected_version=form.cleaned_data["lock_version"],
                    data=form.service_data(),
                    areas=form.cleaned_data["areas"],
                    findings=form.cleaned_data.get("findings"),
                )
            except StaleObjectError as stale:
                conflict = edit_conflict(form, stale.current)
                form = CommitmentUpdateForm(
                    rebased_data(form, stale.current.lock_version),
                    instance=stale.current,
                    **options,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                owners_after = set(commitment.owners.values_list("pk", flat=True))
                # Other owners put it in another group: redraw the whole list, where there
                # is one (on its own edit page there is only the commitment).
                if request.htmx and (
                    owners_after == owners_before or not _on_promise_page(request, promise)
                ):
                    return render(
                        request,
                        f"{COMMITMENTS}#item",
                        {
                            "promise": promise,
                            "item": commitment_item(promise, commitment.pk),
                            "can_edit": True,
                            "item_message": _("Åtagandet är sparat."),
                            "item_focus": True,
                            "standalone": not _on_promise_page(request, promise),
                        },
                    )
                if request.htmx:
                    return _section(
                        request,
                        promise,
                        status_message=_("Åtagandet är sparat."),
                        focus_id=f"atagande-{commitment.pk}",
                    )
                messages.success(request, _("Åtagandet är sparat."))
                return redirect(commitment)
    else:
        if not promise.is_editable:
            messages.error(request, _("Bara utkast kan ändras."))
            return redirect(promise)
        form = CommitmentUpdateForm(
            instance=commitment, initial={"lock_version": commitment.lock_version}, **options
        )
    context = {"promise": promise, "commitment": commitment, "form": form, "conflict": conflict}
    if request.htmx:
        return render(request, f"{COMMITMENTS}#edit-form", context)
    return render(
        request,
        "promises/commitment_form.html",
        context
        | {
            "breadcrumbs": _breadcrumbs(
                (promise.title, promise.get_absolute_url()), (_("Ändra åtagande"), None)
            )
        },
    )


def _on_promise_page(request: HttpRequest, promise) -> bool:
    """Whether the htmx request comes from the promise's page (which has the whole list).
    A request that does not say where it comes from is taken to be from there."""
    if not request.htmx or not request.htmx.current_url:
        return True
    return urlsplit(request.htmx.current_url).path == promise.get_absolute_url()


def _commitment_exists(request: HttpRequest, pk: int, commitment_pk: int) -> bool:
    return Commitment.objects.filter(pk=commitment_pk, promise_id=pk).exists()


def _commitment_gone(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    """Someone deleted the commitment while this user edited it: keep what they typed.

    The input comes back in the "add" form, so saving it again is one click.
    """
    promise = _promise(request, pk)
    _require(request, "promises.coordinate_promise", promise)
    old_prefix, data = f"a{commitment_pk}-", QueryDict(mutable=True)
    for key, values in request.POST.lists():
        data.setlist(
            f"ny-{key.removeprefix(old_prefix)}" if key.startswith(old_prefix) else key, values
        )
    form = CommitmentForm(data, promise=promise, prefix="ny")
    form.is_valid()
    warning = _(
        "Någon annan har tagit bort åtagandet medan du ändrade det. Det du skrev finns kvar "
        "i formuläret för nya åtaganden: lägg till det igen om det ska vara kvar."
    )
    if request.htmx:
        return _section(
            request, promise, add_form=form, status_message=warning, focus_id="nytt-atagande"
        )
    messages.warning(request, warning)
    return render(
        request,
        "promises/commitment_form.html",
        {
            "form": form,
            "promise": promise,
            "breadcrumbs": _breadcrumbs(
                (promise.title, promise.get_absolute_url()), (_("Nytt åtagande"), None)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def commitment_delete(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    """Remove a commitment; without JavaScript a confirmation page asks first."""
    commitment = _commitment(request, pk, commitment_pk)
    promise = commitment.promise
    _require(request, "promises.coordinate_promise", promise)
    if request.method == "POST":
        try:
            services.commitment_delete(user=request.user, commitment=commitment)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(promise)
        if request.htmx:
            return _section(
                request,
                promise,
                status_message=_("Åtagandet är borttaget."),
                focus_id="ataganden-rubrik",
            )
        messages.success(request, _("Åtagandet är borttaget."))
        return redirect(f"{promise.get_absolute_url()}#ataganden")
    return render(
        request,
        "promises/commitment_confirm_delete.html",
        {
            "promise": promise,
            "commitment": commitment,
            "breadcrumbs": _breadcrumbs(
                (promise.title, promise.get_absolute_url()), (_("Ta bort åtagande"), None)
            ),
        },
    )


@require_POST
def commitment_move(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    """Move a commitment up or down among the commitments of the same owners."""
    commitment = _commitment(request, pk, commitment_pk)
    promise = commitment.promise
    _require(request, "promises.coordinate_promise", promise)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Ange om åtagandet ska flyttas upp eller ner."))
        return redirect(commitment)
    try:
        services.commitment_move(user=request.user, commitment=commitment, direction=direction)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(promise)
    message = (
        _("Åtagandet är flyttat upp.") if direction == "up" else _("Åtagandet är flyttat ner.")
    )
    if request.htmx:
        return _section(
            request,
            promise,
            status_message=message,
            focus_id=_focus_after_move(promise, commitment.pk, direction),
        )
    messages.success(request, message)
    return redirect(commitment)


def _focus_after_move(promise, commitment_pk: int, direction: str) -> str:
    """The same button again, so moving further is one more keypress; the other button
    once the commitment reached the end of its group; the commitment if it is alone."""
    item = commitment_item(promise, commitment_pk)
    if item is None:
        return "ataganden-rubrik"
    can_move = {"up": not item.is_first, "down": not item.is_last}
    other = "down" if direction == "up" else "up"
    for way in (direction, other):
        if can_move[way]:
            return f"flytta-{'upp' if way == 'up' else 'ner'}-{commitment_pk}"
    return f"atagande-{commitment_pk}"
