"""The scan or photo of a page signed on paper: checked, hashed and stored.

PDF, PNG or JPEG, recognised by their first bytes (not by the file name),
at most ``MAX_SCAN_BYTES``. Stored under its own SHA-256 in the configured
default storage; the hash also goes into each paper signature's record in
the promise's hash chain, so the scan cannot be swapped afterwards.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_SCAN_BYTES = 10 * 1024 * 1024
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]


@dataclass(frozen=True)
class Scan:
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def read_scan(upload) -> Scan:
    """The uploaded file as a checked ``Scan``; a Swedish ``ValidationError`` otherwise."""
    if upload is None:
        raise ValidationError(
            {"scan": _("Ladda upp en skanning eller ett foto av den undertecknade sidan.")},
            code="required",
        )
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError(
            {"scan": _("Filen är för stor. Den får vara högst 10 MB.")}, code="too_large"
        )
    content = upload.read(MAX_SCAN_BYTES + 1)
    if len(content) > MAX_SCAN_BYTES:
        raise ValidationError(
            {"scan": _("Filen är för stor. Den får vara högst 10 MB.")}, code="too_large"
        )
    for magic, content_type in SIGNATURES:
        if content.startswith(magic):
            return Scan(content, content_type, hashlib.sha256(content).hexdigest())
    raise ValidationError(
        {"scan": _("Skanningen måste vara en PDF, PNG eller JPEG.")}, code="wrong_type"
    )
