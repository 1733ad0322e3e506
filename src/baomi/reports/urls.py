from django.urls import URLPattern, path

from baomi.reports import views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export/<slug:fmt>/", views.statistics_export, name="statistics-export"),
    path("annual/", views.annual_list, name="annual"),
    path("annual/draft/", views.annual_draft, name="annual-draft"),
    path("annual/<int:year>/", views.annual_report, name="annual-report"),
    path("annual/<int:year>/download/<slug:fmt>/", views.annual_download, name="annual-download"),
    path("annual/<int:year>/register/", views.annual_register, name="annual-register"),
]
