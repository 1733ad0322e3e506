"""Reads of the accounts app for the UI, the API and the CLI, always through the policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.access.policy import access_object, visible
from baomi.accounts.models import ApiToken, Department, User
from baomi.core.models import DemoMarker


def users(actor: Any, action: str = "view") -> QuerySet[User]:
    return visible(actor, User.objects.select_related("department"), action)


def user(actor: Any, pk: Any, action: str = "administer") -> User:
    return access_object(actor, User.objects.select_related("department"), pk, action)


def user_by_username(username: str) -> User | None:
    """The login's own lookup (not a policy read: the person is not signed in yet)."""
    return User.objects.filter(username=username).first()


def user_for_login(pk: Any) -> User | None:
    """The user of a half-finished login (session state), if the account still exists."""
    return User.objects.filter(pk=pk).first()


def filter_users(
    qs: QuerySet[User],
    *,
    q: str = "",
    department: Department | None = None,
    role: str = "",
    state: str = "",
) -> QuerySet[User]:
    """The filters of the users list: search, department (with its sub-departments), role,
    state (``active``, ``disabled``, ``locked``)."""
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(post__icontains=q))
    if department is not None:
        qs = qs.filter(department_id__in=subtree_ids(department))
    if role:
        qs = qs.filter(role_assignments__role=role)
    now = timezone.now()
    if state == "active":
        qs = qs.filter(is_active=True)
    elif state == "disabled":
        qs = qs.filter(is_active=False)
    elif state == "locked":
        qs = qs.filter(locked_until__gt=now)
    return qs.prefetch_related("role_assignments").distinct()


def departments(actor: Any, action: str = "view") -> QuerySet[Department]:
    return visible(actor, Department.objects.select_related("parent", "head", "secrecy_officer"), action)


def department(actor: Any, pk: Any, action: str = "view") -> Department:
    return access_object(actor, Department.objects.all(), pk, action)


def subtree_ids(root: Department) -> list[int]:
    ids = [root.pk]
    children: dict[int | None, list[int]] = {}
    for pk, parent in Department.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    i = 0
    while i < len(ids):
        ids.extend(children.get(ids[i], []))
        i += 1
    return ids


def department_tree(actor: Any) -> list[tuple[Department, int]]:
    """Every department the user may see, depth-first, with its depth (ORG-1)."""
    depts = list(departments(actor))
    by_parent: dict[int | None, list[Department]] = {}
    for d in depts:
        by_parent.setdefault(d.parent_id, []).append(d)
    known = {d.pk for d in depts}
    out: list[tuple[Department, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for d in by_parent.get(parent, []):
            out.append((d, depth))
            walk(d.pk, depth + 1)

    walk(None, 0)
    for d in depts:  # orphans of an invisible parent still show
        if d.parent_id is not None and d.parent_id not in known:
            out.append((d, 0))
            walk(d.pk, 1)
    return out


def tokens(actor: Any) -> QuerySet[ApiToken]:
    return visible(actor, ApiToken.objects.order_by("-created_at"), "view")


def token(actor: Any, pk: Any, action: str = "revoke") -> ApiToken:
    return access_object(actor, ApiToken.objects.all(), pk, action)


def member_counts() -> dict[int, int]:
    """Active members per department (names and counts are not classified, ORG-1)."""
    from django.db.models import Count

    rows = User.objects.filter(is_active=True).values("department_id").annotate(n=Count("pk"))
    return {r["department_id"]: r["n"] for r in rows if r["department_id"] is not None}


def no_departments() -> QuerySet[Department]:
    """An empty choice list for a form field; the view puts a policy-filtered one in."""
    return Department.objects.none()


def no_users() -> QuerySet[User]:
    """An empty choice list for a form field; the view puts a policy-filtered one in."""
    return User.objects.none()


def demo_loaded() -> bool:
    """Whether this database holds the demo accounts (``baomi demo``)."""

    return DemoMarker.objects.filter(part="accounts").exists()


# --------------------------------------------------------------------------------------------
# The person and department pickers (issue 13)

#: Suggestions per page of the picker.
PICK_PAGE = 20


def pickable_people(actor: Any) -> QuerySet[User]:
    """Every active person ``actor`` may see (names are not classified, ORG-1): the base that a
    picker's purpose narrows (:func:`baomi.kit.pickers.narrow`)."""
    return visible(actor, User.objects.filter(is_active=True), "view").select_related("department")


def search_people(people: QuerySet[User], q: str) -> QuerySet[User]:
    """``people`` whose name, pinyin initials or full pinyin, or username begins with ``q``, or
    whose department's name contains it. Every branch is a prefix match on an indexed column
    (``varchar_pattern_ops`` on PostgreSQL), and the departments are a small table, so the search
    stays fast among 10,000 people (bench/picker)."""
    q = (q or "").strip()[:50]
    if not q:
        return people.order_by("department__sort_order", "full_name", "username")
    low = q.lower()
    cond = Q(full_name__startswith=q) | Q(username__startswith=low)
    if low.isascii():
        cond |= Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low)
    departments = list(
        Department.objects.filter(Q(name__contains=q) | Q(code__iexact=q)).values_list("pk", flat=True)[:50]
    )
    if departments:
        cond |= Q(department_id__in=departments)
    return people.filter(cond).order_by("full_name", "username")


def list_all_people() -> QuerySet[User]:
    """Every active person, as the old select lists offered them (the benchmark's baseline)."""
    return User.objects.filter(is_active=True).select_related("department").order_by("username")


def pickable_departments(actor: Any, q: str = "") -> QuerySet[Department]:
    """Departments ``actor`` may see whose name or code contains ``q``, tree order."""
    qs = visible(actor, Department.objects.select_related("parent", "parent__parent"), "view")
    q = (q or "").strip()[:50]
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__icontains=q))
    return qs.order_by("sort_order", "name")
