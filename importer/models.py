"""The document a draft was imported from, kept with the draft as its source."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from importer.storage import get_private_storage
from organizations.models import PartnershipScopedQuerySet

#: The content type stored and served for each format the readers recognise.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
    "text": "text/plain",
}
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "html": "html", "text": "txt"}


def source_path(instance, filename: str) -> str:
    """Stored under the promise and the file's own hash: nothing can be swapped in by name."""
    return f"importer/kallor/{instance.promise_id}/{instance.sha256}.{EXTENSIONS[instance.format]}"


class SourceDocumentQuerySet(PartnershipScopedQuerySet):
    partnership_path = "promise__partnership"


class SourceDocument(models.Model):
    """The uploaded (or pasted) document a promise's draft was made from.

    The file lives in the private storage and is served only to members of the
    promise's partnership. The SHA-256 says which exact bytes the draft came from.
    """

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF")
        DOCX = "docx", _("Word (DOCX)")
        HTML = "html", _("HTML")
        TEXT = "text", _("Text")

    promise = models.ForeignKey(
        "promises.Promise",
        on_delete=models.PROTECT,
        related_name="source_documents",
        verbose_name=_("löfte"),
    )
    file = models.FileField(
        _("fil"), upload_to=source_path, storage=get_private_storage, max_length=200
    )
    original_filename = models.CharField(
        _("ursprungligt filnamn"),
        max_length=255,
        blank=True,
        help_text=_("Tomt när texten klistrades in."),
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uppladdat av"),
    )
    created_at = models.DateTimeField(_("skapad"), db_default=Now())

    objects = SourceDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("källdokument")
        verbose_name_plural = _("källdokument")
        ordering = ["promise", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="source_document_sha256_hex"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def pasted(self) -> bool:
        return not self.original_filename

    @property
    def display_name(self) -> str:
        return self.original_filename or str(_("Inklistrad text"))

    @property
    def download_name(self) -> str:
        return self.original_filename or f"inklistrad-text-{self.promise_id}.txt"
