"""Incident rules live in their app (``baomi.incidents.rules``); importing registers them."""

from baomi.incidents import rules  # noqa: F401
