from django.urls import path

from public import api, feeds, open_data, pdf, views
from public.caching import no_parameters, public_page
from public.sitemaps import SITEMAPS

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("kommuner/", views.municipality_list, name="municipality-list"),
    path("kommuner/forslag/", views.municipality_suggest, name="municipality-suggest"),
    path("sverige/", views.sweden, name="sweden"),
    path("om/", views.about, name="about"),
    path("kontakt/", views.contact, name="contact"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("kommuner/<slug:slug>/", views.municipality_detail, name="municipality-detail"),
    path("medborgarloften/<int:pk>/", views.promise_detail, name="promise-detail"),
    path("sok/", views.search_view, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Open data, feeds and the PDF (public/api.py, feeds.py, pdf.py, open_data.py).
    path("api/v1/", api.urls()),
    path("oppna-data/", open_data.open_data, name="open-data"),
    path("flode/", public_page(feeds.promise_feed, params=no_parameters), name="feed"),
    path(
        "kommuner/<slug:slug>/flode/",
        public_page(feeds.municipality_feed, params=no_parameters),
        name="municipality-feed",
    ),
    path("medborgarloften/<int:pk>/pdf/", pdf.promise_pdf, name="promise-pdf"),
    path(
        "medborgarloften/<int:pk>/underskrifter-pa-papper/",
        views.promise_scan,
        name="promise-scan",
    ),
    path(
        "medborgarloften/<int:pk>/underskrifter-pa-papper/version-<int:number>/",
        views.promise_scan,
        name="promise-version-scan",
    ),
]
