"""Is what we are about to present exactly what was signed?

Three checks, the same in SQL (for lists) and in Python (for one promise and
``manage.py verify_signatures``):

1. the stored canonical text still hashes to the recorded SHA-256;
2. the queryable ``jsonb`` copy is the same data as that text;
3. every signature of the version carries the version's hash.

``chain_problems`` also recomputes a promise's hash chain (``promises.chain``).
The database refuses to update or delete versions and signatures; these
checks catch what a database superuser could still force past that.

In SQL, checks 1 and 2 read ``PromiseVersion.content_intact``, a stored
generated column PostgreSQL recomputes on every INSERT and UPDATE (migration
``0010``), so a list does not hash every row on every query. A rewrite with
triggers disabled still recomputes it. A superuser who goes further and runs
``ALTER TABLE … ALTER COLUMN content_intact DROP EXPRESSION`` can then set it
by hand and fool the lists, but not ``version_problems``: the promise page, the
API detail, the PDF and ``manage.py verify_signatures`` recompute both checks
in Python from the stored text.
"""

import json

from django.db.models import BooleanField, F, Func, OuterRef, Q, Subquery

from promises.chain import GENESIS, link, signature_record, version_record
from promises.models import PromiseVersion, Signature
from promises.snapshot import SnapshotError, parse, sha256_hex


def intact_version_condition(prefix: str) -> list:
    """Filter conditions that hold for an intact version reached through ``prefix``.

    ``prefix`` is ``""`` on a ``PromiseVersion`` queryset and
    ``"published_version__"`` on a ``Promise`` queryset.

    Check 3 is ``hash = ALL (the hashes of its signatures)``, not ``NOT EXISTS (a
    signature with another hash)``: the same rows (a NULL hash, which the column does
    not allow, would fail it), but PostgreSQL estimated the anti-join to keep 5 of
    2,330 live promises, and every public read built on it — the newest follow-ups,
    the national figures — then chose nested loops over every follow-up (24 ms for
    the start page's five, 120 ms for the national status counts).
    """
    version_id = f"{prefix}id" if prefix else "pk"
    return [
        Q(**{f"{prefix}content_intact": True}),
        Func(
            F(f"{prefix}content_sha256"),
            Subquery(
                Signature.objects.filter(version_id=OuterRef(version_id))
                .order_by()  # the model's ordering would join the outer tables again
                .values("content_sha256")
            ),
            template="%(expressions)s",
            arg_joiner=" = ALL",
            output_field=BooleanField(),
        ),
    ]


def version_problems(version: PromiseVersion, *, signatures) -> list[str]:
    """What is wrong with ``version`` and the given signatures of it (empty when intact)."""
    problems = []
    if sha256_hex(version.content) != version.content_sha256:
        problems.append("innehållet stämmer inte med sin SHA-256")
    try:
        data = json.loads(version.content)
    except ValueError:
        return [*problems, "innehållet är inte giltig JSON"]
    if data != version.snapshot:
        problems.append("den sökbara kopian skiljer sig från den signerade texten")
    try:
        parse(data)
    except SnapshotError as error:
        problems.append(f"innehållet följer inget känt schema ({error})")
    for signature in signatures:
        if signature.content_sha256 != version.content_sha256:
            problems.append(f"underskriften av {signature.signer_name} gäller en annan SHA-256")
    return problems


def chain_problems(promise_id: int) -> list[str]:
    """Recompute the promise's chain: positions 1…n, each link from the one before."""
    versions = {v.pk: v for v in PromiseVersion.objects.filter(promise_id=promise_id)}
    records = [(v.chain_position, v, version_record(v)) for v in versions.values()]
    for s in Signature.objects.filter(version__promise_id=promise_id):
        number = versions[s.version_id].number
        records.append(
            (s.chain_position, s, signature_record(s, promise_id=promise_id, version_number=number))
        )
    records.sort(key=lambda r: r[0])
    problems = []
    previous = GENESIS
    for expected, (position, row, record) in enumerate(records, start=1):
        label = f"post {position} ({record['kind']})"
        if position != expected:
            problems.append(f"{label}: väntade plats {expected} i kedjan")
        if row.previous_sha256 != previous:
            problems.append(f"{label}: länken till föregående post stämmer inte")
        if row.chain_sha256 != link(row.previous_sha256, record):
            problems.append(f"{label}: postens innehåll stämmer inte med dess länk")
        previous = row.chain_sha256
    return problems
