"""``core.choices.choice_label``: the same words as ``get_FOO_display()`` in each language."""

import pytest
from django.utils import translation

from activities.models import Activity
from core.choices import choice_label
from followups.models import CommitmentAssessment


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    ("model", "choices"),
    [(CommitmentAssessment, CommitmentAssessment.Status), (Activity, Activity.Status)],
)
def test_a_status_label_is_what_django_displays_in_the_readers_language(model, choices, language):
    with translation.override(language):
        for value in choices.values:
            row = model(status=value)
            assert row.status_label == row.get_status_display()
            assert isinstance(row.status_label, str)


def test_the_labels_follow_the_active_language():
    with translation.override("sv"):
        swedish = choice_label(CommitmentAssessment.Status, "genomford")
    with translation.override("en"):
        english = choice_label(CommitmentAssessment.Status, "genomford")
        assert english == str(CommitmentAssessment.Status.DONE.label)
    assert swedish == "Genomförd"
    assert english != swedish


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert choice_label(CommitmentAssessment.Status, "okand") == "okand"
