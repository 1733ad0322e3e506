from django.urls import path

from baomi.sites import views

app_name = "sites"
urlpatterns = [
    path("", views.place_list, name="places"),
    path("places/new/", views.place_new, name="place-new"),
    path("places/<int:pk>/", views.place_detail, name="place"),
    path("places/<int:pk>/<slug:action>/", views.place_action, name="place-action"),
    path("departments/", views.department_list, name="departments"),
    path("departments/new/", views.department_new, name="department-new"),
    path("departments/<int:pk>/", views.department_detail, name="department"),
    path("departments/<int:pk>/<slug:action>/", views.department_action, name="department-action"),
    path("cabinets/", views.cabinet_list, name="cabinets"),
    path("cabinets/<int:pk>/", views.cabinet_detail, name="cabinet"),
    path("cabinets/<int:pk>/<slug:action>/", views.cabinet_action, name="cabinet-action"),
    path("checks/", views.check_list, name="checks"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("checks/<int:pk>/<slug:action>/", views.check_action, name="check-action"),
]
