from django.urls import path

from baomi.systems import views

app_name = "systems"
urlpatterns = [
    path("", views.system_list, name="list"),
    path("new/", views.system_new, name="new"),
    path("due/", views.due, name="due"),
    path("<int:pk>/", views.system_detail, name="system"),
    path("<int:pk>/<slug:action>/", views.system_action, name="system-action"),
]
