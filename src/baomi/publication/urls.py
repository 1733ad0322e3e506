from django.urls import path

from baomi.publication import views

app_name = "publication"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("register.xlsx", views.register, name="register"),
    path("keywords/", views.keyword_list, name="keywords"),
    path("keywords/<int:pk>/toggle/", views.keyword_toggle, name="keyword-toggle"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/form.pdf", views.review_form, name="form"),
    path("<int:pk>/attachments/<int:att>/", views.attachment, name="attachment"),
    path("<int:pk>/parts/<int:part>/", views.part, name="part"),
    path("<int:pk>/<slug:action>/", views.request_action, name="action"),
]
