"""Next year's promise from the real Katrineholm 2020 promise in the demo."""

from datetime import date

import pytest
from django.urls import reverse

from promises.models import Promise
from promises.published import published_promise

pytestmark = pytest.mark.django_db


def test_next_years_promise_copies_everything_listed(
    client, full_demo, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    katrineholm = Promise.objects.get(title="Medborgarlöfte Katrineholms kommun 2020")
    coordinator = get_user_model().objects.get(username="katrineholm-samordnare")
    client.force_login(coordinator)
    response = client.post(reverse("promises:promise-copy-forward", args=[katrineholm.pk]))
    new = Promise.objects.filter(predecessor=katrineholm).order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert (new.valid_from_date, new.valid_to_date) == (date(2021, 1, 1), date(2021, 12, 31))
    assert new.title == "Medborgarlöfte Katrineholms kommun 2021"
    assert new.status == Promise.Status.DRAFT and new.predecessor == katrineholm
    old = list(katrineholm.commitments.prefetch_related("owners", "areas").order_by("order"))
    copied = list(new.commitments.prefetch_related("owners", "areas").order_by("order"))
    assert len(copied) == 12
    for a, b in zip(old, copied, strict=True):
        assert (b.text, b.theme_id, b.condition, b.target_quantity, b.target_unit) == (
            a.text,
            a.theme_id,
            a.condition,
            a.target_quantity,
            a.target_unit,
        )
        assert set(b.owners.all()) == set(a.owners.all())
        assert set(b.areas.all()) == set(a.areas.all())
    assert set(new.themes.all()) == set(katrineholm.themes.all())
    assert new.followup_cadence == katrineholm.followup_cadence
    assert new.situation_report == katrineholm.situation_report
    # The signed 2020 promise is untouched and still what the public reads.
    assert published_promise(katrineholm.pk).title == "Medborgarlöfte Katrineholms kommun 2020"
