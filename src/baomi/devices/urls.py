from django.urls import path

from baomi.devices import views

app_name = "devices"
urlpatterns = [
    path("", views.device_list, name="list"),
    path("new/", views.device_new, name="new"),
    path("whitelist/", views.whitelist, name="whitelist"),
    path("<int:pk>/", views.device_detail, name="device"),
    path("<int:pk>/<slug:action>/", views.device_action, name="device-action"),
]
