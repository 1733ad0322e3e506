"""Authentication with a lockout counted in the database (SEC-1, R-AUTH-1).

A locked account is refused even with the right password, so the lock holds across every
server process; so is a one-time password handed over after a reset once it has expired.
Failures and the lock are audited by the account services.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from baomi.accounts import services
from baomi.accounts.models import User


class LockoutBackend(BaseBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kw: Any
    ) -> User | None:
        if not username or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # equalise timing with a real hash
            services.register_login_failure(username)
            return None
        if user.is_locked() or not user.is_active or user.one_time_expired():
            services.register_login_failure(username)
            return None
        if not user.check_password(password):
            services.register_login_failure(username)
            return None
        return user

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in person of every request: a clearance whose day to be derived again has
        come is re-derived first, so a lapsed pledge counts from this request on (R-AC-4)."""
        user = User.objects.filter(pk=user_id).first()
        if user is None or not user.is_active:
            return None
        if services.clearance_is_due(user):
            services.refresh_clearance(user)
        return user
