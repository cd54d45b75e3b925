"""Workspace URLs, mounted at ``/arbetsyta/lagesbilder/``."""

from django.urls import path

from situation import views

app_name = "situation"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("ny/", views.report_create, name="report-create"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/andra/", views.report_update, name="report-update"),
    path("<int:report_pk>/kallor/ny/", views.source_create, name="source-create"),
    path("kallor/<int:pk>/andra/", views.source_update, name="source-update"),
    path("kallor/<int:pk>/ta-bort/", views.source_delete, name="source-delete"),
    path("<int:report_pk>/fynd/ny/", views.finding_create, name="finding-create"),
    path("fynd/<int:pk>/andra/", views.finding_update, name="finding-update"),
    path("fynd/<int:pk>/ta-bort/", views.finding_delete, name="finding-delete"),
    path("<int:report_pk>/indikatorer/ny/", views.indicator_create, name="indicator-create"),
    path("indikatorer/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("indikatorer/<int:pk>/andra/", views.indicator_update, name="indicator-update"),
    path("indikatorer/<int:pk>/ta-bort/", views.indicator_delete, name="indicator-delete"),
    path("indikatorer/<int:indicator_pk>/varden/ny/", views.value_create, name="value-create"),
    path("varden/<int:pk>/andra/", views.value_update, name="value-update"),
    path("varden/<int:pk>/ta-bort/", views.value_delete, name="value-delete"),
    path("<int:pk>/importera/", views.indicator_import, name="indicator-import"),
    path(
        "<int:pk>/importera/bekrafta/",
        views.indicator_import_confirm,
        name="indicator-import-confirm",
    ),
]
