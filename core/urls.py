from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("arbetsyta/", views.dashboard, name="dashboard"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
]
