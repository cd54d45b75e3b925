"""The signed snapshot holds data only (issue 16): headings and target sentences are
written in the reader's language when shown, so what is signed, and its hash, is the
same whoever publishes it and whoever reads it. Old versions that froze Swedish labels
are read as they are, never rewritten."""

import copy

import pytest
from django.utils import translation

from promises import snapshot
from promises.snapshot import (
    Target,
    canonical_json,
    parse,
    sha256_of,
    target_in_reader_language,
)

pytestmark = pytest.mark.django_db

V1_COMMITMENT = {
    "id": 5,
    "order": 1,
    "party": "joint",
    "party_label": "Tillsammans",
    "municipality": None,
    "partner": None,
    "text": "Vi går trygghetsvandringar.",
    "theme": "Trygghet",
    "areas": ["Centrum"],
    "target": {
        "quantity": 2,
        "unit": "vandringar",
        "period": "ar",
        "per_area": True,
        "text": "minst 2 vandringar per år i varje område",
    },
    "condition": "",
}
TARGET_DATA = {"quantity": 2, "unit": "vandringar", "period": "ar", "per_area": True}
V1 = {
    "schema": 1,
    "promise_id": 1,
    "title": "Medborgarlöfte 2020",
    "valid_from": "2020-01-01",
    "valid_to": "2020-12-31",
    "followup": {"cadence": "tertial", "cadence_label": "Tre gånger per år", "channels": ""},
    "partnership": {
        "name": "Samverkan",
        "police_area": {"id": 1, "kind": "lokalpolisomrade", "name": "LPO"},
        "municipalities": [
            {"id": 2, "kind": "kommun", "name": "Kalmar kommun", "municipality_code": "0880"}
        ],
    },
    "commitments": [V1_COMMITMENT],
}


def test_what_is_signed_is_the_same_in_every_language(publish_kalmar_promise):
    promise = publish_kalmar_promise(commitments=2)
    stored = promise.published_version.snapshot
    for language in ("sv", "en"):
        with translation.override(language):
            assert canonical_json(snapshot.build(promise)) == canonical_json(stored)
    text = canonical_json(stored)
    for label in ("Polisen lovar", "Tillsammans lovar vi", "minst ", "per år", "The police"):
        assert label not in text
    assert sha256_of(stored) == promise.published_version.content_sha256


def test_headings_and_targets_are_written_in_the_readers_language(publish_kalmar_promise):
    content = parse(publish_kalmar_promise(commitments=2).published_version.snapshot)
    police, joint = content.commitments
    with translation.override("sv"):
        assert police.heading == "Polisen lovar"
        assert police.target_text == "minst 1 insatser"
        assert joint.heading == "Tillsammans lovar vi"
    with translation.override("en"):
        english = (police.heading, police.target_text, joint.heading)
    assert english[0] != "Polisen lovar" and "Polisen" not in english[0]
    assert "minst" not in english[1] and "insatser" in english[1]
    assert "lovar" not in english[2]


def test_a_first_schema_version_keeps_its_bytes_and_is_read_in_any_language():
    stored = copy.deepcopy(V1)
    hash_before = sha256_of(stored)
    with translation.override("en"):
        content = parse(stored)
        commitment = content.commitments[0]
        assert commitment.target_text == Target(**TARGET_DATA).text()
        assert "minst" not in commitment.target_text and "område" not in commitment.target_text
        assert "Tillsammans" not in commitment.party_label
        assert "gånger" not in content.followup.cadence_label
    with translation.override("sv"):
        assert parse(stored).commitments[0].target_text == V1_COMMITMENT["target"]["text"]
    # Reading never rewrote what was stored, so its hash still matches.
    assert stored == V1 and sha256_of(stored) == hash_before


@pytest.mark.parametrize(
    "stored",
    [
        "minst 2 trygghetsvandringar",
        "minst 12 besök per månad",
        "minst 1 vandring per tertial i varje område",
    ],
)
def test_a_follow_ups_copied_target_is_shown_in_the_readers_language(stored):
    with translation.override("sv"):
        assert target_in_reader_language(stored) == stored
    with translation.override("en"):
        english = target_in_reader_language(stored)
    assert english != stored and "minst" not in english
    assert stored.split()[2] in english  # the unit, as the coordinators wrote it


@pytest.mark.parametrize("typed", ["", "Två vandringar", "minst två vandringar", "minst 2"])
def test_a_target_typed_by_hand_is_shown_as_it_was_written(typed):
    with translation.override("en"):
        assert target_in_reader_language(typed) == typed


def test_a_follow_up_started_in_english_stores_swedish(publish_kalmar_promise):
    from datetime import date

    from followups.models import FollowUp
    from followups.services import followup_prefill

    promise = publish_kalmar_promise(commitments=2)
    followup = FollowUp(
        promise=promise, period_start_date=date(2026, 1, 1), period_end_date=date(2026, 4, 30)
    )
    with translation.override("en"):
        rows = followup_prefill(followup)
    assert [row["promised"] for row in rows] == ["minst 1 insatser", "minst 2 insatser"]
    with translation.override("en"):
        shown = [target_in_reader_language(row["promised"]) for row in rows]
    assert all(text.startswith("at least") for text in shown)
