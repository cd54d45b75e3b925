"""Uploads waiting for their review: kept outside the database until the draft is made.

Between "Läs dokumentet" and "Skapa utkastet" nothing may be written to the
promise tables, yet the exact bytes must survive the review (a form round trip,
a validation error, a reload) and become the draft's source document. So:

- the bytes go to the private storage under ``importer/vantar/<token>``, a
  random 32-byte token that no one can guess;
- the user's session remembers the token with the partnership, file name,
  format, size and SHA-256. Only that session can open the upload, only for
  that partnership, and the bytes are checked against the hash every time
  they are read;
- an upload is kept for ``IMPORT_PENDING_MAX_AGE_SECONDS``; older ones are
  removed whenever someone uploads (and by ``manage.py clean_import_uploads``).

The storage is ``STORAGES["private"]``, so several app servers share the
uploads once it points at shared storage (object storage, a shared volume);
the session is in the database already. A signed cookie could not hold a
10 MB document, and a per-process cache would lose it on the next node.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile

from importer.storage import private_storage

SESSION_KEY = "importer_pending"
DIRECTORY = "importer/vantar"
#: A session holds at most this many uploads; the oldest goes first.
MAX_PER_SESSION = 5
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{40,60}")


@dataclass(frozen=True)
class PendingUpload:
    token: str
    partnership_id: int
    filename: str
    format: str
    size: int
    sha256: str
    created_at: float
    pasted: bool

    @property
    def name(self) -> str:
        return f"{DIRECTORY}/{self.token}"

    def read(self) -> bytes | None:
        """The bytes as uploaded, or None if they are gone or no longer match the hash."""
        try:
            with private_storage.open(self.name, "rb") as fh:
                data = fh.read(self.size + 1)
        except OSError:
            return None
        if len(data) != self.size or hashlib.sha256(data).hexdigest() != self.sha256:
            return None
        return data


def _max_age() -> int:
    return settings.IMPORT_PENDING_MAX_AGE_SECONDS


def store(request, *, partnership, data: bytes, filename: str, format: str, pasted: bool):
    """Keep ``data`` for the review; returns the :class:`PendingUpload`."""
    clean_expired()
    token = secrets.token_urlsafe(32)
    pending = PendingUpload(
        token=token,
        partnership_id=partnership.pk,
        filename=filename,
        format=format,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        created_at=time.time(),
        pasted=pasted,
    )
    saved = private_storage.save(pending.name, ContentFile(data))
    if saved != pending.name:  # the token is the whole name; another name would be lost
        _delete(saved)
        raise OSError("pending upload stored under an unexpected name")
    entries = dict(request.session.get(SESSION_KEY, {}))
    entries[token] = asdict(pending)
    for old in sorted(entries, key=lambda t: entries[t]["created_at"])[:-MAX_PER_SESSION]:
        _delete(f"{DIRECTORY}/{old}")
        del entries[old]
    request.session[SESSION_KEY] = entries
    return pending


def get(request, token: str, partnership) -> PendingUpload | None:
    """This session's upload ``token`` for ``partnership``, if it is still there."""
    if not TOKEN_RE.fullmatch(token or ""):
        return None
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry:
        return None
    pending = PendingUpload(**entry)
    if pending.partnership_id != partnership.pk:
        return None
    if time.time() - pending.created_at > _max_age():
        discard(request, token)
        return None
    return pending


def discard(request, token: str) -> None:
    """Forget the upload and remove its bytes."""
    entries = dict(request.session.get(SESSION_KEY, {}))
    if entries.pop(token, None) is not None:
        request.session[SESSION_KEY] = entries
    if TOKEN_RE.fullmatch(token or ""):
        _delete(f"{DIRECTORY}/{token}")


def _delete(name: str) -> None:
    # Already gone, or removed by the clean-up meanwhile: either way it is gone.
    with contextlib.suppress(OSError):
        private_storage.delete(name)


def clean_expired(*, max_age: int | None = None) -> int:
    """Remove uploads older than ``max_age`` seconds; returns how many were removed."""
    cutoff = datetime.now(UTC) - timedelta(seconds=_max_age() if max_age is None else max_age)
    try:
        _folders, files = private_storage.listdir(DIRECTORY)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    removed = 0
    for name in files:
        path = f"{DIRECTORY}/{name}"
        try:
            modified = private_storage.get_modified_time(path)
        except (OSError, NotImplementedError):
            continue
        if modified.tzinfo is None:
            modified = modified.replace(tzinfo=UTC)
        if modified < cutoff:
            _delete(path)
            removed += 1
    return removed
