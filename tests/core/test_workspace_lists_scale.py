"""Workspace lists at national scale: paginated, and a fixed number of queries per page.

A national administrator (a superuser, who sees every partnership) and a
"national coordinator" (a user who coordinates in every kommun, so every
permission question really asks the partnership's parties) open each list with
two partnerships and with twelve: the number of queries must not grow. Each list
shows 25 rows a page with the public search's ``?sida=``; a page number that is
no page still gives a page, and a coordinator sees only their partnership's rows
on every page.
"""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import PAGE_SIZE
from followups.models import FollowUp
from organizations.models import Membership, Organisation
from organizations.services import partnership_create
from promises.models import Promise
from tests.activities.factories import (
    ActivityFactory,
    ActivityPlanFactory,
    FollowUpFactory,
    PromiseFactory,
)
from tests.factories import MembershipFactory, PoliceAreaFactory, UserFactory
from tests.situation.factories import SituationReportFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role

FOLLOWUPS = reverse("followups:followup-list")
PROMISES = reverse("promises:promise-list")
PLANS = reverse("activities:plan-list")
REPORTS = reverse("situation:report-list")
ORGANISATIONS = reverse("organizations:organisation-list")
LISTS = [FOLLOWUPS, PROMISES, PLANS, REPORTS, ORGANISATIONS]


def add_partnerships(count: int, *, coordinator=None) -> list:
    """``count`` partnerships (a kommun each, one not in a partnership yet), each with a
    published promise, two follow-ups, an activity plan with an activity and a
    lägesbild; ``coordinator`` becomes coordinator in each kommun."""
    kommuner = list(
        Organisation.objects.municipalities()
        .filter(municipal_partnerships__isnull=True)
        .order_by("municipality_code")[:count]
    )
    partnerships = []
    for kommun in kommuner:
        partnership = partnership_create(
            name=f"Samverkan {kommun.name}",
            police_area=PoliceAreaFactory(),
            municipalities=[kommun],
        )
        promise = PromiseFactory(partnership=partnership, published=True)
        FollowUpFactory(promise=promise, title="Tertial 1 2020")
        FollowUpFactory(promise=promise, title="Tertial 2 2020", period_start_date=date(2020, 5, 1))
        ActivityFactory(plan=ActivityPlanFactory(promise=promise))
        SituationReportFactory(partnership=partnership)
        if coordinator is not None:
            Membership.objects.create(user=coordinator, organisation=kommun, role=Role.COORDINATOR)
        partnerships.append(partnership)
    return partnerships


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def national_coordinator(db):
    return UserFactory(username="t-nationell-samordnare")


@pytest.mark.parametrize("who", ["superuser", "national_coordinator"])
def test_queries_per_list_do_not_grow_with_the_country(client, request, who):
    user = request.getfixturevalue(who)
    coordinator = user if who == "national_coordinator" else None
    client.force_login(user)
    add_partnerships(2, coordinator=coordinator)
    small = {url: queries(client, url) for url in LISTS}
    add_partnerships(10, coordinator=coordinator)
    assert Promise.objects.visible_to(user).count() == 12
    big = {url: queries(client, url) for url in LISTS}
    assert big == small


def test_queries_of_the_members_list_do_not_grow_with_the_organisation(client, superuser, kalmar):
    url = reverse("organizations:organisation-detail", args=[kalmar.slug])
    client.force_login(superuser)
    for _ in range(2):
        MembershipFactory(organisation=kalmar, role=Role.READER)
    small = queries(client, url)
    for _ in range(10):
        member = MembershipFactory(organisation=kalmar, role=Role.COORDINATOR).user
        MembershipFactory(organisation=kalmar, user=member, role=Role.ADMIN)
    assert queries(client, url) == small


# --- Pages of 25 ---------------------------------------------------------------------

EXTRA = 5  # rows on page 2


@pytest.fixture
def kalmar_lists(kalmar_partnership):
    """30 promises with a follow-up each, 30 activity plans and 30 lägesbilder in Kalmar."""
    promises = [
        PromiseFactory(partnership=kalmar_partnership, title=f"Kalmarlöfte {n:02}")
        for n in range(PAGE_SIZE + EXTRA)
    ]
    for promise in promises:
        FollowUpFactory(promise=promise)
        ActivityPlanFactory(promise=promise)
        SituationReportFactory(partnership=kalmar_partnership, title=f"Kalmarbild {promise.title}")
    return promises


@pytest.fixture
def katrineholm_lists(katrineholm_partnership):
    """A little of everything in Katrineholm, which Kalmar's coordinator must never see."""
    promise = PromiseFactory(partnership=katrineholm_partnership, title="Katrineholmslöfte")
    FollowUpFactory(promise=promise)
    ActivityPlanFactory(promise=promise)
    SituationReportFactory(partnership=katrineholm_partnership, title="Katrineholmsbild")
    return promise


ROWS = {
    # url: how one row of the page is written in the page's HTML
    FOLLOWUPS: r'<section class="mb-4" id="lofte-(\d+)"',
    PROMISES: r'<td><a href="/arbetsyta/loften/(\d+)/">',
    PLANS: r'<td><a href="/arbetsyta/aktiviteter/(\d+)/">',
    REPORTS: r'<li><a href="/arbetsyta/lagesbilder/(\d+)/">',
}


