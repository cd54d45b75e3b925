"""Bulk downloads of the open data: built once per publication, served as files.

The whole ``commitments.csv`` and ``followups.csv`` and a JSON dump of every
published promise (``GET /promises/{id}`` for each) are written gzip-compressed
to ``BULK_ROOT`` (``MEDIA_ROOT/oppna-data`` unless set) by a background task
(``rebuild_bulk_files``, Django's tasks API: ``db_worker`` in production), never
in a web worker's memory. A request for a whole export gets the file as it is —
``Content-Encoding: gzip`` for clients that accept it, decompressed on the fly
for those that do not, with ``ETag`` and ``Last-Modified`` so a repeat download
is a 304.

When is a file good? Each build records a *stamp* of what it was built from
(``source_stamp``: the live version of every published promise, the published
follow-ups, the activities and reports, today's date and the language), read
from the database in four small aggregate queries, so it holds on every node
and with any cache backend. A request whose stamp differs from the build's
never gets the file: it streams the export from the database instead (memory
flat, a chunk of rows at a time) and asks for a rebuild. A stale file is
therefore never served, and in particular never one with content that is no
longer public.

Rebuilds are coalesced: a publication asks for one (``after_publication``, hooked
into ``core.publication``) only once files exist, a cache key keeps at most one
waiting in the queue, builds take a file lock, and a build that finds its stamp
already built does nothing.
"""

import fcntl
import gzip
import json
import logging
import os
import secrets
import shutil
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import CharField, Count, Max, StringAgg, Value
from django.db.models.functions import MD5, Cast, Concat
from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.tasks import task
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from ninja.responses import NinjaJSONEncoder

from core.http import accepts_gzip
from promises.published import PromiseFilter

logger = logging.getLogger(__name__)

COMMITMENTS = "commitments"
FOLLOWUPS = "followups"
PROMISES = "promises"

MANIFEST = "manifest.json"
LOCK = ".lock"
#: Set while a rebuild waits in the queue, so a burst of publications enqueues one.
SCHEDULED_KEY = "public:bulk:scheduled"
#: After this a rebuild is asked for again even if the one queued never ran.
SCHEDULED_TIMEOUT = 10 * 60
#: Bytes read per chunk when a built file is served decompressed.
READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Export:
    name: str
    filename: str
    content_type: str
    description: str
    chunks: Callable[[PromiseFilter | None], Iterator[str]]


def _commitment_chunks(criteria: PromiseFilter | None) -> Iterator[str]:
    from public import api

    return api.csv_chunks(api.COMMITMENT_HEADER, api.commitment_rows(criteria))


def _followup_chunks(criteria: PromiseFilter | None) -> Iterator[str]:
    from public import api

    return api.csv_chunks(api.FOLLOWUP_HEADER, api.followup_rows(criteria))


def _promise_chunks(criteria: PromiseFilter | None) -> Iterator[str]:
    """A JSON array, one promise document per line; the dump is never filtered."""
    from public import api

    yield "["
    for n, document in enumerate(api.promise_documents()):
        text = json.dumps(document, cls=NinjaJSONEncoder, ensure_ascii=False)
        yield ("\n" if n == 0 else ",\n") + text
    yield "\n]\n"


EXPORTS = {
    COMMITMENTS: Export(
        COMMITMENTS,
        "attaganden.csv",
        "text/csv; charset=utf-8",
        "En rad per åtagande i varje publicerat löfte.",
        _commitment_chunks,
    ),
    FOLLOWUPS: Export(
        FOLLOWUPS,
        "uppfoljningar.csv",
        "text/csv; charset=utf-8",
        "En rad per bedömt åtagande i varje publicerad uppföljning.",
        _followup_chunks,
    ),
    PROMISES: Export(
        PROMISES,
        "medborgarloften.json",
        "application/json",
        "Alla publicerade medborgarlöften, vart och ett som GET /api/v1/promises/{id} ger det.",
        _promise_chunks,
    ),
}


