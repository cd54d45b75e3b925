"""Registering a historic document that was signed on paper, outside the portal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from promises import services
from promises.forms import PaperSignatureForm, PaperSignaturesNoteForm, attach_errors
from promises.models import Promise, PromiseVersion
from promises.published import group_commitments
from promises.snapshot import parse, sha256_of
from promises.views.common import _breadcrumbs, _promise


@require_http_methods(["GET", "POST"])
def promise_paper_signatures(request: HttpRequest, pk: int) -> HttpResponse:
    """Record who signed the draft on paper; it is frozen as a version and published.

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
    signature_forms = [PaperSignatureForm(data, requirement=r) for r in requirements]
    form = PaperSignaturesNoteForm(data, initial={"content_sha256": preview.content_sha256})
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
                version = services.promise_record_paper_signatures(
                    user=request.user,
                    promise=promise,
                    signatures=[f.signature() for f in signature_forms],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Pappersunderskrifterna är registrerade på version %(number)s.")
                    % {"number": version.number},
                )
                promise.refresh_from_db(fields=["status"])
                if promise.status == Promise.Status.PUBLISHED:
                    messages.success(request, _("Löftet är nu publicerat."))
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
