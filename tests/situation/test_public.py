"""Internal items never reach the frozen public part of a lägesbild, its template or open data."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from situation import services
from situation.frozen import FrozenSituation, freeze, situation_view
from situation.models import Source, Visibility
from tests.situation.factories import IndicatorFactory, SourceFactory

pytestmark = pytest.mark.django_db

SECRETS = ["HEMLIG", "INTERN", "777"]


def public_summary(report):
    return situation_view(FrozenSituation.model_validate(freeze(report)))


def public_data(report):
    return freeze(report)


def test_public_summary_has_only_public_items(kalmar_report):
    summary = public_summary(kalmar_report)
    assert [s.title for s in summary.sources] == ["Trygghetsmätning 2018"]
    texts = [f.text for group in summary.themes for f in group.findings]
    assert texts == ["Otryggheten är högre i Oxhagen."]
    assert [i.name for i in summary.indicators] == ["Använt narkotika"]


def test_public_template_never_shows_internal_items(kalmar_report):
    html = render_to_string(
        "situation/_public_summary.html", {"summary": public_summary(kalmar_report)}
    )
    assert "Trygghetsmätning 2018" in html
    assert "Otryggheten är högre i Oxhagen." in html
    assert "<svg" in html and "<title" in html
    for secret in SECRETS:
        assert secret not in html


def test_public_data_never_contains_internal_items(kalmar_report):
    data = public_data(kalmar_report)
    text = json.dumps(data, ensure_ascii=False)  # JSON-serialisable
    for secret in SECRETS:
        assert secret not in text
    assert [s["kind"] for s in data["sources"]] == ["trygghetsmatning"]
    values = data["indicators"][0]["values"]
    assert {(v["breakdown"], v["group"], float(v["value"])) for v in values} == {
        ("alla", "", 5.0),
        ("kon", "pojkar", 6.0),
        ("kon", "flickor", 4.0),
    }


def test_intelligence_can_never_be_public(kalmar_report):
    with pytest.raises(ValidationError):
        SourceFactory.build(
            report=kalmar_report, kind="underrattelser", visibility=Visibility.PUBLIC
        ).full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        SourceFactory(report=kalmar_report, kind="underrattelser", visibility=Visibility.PUBLIC)


def test_public_indicator_cannot_cite_internal_source(kalmar_report, kalmar_coordinator):
    internal = Source.objects.get(title="INTERN medarbetarenkät")
    with pytest.raises(ValidationError):
        services.indicator_create(
            user=kalmar_coordinator,
            report=kalmar_report,
            name="Ny",
            source=internal,
            visibility=Visibility.PUBLIC,
        )


def test_source_turned_internal_is_dropped_from_public_indicators(
    kalmar_report, kalmar_coordinator
):
    source = Source.objects.get(title="Trygghetsmätning 2018")
    indicator = IndicatorFactory(report=kalmar_report, source=source)
    services.source_update(
        user=kalmar_coordinator,
        source=source,
        expected_version=source.lock_version,
        data={"visibility": Visibility.INTERNAL},
    )
    indicator.refresh_from_db()
    assert indicator.source is None
    assert "Trygghetsmätning 2018" not in json.dumps(public_data(kalmar_report))


def test_public_summary_query_count_is_constant(kalmar_report, django_assert_max_num_queries):
    for n in range(10):
        IndicatorFactory(report=kalmar_report, name=f"Extra {n}")
    with django_assert_max_num_queries(5):
        summary = public_summary(kalmar_report)
        render_to_string("situation/_public_summary.html", {"summary": summary})
