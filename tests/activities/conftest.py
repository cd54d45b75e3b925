import pytest

from organizations.models import Area
from tests.activities.factories import ActivityPlanFactory, PromiseFactory

DISTRICTS = ["Oxhagen", "Smedby", "Berga", "Funkabo", "Norrliden"]


@pytest.fixture
def districts(kalmar):
    return [
        Area.objects.get_or_create(municipality=kalmar, name=name, kind=Area.Kind.DISTRICT)[0]
        for name in DISTRICTS
    ]


@pytest.fixture
def kalmar_promise(kalmar_partnership):
    return PromiseFactory(partnership=kalmar_partnership, published=True)


@pytest.fixture
def kalmar_plan(kalmar_promise):
    return ActivityPlanFactory(promise=kalmar_promise, year=2020)
