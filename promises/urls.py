from django.urls import path

from promises import views

app_name = "promises"

urlpatterns = [
    path("<int:pk>/", views.promise_detail, name="promise-detail"),
]
