from django.urls import URLPattern, URLResolver, path

from baomi.imports import views

app_name = "imports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.upload, name="upload"),
    path("template/<slug:kind>/", views.template, name="template"),
    path("report/", views.report, name="report"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/status/", views.run_status, name="run-status"),
    path("runs/<int:pk>/report/", views.run_report, name="run-report"),
]
