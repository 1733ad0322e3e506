from django.urls import path

from baomi.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("approvals/", views.approval_list, name="approvals"),
    path("approvals/<int:pk>/<slug:action>/", views.approval_action, name="approval-action"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/<slug:action>/", views.meeting_action, name="meeting-action"),
    path("<int:pk>/<slug:action>/<int:part>/", views.part_action, name="part-action"),
]
