from django.urls import URLPattern, URLResolver, path

from baomi.imports import views

app_name = "imports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.upload, name="upload"),
    path("template/<slug:kind>/", views.template, name="template"),
    path("report/", views.report, name="report"),
]
