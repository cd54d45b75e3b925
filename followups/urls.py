from django.urls import path

from followups import views

app_name = "followups"

urlpatterns = [
    path("", views.followup_list, name="followup-list"),
    path("schemalagg/<int:promise_pk>/", views.followup_schedule, name="followup-schedule"),
    path("<int:pk>/", views.followup_detail, name="followup-detail"),
    path("<int:pk>/paborja/", views.followup_start, name="followup-start"),
    path("<int:pk>/skriv/", views.followup_edit, name="followup-edit"),
    path("<int:pk>/rakna-om/", views.followup_refresh, name="followup-refresh"),
    path("<int:pk>/godkann/", views.followup_approve, name="followup-approve"),
    path("<int:pk>/publicera/", views.followup_publish, name="followup-publish"),
    path("<int:pk>/kalkylark/", views.followup_sheet, name="followup-sheet"),
    path(
        "<int:pk>/kalkylark/ladda-upp/", views.followup_sheet_upload, name="followup-sheet-upload"
    ),
    path("<int:pk>/kalkylark/spara/", views.followup_sheet_confirm, name="followup-sheet-confirm"),
]