def bulk_root() -> Path:
    configured = getattr(settings, "BULK_ROOT", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "oppna-data"


# --- What a build is built from -------------------------------------------------------


def source_stamp() -> str:
    """A fingerprint of everything the exports contain, from the database: four queries.

    The live version of each published promise, the published follow-ups and the
    activities and reports under them (count and newest change), today's date
    ("gällande" and "avslutat" follow from it) and the active language (labels).
    """
    from activities.selectors import public_activity_changes
    from followups.selectors import public_followups
    from promises.published import live_promises

    live = live_promises().order_by()
    pairs = Concat(Cast("pk", CharField()), Value(":"), Cast("published_version_id", CharField()))
    parts = [
        live.aggregate(n=Count("pk"), versions=MD5(StringAgg(pairs, Value(","), order_by="pk"))),
        public_followups()
        .order_by()
        .aggregate(n=Count("pk"), changed=Max("updated_at"), published=Max("published_at")),
        public_activity_changes(),
        timezone.localdate().isoformat(),
        translation.get_language() or settings.LANGUAGE_CODE,
    ]
    return sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:32]


# --- Builds on disk -------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltFile:
    path: Path
    filename: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Build:
    stamp: str
    built_at: datetime
    language: str
    files: dict[str, BuiltFile]


def current_build() -> Build | None:
    """The newest complete build, or None (never built, or its files are gone)."""
    root = bulk_root()
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        directory = root / manifest["build"]
        files = {
            name: BuiltFile(
                directory / entry["file"], EXPORTS[name].filename, entry["sha256"], entry["size"]
            )
            for name, entry in manifest["files"].items()
            if name in EXPORTS
        }
        build = Build(
            manifest["stamp"],
            datetime.fromisoformat(manifest["built_at"]),
            manifest["language"],
            files,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if set(files) != set(EXPORTS) or not all(f.path.is_file() for f in files.values()):
        return None
    return build


def fresh_build() -> Build | None:
    """The current build if it was made from exactly what is public now, else None."""
    build = current_build()
    if build is None or build.stamp != source_stamp():
        return None
    return build


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One build at a time per ``BULK_ROOT``; a second waits for the first."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_gzip(path: Path, chunks: Iterator[str]) -> tuple[str, int]:
    # mtime=0: the same content gives the same bytes, and so the same ETag.
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=6) as compressed,
    ):
        for piece in chunks:
            compressed.write(piece.encode("utf-8"))
    digest = sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest(), path.stat().st_size


@contextmanager
def _snapshot_transaction() -> Iterator[None]:
    """Every export and the stamp read from one consistent snapshot of the database."""
    if connection.in_atomic_block:
        # Already in a transaction (a test, or a caller's): read what it sees.
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def build(*, force: bool = False) -> Build:
    """Write every export, gzip-compressed, as a new build; then switch the manifest to it.

    Without ``force`` a build whose stamp is already built is left as it is. The
    manifest is replaced atomically, so a reader sees the old build or the new
    one, never half of either; the previous build stays until the next, for
    downloads still reading it.
    """
    root = bulk_root()
    with _locked(root), translation.override(settings.LANGUAGE_CODE), _snapshot_transaction():
        stamp = source_stamp()
        existing = current_build()
        if not force and existing is not None and existing.stamp == stamp:
            return existing
        built_at = timezone.now().replace(microsecond=0)
        name = f"{built_at:%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
        directory = root / name
        directory.mkdir(parents=True)
        entries = {}
        try:
            for export in EXPORTS.values():
                filename = f"{export.filename}.gz"
                digest, size = _write_gzip(directory / filename, export.chunks(None))
                entries[export.name] = {"file": filename, "sha256": digest, "size": size}
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        manifest = {
            "build": name,
            "stamp": stamp,
            "built_at": built_at.isoformat(),
            "language": settings.LANGUAGE_CODE,
            "files": entries,
        }
        temporary = root / f".{MANIFEST}.{name}"
        temporary.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        os.replace(temporary, root / MANIFEST)
        keep = {name, *(existing and [existing.files[COMMITMENTS].path.parent.name] or [])}
        for old in root.iterdir():
            if old.is_dir() and old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
    logger.info("Öppna data: filerna byggda (%s)", name)
    return current_build()


# --- Asking for a rebuild -------------------------------------------------------------


@task
def rebuild_bulk_files(force: bool = True) -> str:
    """Rebuild the bulk files outside any request (the task ``schedule_rebuild`` queues)."""
    # From here on a publication queues the next rebuild: it may not be in this one.
    cache.delete(SCHEDULED_KEY)
    return build(force=force).stamp


