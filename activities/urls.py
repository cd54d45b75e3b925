from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("ny/", views.plan_create, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:plan_pk>/ny-aktivitet/", views.activity_create, name="activity-create"),
    path("aktivitet/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("aktivitet/<int:pk>/andra/", views.activity_update, name="activity-update"),
    path("aktivitet/<int:pk>/rapportera/", views.report_create, name="report-create"),
    path("rapport/<int:pk>/ta-bort/", views.report_delete, name="report-delete"),
    path("rapport/<int:report_pk>/atgard/", views.measure_create, name="measure-create"),
    path("atgard/<int:pk>/status/", views.measure_status, name="measure-status"),
]
