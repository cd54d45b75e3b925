from django.urls import path

from promises import views

app_name = "promises"

urlpatterns = [
    path("", views.promise_list, name="promise-list"),
    path("nytt/<int:partnership_pk>/", views.promise_create, name="promise-create"),
    path("<int:pk>/", views.promise_detail, name="promise-detail"),
    path("<int:pk>/andra/", views.promise_update, name="promise-update"),
    path("<int:pk>/skicka-for-signering/", views.promise_submit, name="promise-submit"),
    path("<int:pk>/ateta/", views.promise_return, name="promise-return"),
    path("<int:pk>/nytt-utkast/", views.promise_amend, name="promise-amend"),
    path("<int:pk>/nasta-lofte/", views.promise_copy_forward, name="promise-copy-forward"),
    path("<int:pk>/signera/", views.promise_sign, name="promise-sign"),
    path(
        "<int:pk>/pappersunderskrifter/",
        views.promise_paper_signatures,
        name="promise-paper-signatures",
    ),
    path(
        "<int:pk>/pappersunderskrifter/bekrafta/",
        views.promise_paper_confirm,
        name="promise-paper-confirm",
    ),
    path(
        "<int:pk>/pappersunderskrifter/avvisa/",
        views.promise_paper_reject,
        name="promise-paper-reject",
    ),
    path(
        "<int:pk>/pappersunderskrifter/<int:paper_pk>/skanning/",
        views.promise_paper_scan,
        name="promise-paper-scan",
    ),
    path("<int:pk>/historik/", views.promise_history_view, name="promise-history"),
    path("<int:pk>/jamfor/", views.promise_diff, name="promise-diff"),
    path("<int:pk>/ataganden/nytt/", views.commitment_create, name="commitment-create"),
    path(
        "<int:pk>/ataganden/<int:commitment_pk>/",
        views.commitment_detail,
        name="commitment-detail",
    ),
    path(
        "<int:pk>/ataganden/<int:commitment_pk>/andra/",
        views.commitment_update,
        name="commitment-update",
    ),
    path(
        "<int:pk>/ataganden/<int:commitment_pk>/ta-bort/",
        views.commitment_delete,
        name="commitment-delete",
    ),
    path(
        "<int:pk>/ataganden/<int:commitment_pk>/flytta/",
        views.commitment_move,
        name="commitment-move",
    ),
]
