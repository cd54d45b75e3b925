"""“Mitt arbete” at national scale: the same number of queries with 2 and 12 partnerships.

The first-run guide used to work out its steps for every organisation a person
coordinates for (six queries each); organisations past their first run are now
left out in SQL and at most ``FIRST_RUN_GUIDES`` get their steps.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Membership, Organisation
from organizations.views.pages import FIRST_RUN_GUIDES
from tests.core.test_workspace_lists_scale import add_partnerships
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("core:dashboard")


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["superuser", "national_coordinator"])
def test_queries_on_the_dashboard_do_not_grow_with_the_country(client, request, who):
    if who == "superuser":
        user, coordinator = request.getfixturevalue("superuser"), None
    else:
        user = coordinator = UserFactory(username="t-nationell-samordnare")
    client.force_login(user)
    add_partnerships(2, coordinator=coordinator)
    small = queries(client)
    add_partnerships(10, coordinator=coordinator)
    assert queries(client) == small


def test_a_coordinator_of_many_new_kommuner_sees_the_first_guides_and_a_count(client):
    user = UserFactory(username="t-manga-kommuner")
    kommuner = list(Organisation.objects.municipalities().order_by("name")[: FIRST_RUN_GUIDES + 2])
    for kommun in kommuner:
        Membership.objects.create(user=user, organisation=kommun, role=Membership.Role.COORDINATOR)
    client.force_login(user)
    page = client.get(DASHBOARD).content.decode()
    assert page.count('class="mb-4 first-run card"') == FIRST_RUN_GUIDES
    assert "Ytterligare 2 organisationer har inte kommit igång än." in page
    assert kommuner[0].name in page
    assert f"Kom igång: {kommuner[-1].name}" not in page
