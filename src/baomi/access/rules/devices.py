"""Rules for media and devices live with their app (``baomi.devices.rules``)."""

from baomi.devices import rules as _rules  # noqa: F401  # registers the rules on import
