from django.urls import URLPattern, URLResolver, path

from baomi.carriers import views

app_name = "carriers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("work/", views.workbench, name="workbench"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("link-storage/", views.link_storage, name="link-storage"),
    path("<int:pk>/content/", views.view_content, name="view-content"),
    path("<int:pk>/content/download/", views.download_content, name="download-content"),
    path("<int:pk>/do/<slug:name>/", views.action, name="action"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<slug:kind>/<int:pk>/<slug:decision>/", views.decide, name="decide"),
    path("forms/<slug:kind>/<int:pk>.pdf", views.request_form, name="request-form"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:pk>/sign/", views.sign_transfer, name="sign"),
    path("inventories/", views.inventories, name="inventories"),
    path("inventories/<int:pk>/", views.inventory, name="inventory"),
    path("inventories/<int:pk>/sign/", views.inventory_sign, name="inventory-sign"),
    path("inventories/<int:pk>/close/", views.inventory_close, name="inventory-close"),
    path("inventories/<int:pk>/hand-over/", views.inventory_hand_over, name="inventory-hand-over"),
    path(
        "inventories/<int:pk>/sign-in-place/", views.inventory_sign_in_place, name="inventory-sign-in-place"
    ),
    path("inventory-entries/<int:pk>/check/", views.inventory_check, name="inventory-check"),
    path("inventories/<int:pk>/check/", views.inventory_check_bulk, name="inventory-check-bulk"),
    path("recalls/", views.recalls, name="recalls"),
    path("recalls/<int:pk>/", views.recall, name="recall"),
    path("reviews/<int:pk>/handle/", views.handle_review, name="handle-review"),
    path("consents/", views.consents, name="consents"),
    path("consents/items/<int:pk>/", views.consent_item, name="consent-item"),
    path("consents/<int:pk>/revoke/", views.consent_revoke, name="consent-revoke"),
    path("destructions/", views.destructions, name="destructions"),
    path("destructions/<int:pk>/", views.destruction, name="destruction"),
    path("destructions/<int:pk>/list.pdf", views.destruction_pdf, name="destruction-pdf"),
]

from baomi.carriers import exchange_views  # noqa: E402
from baomi.carriers.ledger_urls import ledger_urlpatterns  # noqa: E402

# 发文 and 收文: exchange with other units (issue 12 §3).
urlpatterns += [
    path("exchange/", exchange_views.exchange, name="exchange"),
    path("exchange/units/", exchange_views.units, name="external-units"),
    path("exchange/incoming/new/", exchange_views.incoming_new, name="incoming-new"),
    path("exchange/dispatches/", exchange_views.exchange, name="dispatches"),
    path("exchange/dispatches/<int:pk>/", exchange_views.dispatch, name="dispatch"),
    path("<int:pk>/dispatch/", exchange_views.dispatch_new, name="dispatch-new"),
]

urlpatterns += ledger_urlpatterns
