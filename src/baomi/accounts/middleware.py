"""Idle logout (SEC-1): a session untouched for ``BAOMI_SESSION_IDLE_MINUTES`` ends."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from baomi.accounts import services

SESSION_KEY = "baomi_last_seen"
EXPIRED_KEY = "baomi_idle_expired"
BACKGROUND_HEADER = "X-Baomi-Background"


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(SESSION_KEY)
            if last is not None and now - float(last) > settings.SESSION_IDLE_SECONDS:
                services.register_logout(user, idle=True)
                logout(request)
                # The message middleware runs later: the login page reads this flag instead.
                request.session[EXPIRED_KEY] = True
            elif request.headers.get(BACKGROUND_HEADER) != "1":
                # A page's own background request (the inbox count) is not the person's activity:
                # it neither keeps the session alive nor rewrites its cookie.
                request.session[SESSION_KEY] = now
        return self.get_response(request)
