"""factory-boy factories for the situation models."""

from datetime import date
from decimal import Decimal

import factory

from situation.models import (
    Finding,
    Indicator,
    IndicatorValue,
    SituationReport,
    Source,
    Visibility,
)
from tests.factories import PartnershipFactory


class SituationReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SituationReport

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Lägesbild {n}")
    report_date = date(2018, 12, 11)
    period_start_date = date(2018, 1, 1)
    period_end_date = date(2018, 12, 31)
    summary = "Lägesbilden baseras på trygghetsmätningar och medborgardialoger."


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    report = factory.SubFactory(SituationReportFactory)
    kind = Source.Kind.SAFETY_SURVEY
    year = 2018
    title = factory.Sequence(lambda n: f"Trygghetsmätning {n}")
    visibility = Visibility.PUBLIC


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    report = factory.SubFactory(SituationReportFactory)
    text = factory.Sequence(lambda n: f"Fynd nummer {n}: otryggheten är högre i centrum.")
    visibility = Visibility.PUBLIC


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    report = factory.SubFactory(SituationReportFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    population = "elever i årskurs 9"
    unit = "%"
    visibility = Visibility.PUBLIC


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2017"
    breakdown = IndicatorValue.Breakdown.ALL
    group = ""
    value = Decimal("5")
