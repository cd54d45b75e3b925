from django.urls import path

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("skickat/", views.subscribe_sent, name="subscribe-sent"),
    path("bekrafta/<slug:token>/", views.confirm, name="confirm"),
    path("avsluta/<slug:token>/", views.unsubscribe, name="unsubscribe"),
]
