from django.urls import path

from baomi.contractors import views

app_name = "contractors"
urlpatterns = [
    path("", views.contractor_list, name="list"),
    path("new/", views.contractor_new, name="new"),
    path("<int:pk>/", views.contractor_detail, name="contractor"),
    path("<int:pk>/<slug:action>/", views.contractor_action, name="contractor-action"),
    path("qualifications/", views.qualification_list, name="qualifications"),
    path("qualifications/<int:pk>/", views.qualification_detail, name="qualification"),
    path("qualifications/<int:pk>/<slug:action>/", views.qualification_action, name="qualification-action"),
    path("engagements/", views.engagement_list, name="engagements"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement"),
    path("engagements/<int:pk>/<slug:action>/", views.engagement_action, name="engagement-action"),
]
