from django.urls import path

from baomi.dataassets import views

app_name = "dataassets"
urlpatterns = [
    path("", views.asset_list, name="list"),
    path("new/", views.asset_new, name="new"),
    path("<int:pk>/", views.asset_detail, name="asset"),
    path("<int:pk>/<slug:action>/", views.asset_action, name="asset-action"),
]
