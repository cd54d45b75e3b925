import pytest

from situation.models import IndicatorValue, Visibility
from tests.situation.factories import (
    FindingFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    SituationReportFactory,
    SourceFactory,
)


@pytest.fixture
def kalmar_report(kalmar_partnership):
    """A Kalmar lägesbild with public and internal items of every kind."""
    report = SituationReportFactory(partnership=kalmar_partnership, title="Lägesbild Kalmar test")
    SourceFactory(report=report, title="Trygghetsmätning 2018")
    SourceFactory(
        report=report,
        kind="underrattelser",
        title="HEMLIG underrättelserapport",
        visibility=Visibility.INTERNAL,
    )
    SourceFactory(report=report, title="INTERN medarbetarenkät", visibility=Visibility.INTERNAL)
    FindingFactory(report=report, text="Otryggheten är högre i Oxhagen.")
    FindingFactory(
        report=report, text="INTERNT fynd om namngiven gruppering.", visibility=Visibility.INTERNAL
    )
    used = IndicatorFactory(report=report, name="Använt narkotika")
    IndicatorValueFactory(indicator=used, value=5)
    IndicatorValueFactory(
        indicator=used, breakdown=IndicatorValue.Breakdown.GENDER, group="pojkar", value=6
    )
    IndicatorValueFactory(
        indicator=used, breakdown=IndicatorValue.Breakdown.GENDER, group="flickor", value=4
    )
    secret = IndicatorFactory(
        report=report, name="INTERN indikator beslag", visibility=Visibility.INTERNAL
    )
    IndicatorValueFactory(indicator=secret, value=777)
    return report


@pytest.fixture
def katrineholm_report(katrineholm_partnership):
    return SituationReportFactory(
        partnership=katrineholm_partnership, title="Lägesbild Katrineholm test"
    )
