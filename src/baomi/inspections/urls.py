from django.urls import path

from baomi.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/export/<slug:fmt>/", views.run_export, name="run-export"),
    path("runs/<int:pk>/<slug:action>/", views.run_action, name="run-action"),
    path("answers/<int:pk>/<slug:action>/", views.answer_action, name="answer-action"),
    path("evidence/<slug:kind>/<int:pk>/<str:blob>/", views.evidence, name="evidence"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/assign/", views.finding_assign, name="finding-assign"),
    path("rectification/", views.task_list, name="tasks"),
    path("rectification/<int:pk>/", views.task_detail, name="task"),
    path("rectification/<int:pk>/<slug:action>/", views.task_action, name="task-action"),
    path("checklists/", views.template_list, name="templates"),
    path("checklists/<int:pk>/", views.template_detail, name="template"),
    path("checklists/<int:pk>/<slug:action>/", views.template_action, name="template-action"),
    path("areas/<int:pk>/items/", views.area_item, name="area-item"),
    path("items/<int:pk>/<slug:action>/", views.item_action, name="item-action"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/<slug:action>/", views.plan_action, name="plan-action"),
]