def rows(response, url) -> list[int]:
    return [int(pk) for pk in re.findall(ROWS[url], response.content.decode())]


@pytest.mark.parametrize("url", list(ROWS))
def test_each_list_shows_25_rows_a_page_and_only_the_coordinators_own(
    client, kalmar_coordinator, kalmar_lists, katrineholm_lists, url
):
    client.force_login(kalmar_coordinator)
    first = client.get(url)
    second = client.get(url, {"sida": 2})
    assert len(rows(first, url)) == PAGE_SIZE
    assert len(rows(second, url)) == EXTRA
    assert first.context["page"].paginator.num_pages == 2
    assert not set(rows(first, url)) & set(rows(second, url))
    seen = rows(first, url) + rows(second, url)
    expected = {
        FOLLOWUPS: Promise.objects.filter(partnership__name="Samverkan Kalmar"),
        PROMISES: Promise.objects.filter(partnership__name="Samverkan Kalmar"),
        PLANS: _plans("Samverkan Kalmar"),
        REPORTS: _reports("Samverkan Kalmar"),
    }[url]
    assert sorted(seen) == sorted(expected.values_list("pk", flat=True))
    for page in (first, second):
        assert "Katrineholm" not in page.content.decode()


def _plans(partnership_name):
    from activities.models import ActivityPlan

    return ActivityPlan.objects.filter(promise__partnership__name=partnership_name)


def _reports(partnership_name):
    from situation.models import SituationReport

    return SituationReport.objects.filter(partnership__name=partnership_name)


@pytest.mark.parametrize("url", list(ROWS))
@pytest.mark.parametrize(
    ("sida", "shown"),
    [("abc", 1), ("99999", 2), ("-1", 1), ("0", 1), ("", 1), ("2.5", 1), ("9" * 5000, 1)],
)
def test_a_page_number_that_is_no_page_gives_a_page(
    client, kalmar_coordinator, kalmar_lists, url, sida, shown
):
    client.force_login(kalmar_coordinator)
    response = client.get(url, {"sida": sida})
    assert response.status_code == 200
    assert response.context["page"].number == shown
    assert len(rows(response, url)) == (PAGE_SIZE if shown == 1 else EXTRA)


def test_page_links_are_a_named_nav_that_works_without_javascript(
    client, kalmar_coordinator, kalmar_lists
):
    client.force_login(kalmar_coordinator)
    html = client.get(PROMISES, {"sida": 2}).content.decode()
    nav = html[html.index('<nav class="mt-3" aria-label="Sidnumrering">') :]
    nav = nav[: nav.index("</nav>")]
    assert 'href="?sida=1" rel="prev"' in nav
    assert re.search(
        r'href="\?sida=2" aria-current="page"><span class="visually-hidden">Sida </span>2</a>', nav
    )
    assert 'rel="next"' not in nav
    assert "Visar 26–30 av 30" in nav


def test_a_list_of_one_page_has_no_page_links(client, kalmar_coordinator, katrineholm_lists):
    client.force_login(kalmar_coordinator)
    assert 'aria-label="Sidnumrering"' not in client.get(PROMISES).content.decode()


def test_page_links_keep_the_search(client, superuser):
    client.force_login(superuser)
    html = client.get(ORGANISATIONS, {"q": "a"}).content.decode()
    assert Organisation.objects.filter(name__icontains="a").count() > 50
    assert 'href="?q=a&amp;sida=2" rel="next"' in html


def test_the_english_page_links_are_in_english(client, kalmar_coordinator, kalmar_lists):
    client.force_login(kalmar_coordinator)
    html = client.get(f"/en{PROMISES}", {"sida": 2}).content.decode()
    assert 'rel="prev">Previous</a>' in html
    assert 'href="?sida=2" aria-current="page"><span class="visually-hidden">Page </span>' in html


def test_scheduling_returns_to_the_page_that_shows_the_promise(
    client, kalmar_coordinator, kalmar_lists
):
    from tests.factories import publish_working_copy

    last = kalmar_lists[-1]  # "Kalmarlöfte 29", the fifth on page 2
    FollowUp.objects.filter(promise=last).delete()
    publish_working_copy(last)
    client.force_login(kalmar_coordinator)
    response = client.post(reverse("followups:followup-schedule", args=[last.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{FOLLOWUPS}?sida=2#lofte-{last.pk}"
    assert last.followups.count() == 3
    assert f'id="lofte-{last.pk}"' in client.get(response["Location"]).content.decode()


def test_the_members_list_shows_50_people_a_page(client, superuser, kalmar):
    for _ in range(53):
        MembershipFactory(organisation=kalmar, role=Role.READER)
    client.force_login(superuser)
    url = reverse("organizations:organisation-detail", args=[kalmar.slug])
    first = client.get(url)
    second = client.get(url, {"sida": 2})
    assert len(first.context["members"]) == 50
    assert len(second.context["members"]) == 3
    assert client.get(url, {"sida": "x"}).context["page"].number == 1
