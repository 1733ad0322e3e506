from django.urls import path

from baomi.visitors import views

app_name = "visitors"
urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_new, name="new"),
    path("closing/", views.closing, name="closing"),
    path("approvals/", views.approval_list, name="approvals"),
    path("approvals/<int:pk>/<slug:action>/", views.approval_action, name="approval-action"),
    path("<int:pk>/", views.visit_detail, name="visit"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/<slug:action>/", views.visit_action, name="visit-action"),
]
