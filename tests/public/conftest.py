"""Fixtures for the public portal tests: the demo content and freshly published promises."""

from datetime import date

import pytest
from django.urls import reverse

from core import publication
from demo import accounts as accounts_demo
from demo import promises as promises_demo
from promises import services
from promises.models import Promise
from tests.activities.factories import (
    ActivityFactory,
    ActivityPlanFactory,
    CommitmentFactory,
    PromiseFactory,
)
from tests.factories import publish_working_copy, sign


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    """Katrineholm 2020 published, Kalmar awaiting signatures, a 2021 draft."""
    with django_capture_on_commit_callbacks(execute=True):
        accounts_demo.load()
        promises_demo.load()


@pytest.fixture
def publish_kalmar_promise(
    kalmar_coordinator, kalmar_partnership, kalmar_police_chief, kalmar_municipal_signatory
):
    """Make a promise of the Kalmar partnership with ``commitments`` commitments and publish it."""

    def publish(title: str = "Löfte", commitments: int = 3) -> Promise:
        promise = services.promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_partnership,
            title=title,
            valid_from_date=date(2026, 1, 1),
            valid_to_date=date(2026, 12, 31),
        )
        for i in range(commitments):
            services.commitment_create(
                user=kalmar_coordinator,
                promise=promise,
                party=["police", "joint"][i % 2],
                text=f"Åtagande {i}",
                target_quantity=i + 1,
                target_unit="insatser",
            )
        services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
        for signer in (kalmar_police_chief, kalmar_municipal_signatory):
            sign(signer, promise)
        promise.refresh_from_db()
        return promise

    return publish


@pytest.fixture
def full_demo(db, django_capture_on_commit_callbacks):
    """Everything `make run` loads: every app's demo, the search index rebuilt."""
    from io import StringIO

    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--force", stdout=StringIO())


@pytest.fixture
def no_page_cache(settings):
    """The cache off, for tests that count what a page itself asks (the second request
    would otherwise come from the page cache with no query at all)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


# --- Two promises in two kommuner, and their pages (the page cache's tests) -----------


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what a publication does after its commit, as it does in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def kalmar_a(kalmar_partnership, run_on_commit):
    """Promise A in Kalmar, published, with an activity on a signed commitment."""
    promise = PromiseFactory(partnership=kalmar_partnership, title="Löfte A i Kalmar")
    commitment = CommitmentFactory(promise=promise, text="Polisen patrullerar i centrum.")
    CommitmentFactory(promise=promise, text="Kommunen informerar invånarna.")
    with run_on_commit():
        publish_working_copy(promise)
    plan = ActivityPlanFactory(promise=promise, year=2020)
    activity = ActivityFactory(plan=plan, commitment=commitment, title="Kvällspatrull")
    with run_on_commit():
        publication.changed(f"promise:{promise.pk}")  # the activity, as activity_create does
    promise.activity = activity
    return promise


@pytest.fixture
def katrineholm_b(katrineholm_partnership, run_on_commit):
    """Promise B, in another kommun."""
    promise = PromiseFactory(partnership=katrineholm_partnership, title="Löfte B i Katrineholm")
    CommitmentFactory(promise=promise, text="Vi håller trygghetsvandringar.")
    with run_on_commit():
        publish_working_copy(promise)
    return promise


@pytest.fixture
def pages(kalmar_a, katrineholm_b):
    urls = {
        "a": kalmar_a.get_public_url(),
        "b": katrineholm_b.get_public_url(),
        "kalmar": reverse("public:municipality-detail", args=["kalmar"]),
        "katrineholm": reverse("public:municipality-detail", args=["katrineholm"]),
        "start": reverse("public:home"),
        "kommuner": reverse("public:municipality-list"),
        "sverige": reverse("public:sweden"),
        "search": reverse("public:search") + "?q=patrullerar",
    }
    return urls
