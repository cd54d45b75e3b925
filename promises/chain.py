"""The per-promise hash chain of versions and signatures.

Every version frozen and every signature recorded is appended to its
promise's chain, in the order written:

    record_sha256 = SHA-256(canonical JSON of the record)
    chain_sha256  = SHA-256(previous chain_sha256 + record_sha256)   (hex strings)

with 64 zeros before the first record. The record of a version names its
number, its content hash and when it was frozen; the record of a signature
names the version, the hash signed, who signed in which role and
organisation, how and when. ``/api/v1/promises/{id}/kedja`` publishes the
chain so anyone can recompute it offline: a rewritten or removed record
breaks every link after it.

Appending happens under the promise's row lock (every service that writes
versions or signatures takes it), so two writers cannot both take the same
place in the chain.
"""

from datetime import UTC, datetime

from django.db import connection
from django.db.models import Max

from promises.models import Promise, PromiseVersion, Signature
from promises.snapshot import canonical_json, sha256_hex, sha256_of

GENESIS = "0" * 64


def database_now() -> datetime:
    """The database server's clock: signatures and versions are timed by it, not by the app."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement_timestamp()")
        return cursor.fetchone()[0]


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="microseconds") if value else None


def version_record(version: PromiseVersion) -> dict:
    return {
        "kind": "version",
        "promise_id": version.promise_id,
        "number": version.number,
        "content_sha256": version.content_sha256,
        "created_at": _iso(version.created_at),
    }


def signature_record(signature: Signature, *, promise_id: int, version_number: int) -> dict:
    record = {
        "kind": "signature",
        "promise_id": promise_id,
        "version": version_number,
        "content_sha256": signature.content_sha256,
        "name": signature.signer_name,
        "title": signature.signer_title,
        "organisation": signature.organisation_name,
        "method": signature.method,
        "signed_at": _iso(signature.signed_at),
        "signed_on_date": signature.signed_on_date.isoformat()
        if signature.signed_on_date
        else None,
        "place": signature.place,
    }
    if signature.evidence_sha256:
        # A paper signature names the scan it was recorded from.
        record["evidence_sha256"] = signature.evidence_sha256
    return record


def record_sha256(record: dict) -> str:
    return sha256_of(record)


def link(previous: str, record: dict) -> str:
    return sha256_hex(previous + record_sha256(record))


def _head(promise: Promise) -> tuple[int, str]:
    """(position, chain hash) of the newest record of ``promise``; (0, GENESIS) when empty."""
    newest = []
    version = (
        PromiseVersion.objects.filter(promise=promise)
        .order_by("-chain_position")
        .values_list("chain_position", "chain_sha256")
        .first()
    )
    signature = (
        Signature.objects.filter(version__promise=promise)
        .order_by("-chain_position")
        .values_list("chain_position", "chain_sha256")
        .first()
    )
    newest = [row for row in (version, signature) if row]
    return max(newest) if newest else (0, GENESIS)


def append_version(*, promise: Promise, snapshot: dict, user=None) -> PromiseVersion:
    """Freeze ``snapshot`` as the promise's next version, at the end of its chain."""
    content = canonical_json(snapshot)
    position, previous = _head(promise)
    number = (promise.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = PromiseVersion(
        promise=promise,
        number=number,
        content=content,
        snapshot=snapshot,
        content_sha256=sha256_hex(content),
        created_at=database_now(),
        created_by=user if user and user.is_authenticated else None,
        chain_position=position + 1,
        previous_sha256=previous,
    )
    version.chain_sha256 = link(previous, version_record(version))
    version.save(force_insert=True)
    return version


def append_signature(*, version: PromiseVersion, **fields) -> Signature:
    """Record a signature of ``version`` (its hash, now) at the end of the promise's chain."""
    position, previous = _head(version.promise)
    signature = Signature(
        version=version,
        content_sha256=version.content_sha256,
        signed_at=database_now(),
        chain_position=position + 1,
        previous_sha256=previous,
        **fields,
    )
    signature.full_clean(exclude=["chain_sha256"])
    signature.chain_sha256 = link(
        previous,
        signature_record(signature, promise_id=version.promise_id, version_number=version.number),
    )
    signature.save(force_insert=True)
    return signature
