"""Rules for contractors live with their app (``baomi.contractors.rules``)."""

from baomi.contractors import rules as _rules  # noqa: F401  # registers the rules on import
