"""The published read model's own rules: one door, fresh caches, dates decide the state."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from activities import services as activity_services
from promises import services
from promises.published import PublicState, state_on, summaries
from public.caching import public_page
from tests.factories import sign

pytestmark = pytest.mark.django_db

PUBLIC = Path(__file__).resolve().parents[2] / "public"
WORKING_COPY_MODULES = {
    "promises.models",
    "activities.models",
    "followups.models",
    "situation.models",
    "promises.services",
}


def test_public_code_never_imports_the_working_copy():
    """The safe path is the only easy one: public modules import the read model, not models."""
    for path in sorted(PUBLIC.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module not in WORKING_COPY_MODULES, f"{path.name}: {node.module}"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name not in WORKING_COPY_MODULES, f"{path.name}: {alias.name}"


def test_state_follows_the_signed_period_and_the_date():
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert state_on(start, end, date(2025, 12, 31)) == PublicState.UPCOMING
    assert state_on(start, end, date(2026, 1, 1)) == PublicState.ACTIVE
    assert state_on(start, end, date(2026, 12, 31)) == PublicState.ACTIVE
    assert state_on(start, end, date(2027, 1, 1)) == PublicState.ENDED


@pytest.fixture
def sign_and_publish(
    kalmar_coordinator,
    kalmar_partnership,
    kalmar_police_chief,
    kalmar_municipal_signatory,
    django_capture_on_commit_callbacks,
):
    def publish(title, start, end, extended_to=None):
        # As in real life the publication commits and what follows it runs; a batch
        # the test's own transaction never commits would hold every later change.
        with django_capture_on_commit_callbacks(execute=True):
            return _publish(title, start, end, extended_to)

    def _publish(title, start, end, extended_to=None):
        promise = services.promise_create(
            user=kalmar_coordinator,
            partnership=kalmar_partnership,
            title=title,
            valid_from_date=start,
            valid_to_date=end,
            extended_to_date=extended_to,
        )
        services.commitment_create(
            user=kalmar_coordinator, promise=promise, party="police", text=f"Åtagande i {title}"
        )
        services.promise_submit_for_signing(user=kalmar_coordinator, promise=promise)
        for signer in (kalmar_police_chief, kalmar_municipal_signatory):
            sign(signer, promise)
        promise.refresh_from_db()
        return promise

    return publish


def test_an_extension_keeps_a_promise_active_and_a_signed_future_one_is_upcoming(
    client, sign_and_publish
):
    extended = sign_and_publish(
        "Förlängt", date(2025, 1, 1), date(2025, 12, 31), date(2026, 12, 31)
    )
    coming = sign_and_publish("Nästa år", date(2027, 1, 1), date(2027, 12, 31))
    states = {s.id: s.state() for s in summaries()}
    assert states == {extended.pk: "active", coming.pk: "upcoming"}
    assert client.get(f"/api/v1/promises/{coming.pk}").json()["status"] == "upcoming"
    assert "Kommande" in client.get(coming.get_public_url()).content.decode()
    upcoming = client.get("/api/v1/promises?status=upcoming").json()
    assert [p["id"] for p in upcoming["items"]] == [coming.pk]


def test_a_new_activity_shows_on_the_cached_page_at_once(
    client, sign_and_publish, kalmar_coordinator, django_capture_on_commit_callbacks
):
    promise = sign_and_publish("Med plan", date(2026, 1, 1), date(2026, 12, 31))
    url = promise.get_public_url()
    assert "Cykelpatrull" not in client.get(url).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        plan = activity_services.activity_plan_create(
            user=kalmar_coordinator, promise=promise, year=2026
        )
        activity_services.activity_create(
            user=kalmar_coordinator,
            plan=plan,
            commitment=promise.commitments.get(),
            title="Cykelpatrull",
        )
    assert "Cykelpatrull" in client.get(url).content.decode()


def test_the_page_cache_is_kept_apart_per_language_and_per_day():
    calls = []

    @public_page
    def view(request):
        calls.append(translation.get_language())
        return HttpResponse(translation.get_language())

    request = RequestFactory().get("/")
    for language in ("sv", "en", "sv", "en"):
        with translation.override(language):
            assert view(request).content.decode() == language
    assert calls == ["sv", "en"]
