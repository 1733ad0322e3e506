from django.urls import path

from baomi.personnel import views

app_name = "personnel"
urlpatterns = [
    path("", views.file_list, name="list"),
    path("mine/", views.my_file, name="mine"),
    path("new/", views.file_new, name="file-new"),
    path("due/", views.due, name="due"),
    path("<int:pk>/", views.file_detail, name="file"),
    path("<int:pk>/category/", views.file_category, name="file-category"),
    path("<int:pk>/review/", views.file_review, name="file-review"),
    path("<int:pk>/pledge/", views.file_pledge, name="file-pledge"),
    path("<int:pk>/clear/", views.file_clear, name="file-clear"),
    path("<int:pk>/exit/", views.file_exit, name="file-exit"),
    path("reviews/<int:pk>/attachments/<str:blob>/", views.review_attachment, name="review-attachment"),
    path("agreements/", views.agreements, name="agreements"),
    path("training/", views.training_list, name="training-list"),
    path("training/coverage/", views.coverage, name="coverage"),
    path("training/<int:pk>/", views.training_detail, name="training"),
    path("exits/", views.exit_list, name="exit-list"),
    path("exits/<int:pk>/", views.exit_detail, name="exit"),
    path("exits/<int:pk>/form.pdf", views.exit_form, name="exit-form"),
    path("exits/<int:pk>/<slug:step>/", views.exit_step, name="exit-step"),
    path("travel/", views.travel_list, name="travel-list"),
    path("travel/<int:pk>/", views.travel_detail, name="travel"),
    path("travel/<int:pk>/form.pdf", views.travel_form, name="travel-form"),
    path("travel/<int:pk>/<slug:action>/", views.travel_action, name="travel-action"),
    path("sanctions/", views.sanction_list, name="sanctions"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/new/", views.report_new, name="report-new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/<slug:action>/", views.report_handle, name="report-handle"),
]
