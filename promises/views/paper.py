"""Documents signed on paper: recorded by one party with the scan, confirmed by the other."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import attach_errors, flash_errors
from promises import services
from promises.forms import NoteForm, PaperSignatureForm, PaperSignaturesNoteForm
from promises.models import PaperSigning, Promise, PromiseVersion
from promises.published import group_commitments
from promises.snapshot import parse, sha256_of
from promises.views.common import _breadcrumbs, _promise


@require_http_methods(["GET", "POST"])
def promise_paper_signatures(request: HttpRequest, pk: int) -> HttpResponse:
    """Record who signed the draft on paper, with the scan; the other party then confirms.

    The page shows the content that will be frozen; if the draft changes before the
    form is sent, the coordinator is shown the new content instead of it being recorded.
    """
    promise = _promise(request, pk)
    if not request.user.has_perm("promises.edit_promise", promise):
        if not request.user.has_perm("promises.coordinate_promise", promise):
            raise PermissionDenied
        messages.error(request, _("Pappersunderskrifter registreras på ett utkast."))
        return redirect(promise)
    snapshot = services.promise_snapshot(promise)
    # Not saved: what the version will look like, so the coordinator can compare it with paper.
    preview = PromiseVersion(
        promise=promise,
        number=(promise.versions.aggregate(m=Max("number"))["m"] or 0) + 1,
        snapshot=snapshot,
        content_sha256=sha256_of(snapshot),
    )
    requirements = promise.partnership.signatory_requirements.select_related(
        "organisation"
    ).order_by("order", "pk")
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    signature_forms = [PaperSignatureForm(data, requirement=r) for r in requirements]
    form = PaperSignaturesNoteForm(data, files, initial={"content_sha256": preview.content_sha256})
    content_changed = False
    if data is not None and all([form.is_valid(), *(f.is_valid() for f in signature_forms)]):
        if form.cleaned_data["content_sha256"] != preview.content_sha256:
            # The draft was edited meanwhile: the coordinator must compare the new content first.
            content_changed = True
            form = PaperSignaturesNoteForm(
                initial={
                    "note": form.cleaned_data["note"],
                    "content_sha256": preview.content_sha256,
                }
            )
        else:
            try:
                paper = services.promise_record_paper_signatures(
                    user=request.user,
                    promise=promise,
                    signatures=[f.signature() for f in signature_forms],
                    scan=form.cleaned_data["scan"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Pappersunderskrifterna är registrerade på version %(number)s. En "
                        "samordnare hos den andra parten bekräftar dem innan löftet publiceras."
                    )
                    % {"number": paper.version.number},
                )
                return redirect(promise)
    return render(
        request,
        "promises/promise_paper_signatures.html",
        {
            "promise": promise,
            "version": preview,
            "content": (content := parse(snapshot)),
            "snapshot_groups": group_commitments(content.commitments),
            "form": form,
            "signature_forms": signature_forms,
            "content_changed": content_changed,
            "breadcrumbs": _breadcrumbs(
                (promise.title, promise.get_absolute_url()),
                (_("Registrera pappersunderskrifter"), None),
            ),
        },
    )


@require_POST
def promise_paper_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The other party confirms the recorded paper signatures; the promise is published."""
    promise = _promise(request, pk)
    try:
        services.promise_confirm_paper_signatures(user=request.user, promise=promise)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        promise.refresh_from_db(fields=["status"])
        messages.success(request, _("Pappersunderskrifterna är bekräftade."))
        if promise.status == Promise.Status.PUBLISHED:
            messages.success(request, _("Löftet är nu publicerat."))
    return redirect(promise)


@require_POST
def promise_paper_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the recorded paper signatures back: the promise is a draft again."""
    promise = _promise(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.promise_reject_paper_signatures(user=request.user, promise=promise, note=note)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request, _("Pappersunderskrifterna är avvisade. Löftet är ett utkast igen.")
        )
    return redirect(promise)


@require_GET
def promise_paper_scan(request: HttpRequest, pk: int, paper_pk: int) -> HttpResponse:
    """The scan, for members of the partnership (the public sees it once it is published)."""
    promise = _promise(request, pk)
    paper = PaperSigning.objects.filter(promise=promise, pk=paper_pk).first()
    if paper is None:
        raise Http404
    return scan_response(paper)


def scan_response(paper: PaperSigning) -> FileResponse:
    extension = paper.scan.name.rsplit(".", 1)[-1]
    response = FileResponse(
        paper.scan.open("rb"),
        content_type=paper.scan_content_type,
        filename=f"underskrifter-{paper.promise_id}-v{paper.version.number}.{extension}",
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
