"""The promise workspace under /arbetsyta/loften/.

Every view: load through ``Promise.objects.visible_to(user)`` (other
organisations' promises are 404) → check the permission (visible but not
allowed is 403) → one service call → respond. Each htmx request gets a
template partial; the same URL without htmx serves a whole page or redirects,
so everything works without JavaScript.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from core.concurrency import StaleObjectError
from core.dashboard import Panel
from organizations.models import Partnership
from organizations.permissions import can_coordinate_partnership, is_partnership_signatory
from promises import services
from promises.diff import snapshot_diff
from promises.forms import (
    CommitmentForm,
    CommitmentUpdateForm,
    NoteForm,
    PromiseForm,
    PromiseUpdateForm,
    SignForm,
    attach_errors,
)
from promises.history import promise_history
from promises.models import Commitment, Promise, PromiseVersion
from promises.permissions import signable_requirements
from promises.presentation import (
    commitment_groups,
    commitment_item,
    edit_conflict,
    rebased_data,
)
from promises.selectors import group_commitments

COMMITMENTS = "promises/_commitments.html"


def dashboard_panel(request: HttpRequest) -> Panel:
    """Promises of the user's partnerships, and versions waiting for their signature.

    A fixed number of queries however many promises: the awaiting ones come with their
    versions, signatures and signing requirements prefetched, and the
    ``signable_requirements`` rule (the one behind ``can_sign_promise``) runs
    on those prefetched rows.
    """
    visible = Promise.objects.visible_to(request.user)
    promises = visible.select_related("partnership").order_by("-valid_from_date", "title")
    awaiting = (
        visible.filter(status=Promise.Status.AWAITING_SIGNATURES)
        .select_related("partnership")
        .prefetch_related(
            "partnership__signatory_requirements",
            Prefetch(
                "versions",
                queryset=PromiseVersion.objects.order_by("-number").prefetch_related("signatures"),
                to_attr="newest_first",
            ),
        )
        .order_by("title")
    )
    to_sign = [
        promise
        for promise in awaiting
        if promise.newest_first
        and signable_requirements(request.user, promise, promise.newest_first[0])
    ]
    return Panel(
        "promises/_dashboard_panel.html",
        {"promises": promises, "to_sign": to_sign, "list_url": reverse("promises:promise-list")},
    )


# --- Loading and checking --------------------------------------------------------


def _promise(request: HttpRequest, pk: int) -> Promise:
    return get_object_or_404(
        Promise.objects.visible_to(request.user).select_related(
            "partnership__police_area", "published_version", "predecessor"
        ),
        pk=pk,
    )


def _commitment(request: HttpRequest, pk: int, commitment_pk: int) -> Commitment:
    return get_object_or_404(
        Commitment.objects.filter(promise__in=Promise.objects.visible_to(request.user))
        .select_related("promise__partnership")
        .prefetch_related("areas"),
        pk=commitment_pk,
        promise_id=pk,
    )


def _require(request: HttpRequest, perm: str, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _breadcrumbs(*crumbs):
    return [(_("Medborgarlöften"), reverse("promises:promise-list")), *crumbs]


def _section_context(request: HttpRequest, promise: Promise, **extra) -> dict:
    can_edit = request.user.has_perm("promises.edit_promise", promise)
    context = {
        "promise": promise,
        "groups": commitment_groups(promise),
        "can_edit": can_edit,
        "add_form": CommitmentForm(promise=promise, prefix="ny") if can_edit else None,
    }
    return context | extra


def _section(request: HttpRequest, promise: Promise, **extra) -> HttpResponse:
    """The whole commitments section, swapped in place of the old one."""
    response = render(
        request, f"{COMMITMENTS}#section", _section_context(request, promise, **extra)
    )
    return reswap(retarget(response, "#ataganden"), "outerHTML")


# --- Pages -------------------------------------------------------------------------


@require_GET
def promise_list(request: HttpRequest) -> HttpResponse:
    """The user's promises, and a way to start one for each partnership they coordinate."""
    promises = (
        Promise.objects.visible_to(request.user)
        .select_related("partnership")
        .order_by("partnership__name", "-valid_from_date", "title")
    )
    partnerships = Partnership.objects.editable_by(request.user).order_by("name")
    return render(
        request,
        "promises/promise_list.html",
        {
            "promises": promises,
            "partnerships": partnerships,
            "breadcrumbs": [(_("Medborgarlöften"), None)],
        },
    )


