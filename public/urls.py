from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("kommuner/<slug:slug>/", views.municipality_detail, name="municipality-detail"),
    path("medborgarloften/<int:pk>/", views.promise_detail, name="promise-detail"),
]
