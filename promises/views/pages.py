"""Promise pages: list, create, detail, edit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.concurrency import StaleObjectError
from core.errors import attach_errors
from core.pagination import page_of
from organizations.models import Partnership
from organizations.permissions import can_coordinate_partnership
from promises import services
from promises.forms import (
    PromiseForm,
    PromiseUpdateForm,
)
from promises.models import PaperSigning, Promise
from promises.presentation import (
    edit_conflict,
    rebased_data,
)
from promises.views.common import (
    _breadcrumbs,
    _promise,
    _require,
    _section_context,
)

# --- Pages -------------------------------------------------------------------------


@require_GET
def promise_list(request: HttpRequest) -> HttpResponse:
    """The user's promises, and a way to start one for each partnership they coordinate."""
    page = page_of(
        request,
        Promise.objects.visible_to(request.user)
        .select_related("partnership")
        .order_by("partnership__name", "-valid_from_date", "title", "pk"),
    )
    partnerships = Partnership.objects.editable_by(request.user).order_by("name")
    return render(
        request,
        "promises/promise_list.html",
        {
            "page": page,
            "promises": page.object_list,
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
        if promise.status in (Promise.Status.AWAITING_SIGNATURES, Promise.Status.AWAITING_PAPER)
        else None
    )
    paper = (
        PaperSigning.objects.filter(version=shown_version)
        .exclude(status=PaperSigning.Status.REJECTED)
        .select_related("recorded_for", "decided_for")
        .first()
        if shown_version is not None
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
            "paper": paper,
            "can_confirm_paper": bool(paper)
            and paper.status == PaperSigning.Status.PENDING
            and services.can_confirm_paper(request.user, paper),
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
