"""People and the organisation: departments (ORG-1), users, roles (SEC-2).

There is no superuser and no staff flag: the user model does not inherit ``PermissionsMixin``,
and every permission is decided by ``baomi.access`` from roles, clearance and scope.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.accounts.choices import PersonType, Role
from baomi.core.levels import Level
from baomi.kit.requests import Request


class Department(models.Model):
    """A unit of the organisation tree (ORG-1).

    Responsible: its head (部门负责人, first responsible person for secrecy in the department)
    and its secrecy officer (保密责任人). Invariant: the tree has no cycles (checked by the
    service that moves a department).
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=30, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )  # fmt: skip
    head = models.ForeignKey(
        "accounts.User", verbose_name=_("department head"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="headed_departments",
    )  # fmt: skip
    secrecy_officer = models.ForeignKey(
        "accounts.User", verbose_name=_("secrecy officer"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="secrecy_departments",
    )  # fmt: skip
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(username=username)


class User(AbstractBaseUser):
    """An account of a person of the unit.

    Responsible: the system administrator creates and disables accounts; ``clearance`` is
    derived from the personnel file by the personnel rules (PER-2, R-AC-4) — nobody types it —
    and the security officer sets the authority level (SEC-2, R-ROLE-5). Invariants: no
    superuser flag; the three separated administrator roles exclude each other (enforced by
    ``assign_role``); a password reset leaves no password anybody knows until the security
    officer hands a one-time password to the person (R-ROLE-1..3, docs/accounts.md).
    """

    username = models.CharField(_("username"), max_length=150, unique=True)
    full_name = models.CharField(_("full name"), max_length=100)
    # Search keys of the person picker (issue 13), derived from full_name in save(): 李娜 → ln, lina.
    name_initials = models.CharField(
        _("pinyin initials"), max_length=40, blank=True, default="", editable=False
    )
    name_pinyin = models.CharField(_("pinyin"), max_length=200, blank=True, default="", editable=False)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )  # fmt: skip
    person_type = models.CharField(
        _("person type"), max_length=20, choices=PersonType.choices, default=PersonType.EMPLOYEE
    )
    post = models.CharField(_("post"), max_length=100, blank=True)
    clearance = models.CharField(
        _("clearance"), max_length=20, choices=Level.choices, default=Level.WORK_SECRET, editable=False
    )
    authority_level = models.CharField(
        _("authorised determination level"), max_length=20, choices=Level.choices, blank=True,
        editable=False, help_text=_("For classification authorities: the highest level they may approve."),
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True, editable=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now, editable=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, editable=False)
    must_change_password = models.BooleanField(_("must change password"), default=False, editable=False)
    failed_logins = models.PositiveIntegerField(_("failed logins"), default=0, editable=False)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True, editable=False)
    totp_secret = models.CharField(_("TOTP secret (encrypted)"), max_length=400, blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(_("second factor enrolled at"), null=True, editable=False)
    # The time step of the last accepted code: a code of that step or earlier is a replay (SEC-1).
    totp_last_step = models.BigIntegerField(_("last accepted TOTP step"), null=True, editable=False)
    # The day the clearance must be derived again (a pledge runs out): the next request of the
    # person, in any session or with any API token, re-derives it (R-AC-4, R-PER-3).
    clearance_check_on = models.DateField(_("clearance re-derived on"), null=True, editable=False)
    # Password reset (R-ROLE-1..3): no usable password until the security officer hands a
    # one-time password to the person in person; that one expires and forces a second factor.
    handover_due_since = models.DateTimeField(
        _("awaiting password handover since"), null=True, editable=False
    )
    one_time_until = models.DateTimeField(_("one-time password valid until"), null=True, editable=False)
    must_enrol_totp = models.BooleanField(_("must enrol a second factor"), default=False, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        # The picker searches by prefix; on PostgreSQL the pattern opclass lets LIKE 'ln%' use
        # the index whatever the database collation (SQLite ignores opclasses).
        indexes = [
            models.Index(
                fields=["name_initials"], name="user_initials_like", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["name_pinyin"], name="user_pinyin_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["full_name"], name="user_full_name_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["username"], name="user_username_like", opclasses=["varchar_pattern_ops"]),
        ]

    #: The account page needs "administer" (kit/links.py); everyone else sees the name as text.
    link_action = "administer"

    def get_absolute_url(self) -> str:
        return reverse("accounts:user", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the picker's pinyin keys in step with the name (derived data, no audit of its own:
        the name change that moves them is audited by the service that makes it)."""
        from baomi.accounts import pinyin

        keys = {"name_initials": pinyin.initials(self.full_name), "name_pinyin": pinyin.full(self.full_name)}
        changed = [k for k, v in keys.items() if getattr(self, k) != v]
        for k in changed:
            setattr(self, k, keys[k])
        fields = kwargs.get("update_fields")
        if fields is not None and changed:
            kwargs["update_fields"] = list({*fields, *changed})
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    def audit_label(self) -> str:
        return str(self)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name or self.username

    # Roles are cached per instance; services that change them clear the cache.
    def role_codes(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            if self.pk is None:
                cached = frozenset()
            else:
                cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, *roles: Any) -> bool:
        return bool(self.role_codes() & {str(r) for r in roles})

    def forget_roles(self) -> None:
        self.__dict__.pop("_role_cache", None)
        self.forget_posts()

    def forget_posts(self) -> None:
        self.__dict__.pop("_department_posts", None)

    # The departments this person heads and is secrecy officer of (ORG-1) are inputs of nearly
    # every rule's filter (CAR-12, SUP-3, ...): read once per instance in one query, like the
    # roles (a request's user lives for one request); the services that appoint clear it.
    def _posts(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        cached: tuple[tuple[int, ...], tuple[int, ...]] | None = self.__dict__.get("_department_posts")
        if cached is None:
            heads: list[int] = []
            officers: list[int] = []
            if self.pk is not None:
                rows = Department.objects.filter(
                    models.Q(head_id=self.pk) | models.Q(secrecy_officer_id=self.pk)
                )
                for pk, head_id, officer_id in rows.values_list("pk", "head_id", "secrecy_officer_id"):
                    if head_id == self.pk:
                        heads.append(pk)
                    if officer_id == self.pk:
                        officers.append(pk)
            cached = (tuple(heads), tuple(officers))
            self.__dict__["_department_posts"] = cached
        return cached

    def headed_department_ids(self) -> list[int]:
        """The departments this person heads (ORG-1), in the departments' order."""
        return list(self._posts()[0])

    def secrecy_department_ids(self) -> list[int]:
        """The departments whose secrecy officer this person is (ORG-1), in their order."""
        return list(self._posts()[1])

    @property
    def totp_enrolled(self) -> bool:
        return self.totp_confirmed_at is not None

    def is_locked(self, now: Any = None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))

    @property
    def awaiting_handover(self) -> bool:
        return self.handover_due_since is not None

    def one_time_expired(self, now: Any = None) -> bool:
        return bool(self.one_time_until and self.one_time_until <= (now or timezone.now()))


class RoleAssignment(models.Model):
    """One role held by one user (SEC-2). Created and removed only by ``assign_role`` /
    ``revoke_role``, which enforce 三员分立 at assignment time."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    assigned_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="accounts_role_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


def token_digest(key: str) -> str:
    """The stored form of an API token key: its SHA-256 digest (API-1)."""
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a SHA-256 digest of the key is stored; the key is
    shown once at creation. Revoked tokens stay for the audit trail."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RecoveryCode(models.Model):
    """A single-use recovery code of the second factor (SEC-1). Only a keyed digest is stored;
    the codes are shown once, when the second factor is enrolled."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["user", "code_digest"], name="accounts_recovery_once")]

    def __str__(self) -> str:
        return f"{self.user_id} #{self.pk}"


class OrgChangeKind(models.TextChoices):
    MOVE = "move", _("Move to a department")
    HEAD = "head", _("Department head")
    SECRECY_OFFICER = "secrecy_officer", _("Secrecy officer")


class OrgChange(Request):
    """A change of the organisation that moves need-to-know or approval powers (R-ROLE-1..3):
    a person's move to another department, or the appointment of a department head or
    保密责任人. The system administrator proposes it; the security officer confirms it, and
    only then it takes effect (``services.decide_org_change``). Nobody decides a change that
    moves or appoints themself (``person`` is the beneficiary)."""

    beneficiary_field = "person"
    queue_url = "accounts:org-changes"

    kind = models.CharField(_("change"), max_length=20, choices=OrgChangeKind.choices)
    person = models.ForeignKey(
        User, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The person moved or appointed; empty: the post is left vacant."),
    )  # fmt: skip
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("The new department, or the department of the appointment."),
    )  # fmt: skip

    class Meta(Request.Meta):
        verbose_name = _("organisation change")
        verbose_name_plural = _("organisation changes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person or '—'} → {self.department or '—'}"

    def audit_label(self) -> str:
        return str(self)


class AuthorityDesignation(models.Model):
    """The written designation of a classification authority (定密责任人, R-DET-7, R-DET-3): who
    designated whom, for which levels (up to ``level``), from when, by which document. The
    approval rule reads the designation in force, not the role flag alone; a change ends the
    previous designation and starts a new one, so the history stays. Written only by
    ``accounts.services.set_clearance`` (and ``designate_authority``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="authority_designations")
    level = models.CharField(_("highest level"), max_length=20, choices=Level.choices)
    designated_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("designated by"),
    )
    document = models.CharField(_("designation document"), max_length=200, blank=True)
    valid_from = models.DateField(_("in force from"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("classification authority designation")
        verbose_name_plural = _("classification authority designations")
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_level_display()} ({self.valid_from})"

    @classmethod
    def in_force_for(cls, user: Any, on: Any = None) -> AuthorityDesignation | None:
        """The designation under which ``user`` decides on ``on`` (R-DET-7), or ``None``."""
        day = on or timezone.localdate()
        return (
            cls.objects.filter(user_id=user.pk, valid_from__lte=day)
            .exclude(ended_on__lte=day)
            .order_by("-valid_from", "-id")
            .first()
        )

    def in_force(self, on: Any = None) -> bool:
        day = on or timezone.localdate()
        return self.valid_from <= day and (self.ended_on is None or self.ended_on > day)
