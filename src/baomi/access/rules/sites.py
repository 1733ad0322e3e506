"""Rules for key departments and places live with their app (``baomi.sites.rules``)."""

from baomi.sites import rules as _rules  # noqa: F401  # registers the rules on import
