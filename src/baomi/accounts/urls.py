from django.urls import path

from baomi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_totp_view, name="login-totp"),
    path("login/enrol/", views.login_enrol_view, name="login-enrol"),
    path("login/password/", views.login_password_view, name="login-password"),
    path("login/continue/", views.login_continue_view, name="login-continue"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.profile_view, name="profile"),
    path("me/totp/", views.totp_enrol_view, name="totp-enrol"),
    path("me/tokens/", views.token_create_view, name="token-create"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("users/", views.users_view, name="users"),
    path("users/new/", views.user_create_view, name="user-create"),
    path("users/<int:pk>/", views.user_detail_view, name="user"),
    path("users/<int:pk>/edit/", views.user_edit_view, name="user-edit"),
    path("users/<int:pk>/active/", views.user_active_view, name="user-active"),
    path("users/<int:pk>/unlock/", views.user_unlock_view, name="user-unlock"),
    path("users/<int:pk>/reset-password/", views.user_reset_password_view, name="user-reset-password"),
    path("users/<int:pk>/roles/", views.user_role_view, name="user-role"),
    path("users/<int:pk>/clearance/", views.user_clearance_view, name="user-clearance"),
    path("users/<int:pk>/reset-totp/", views.user_reset_totp_view, name="user-reset-totp"),
    path("departments/", views.departments_view, name="departments"),
    path("departments/<int:pk>/", views.department_edit_view, name="department"),
]
