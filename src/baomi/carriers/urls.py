from django.urls import URLPattern, URLResolver, path

from baomi.carriers import views

app_name = "carriers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("work/", views.workbench, name="workbench"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/content/", views.view_content, name="view-content"),
    path("<int:pk>/content/download/", views.download_content, name="download-content"),
    path("<int:pk>/do/<slug:name>/", views.action, name="action"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<slug:kind>/<int:pk>/<slug:decision>/", views.decide, name="decide"),
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
    path("destructions/", views.destructions, name="destructions"),
    path("destructions/<int:pk>/", views.destruction, name="destruction"),
    path("destructions/<int:pk>/list.pdf", views.destruction_pdf, name="destruction-pdf"),
]

from baomi.carriers.ledger_urls import ledger_urlpatterns  # noqa: E402

urlpatterns += ledger_urlpatterns
