"""The production database roles (deploy/database_roles.sql) are enough, and no more.

The file is applied to the test database with role names of this run; then
the whole signing workflow runs as the application role, and every way of
rewriting the signed record is refused to it: no UPDATE or DELETE, no
switching triggers off, no replica mode. Everything here happens inside the
test's transaction, so the roles vanish with it.
"""

import uuid
from datetime import date
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from promises import services
from promises.models import Promise
from tests.factories import sign

pytestmark = pytest.mark.django_db

SQL = Path(__file__).resolve().parents[2] / "deploy" / "database_roles.sql"


@pytest.fixture
def app_role():
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"mlf_owner_{suffix}", f"mlf_app_{suffix}"
    script = (
        SQL.read_text().replace("medborgarlofte_owner", owner).replace("medborgarlofte_app", app)
    )
    with connection.cursor() as cursor:
        cursor.execute(script)
    return app


def as_role(role: str, sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        cursor.execute(sql, params)
        # A released savepoint keeps SET LOCAL: go back to the test's own role.
        cursor.execute("RESET ROLE")


def refused(role: str, sql: str):
    with pytest.raises(DatabaseError) as error:
        as_role(role, sql)
    return str(error.value)


def test_the_app_role_runs_the_signing_workflow(
    app_role,
    kalmar_coordinator,
    kalmar_partnership,
    kalmar_police_chief,
    kalmar_municipal_signatory,
):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{app_role}"')
        promise = services.promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_partnership,
            title="Som applikationsrollen",
            valid_from_date=date(2026, 1, 1),
            valid_to_date=date(2026, 12, 31),
        )
        services.commitment_create(
            user=kalmar_coordinator, promise=promise, party="police", text="Polisen patrullerar."
        )
        services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
        for signer in (kalmar_police_chief, kalmar_municipal_signatory):
            sign(signer, promise)
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role
        cursor.execute("RESET ROLE")
    promise.refresh_from_db()
    assert promise.status == Promise.Status.PUBLISHED


def test_the_app_role_cannot_rewrite_or_unprotect_the_signed_record(app_role):
    for table in ("promises_promiseversion", "promises_signature", "promises_promisetransition"):
        assert "permission denied" in refused(app_role, f"UPDATE {table} SET id = id")
        assert "permission denied" in refused(app_role, f"DELETE FROM {table}")
        assert "permission denied" in refused(app_role, f"TRUNCATE {table}")
        assert "must be owner" in refused(app_role, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    assert "permission denied" in refused(app_role, "SET session_replication_role = replica")
    as_role(app_role, "SELECT count(*) FROM promises_promiseversion")
