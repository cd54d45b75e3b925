from django.urls import path

from public import views
from public.sitemaps import SITEMAPS

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("kommuner/", views.municipality_list, name="municipality-list"),
    path("kommuner/<slug:slug>/", views.municipality_detail, name="municipality-detail"),
    path("medborgarloften/<int:pk>/", views.promise_detail, name="promise-detail"),
    path("sok/", views.search_view, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
