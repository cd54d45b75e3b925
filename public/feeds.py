"""Atom feeds: newly published promises and follow-ups, nationally and per kommun.

Entries are built from the published read model (titles, periods and parties
as signed) like every other public read. Links and ids are absolute
``settings.SITE_URL`` addresses so a feed reads the same whichever host name
served it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe

from followups.selectors import public_followups
from organizations.models import Organisation
from promises.published import PromiseFilter, PromiseSummary, filtered, summaries

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


def promise_entry(promise: PromiseSummary) -> Entry:
    count = promise.commitment_count
    url = absolute(promise.url)
    return Entry(
        title=_("Nytt medborgarlöfte: %(title)s") % {"title": promise.title},
        summary=ngettext(
            "%(parties)s har undertecknat ett medborgarlöfte som gäller %(start)s – %(end)s "
            "med %(count)s åtagande.",
            "%(parties)s har undertecknat ett medborgarlöfte som gäller %(start)s – %(end)s "
            "med %(count)s åtaganden.",
            count,
        )
        % {
            "parties": get_text_list(list(promise.party_names), _("och")),
            "start": promise.valid_from.isoformat(),
            "end": promise.end_date.isoformat(),
            "count": count,
        },
        link=url,
        # One entry per promise: a newly signed version updates it rather than adding one.
        guid=url,
        published=promise.published_at,
        categories=list(promise.themes),
    )


def followup_entry(followup, promise: PromiseSummary) -> Entry:
    url = absolute(f"{promise.url}#uppfoljning-{followup.pk}")
    return Entry(
        title=_("Uppföljning %(followup)s: %(title)s")
        % {"followup": followup.title, "title": promise.title},
        summary=_(
            "Uppföljningen av medborgarlöftet ”%(title)s” för perioden %(start)s – %(end)s "
            "är publicerad."
        )
        % {
            "title": promise.title,
            "start": followup.period_start_date.isoformat(),
            "end": followup.period_end_date.isoformat(),
        },
        link=url,
        guid=url,
        published=followup.published_at,
    )


NEWEST = (F("published_at").desc(nulls_last=True), "-pk")


def latest_entries(criteria: PromiseFilter | None = None) -> list[Entry]:
    """Promises and follow-ups, newest first, at most ``FEED_LENGTH``. Three queries."""
    latest = summaries(criteria, order=NEWEST, limit=FEED_LENGTH)
    entries = [promise_entry(p) for p in latest if p.published_at]
    followups = list(
        public_followups()
        .filter(promise__in=filtered(criteria).values("pk"))
        .order_by(*NEWEST)[:FEED_LENGTH]
    )
    promises = {p.id: p for p in latest}
    missing = tuple({f.promise_id for f in followups} - set(promises))
    if missing:
        promises.update({p.id: p for p in summaries(PromiseFilter(ids=missing))})
    entries += [followup_entry(f, promises[f.promise_id]) for f in followups if f.published_at]
    entries.sort(key=lambda e: e.published, reverse=True)
    return entries[:FEED_LENGTH]


class PromiseFeed(Feed):
    """The national feed, ``/flode/``."""

    feed_type = Atom1Feed
    # No fixed ``language``: Django gives the active one, so /en/flode/ says "en".
    author_name = gettext_lazy("Medborgarlöfte")
    title = gettext_lazy("Medborgarlöften – nya löften och uppföljningar")
    subtitle = gettext_lazy("Nya medborgarlöften och publicerade uppföljningar i hela Sverige.")

    def link(self) -> str:
        return absolute("/")

    def feed_url(self) -> str:
        return absolute(reverse("public:feed"))

    def items(self) -> list[Entry]:
        return latest_entries()

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
        return _("Medborgarlöften i %(name)s") % {"name": obj.display_name}

    def subtitle(self, obj: Organisation) -> str:
        return _("Nya medborgarlöften och publicerade uppföljningar i %(name)s.") % {
            "name": obj.display_name
        }

    def link(self, obj: Organisation) -> str:
        return absolute(reverse("public:municipality-detail", args=[obj.slug]))

    def feed_url(self, obj: Organisation) -> str:
        return absolute(reverse("public:municipality-feed", args=[obj.slug]))

    def items(self, obj: Organisation) -> list[Entry]:
        return latest_entries(PromiseFilter(municipality=obj.municipality_code))


# GET and HEAD only, like every public page.
promise_feed = require_safe(login_not_required(PromiseFeed()))
municipality_feed = require_safe(login_not_required(MunicipalityFeed()))
