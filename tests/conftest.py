"""Shared fixtures: two partnerships (Kalmar, Katrineholm) and a user per role.

Fixture names say the role: ``kalmar_coordinator`` is the municipal
coordinator, ``kalmar_police_coordinator`` the kommunpolis, and so on.
"""

import os
import shutil

import pytest
from django.db.models.signals import post_migrate

from organizations.models import Membership, SigningRole
from organizations.reference import ensure_reference_data
from organizations.services import partnership_create
from tests.factories import PASSWORD, PoliceAreaFactory, UserFactory, municipality

Role = Membership.Role

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# browser tests make between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """Test databases commit without waiting for the disk (``synchronous_commit=off``).

    The demo the browser tests load per test commits hundreds of transactions, and each
    waited for an fsync; a crash can lose the last moments of a test database, which is
    thrown away anyway. Nothing else about the database changes: same server, same SQL.
    """
    from django.conf import settings

    for alias in settings.DATABASES:
        options = settings.DATABASES[alias].setdefault("OPTIONS", {})
        if "synchronous_commit" not in options.get("options", ""):
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_reference_data()


def _reference_data_after_flush(sender, **kwargs):
    """A transactional test ends with a flush, which empties the reference tables too.

    Django sends ``post_migrate`` after that flush (that is how content types and
    permissions come back); the kommuner and police areas come back the same way, so
    a test that runs after a transactional one, in any order and on any xdist worker,
    finds the reference data the data migrations put there.
    """
    if sender.label == "organizations":
        ensure_reference_data()


post_migrate.connect(_reference_data_after_flush, dispatch_uid="tests-reference-data")


@pytest.fixture
def password():
    return PASSWORD


def _member(username, organisation, role, title="", signing_role=""):
    user = UserFactory(username=username)
    if role == Role.SIGNATORY and not signing_role:
        # The default requirements: the LPO's chief and each kommun's representative.
        signing_role = (
            SigningRole.POLICE_AREA_CHIEF
            if organisation.is_police
            else SigningRole.MUNICIPAL_REPRESENTATIVE
        )
    Membership.objects.create(
        user=user, organisation=organisation, role=role, title=title, signing_role=signing_role
    )
    return user


@pytest.fixture
def kalmar(db):
    return municipality("0880")


@pytest.fixture
def katrineholm(db):
    return municipality("0483")


@pytest.fixture
def lpo_kalmar(db):
    return PoliceAreaFactory(name="LPO Kalmar", slug="lpo-kalmar-test")


@pytest.fixture
def lpo_katrineholm(db):
    from organizations.models import PoliceRegion

    return PoliceAreaFactory(
        name="LPO Katrineholm",
        slug="lpo-katrineholm-test",
        police_region=PoliceRegion.objects.get(slug="ost"),
    )


@pytest.fixture
def kalmar_partnership(kalmar, lpo_kalmar):
    return partnership_create(
        name="Samverkan Kalmar", police_area=lpo_kalmar, municipalities=[kalmar]
    )


@pytest.fixture
def katrineholm_partnership(katrineholm, lpo_katrineholm):
    return partnership_create(
        name="Samverkan Katrineholm", police_area=lpo_katrineholm, municipalities=[katrineholm]
    )


@pytest.fixture
def kalmar_coordinator(kalmar_partnership, kalmar):
    return _member("t-kalmar-samordnare", kalmar, Role.COORDINATOR, "Strateg")


@pytest.fixture
def kalmar_police_coordinator(kalmar_partnership, lpo_kalmar):
    return _member("t-kalmar-kommunpolis", lpo_kalmar, Role.COORDINATOR, "Kommunpolis")


@pytest.fixture
def kalmar_police_chief(kalmar_partnership, lpo_kalmar):
    return _member("t-kalmar-lpo-chef", lpo_kalmar, Role.SIGNATORY, "Lokalpolisområdeschef")


@pytest.fixture
def kalmar_municipal_signatory(kalmar_partnership, kalmar):
    return _member("t-kalmar-ks", kalmar, Role.SIGNATORY, "Kommunstyrelsens ordförande")


@pytest.fixture
def kalmar_reader(kalmar_partnership, kalmar):
    return _member("t-kalmar-lasare", kalmar, Role.READER)


@pytest.fixture
def katrineholm_coordinator(katrineholm_partnership, katrineholm):
    return _member("t-katrineholm-samordnare", katrineholm, Role.COORDINATOR)


@pytest.fixture
def superuser(db):
    return UserFactory(username="t-admin", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so no page cached by another test is served."""
    from django.core.cache import cache

    from public.caching import forget_canonical, local_pages

    cache.clear()
    local_pages.clear()
    forget_canonical()
    yield
    cache.clear()
    local_pages.clear()
    forget_canonical()


@pytest.fixture(autouse=True)
def _swedish_between_tests():
    """A request through the test client leaves its language active in the thread; every
    test starts, as a server process does, in the default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files (scans, imported documents) go to throw-away folders, not media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private"}},
    }


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium saknas på {CHROMIUM}: installera paketet chromium (se .ci/run).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()
