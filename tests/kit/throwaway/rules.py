from typing import Any

from baomi.access import policy


def may_open(user: Any) -> bool:
    return bool(user.has_role("security_officer"))


policy.register_global("throwaway_open", may_open)
