"""The embedded PostgreSQL server used when ``DATABASE_URL`` is not set.

``pgserver`` ships a real PostgreSQL in a wheel. The server keeps running after
the process that started it exits (``cleanup_mode=None``), so ``runserver``,
``migrate``, the shell and the test run all share one server and one data
folder instead of each paying for a start-up.
"""

import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


class EmbeddedDatabaseError(RuntimeError):
    pass


def database_config(data_dir: Path) -> dict:
    """Start (or reuse) the embedded server and return a ``DATABASES`` entry."""
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, cron);
            # its /tmp fallback is fine.
            warnings.simplefilter("ignore")
            import pgserver
    except ImportError as exc:  # pragma: no cover - the package is a dependency
        raise EmbeddedDatabaseError(
            "DATABASE_URL är inte satt och paketet pgserver saknas. "
            "Kör 'make run' eller sätt DATABASE_URL till en PostgreSQL-server."
        ) from exc

    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        server = pgserver.get_server(data_dir, cleanup_mode=None)
    except Exception as exc:
        log = data_dir / "log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise EmbeddedDatabaseError(
            f"Den inbyggda PostgreSQL-servern i {data_dir} kunde inte starta: {exc}.\n"
            f"Sätt DATABASE_URL för att använda en annan server.\n{tail}"
        ) from exc

    uri = urlsplit(server.get_uri())
    host = parse_qs(uri.query).get("host", [uri.hostname or ""])[0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": uri.path.lstrip("/") or "postgres",
        "USER": uri.username or "postgres",
        "PASSWORD": "",
        "HOST": host,
        "PORT": str(uri.port or ""),
    }
