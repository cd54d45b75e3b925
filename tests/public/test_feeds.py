"""Atom feeds: valid Atom, published promises and follow-ups only, nationally and per kommun."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from demo import promises as promises_demo
from promises.models import Promise

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def atom(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert not response.cookies
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> list[dict]:
    result = []
    for entry in root.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        result.append(
            {
                "id": entry.findtext(f"{ATOM}id"),
                "title": entry.findtext(f"{ATOM}title"),
                "updated": entry.findtext(f"{ATOM}updated"),
                "summary": entry.findtext(f"{ATOM}summary"),
                "link": link.get("href") if link is not None else None,
            }
        )
    return result


def assert_valid_feed(root: ET.Element, settings) -> None:
    for tag in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{tag}"), tag
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href").startswith(settings.SITE_URL)
    for entry in entries(root):
        assert all(entry[key] for key in ("id", "title", "updated", "link")), entry
        assert entry["link"].startswith(settings.SITE_URL)


def test_national_feed_has_the_published_promise_only(client, demo, settings):
    root = atom(client, "/flode/")
    assert_valid_feed(root, settings)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    promise = Promise.objects.get(title=promises_demo.KATRINEHOLM_TITLE)
    items = entries(root)
    assert [e["title"] for e in items] == [f"Nytt medborgarlöfte: {promise.title}"]
    assert items[0]["link"] == f"{settings.SITE_URL}/medborgarloften/{promise.pk}/"
    assert "Katrineholms kommun" in items[0]["summary"]
    body = client.get("/flode/").content.decode()
    assert promises_demo.KALMAR_TITLE not in body
    assert promises_demo.DRAFT_TITLE not in body


def test_municipality_feed(client, demo, settings):
    promise = Promise.objects.get(title=promises_demo.KATRINEHOLM_TITLE)
    root = atom(client, "/kommuner/katrineholm/flode/")
    assert_valid_feed(root, settings)
    assert "Katrineholms kommun" in root.findtext(f"{ATOM}title")
    assert [e["link"] for e in entries(root)] == [
        f"{settings.SITE_URL}/medborgarloften/{promise.pk}/"
    ]
    kalmar = atom(client, "/kommuner/kalmar/flode/")
    assert_valid_feed(kalmar, settings)
    assert entries(kalmar) == []
    assert client.get("/kommuner/finns-inte/flode/").status_code == 404


def test_feeds_carry_published_followups_only(client, demo, settings):
    from demo import activities as activities_demo
    from demo import followups as followups_demo

    activities_demo.load()
    followups_demo.load()
    from followups.models import FollowUp

    published = list(FollowUp.objects.published())
    unpublished = list(FollowUp.objects.exclude(pk__in=[f.pk for f in published]))
    assert published and unpublished
    for url in ("/flode/", "/kommuner/katrineholm/flode/"):
        root = atom(client, url)
        assert_valid_feed(root, settings)
        ids = {e["id"] for e in entries(root)}
        for followup in published:
            assert any(i.endswith(f"#uppfoljning-{followup.pk}") for i in ids), url
        for followup in unpublished:
            assert not any(i.endswith(f"#uppfoljning-{followup.pk}") for i in ids), url
        updated = [e["updated"] for e in entries(root)]
        assert updated == sorted(updated, reverse=True)
    assert entries(atom(client, "/kommuner/kalmar/flode/")) == []


@pytest.mark.usefixtures("no_page_cache")
def test_feed_queries_do_not_grow_with_promises(client, publish_kalmar_promise):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = ["/flode/", "/kommuner/kalmar/flode/"]
    publish_kalmar_promise("Första")
    one = [count(url) for url in urls]
    for n in range(3):
        publish_kalmar_promise(f"Löfte {n}")
    assert [count(url) for url in urls] == one
    assert len(entries(atom(client, "/flode/"))) == 4


def test_feed_link_include():
    html = render_to_string(
        "public/_feed_link.html",
        {"feed_url": "/kommuner/kalmar/flode/", "feed_title": "Medborgarlöften i Kalmar & co"},
    )
    assert html.strip() == (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Medborgarlöften i Kalmar &amp; co" href="/kommuner/kalmar/flode/">'
    )
