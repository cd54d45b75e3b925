from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("organisationer/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("samverkan/<int:pk>/", views.partnership_detail, name="partnership-detail"),
]
