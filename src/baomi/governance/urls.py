from django.urls import path

from baomi.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/<slug:action>/", views.member_action, name="member-action"),
    path("statements/", views.statements, name="statements"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("statements/<int:pk>/sign/<slug:side>/", views.statement_sign, name="statement-sign"),
    path("regulations/", views.regulations, name="regulations"),
    path("regulations/templates/", views.load_templates, name="load-templates"),
    path("regulations/<int:pk>/", views.regulation_detail, name="regulation"),
    path("regulations/<int:pk>/<slug:action>/", views.regulation_action, name="regulation-action"),
    path("versions/<int:pk>/file/", views.version_file, name="version-file"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/<slug:action>/", views.plan_action, name="plan-action"),
    path("education/", views.education, name="education"),
    path("campaigns/<int:pk>/materials/", views.material_add, name="material-add"),
    path("campaigns/<int:pk>/materials/<int:material>/", views.material_file, name="material"),
    path("events/<int:pk>/", views.event_detail, name="event"),
]
