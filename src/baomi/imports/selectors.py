"""Reads of an import: the same choices the hand-entry forms offer, looked up in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q


def items_by_key(actor: Any, keys: Iterable[str]) -> dict[str, Any]:
    """Items the actor may register carriers for (the registration form's choices), by number
    (id) and by document number (文号)."""
    from baomi.carriers.queries import registrable_items

    keys = {k for k in keys if k}
    ids = {int(k) for k in keys if k.isdigit()}
    found: dict[str, Any] = {}
    for item in registrable_items(actor).filter(Q(pk__in=ids) | Q(reference__in=keys)):
        found.setdefault(str(item.pk), item)
        if item.reference:
            found.setdefault(item.reference, item)
    return found


def people_by_key(keys: Iterable[str]) -> dict[str, Any]:
    """Active accounts (the forms' choice of people) by user name, and by full name when only
    one account bears it."""
    from baomi.carriers.queries import people

    keys = {k for k in keys if k}
    found: dict[str, Any] = {}
    by_name: dict[str, list[Any]] = {}
    for user in people(None).filter(Q(username__in=keys) | Q(full_name__in=keys)):
        if user.username in keys:
            found[user.username] = user
        by_name.setdefault(user.full_name, []).append(user)
    for name, users in by_name.items():
        if len(users) == 1:
            found.setdefault(name, users[0])
    return found


def departments_by_key(actor: Any, keys: Iterable[str]) -> dict[str, Any]:
    """Departments by code, and by name when only one department bears it."""
    from baomi.accounts.selectors import departments

    keys = {k for k in keys if k}
    found: dict[str, Any] = {}
    by_name: dict[str, list[Any]] = {}
    for dept in departments(actor).filter(Q(code__in=keys) | Q(name__in=keys)):
        if dept.code in keys:
            found[dept.code] = dept
        by_name.setdefault(dept.name, []).append(dept)
    for name, depts in by_name.items():
        if len(depts) == 1:
            found.setdefault(name, depts[0])
    return found


def personnel_users(keys: Iterable[str]) -> dict[str, Any]:
    """Accounts by user name, for opening personnel files (active or not)."""
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.filter(username__in=set(keys))}


def run_for(user: Any, pk: int) -> Any:
    """The user's own background import run (``view``), or the ordinary 404."""
    from baomi.access import policy
    from baomi.imports.models import ImportRun

    run = policy.visible(user, ImportRun.objects.all(), "view").filter(pk=pk).first()
    if run is None:
        from django.http import Http404

        raise Http404
    return run
