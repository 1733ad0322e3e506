"""Password policy (SEC-1, R-AUTH-4): length and character classes from settings."""

from __future__ import annotations

import string
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(c in string.punctuation or not c.isalnum() for c in password),
    ]
    return sum(classes)


class PolicyValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < settings.PASSWORD_MIN_LENGTH:
            raise ValidationError(
                _("The password must have at least %(n)d characters.") % {"n": settings.PASSWORD_MIN_LENGTH},
                code="password_too_short",
            )
        if character_classes(password) < settings.PASSWORD_MIN_CLASSES:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of: lower-case letters, upper-case letters, digits, symbols."
                )
                % {"n": settings.PASSWORD_MIN_CLASSES},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("At least %(len)d characters, mixing %(classes)d kinds of characters.") % {
            "len": settings.PASSWORD_MIN_LENGTH,
            "classes": settings.PASSWORD_MIN_CLASSES,
        }
