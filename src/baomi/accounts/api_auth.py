"""Bearer-token authentication for the API; only the key's digest is stored."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from baomi.accounts import services
from baomi.accounts.models import ApiToken, token_digest


def digest(key: str) -> str:
    return token_digest(key)


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in {b"bearer", b"token"}:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed authorization header."))
        key = header[1].decode(errors="replace")
        token = (
            ApiToken.objects.select_related("user").filter(key_digest=digest(key), revoked_at=None).first()
        )
        if token is None or not token.user.is_active or token.user.is_locked():
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if services.clearance_is_due(token.user):
            services.refresh_clearance(token.user)  # R-AC-4: at this request, not the hourly job
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the bearer token in the OpenAPI schema (``securitySchemes.bearerAuth``)."""

    target_class = "baomi.accounts.api_auth.TokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <API 令牌>"}
