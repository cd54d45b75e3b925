from django.urls import path

from organizations import views

app_name = "organizations"

ORG = "organisationer/<slug:slug>/"
PARTNERSHIP = "samverkan/<int:pk>/"

urlpatterns = [
    path("organisationer/", views.organisation_list, name="organisation-list"),
    path(ORG, views.organisation_detail, name="organisation-detail"),
    path(f"{ORG}historik/", views.organisation_history, name="organisation-history"),
    path(f"{ORG}bjud-in/", views.invitation_create, name="invitation-create"),
    path(
        f"{ORG}inbjudningar/<int:pk>/skicka-igen/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(
        f"{ORG}inbjudningar/<int:pk>/aterkalla/", views.invitation_revoke, name="invitation-revoke"
    ),
    path(f"{ORG}roller/ny/", views.membership_create, name="membership-create"),
    path(f"{ORG}roller/<int:pk>/andra/", views.membership_update, name="membership-update"),
    path(f"{ORG}roller/<int:pk>/ta-bort/", views.membership_delete, name="membership-delete"),
    path(
        f"{ORG}medlemmar/<int:user_pk>/stang-av/",
        views.member_deactivate,
        name="member-deactivate",
    ),
    path(f"{ORG}foresla-samverkan/", views.partnership_propose, name="partnership-propose"),
    path(PARTNERSHIP, views.partnership_detail, name="partnership-detail"),
    path(f"{PARTNERSHIP}underskrifter/", views.requirements_update, name="requirements-update"),
    path(
        f"{PARTNERSHIP}forslag/<int:proposal_pk>/godta/",
        views.proposal_accept,
        name="proposal-accept",
    ),
    path(
        f"{PARTNERSHIP}forslag/<int:proposal_pk>/avboj/",
        views.proposal_decline,
        name="proposal-decline",
    ),
    path(
        f"{PARTNERSHIP}forslag/<int:proposal_pk>/ateta/",
        views.proposal_withdraw,
        name="proposal-withdraw",
    ),
    path(f"{PARTNERSHIP}teman-och-omraden/", views.vocabulary, name="vocabulary"),
    path(f"{PARTNERSHIP}teman/<int:theme_pk>/andra/", views.theme_update, name="theme-update"),
    path(f"{PARTNERSHIP}teman/<int:theme_pk>/ta-bort/", views.theme_delete, name="theme-delete"),
    path(f"{PARTNERSHIP}omraden/<int:area_pk>/andra/", views.area_update, name="area-update"),
    path(f"{PARTNERSHIP}omraden/<int:area_pk>/ta-bort/", views.area_delete, name="area-delete"),
]
