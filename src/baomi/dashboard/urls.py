from django.urls import path

from baomi.dashboard import inbox, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/count/", inbox.inbox_count, name="inbox-count"),
    path("inbox/acknowledge/", inbox.acknowledge, name="inbox-acknowledge"),
]
