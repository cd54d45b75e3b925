"""Atom feeds: newly published promises and follow-ups, nationally and per kommun.

Entries are built from the signed snapshot (titles, periods) like every other
public read. Links and ids are absolute ``settings.SITE_URL`` addresses so a
feed reads the same whichever host name served it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from followups.models import FollowUp
from organizations.models import Organisation
from promises.models import Promise
from promises.selectors import published_promises

FEED_LENGTH = 50


@dataclass
class Entry:
    title: str
    summary: str
    link: str
    guid: str
    published: datetime
    categories: list[str] = field(default_factory=list)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _parties(snapshot: dict) -> str:
    partnership = snapshot["partnership"]
    names = [m["name"] for m in partnership["municipalities"]]
    names += [o["name"] for o in partnership["other_partners"]]
    return " och ".join([partnership["police_area"]["name"], ", ".join(names)])


def promise_entry(promise: Promise) -> Entry:
    snapshot = promise.published_version.snapshot
    end = snapshot["extended_to"] or snapshot["valid_to"]
    count = len(snapshot["commitments"])
    url = absolute(promise.get_public_url())
    return Entry(
        title=f"Nytt medborgarlöfte: {snapshot['title']}",
        summary=(
            f"{_parties(snapshot)} har undertecknat ett medborgarlöfte som gäller "
            f"{snapshot['valid_from']} – {end} med {count} "
            f"{'åtagande' if count == 1 else 'åtaganden'}."
        ),
        link=url,
        # One entry per promise: a newly signed version updates it rather than adding one.
        guid=url,
        published=promise.published_at,
        categories=list(snapshot["themes"]),
    )


def followup_entry(followup, promise: Promise) -> Entry:
    snapshot = promise.published_version.snapshot
    url = absolute(f"{promise.get_public_url()}#uppfoljning-{followup.pk}")
    return Entry(
        title=f"Uppföljning {followup.title}: {snapshot['title']}",
        summary=(
            f"Uppföljningen av medborgarlöftet ”{snapshot['title']}” för perioden "
            f"{followup.period_start_date.isoformat()} – {followup.period_end_date.isoformat()} "
            "är publicerad."
        ),
        link=url,
        guid=url,
        published=followup.published_at,
    )


def latest_entries(promises, followups) -> list[Entry]:
    """Promises and follow-ups, newest first, at most ``FEED_LENGTH``."""
    entries = [promise_entry(p) for p in promises if p.published_at]
    entries += [followup_entry(f, f.promise) for f in followups if f.published_at]
    entries.sort(key=lambda e: e.published, reverse=True)
    return entries[:FEED_LENGTH]


def _published_followups():
    return FollowUp.objects.published().select_related("promise__published_version")


class PromiseFeed(Feed):
    """The national feed, ``/flode/``."""

    feed_type = Atom1Feed
    language = "sv"
    author_name = "Medborgarlöfte"
    title = "Medborgarlöften – nya löften och uppföljningar"
    subtitle = "Nya medborgarlöften och publicerade uppföljningar i hela Sverige."

    def link(self) -> str:
        return absolute("/")

    def feed_url(self) -> str:
        return absolute(reverse("public:feed"))

    def items(self) -> list[Entry]:
        promises = published_promises().order_by("-published_at", "-pk")[:FEED_LENGTH]
        followups = _published_followups().order_by("-published_at", "-pk")[:FEED_LENGTH]
        return latest_entries(promises, followups)

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return item.summary

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return item.guid

    def item_pubdate(self, item: Entry) -> datetime:
        return item.published

    def item_updateddate(self, item: Entry) -> datetime:
        return item.published

    def item_categories(self, item: Entry) -> list[str]:
        return item.categories


class MunicipalityFeed(PromiseFeed):
    """One kommun's feed, ``/kommuner/<slug>/flode/``."""

    def get_object(self, request: HttpRequest, slug: str) -> Organisation:
        return get_object_or_404(Organisation.objects.municipalities(), slug=slug)

    def title(self, obj: Organisation) -> str:
        return f"Medborgarlöften i {obj.display_name}"

    def subtitle(self, obj: Organisation) -> str:
        return f"Nya medborgarlöften och publicerade uppföljningar i {obj.display_name}."

    def link(self, obj: Organisation) -> str:
        return absolute(reverse("public:municipality-detail", args=[obj.slug]))

    def feed_url(self, obj: Organisation) -> str:
        return absolute(reverse("public:municipality-feed", args=[obj.slug]))

    def items(self, obj: Organisation) -> list[Entry]:
        promises = (
            published_promises()
            .filter(partnership__municipalities=obj)
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )
        followups = (
            _published_followups()
            .filter(
                promise__in=Promise.objects.filter(partnership__municipalities=obj).values("pk")
            )
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )
        return latest_entries(promises, followups)


promise_feed = login_not_required(PromiseFeed())
municipality_feed = login_not_required(MunicipalityFeed())