@require_http_methods(["GET", "POST"])
def promise_create(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    """Start a draft for a partnership the user coordinates."""
    partnership = get_object_or_404(Partnership.objects.visible_to(request.user), pk=partnership_pk)
    if not can_coordinate_partnership(request.user, partnership):
        raise PermissionDenied
    form = PromiseForm(request.POST or None, partnership=partnership, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            promise = services.promise_create(
                user=request.user,
                partnership=partnership,
                themes=form.cleaned_data["themes"],
                areas=form.cleaned_data["areas"],
                **form.service_data(),
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Medborgarlöftet är skapat. Lägg nu till vad parterna lovar.")
            )
            return redirect(promise)
    return render(
        request,
        "promises/promise_form.html",
        {
            "form": form,
            "partnership": partnership,
            "breadcrumbs": _breadcrumbs((_("Nytt medborgarlöfte"), None)),
        },
    )


@require_GET
def promise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The working copy: content, commitments by party, workflow and signatures."""
    promise = _promise(request, pk)
    version = promise.current_version()
    shown_version = (
        promise.published_version
        if promise.status in (Promise.Status.PUBLISHED, Promise.Status.ENDED)
        else version
        if promise.status == Promise.Status.AWAITING_SIGNATURES
        else None
    )
    signatures, missing = [], []
    if shown_version is not None:
        signatures = list(shown_version.signatures.order_by("signed_at", "pk"))
        signed = {s.requirement_id for s in signatures}
        missing = [
            requirement
            for requirement in promise.partnership.signatory_requirements.select_related(
                "organisation"
            ).order_by("order", "pk")
            if requirement.pk not in signed
        ]
    return render(
        request,
        "promises/promise_detail.html",
        _section_context(request, promise)
        | {
            "version": version,
            "shown_version": shown_version,
            "signatures": signatures,
            "missing": missing,
            "themes": promise.themes.order_by("name"),
            "areas": promise.areas.order_by("name"),
            "breadcrumbs": _breadcrumbs((promise.title, None)),
        },
    )


@require_http_methods(["GET", "POST"])
def promise_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the draft's own fields; a save based on an old version shows the conflict."""
    promise = _promise(request, pk)
    _require(request, "promises.coordinate_promise", promise)
    if request.method == "GET" and not promise.is_editable:
        messages.error(request, _("Bara utkast kan ändras. Återta löftet till utkast först."))
        return redirect(promise)
    options = {"partnership": promise.partnership, "user": request.user}
    conflict = None
    if request.method == "POST":
        form = PromiseUpdateForm(request.POST, instance=promise, **options)
        if form.is_valid():
            try:
                services.promise_update(
                    user=request.user,
                    promise=promise,
                    expected_version=form.cleaned_data["lock_version"],
                    data=form.service_data(),
                    themes=form.cleaned_data["themes"],
                    areas=form.cleaned_data["areas"],
                )
            except StaleObjectError as stale:
                conflict = edit_conflict(form, stale.current)
                form = PromiseUpdateForm(
                    rebased_data(form, stale.current.lock_version),
                    instance=stale.current,
                    **options,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Ändringarna är sparade."))
                return redirect(promise)
    else:
        form = PromiseUpdateForm(
            instance=promise, initial={"lock_version": promise.lock_version}, **options
        )
    return render(
        request,
        "promises/promise_form.html",
        {
            "form": form,
            "promise": promise,
            "partnership": promise.partnership,
            "conflict": conflict,
            "breadcrumbs": _breadcrumbs(
                (promise.title, promise.get_absolute_url()), (_("Ändra"), None)
            ),
        },
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
                return _section(request, promise, status_message=_("Åtagandet är tillagt."))
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
    party_before = (commitment.party, commitment.municipality_id, commitment.partner_id)
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
                party_after = (commitment.party, commitment.municipality_id, commitment.partner_id)
                if request.htmx and party_after == party_before:
                    return render(
                        request,
                        f"{COMMITMENTS}#item",
                        {
                            "promise": promise,
                            "item": commitment_item(promise, commitment.pk),
                            "can_edit": True,
                            "status_message": _("Åtagandet är sparat."),
                        },
                    )
                if request.htmx:
                    # It moved to another party's group: redraw the whole list.
                    return _section(request, promise, status_message=_("Åtagandet är sparat."))
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
        return _section(request, promise, add_form=form, status_message=warning)
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
            _error_messages(request, error)
            return redirect(promise)
        if request.htmx:
            return _section(request, promise, status_message=_("Åtagandet är borttaget."))
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
    """Move a commitment up or down among its party's commitments."""
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
        _error_messages(request, error)
        return redirect(promise)
    message = (
        _("Åtagandet är flyttat upp.") if direction == "up" else _("Åtagandet är flyttat ner.")
    )
    if request.htmx:
        return _section(request, promise, status_message=message)
    messages.success(request, message)
    return redirect(commitment)


# --- Workflow ------------------------------------------------------------------------


@require_POST
def promise_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the draft as a version and send it to the signatories."""
    promise = _promise(request, pk)
    _require(request, "promises.coordinate_promise", promise)
    try:
        version = services.promise_submit_for_signing(user=request.user, promise=promise)
    except ValidationError as error:
        _error_messages(request, error)
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
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.promise_return_to_draft(user=request.user, promise=promise, note=note)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Löftet är återtaget till utkast och kan ändras igen."))
    return redirect(promise)


@require_POST
def promise_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new draft of a published promise; the public keeps the signed version."""
    promise = _promise(request, pk)
    _require(request, "promises.coordinate_promise", promise)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.promise_amend(user=request.user, promise=promise, note=note)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _(
                "Ett nytt utkast är påbörjat. Allmänheten ser den signerade versionen "
                "tills den nya är signerad."
            ),
        )
    return redirect(promise)


@require_http_methods(["GET", "POST"])
def promise_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the exact version and its SHA-256, then sign it with the password again."""
    promise = _promise(request, pk)
    if not request.user.has_perm("promises.sign_promise", promise):
        if not is_partnership_signatory(request.user, promise.partnership):
            raise PermissionDenied
        messages.info(request, _("Det finns ingen version för dig att signera just nu."))
        return redirect(promise)
    version = promise.current_version()
    version_changed = False
    form = SignForm(request.POST or None, initial={"content_sha256": version.content_sha256})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["content_sha256"] != version.content_sha256:
            # Returned and sent again meanwhile: the signer must read the new content first.
            version_changed = True
            form = SignForm(initial={"content_sha256": version.content_sha256})
        else:
            try:
                services.promise_sign(
                    user=request.user, promise=promise, password=form.cleaned_data["password"]
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
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
    return render(
        request,
        "promises/promise_sign.html",
        {
            "promise": promise,
            "version": version,
            "snapshot": version.snapshot,
            "snapshot_groups": group_commitments(version.snapshot),
            "form": form,
            "version_changed": version_changed,
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
