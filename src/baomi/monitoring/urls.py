from django.urls import URLPattern, path

from baomi.monitoring import views

app_name = "monitoring"
urlpatterns: list[URLPattern] = [
    path("", views.alert_list, name="alerts"),
    path("<int:pk>/", views.alert_detail, name="alert"),
    path("<int:pk>/<slug:action>/", views.alert_action, name="alert-action"),
    path("rules/", views.rules, name="rules"),
    path("rules/<slug:kind>/", views.rule_change, name="rule-change"),
]
