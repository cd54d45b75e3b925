"""Fixtures for the hostile-input tests: published content to probe, and a write detector."""

import pytest
from django.db import transaction

from activities.models import Activity, ActivityPlan, ActivityReport, Measure
from core.models import SearchEntry
from followups.models import (
    CommitmentAssessment,
    FollowUp,
    FollowUpApproval,
    FollowUpIndicatorValue,
)
from organizations.models import (
    Area,
    Invitation,
    Membership,
    Organisation,
    Partnership,
    PartnershipProposal,
    SignatoryRequirement,
    Theme,
)
from promises.models import (
    Commitment,
    PaperSigning,
    Promise,
    PromiseTransition,
    PromiseVersion,
    Signature,
)
from situation.models import Finding, Indicator, IndicatorValue, SituationReport, Source

# Shared fixtures of the neighbouring test packages.
from tests.activities.conftest import districts, kalmar_plan, kalmar_promise  # noqa: F401
from tests.public.conftest import demo  # noqa: F401
from tests.situation.conftest import kalmar_report  # noqa: F401

#: Every table a workspace form or a public page of these apps could write to.
WATCHED = [
    SituationReport,
    Source,
    Finding,
    Indicator,
    IndicatorValue,
    ActivityPlan,
    Activity,
    ActivityReport,
    Measure,
    FollowUp,
    CommitmentAssessment,
    FollowUpIndicatorValue,
    FollowUpApproval,
    Promise,
    Commitment,
    PromiseVersion,
    PromiseTransition,
    Signature,
    PaperSigning,
    Area,
    Theme,
    Organisation,
    Partnership,
    PartnershipProposal,
    SignatoryRequirement,
    Membership,
    Invitation,
    SearchEntry,
]


def fingerprint() -> dict:
    """Every watched row with its last change: any insert, update or delete shows."""
    result = {}
    for model in WATCHED:
        fields = ["pk"]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            fields.append("updated_at")
        if any(f.name == "lock_version" for f in model._meta.concrete_fields):
            fields.append("lock_version")
        result[model.__name__] = list(model.objects.order_by("pk").values_list(*fields))
    return result


class Probe:
    """Send one request in a savepoint, tell its status and whether it wrote, then undo it."""

    def __init__(self, client):
        self.client = client

    def __call__(self, method: str, url: str, **kwargs) -> tuple[int | str, bool]:
        before = fingerprint()
        savepoint = transaction.savepoint_create()
        try:
            response = getattr(self.client, method)(url, **kwargs)
            status: int | str = response.status_code
        except Exception as exc:  # noqa: BLE001 - a crash is what the table records
            status = f"500 ({type(exc).__name__}: {str(exc)[:80]})"
            transaction.savepoint_rollback(savepoint)
            return status, False
        wrote = fingerprint() != before
        transaction.savepoint_rollback(savepoint)
        return status, wrote


@pytest.fixture
def probe(client):
    return Probe(client)


def server_error(status) -> bool:
    return isinstance(status, str) or status >= 500
