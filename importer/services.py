"""Turning a reviewed document into a draft: one transaction, through the promise services."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import require
from importer.models import CONTENT_TYPES, SourceDocument
from importer.storage import private_storage
from organizations.models import Partnership
from organizations.permissions import can_coordinate_partnership
from promises.models import Promise
from promises.services import commitment_create, promise_create

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceFile:
    """The exact bytes the coordinator uploaded or pasted, as the readers recognised them."""

    data: bytes
    filename: str  # empty for pasted text
    format: str  # pdf | docx | html | text


@transaction.atomic
def _create(*, user, partnership, promise, themes, areas, commitments, source, written) -> Promise:
    draft = promise_create(
        user=user, partnership=partnership, themes=themes, areas=areas, **promise
    )
    for fields in commitments:
        commitment_create(user=user, promise=draft, **fields)
    document = SourceDocument(
        promise=draft,
        original_filename=source.filename,
        format=source.format,
        content_type=CONTENT_TYPES[source.format],
        size=len(source.data),
        sha256=hashlib.sha256(source.data).hexdigest(),
        uploaded_by=user,
    )
    try:
        document.file.save("kalla", ContentFile(source.data), save=False)
    except OSError:
        logger.exception("Could not store the source document of an import")
        raise ValidationError(
            _("Källdokumentet kunde inte sparas. Inget har sparats; försök igen."),
            code="storage",
        ) from None
    written.append(document.file.name)
    document.full_clean()
    document.save()
    return draft


def promise_import(
    *,
    user,
    partnership: Partnership,
    promise: dict,
    themes=(),
    areas=(),
    commitments: list[dict],
    source: SourceFile,
) -> Promise:
    """Create the reviewed draft, its commitments and its source document, or nothing.

    ``promise`` holds the promise's own fields for ``promise_create``; each of
    ``commitments`` the keyword arguments of ``commitment_create`` (``owners``
    as organisations). The promise services check permission and validate each
    row as they would for a draft typed by hand; any refusal, or a source file
    that cannot be stored, undoes everything. Signatories named in the document
    are not recorded: they sign the draft in the portal.
    """
    require(
        can_coordinate_partnership(user, partnership),
        _("Du samordnar inte den här samverkan."),
    )
    written: list[str] = []
    try:
        return _create(
            user=user,
            partnership=partnership,
            promise=promise,
            themes=list(themes),
            areas=list(areas),
            commitments=commitments,
            source=source,
            written=written,
        )
    except BaseException:
        # The rows are rolled back; the file, written inside the transaction, goes too.
        for name in written:
            try:
                private_storage.delete(name)
            except OSError:
                logger.warning("Could not remove %s after a failed import", name)
        raise
