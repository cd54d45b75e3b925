import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _check_deploy(**extra):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "EMAIL_URL": "smtp+tls://portal:hemligt@smtp.example.se:587",
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "medborgarloften.example.se",
        "SITE_URL": "https://medborgarloften.example.se",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _check_deploy(
        SERVICE_OWNER="Katrineholms kommun och Lokalpolisområde Katrineholm",
        CONTACT_EMAIL="medborgarlofte@katrineholm.se",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_asks_who_runs_the_site_and_where_residents_write():
    result = _check_deploy()
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for name in ("CONTACT_EMAIL", "ACCESSIBILITY_EMAIL", "PRIVACY_EMAIL", "SERVICE_OWNER"):
        assert name in output


def test_the_database_is_postgresql_never_sqlite():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_the_interface_is_swedish_and_login_is_required_by_default():
    assert settings.LANGUAGE_CODE == "sv"
    from django.contrib.auth.middleware import LoginRequiredMiddleware
    from django.utils.module_loading import import_string

    assert any(
        issubclass(import_string(path), LoginRequiredMiddleware) for path in settings.MIDDLEWARE
    )


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 8


def test_the_secret_key_is_not_in_the_repository():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert ".env" not in tracked
    assert settings.SECRET_KEY not in (ROOT / ".env.example").read_text()
