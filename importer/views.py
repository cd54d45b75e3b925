"""Import an existing promise: upload or paste, review, confirm; and the source document.

Every view loads the partnership through ``Partnership.objects.visible_to`` (a
partnership you are not part of is 404) and then asks whether you coordinate it
(a reader is 403). Nothing is written to the promise tables until the review is
confirmed; the upload waits in the private storage (``importer.pending``).
"""

from __future__ import annotations

from itertools import zip_longest

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from core.errors import attach_errors
from importer import pending as uploads
from importer import review as proposals
from importer import services
from importer.forms import ImportForm, PromiseReviewForm, commitment_formset
from importer.models import SourceDocument
from importer.readers import FORMAT_LABELS, DocumentError, read_document
from organizations.models import Partnership
from organizations.permissions import can_coordinate_partnership


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the limit, instead of spooling it all.

    The file is skipped (the rest of the form is still read) and ``exceeded``
    tells the view to say the file was too large.
    """

    def __init__(self, limit: int, request=None):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def _partnership(request: HttpRequest, pk: int) -> Partnership:
    partnership = get_object_or_404(
        Partnership.objects.visible_to(request.user).select_related("police_area"), pk=pk
    )
    if not can_coordinate_partnership(request.user, partnership):
        raise PermissionDenied
    return partnership


def _breadcrumbs(*crumbs):
    return [(_("Medborgarlöften"), reverse("promises:promise-list")), *crumbs]


@csrf_exempt
def import_start(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    """Paste the text or upload the document (the size limit applies while it arrives)."""
    handler = LimitedUploadHandler(settings.IMPORT_MAX_UPLOAD_BYTES + 1, request)
    # Must be in place before anything reads request.POST; the CSRF check follows in
    # _import_start, which is why this outer view is exempt (Django's documented pattern).
    request.upload_handlers.insert(0, handler)
    return _import_start(request, partnership_pk, handler)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _import_start(request: HttpRequest, partnership_pk: int, handler) -> HttpResponse:
    partnership = _partnership(request, partnership_pk)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, oversized=handler.exceeded)
        if form.is_valid():
            document = form.document
            try:
                upload = uploads.store(
                    request,
                    partnership=partnership,
                    data=form.data_bytes,
                    filename=form.cleaned_data["filename"],
                    format=document.format,
                    pasted=not form.cleaned_data["filename"],
                )
            except OSError:
                form.add_error(None, _("Dokumentet kunde inte sparas för granskning. Försök igen."))
            else:
                review_url = reverse(
                    "importer:import-review",
                    kwargs={"partnership_pk": partnership.pk, "token": upload.token},
                )
                if request.htmx:
                    # The review is a page of its own, not a fragment of this one.
                    return HttpResponseClientRedirect(review_url)
                return redirect(review_url)
    else:
        form = ImportForm()
    # htmx redraws only the form (its error summary takes the focus); without it, the page.
    template = "importer/import_start.html"
    if request.htmx and request.method == "POST":
        template += "#import-form"
    return render(
        request,
        template,
        {
            "form": form,
            "error_links": _error_links((form, "")) if form.is_bound else [],
            "partnership": partnership,
            "breadcrumbs": _breadcrumbs((_("Importera ett befintligt dokument"), None)),
        },
    )


def _error_links(*labelled_forms) -> list[tuple[str, str]]:
    """(href, message) for every error of ``(form, label)`` pairs, for the summary on top.

    The label names the form ("Åtagande 3 – ") because the field labels repeat.
    """
    links = []
    for form, label in labelled_forms:
        links += [("", f"{label}{error}") for error in form.non_field_errors()]
        for field in form:
            for error in field.errors:
                anchor = field.auto_id
                if isinstance(field.field.widget, forms.CheckboxSelectMultiple):
                    anchor = f"{anchor}_0"  # the first checkbox of the group
                links.append((f"#{anchor}", f"{label}{field.label}: {error}"))
    return links


def _review_error_links(promise_form, formset) -> list[tuple[str, str]]:
    links = [("", str(error)) for error in formset.non_form_errors()]
    return links + _error_links(
        (promise_form, ""),
        *(
            (form, _("Åtagande %(number)s – ") % {"number": number})
            for number, form in enumerate(formset.forms, start=1)
        ),
    )


@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, partnership_pk: int, token: str) -> HttpResponse:
    """Every extracted item beside its source lines, editable; confirming makes the draft."""
    partnership = _partnership(request, partnership_pk)
    upload = uploads.get(request, token, partnership)
    data = upload.read() if upload is not None else None
    if data is None:
        if upload is not None:
            uploads.discard(request, token)
        messages.error(
            request,
            _("Dokumentet finns inte längre kvar för granskning. Ladda upp det igen."),
        )
        return redirect("importer:import-start", partnership_pk=partnership.pk)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        uploads.discard(request, token)
        messages.info(request, _("Importen är avbruten. Inget har sparats."))
        return redirect("promises:promise-list")
    try:
        document = read_document(data, upload.filename, max_bytes=settings.IMPORT_MAX_UPLOAD_BYTES)
    except DocumentError as error:
        uploads.discard(request, token)
        messages.error(request, error.message)
        return redirect("importer:import-start", partnership_pk=partnership.pk)
    vocabulary = proposals.Vocabulary(partnership)
    review = proposals.build(partnership, document, vocabulary=vocabulary)
    post = request.POST if request.method == "POST" else None
    promise_form = PromiseReviewForm(post, initial=review.promise_initial, vocabulary=vocabulary)
    formset = commitment_formset(len(review.proposals))(
        post,
        initial=[p.initial for p in review.proposals],
        form_kwargs={"vocabulary": vocabulary},
        prefix="atagande",
    )
    if post is not None and promise_form.is_valid() and formset.is_valid():
        response = _confirm(request, partnership, upload, data, promise_form, formset)
        if response is not None:
            return response
    return render(
        request,
        "importer/import_review.html",
        {
            "partnership": partnership,
            "upload": upload,
            "format_label": FORMAT_LABELS.get(upload.format, upload.format),
            "review": review,
            "earlier": proposals.earlier_promises(
                partnership, upload.sha256, review.extraction.period
            ),
            "form": promise_form,
            "formset": formset,
            "rows": list(zip_longest(formset.forms, review.proposals)),
            "error_links": _review_error_links(promise_form, formset) if post is not None else [],
            "breadcrumbs": _breadcrumbs(
                (
                    _("Importera ett befintligt dokument"),
                    reverse("importer:import-start", kwargs={"partnership_pk": partnership.pk}),
                ),
                (_("Granska"), None),
            ),
        },
    )


def _confirm(request, partnership, upload, data, promise_form, formset) -> HttpResponse | None:
    """Create the draft; None (with the errors on the form) when the services refuse."""
    # Two clicks on "Skapa utkastet" must not make two drafts: the first one holds this.
    lock = f"importer:confirm:{upload.token}"
    if not cache.add(lock, True, timeout=120):
        promise_form.add_error(None, _("Utkastet skapas redan. Vänta ett ögonblick."))
        return None
    try:
        draft = services.promise_import(
            user=request.user,
            partnership=partnership,
            promise=promise_form.service_data(),
            themes=promise_form.chosen_themes(),
            areas=promise_form.chosen_areas(),
            commitments=[form.service_data() for form in formset.included()],
            source=services.SourceFile(data=data, filename=upload.filename, format=upload.format),
        )
    except ValidationError as error:
        attach_errors(promise_form, error)
        return None
    finally:
        cache.delete(lock)
    uploads.discard(request, upload.token)
    messages.success(
        request,
        _(
            "Utkastet är skapat med %(count)s åtaganden. Dokumentet är sparat som källa. "
            "Kontrollera utkastet och skicka det för signering när ni är klara."
        )
        % {"count": draft.commitments.count()},
    )
    return redirect(draft)


@require_GET
def source_document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The source document, for members of the promise's partnership only, as a download."""
    document = get_object_or_404(
        SourceDocument.objects.visible_to(request.user).select_related("promise"), pk=pk
    )
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
    )
    # Always a download, never rendered here: an HTML source cannot run in the portal's origin.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