def schedule_rebuild(*, force: bool = True) -> None:
    """Queue one rebuild, unless one is already waiting."""
    if cache.add(SCHEDULED_KEY, True, timeout=SCHEDULED_TIMEOUT):
        try:
            rebuild_bulk_files.enqueue(force)
        except Exception:
            cache.delete(SCHEDULED_KEY)
            raise


def after_publication() -> None:
    """``core.publication``'s hook: something public changed. Keep built files current.

    Only once files exist: until someone asks for them (or ``manage.py
    build_open_data`` runs) a publication costs nothing here.
    """
    if (bulk_root() / MANIFEST).exists():
        schedule_rebuild(force=True)


# --- Responses ------------------------------------------------------------------------


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _gzipped(chunks: Iterator[str]) -> Iterator[bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for piece in chunks:
        if data := compressor.compress(piece.encode("utf-8")):
            yield data
    yield compressor.flush()


def _ask_for_rebuild() -> None:
    """A download found no fresh file: queue a rebuild, if a worker will run it.

    With the immediate backend (development, tests, a server without ``db_worker``)
    the build would run in this web worker, for minutes at national size: there
    the files come from publications and ``manage.py build_open_data`` only.
    """
    if isinstance(rebuild_bulk_files.get_backend(), ImmediateBackend):
        return
    # On commit: at once in a request (autocommit), never inside a test's transaction.
    transaction.on_commit(lambda: schedule_rebuild(force=False))


def _then(chunks: Iterator[str], callback: Callable[[], None]) -> Iterator[str]:
    """``chunks``, then ``callback()`` once they are sent (or the client went away): a
    rebuild asked for by a download runs after it, never before its first byte."""
    try:
        yield from chunks
    finally:
        callback()


def stream(
    name: str,
    criteria: PromiseFilter | None = None,
    *,
    download: bool = False,
    then: Callable[[], None] | None = None,
) -> StreamingHttpResponse:
    """The export computed now, a chunk of rows at a time: filtered requests, and whole
    ones while the built file is missing or stale (``then``: what to do after)."""
    export = EXPORTS[name]
    chunks = export.chunks(criteria)
    if then is not None:
        chunks = _then(chunks, then)
    if download:
        response = StreamingHttpResponse(_gzipped(chunks), content_type="application/gzip")
        return _attachment(response, f"{export.filename}.gz")
    response = StreamingHttpResponse(
        (piece.encode("utf-8") for piece in chunks), content_type=export.content_type
    )
    return _attachment(response, export.filename)


def _decompressed(path: Path) -> Iterator[bytes]:
    with gzip.open(path, "rb") as handle:
        while block := handle.read(READ_CHUNK):
            yield block


def serve(request: HttpRequest, name: str, *, download: bool = False) -> HttpResponseBase:
    """The whole export from the current build; streamed (and a rebuild asked for) when
    there is none, when it is stale, or in another language than it was built in.

    ``download``: the ``.gz`` file itself. Otherwise the export's own format,
    ``Content-Encoding: gzip`` when the client accepts it.
    """
    export = EXPORTS[name]
    language = translation.get_language() or settings.LANGUAGE_CODE
    built = fresh_build() if language == settings.LANGUAGE_CODE else None
    if built is None:
        rebuild = language == settings.LANGUAGE_CODE
        return stream(name, download=download, then=_ask_for_rebuild if rebuild else None)
    file = built.files[name]
    encoded = download or accepts_gzip(request)
    etag = f'"{file.sha256[:32]}{"" if encoded else "-identity"}"'
    last_modified = int(built.built_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        if download:
            response = FileResponse(
                open(file.path, "rb"),  # noqa: SIM115 — FileResponse closes it
                content_type="application/gzip",
                as_attachment=True,
                filename=f"{export.filename}.gz",
            )
        elif encoded:
            response = FileResponse(
                open(file.path, "rb"),  # noqa: SIM115 — FileResponse closes it
                content_type=export.content_type,
                as_attachment=True,
                filename=export.filename,
            )
            response["Content-Encoding"] = "gzip"
        else:
            response = _attachment(
                StreamingHttpResponse(_decompressed(file.path), content_type=export.content_type),
                export.filename,
            )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response
