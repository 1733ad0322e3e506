from django.urls import path

from baomi.accounts import picker_views, views
from baomi.kit.pages import denied_as_404

app_name = "accounts"
urlpatterns = [
    path("login/", denied_as_404(views.login_view), name="login"),
    path("login/code/", denied_as_404(views.login_totp_view), name="login-totp"),
    path("login/enrol/", denied_as_404(views.login_enrol_view), name="login-enrol"),
    path("login/password/", denied_as_404(views.login_password_view), name="login-password"),
    path("login/continue/", denied_as_404(views.login_continue_view), name="login-continue"),
    path("logout/", denied_as_404(views.logout_view), name="logout"),
    path("me/", denied_as_404(views.profile_view), name="profile"),
    path("me/totp/", denied_as_404(views.totp_enrol_view), name="totp-enrol"),
    path("me/recovery-codes/", denied_as_404(views.recovery_codes_view), name="recovery-codes"),
    path("me/tokens/", denied_as_404(views.token_create_view), name="token-create"),
    path("me/tokens/<int:pk>/revoke/", denied_as_404(views.token_revoke_view), name="token-revoke"),
    path("users/", denied_as_404(views.users_view), name="users"),
    path("users/new/", denied_as_404(views.user_create_view), name="user-create"),
    path("users/<int:pk>/", denied_as_404(views.user_detail_view), name="user"),
    path("users/<int:pk>/edit/", denied_as_404(views.user_edit_view), name="user-edit"),
    path("users/<int:pk>/active/", denied_as_404(views.user_active_view), name="user-active"),
    path("users/<int:pk>/unlock/", denied_as_404(views.user_unlock_view), name="user-unlock"),
    path(
        "users/<int:pk>/reset-password/",
        denied_as_404(views.user_reset_password_view),
        name="user-reset-password",
    ),
    path("users/<int:pk>/roles/", denied_as_404(views.user_role_view), name="user-role"),
    path("users/<int:pk>/clearance/", denied_as_404(views.user_clearance_view), name="user-clearance"),
    path("users/<int:pk>/reset-totp/", denied_as_404(views.user_reset_totp_view), name="user-reset-totp"),
    path("departments/", denied_as_404(views.departments_view), name="departments"),
    path("departments/<int:pk>/", denied_as_404(views.department_edit_view), name="department"),
    path("pick/people/<str:purpose>/", picker_views.pick_people, name="pick-people"),
    path("pick/departments/<str:purpose>/", picker_views.pick_departments, name="pick-departments"),
]
