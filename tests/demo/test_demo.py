"""The demo goes down the paths users take: the services, as the person, in the history."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from activities.models import ActivityReport
from demo import accounts, activities, followups
from demo import promises as promises_demo
from demo.data import kalmar_2019_2020, katrineholm_2020
from followups.models import FollowUp
from organizations.models import OrganisationEvent, Partnership
from promises.models import PaperSigning, Promise, Signature
from situation.models import SituationReport

pytestmark = pytest.mark.django_db

# Every model the history tracks that the demo writes.
TRACKED = [
    "promises.PromiseEvent",
    "promises.CommitmentEvent",
    "promises.PaperSigningEvent",
    "situation.SituationReportEvent",
    "situation.SourceEvent",
    "situation.FindingEvent",
    "situation.IndicatorEvent",
    "situation.IndicatorValueEvent",
    "activities.ActivityPlanEvent",
    "activities.ActivityEvent",
    "activities.ActivityReportEvent",
    "activities.MeasureEvent",
    "followups.FollowUpEvent",
    "followups.CommitmentAssessmentEvent",
    "followups.FollowUpIndicatorValueEvent",
    "followups.FollowUpApprovalEvent",
]


@pytest.fixture
def loaded(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def username_of(user_id):
    return get_user_model().objects.get(pk=user_id).username if user_id else None


def authors(label, **filters) -> set:
    """Who the history says wrote the events of ``label`` matching ``filters``."""
    events = apps.get_model(label).objects.filter(**filters).select_related("pgh_context")
    return {
        username_of(e.pgh_context.metadata.get("user")) if e.pgh_context else None for e in events
    }


def transitions(title):
    promise = Promise.objects.get(title=title)
    return [
        (t.kind, t.actor.username if t.actor else None) for t in promise.transitions.order_by("pk")
    ]


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    assert not Promise.objects.exists()


def test_load_demo_prints_the_logins_and_the_app_secrets(loaded):
    for username, _description in accounts.logins():
        assert f"  {username}" in loaded
    secrets = accounts.totp_secrets()
    assert list(secrets) == accounts.SECOND_FACTOR_USERS
    for username, secret in secrets.items():
        assert f"{username:<28} {secret}" in loaded
    assert f"lösenord för alla: {accounts.DEMO_PASSWORD}" in loaded


def test_a_second_run_writes_nothing(loaded, settings):
    writes = []

    def spy(execute, sql, params, many, context):
        if sql.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            writes.append(sql)
        return execute(sql, params, many, context)

    out = io.StringIO()
    with connection.execute_wrapper(spy):
        call_command("load_demo", stdout=out)
    assert writes == []
    assert out.getvalue().splitlines()[-1].startswith("  katrineholm-ks-ordforande")


def test_the_promises_went_through_the_workflow(loaded):
    assert transitions(katrineholm_2020.TITLE) == [
        ("skapat", "katrineholm-samordnare"),
        ("papper", "katrineholm-samordnare"),
        ("papper_bekraftat", "katrineholm-kommunpolis"),
        ("publicerat", "katrineholm-kommunpolis"),
        ("avslutat", None),  # the daily job, not a person
    ]
    assert transitions(kalmar_2019_2020.TITLE) == [
        ("skapat", "kalmar-samordnare"),
        ("skickat", "kalmar-samordnare"),
    ]
    assert transitions(katrineholm_2020.DRAFT_TITLE) == [("skapat", "katrineholm-samordnare")]
    draft = Promise.objects.get(title=katrineholm_2020.DRAFT_TITLE)
    assert draft.predecessor.title == katrineholm_2020.TITLE


def test_katrineholm_was_signed_on_paper_and_confirmed_by_the_other_party(loaded):
    promise = Promise.objects.get(title=katrineholm_2020.TITLE)
    assert promise.status == Promise.Status.ENDED
    version = promise.published_version
    assert version.number == 1 and version.is_intact()
    # The lägesbild was linked before anything was frozen: the signed version carries it.
    assert version.snapshot["situation"]["title"] == katrineholm_2020.REPORT["title"]
    assert len(version.snapshot["commitments"]) == 12
    paper = PaperSigning.objects.get(promise=promise)
    assert (paper.status, paper.recorded_by.username, paper.decided_by.username) == (
        PaperSigning.Status.CONFIRMED,
        "katrineholm-samordnare",
        "katrineholm-kommunpolis",
    )
    signatures = Signature.objects.filter(version=version).order_by("requirement__order")
    assert [(s.signer_name, s.signer_title, s.method) for s in signatures] == [
        ("Liselotte Jergard", "Chef lokalpolisområde Katrineholm", Signature.Method.PAPER),
        ("Göran Dahlström", "Kommunstyrelsens ordförande", Signature.Method.PAPER),
    ]
    assert {s.evidence_sha256 for s in signatures} == {paper.scan_sha256}
    kalmar = Promise.objects.get(title=kalmar_2019_2020.TITLE)
    assert kalmar.status == Promise.Status.AWAITING_SIGNATURES
    assert kalmar.decision_reference == "KS 2018/1249"
    assert not Signature.objects.filter(version__promise=kalmar).exists()


def test_versions_and_the_hash_chain_verify(loaded):
    out = io.StringIO()
    call_command("verify_signatures", stdout=out)
    assert "Allt stämmer: 2 versioner, 2 underskrifter och 3 hashkedjor." in out.getvalue()


def test_the_history_names_who_did_each_thing(loaded):
    katrineholm = Promise.objects.get(title=katrineholm_2020.TITLE)
    kalmar = Promise.objects.get(title=kalmar_2019_2020.TITLE)
    assert authors("promises.CommitmentEvent", pgh_obj__promise=katrineholm) == {
        "katrineholm-samordnare"
    }
    assert authors("promises.CommitmentEvent", pgh_obj__promise=kalmar) == {"kalmar-samordnare"}
    kalmar_report = SituationReport.objects.get(title=kalmar_2019_2020.REPORT["title"])
    for label, filters in [
        ("situation.SituationReportEvent", {"pgh_obj": kalmar_report}),
        ("situation.SourceEvent", {"pgh_obj__report": kalmar_report}),
        ("situation.FindingEvent", {"pgh_obj__report": kalmar_report}),
        ("situation.IndicatorValueEvent", {"pgh_obj__indicator__report": kalmar_report}),
    ]:
        assert authors(label, **filters) == {"kalmar-samordnare"}, label
    assert authors("followups.FollowUpApprovalEvent", pgh_obj__side="police") == {
        "katrineholm-kommunpolis"
    }
    assert authors("followups.FollowUpApprovalEvent", pgh_obj__side="municipality") == {
        "katrineholm-samordnare"
    }
    # Nothing tracked was written outside a person's context.
    for label in TRACKED:
        assert apps.get_model(label).objects.exists(), label
        assert None not in authors(label), label


def test_activities_are_reported_by_the_side_that_did_them(loaded):
    reporters = {
        r.activity.title: r.reported_by.username
        for r in ActivityReport.objects.select_related("activity", "reported_by")
    }
    assert reporters["Fotpatrull i centrum med 15-minutersmetoden"] == "katrineholm-kommunpolis"
    assert reporters["Sociala insatsgrupper (SIG)"] == "katrineholm-samordnare"
    assert reporters["Trygghetsvandringar i centrum"] == "katrineholm-samordnare"
    assert reporters["Trygghetsvandringar i de fem stadsdelarna"] == "kalmar-samordnare"
    assert authors(
        "activities.ActivityReportEvent",
        pgh_obj__activity__title="Fotpatrull i centrum med 15-minutersmetoden",
    ) == {"katrineholm-kommunpolis"}


def test_followups_were_approved_side_by_side_and_published(loaded):
    followups_ = list(
        FollowUp.objects.filter(promise__title=katrineholm_2020.TITLE).order_by("period_start_date")
    )
    assert [f.status for f in followups_] == ["publicerad", "publicerad", "utkast"]
    assert all(f.is_example for f in followups_)
    assert [sorted(a.user.username for a in f.approvals.all()) for f in followups_] == [
        ["katrineholm-kommunpolis", "katrineholm-samordnare"],
        ["katrineholm-kommunpolis", "katrineholm-samordnare"],
        ["katrineholm-kommunpolis"],
    ]
    assert followups_[0].published_at < followups_[1].published_at
    assert followups_[0].indicator_values.get().value == 41


def test_the_partnerships_were_agreed_and_require_two_factors(loaded):
    for seed in (kalmar_2019_2020, katrineholm_2020):
        partnership = Partnership.objects.get(name=seed.PARTNERSHIP)
        assert partnership.status == Partnership.Status.ACTIVE
        assert partnership.require_mfa_for_signing
        assert [r.title for r in partnership.signatory_requirements.order_by("order")] == [
            seed.POLICE_SIGNATORY_TITLE,
            seed.MUNICIPAL_SIGNATORY_TITLE,
        ]
        kinds = list(
            OrganisationEvent.objects.filter(partnership=partnership)
            .order_by("pk")
            .values_list("kind", "actor__username")
        )
        assert kinds[0] == (OrganisationEvent.Kind.PARTNERSHIP_PROPOSED, "admin")
        assert (OrganisationEvent.Kind.PARTNERSHIP_AGREED, "admin") in kinds
    for username in accounts.SECOND_FACTOR_USERS:
        assert TOTPDevice.objects.filter(user__username=username, confirmed=True).count() == 1


def test_parts_skip_quietly_without_the_promises():
    out = io.StringIO()
    activities.load(stdout=out)
    followups.load(stdout=out)
    assert out.getvalue().count("hoppar över") == 3
    assert promises_demo.KATRINEHOLM_TITLE == katrineholm_2020.TITLE


def test_the_demo_loads_where_its_areas_exist_with_other_capitals(
    settings, django_capture_on_commit_callbacks
):
    """A database where someone already made "Centrala Katrineholm" (the national data
    set does): the demo uses that area rather than stopping at its "centrala Katrineholm"."""
    from organizations.models import Area, Organisation

    katrineholm = Organisation.objects.municipalities().get(name="Katrineholm")
    existing = Area.objects.create(
        municipality=katrineholm, name="Centrala Katrineholm", kind=Area.Kind.AREA
    )
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    assert (
        Area.objects.filter(municipality=katrineholm, name__iexact="centrala katrineholm").get()
        == existing
    )
    assert Promise.objects.filter(
        partnership__name=katrineholm_2020.PARTNERSHIP, areas=existing
    ).exists()


def test_loading_the_demo_beside_other_promises_publishes_only_the_demos_once(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    """On the national set a whole rebuild of the index after loading took six minutes,
    and the open-data files were rebuilt after each of the demo's publications (70 s
    each): load_demo publishes the demo's promises once at the end, and nothing else,
    and leaves the index complete."""
    from core import publication, search
    from promises.search import group_key

    call_command(
        "generate_national", force=True, workers=1, scale=0.004, years=1, stdout=io.StringIO()
    )
    others = {group_key(pk) for pk in Promise.objects.values_list("pk", flat=True)}
    assert others
    refreshed, after = [], []
    refresh, after_publication = search.refresh, publication._after_publication
    monkeypatch.setattr(search, "refresh", lambda key: refreshed.append(key) or refresh(key))
    monkeypatch.setattr(
        publication, "_after_publication", lambda: after.append(1) or after_publication()
    )
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    demo_keys = {
        group_key(pk)
        for pk in Promise.objects.filter(
            partnership__name__in=[kalmar_2019_2020.PARTNERSHIP, katrineholm_2020.PARTNERSHIP]
        ).values_list("pk", flat=True)
    }
    assert sorted(refreshed) == sorted(demo_keys)  # each once, none of the others
    assert after == [1]
    # Complete: bringing every published group up to date changes nothing.
    assert search.published_groups()
    assert not any(search.refresh(key).changed for key in search.published_groups())
    assert not search.repair().fixed
