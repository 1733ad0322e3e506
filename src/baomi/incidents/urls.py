from django.urls import path

from baomi.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("report/", views.report_new, name="report"),
    path("mine/", views.my_reports, name="mine"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.incident_action, name="action"),
]
