from django.urls import path

from baomi.classification import views

app_name = "classification"
urlpatterns = [
    path("", views.item_list, name="items"),
    path("propose/", views.item_propose, name="propose"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/change/", views.item_change, name="change"),
    path("items/<int:pk>/scope/", views.scope_grant, name="scope-grant"),
    path("items/<int:pk>/expansion/", views.expansion_request, name="expansion-request"),
    path("items/<int:pk>/knowledge/", views.knowledge_record, name="knowledge"),
    path("items/<int:pk>/matter/", views.matter_open, name="matter-open"),
    path("scope/<int:pk>/revoke/", views.scope_revoke, name="scope-revoke"),
    path("queue/", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/form.pdf", views.request_form, name="request-form"),
    path("expansions/<int:pk>/form.pdf", views.expansion_form, name="expansion-form"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/acknowledge/", views.notice_ack, name="notice-ack"),
    path("expansions/", views.expansion_list, name="expansions"),
    path("expansions/<int:pk>/decide/", views.expansion_decide, name="expansion-decide"),
    path("expansions/designees/", views.designee_add, name="designee-add"),
    path("expansions/designees/<int:pk>/revoke/", views.designee_revoke, name="designee-revoke"),
    path("guide/", views.guide_list, name="guide"),
    path("guide/new/", views.guide_edit, name="guide-new"),
    path("guide/<int:pk>/", views.guide_edit, name="guide-edit"),
    path("guide/<int:pk>/suggestion/", views.guide_suggestion, name="guide-suggestion"),
    path("matters/", views.matter_list, name="matters"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path("calendar/", views.calendar, name="calendar"),
    path("reviews/", views.campaign_list, name="campaigns"),
    path("reviews/<int:pk>/", views.campaign_detail, name="campaign"),
    path("reviews/decisions/<int:pk>/", views.review_decide, name="review-decide"),
]
