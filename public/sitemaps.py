from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from organizations.models import Organisation
from promises.published import summaries


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["public:home", "public:municipality-list", "public:search", "core:accessibility"]

    def location(self, item):
        return reverse(item)


class PromiseSitemap(Sitemap):
    """Only published promises: drafts and unsigned versions never appear."""

    changefreq = "weekly"

    def items(self):
        return summaries(order=("pk",))

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.published_at


class MunicipalitySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Organisation.objects.municipalities().order_by("municipality_code")

    def location(self, item):
        return reverse("public:municipality-detail", kwargs={"slug": item.slug})


SITEMAPS = {
    "sidor": StaticSitemap,
    "medborgarloften": PromiseSitemap,
    "kommuner": MunicipalitySitemap,
}
