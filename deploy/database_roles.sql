-- Database roles for a production installation of Medborgarlöfte (PostgreSQL >= 15).
--
-- Two roles, neither a superuser:
--   medborgarlofte_owner  owns the schema and runs `manage.py migrate`;
--   medborgarlofte_app    is what gunicorn, the tasks worker and cron connect as
--                         (DATABASE_URL). It reads and writes rows, but it does not
--                         own any table, so it can neither switch triggers off
--                         (ALTER TABLE ... DISABLE TRIGGER needs ownership;
--                         session_replication_role needs a superuser) nor
--                         update or delete signed versions, signatures or the
--                         transition log, which it is not granted at all.
--
-- Run once as a superuser (or the database owner), then run migrations as
-- medborgarlofte_owner. Rename the roles and the database as you like, and set
-- passwords with \password in psql. tests/core/test_database_roles.py applies
-- this file to the test database and checks what the app role can and cannot do.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'medborgarlofte_owner') THEN
        CREATE ROLE medborgarlofte_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'medborgarlofte_app') THEN
        CREATE ROLE medborgarlofte_app LOGIN;
    END IF;
END
$$;

GRANT USAGE, CREATE ON SCHEMA public TO medborgarlofte_owner;
GRANT USAGE ON SCHEMA public TO medborgarlofte_app;

-- Rows of every table, present and future (tables the owner's migrations create).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO medborgarlofte_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO medborgarlofte_app;
ALTER DEFAULT PRIVILEGES FOR ROLE medborgarlofte_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO medborgarlofte_app;
ALTER DEFAULT PRIVILEGES FOR ROLE medborgarlofte_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO medborgarlofte_app;

-- The signed record: insert and read, never change or remove.
REVOKE UPDATE, DELETE, TRUNCATE ON
    promises_promiseversion, promises_signature, promises_promisetransition
    FROM medborgarlofte_app;
