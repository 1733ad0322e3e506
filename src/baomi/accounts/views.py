"""Login (password → second factor / enrolment → due password change), logout, own account.

Thin: forms validate shape, services change state (STYLE 2.9). A login that is not finished
lives in the session under ``PENDING`` (user id, remaining stages, start time); the person is
signed in (``django.contrib.auth.login``) only when every stage is done, so nothing else of the
application is reachable before the second factor, its enrolment and a due password change
(SEC-1).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from baomi.access.policy import can, deny
from baomi.accounts import selectors, services, totp
from baomi.accounts.choices import Role
from baomi.accounts.forms import (
    AuthorityForm,
    CodeForm,
    DecisionForm,
    DepartmentForm,
    EnrolForm,
    HandoverForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    RoleForm,
    TokenForm,
    UserFilterForm,
    UserForm,
)
from baomi.accounts.middleware import EXPIRED_KEY, SESSION_KEY
from baomi.accounts.models import User
from baomi.accounts.passwords import PolicyValidator
from baomi.audit.events import AuditEvent
from baomi.core.errors import BaomiError
from baomi.kit.exports import issue_export

PENDING = "baomi_login_pending"
PENDING_SECONDS = 600  # a half-finished login is forgotten after ten minutes
STAGE_URLS = {
    "totp": "accounts:login-totp",
    "enrol": "accounts:login-enrol",
    "password": "accounts:login-password",
}


def _refused() -> str:
    # One message for every failure: no hint whether the name exists or is locked.
    return _("Wrong username or password, or the account is locked.")


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return ""


def _stages(user: User) -> list[str]:
    stages = []
    if user.totp_enrolled:
        stages.append("totp")
    elif services.totp_required(user) or user.must_enrol_totp:
        # SEC-1: 机密 and above must enrol before anything else; after a password handover
        # everyone enrols their own second factor (R-ROLE-1..3)
        stages.append("enrol")
    if services.must_set_password(user):
        stages.append("password")
    return stages


def _pending(request: HttpRequest, stage: str) -> tuple[User, dict[str, Any]] | None:
    state = request.session.get(PENDING)
    if not state or time.time() - float(state.get("ts", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    if not state.get("stages") or state["stages"][0] != stage:
        return None
    user = selectors.user_for_login(state["uid"])
    if user is None or not user.is_active or user.is_locked():
        request.session.pop(PENDING, None)
        return None
    return user, state


def _advance(request: HttpRequest, user: User, state: dict[str, Any]) -> HttpResponse:
    state["stages"] = state["stages"][1:]
    request.session[PENDING] = state
    if state["stages"]:
        return redirect(STAGE_URLS[state["stages"][0]])
    return _finish(request, user, state.get("next", ""))


def _finish(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    services.register_login_success(user)
    login(request, user, backend="baomi.accounts.backends.LockoutBackend")
    request.session[SESSION_KEY] = time.time()
    return redirect(next_url or "dashboard:home")


def _restart(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("The sign-in was interrupted or took too long; please sign in again."))
    return redirect("accounts:login")


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is None:
            form.add_error(None, _refused())
        else:
            assert isinstance(user, User)
            request.session.cycle_key()
            state = {"uid": user.pk, "stages": ["password-ok", *_stages(user)], "ts": time.time(),
                     "next": _safe_next(request, request.GET.get("next"))}  # fmt: skip
            return _advance(request, user, state)
    else:
        request.session.pop(PENDING, None)
    idle = bool(request.session.pop(EXPIRED_KEY, False))
    return render(request, "accounts/login.html", {"form": form, "idle_expired": idle})


def login_totp_view(request: HttpRequest) -> HttpResponse:
    """Second step for an enrolled person: a TOTP code or a recovery code (SEC-1)."""
    found = _pending(request, "totp")
    if found is None:
        return _restart(request)
    user, state = found
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.verify_second_factor(user, form.cleaned_data["code"]):
            if not totp.looks_like_recovery_code(form.cleaned_data["code"]):
                return _advance(request, user, state)
            left = services.recovery_codes_left(user)
            messages.warning(request, _("You signed in with a recovery code; %(n)d are left.") % {"n": left})
            return _advance(request, user, state)
        user.refresh_from_db()
        if user.is_locked():
            request.session.pop(PENDING, None)
            messages.error(request, _refused())
            return redirect("accounts:login")
        form.add_error("code", _("The code is not correct or was already used."))
    return render(request, "accounts/login_totp.html", {"form": form, "person": user})


def _enrolment(request: HttpRequest, user: User, *, during_login: bool) -> HttpResponse:
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp(user, form.cleaned_data["code"])
        except BaomiError as exc:
            form.add_error(None, str(exc))
            codes = None
        else:
            if codes is None:
                form.add_error(
                    "code", _("The code is not correct. Check the time on your phone and try again.")
                )
        if codes is not None:
            if during_login:
                state = request.session[PENDING]
                state["stages"] = state["stages"][1:]
                state["ts"] = time.time()
                request.session[PENDING] = state
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "during_login": during_login}
            )
    secret = services.begin_totp_enrolment(user)
    uri = totp.provisioning_uri(secret, user.username)
    return render(
        request,
        "accounts/totp_enrol.html",
        {"form": form, "secret": totp.describe(secret), "qr": totp.qr_svg(uri), "uri": uri,
         "during_login": during_login, "person": user},
    )  # fmt: skip


def login_enrol_view(request: HttpRequest) -> HttpResponse:
    """Forced enrolment during login for people cleared for 机密 and above (SEC-1)."""
    found = _pending(request, "enrol")
    if found is None:
        return _restart(request)
    return _enrolment(request, found[0], during_login=True)


@require_POST
def login_continue_view(request: HttpRequest) -> HttpResponse:
    """After the recovery codes were shown: the next stage or the end of the login."""
    state = request.session.get(PENDING)
    if not state:
        return _restart(request)
    user = selectors.user_for_login(state["uid"])
    if user is None or time.time() - float(state.get("ts", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return _restart(request)
    if state["stages"]:
        return redirect(STAGE_URLS[state["stages"][0]])
    return _finish(request, user, state.get("next", ""))


def login_password_view(request: HttpRequest) -> HttpResponse:
    """Forced password change: first login, reset by the administrator, or too old (SEC-1)."""
    found = _pending(request, "password")
    if found is None:
        return _restart(request)
    user, state = found
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_expired_password(user, new_password=form.cleaned_data["new_password"])
        except BaomiError as exc:
            form.add_error("new_password", str(exc))
        else:
            messages.success(request, _("Your password was changed."))
            return _advance(request, user, state)
    expired = services.password_expired(user) and not user.must_change_password
    return render(request, "accounts/login_password.html",
                  {"form": form, "expired": expired, "person": user, "policy_help": _policy_help()})  # fmt: skip


def _policy_help() -> str:
    return PolicyValidator().get_help_text()


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.register_logout(request.user)  # type: ignore[arg-type]  # authenticated: a User
    logout(request)
    return redirect("accounts:login")


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                me,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except BaomiError as exc:
            form.add_error(None, str(exc))
        else:
            update_session_auth_hash(request, me)
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", _profile_context(request, me, password_form=form))


def _profile_context(request: HttpRequest, me: User, **extra: Any) -> dict[str, Any]:
    return {
        "password_form": PasswordChangeForm(),
        "token_form": TokenForm(),
        "recovery_form": EnrolForm(),
        "tokens": selectors.tokens(me),
        "totp_required": services.totp_required(me),
        "recovery_left": services.recovery_codes_left(me) if me.totp_enrolled else 0,
        "password_age_days": settings.PASSWORD_MAX_AGE_DAYS,
        "policy_help": _policy_help(),
        **extra,
    }


@login_required
def totp_enrol_view(request: HttpRequest) -> HttpResponse:
    """Optional enrolment from one's own account page (required ones happen at login)."""
    me = _me(request)
    if me.totp_enrolled:
        messages.info(request, _("A second factor is already enrolled."))
        return redirect("accounts:profile")
    return _enrolment(request, me, during_login=False)


@login_required
@require_POST
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    """New recovery codes, confirmed with a current code of the authenticator app (SEC-1)."""
    me = _me(request)
    form = EnrolForm(request.POST)
    codes = None
    if form.is_valid():
        try:
            codes = services.regenerate_recovery_codes(me, form.cleaned_data["code"])
        except BaomiError as exc:
            messages.error(request, str(exc))
            return redirect("accounts:profile")
    if codes is None:
        me.refresh_from_db()
        if me.is_locked():
            logout(request)
            messages.error(request, _refused())
            return redirect("accounts:login")
        form.add_error("code", _("The code is not correct or was already used."))
        return render(request, "accounts/profile.html", _profile_context(request, me, recovery_form=form))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "during_login": False})


@login_required
@require_POST
def token_create_view(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = services.create_token(me, name=form.cleaned_data["name"])
        except BaomiError as exc:
            form.add_error("name", str(exc))
        else:
            # The key is shown in this response only, never stored or put into a message cookie.
            return render(
                request, "accounts/profile.html", _profile_context(request, me, new_key=key, new_token=token)
            )
    return render(request, "accounts/profile.html", _profile_context(request, me, token_form=form))


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    token = selectors.token(me, pk)
    services.revoke_token(me, token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


# --- account management (SEC-2, ORG-1..3) ----------------------------------------------------


def _require_global(request: HttpRequest, action: str) -> User:
    me = _me(request)
    if not can(me, action):
        raise deny(me, action, None)
    return me


@login_required
def users_view(request: HttpRequest) -> HttpResponse:
    """The users list for the system administrator and the security officer: search, filter by
    department, role and state; CSV export."""
    me = _require_global(request, "administer_accounts")
    form = UserFilterForm(request.GET or None, departments=selectors.departments(me))
    qs = selectors.users(me, "administer")
    if form.is_valid():
        qs = selectors.filter_users(
            qs, q=form.cleaned_data["q"] or "", department=form.cleaned_data["department"],
            role=form.cleaned_data["role"] or "", state=form.cleaned_data["state"] or "",
        )  # fmt: skip
    else:
        qs = selectors.filter_users(qs)
    if request.GET.get("export") == "csv":
        filters = {k: v for k, v in (form.cleaned_data.items() if form.is_valid() else []) if v}
        return _users_csv(me, qs, {k: _filter_value(k, v) for k, v in filters.items()})
    paginator = Paginator(qs, 50)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/users.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now(),
         "can_create": can(me, "manage_accounts")},
    )  # fmt: skip


def _filter_value(key: str, value: Any) -> Any:
    """A filter as the audit entry keeps it: a search by its length only (it may be content),
    a department by its id, anything else as text."""
    if key == "q":
        return len(str(value))
    return value.pk if hasattr(value, "pk") else str(value)


def _users_csv(me: Any, qs: Any, filters: dict[str, Any]) -> HttpResponse:
    """The user list as CSV, issued by the one audited export service with its own 份号 (issue
    12 §4: who, which filter, how many rows)."""
    import csv

    users = list(qs)
    ticket = issue_export(me, AuditEvent.USERS_EXPORTED, ("accounts.users", "users", "users"),
                          document="accounts.users", fmt="csv", rows=len(users), filters=filters)  # fmt: skip
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="users-{ticket.number}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    writer = csv.writer(response)
    writer.writerow([_csv_cell(c) for c in (_("Copy number"), ticket.number, ticket.watermark)])
    writer.writerow([_("Username"), _("Full name"), _("Department"), _("Person type"), _("Post"), _("Roles"),
                     _("Clearance"), _("State")])  # fmt: skip
    for u in users:
        roles = "、".join(str(Role(r.role).label) for r in u.role_assignments.all())
        state = (
            pgettext("account", "Disabled")
            if not u.is_active
            else (_("Locked") if u.is_locked() else _("Active"))
        )
        row = [u.username, u.full_name, u.department or "", u.get_person_type_display(), u.post, roles,
               u.get_clearance_display(), state]  # fmt: skip
        writer.writerow([_csv_cell(c) for c in row])
    return response


def _csv_cell(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@login_required
def user_create_view(request: HttpRequest) -> HttpResponse:
    me = _require_global(request, "manage_accounts")
    form = UserForm(request.POST or None, departments=selectors.departments(me))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                me, username=data["username"], full_name=data["full_name"], department=data["department"],
                person_type=data["person_type"], post=data["post"],
            )  # fmt: skip
        except BaomiError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("The account %(name)s was created. The security officer hands the one-time password to the "
                  "person in person.") % {"name": user.username},
            )  # fmt: skip
            return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


def _form_errors(form: Any, exc: BaomiError) -> None:
    placed = False
    for name in exc.fields:
        if name in form.fields:
            form.add_error(name, str(exc))
            placed = True
            break
    if not placed:
        form.add_error(None, str(exc))


@login_required
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    person = selectors.user(me, pk, "administer")
    return render(request, "accounts/user_detail.html", _detail_context(me, person))


def _detail_context(me: User, person: User, **extra: Any) -> dict[str, Any]:
    held = person.role_codes()
    return {
        "person": person,
        "roles": [(code, label) for code, label in Role.choices if code in held],
        "role_form": RoleForm(),
        "authority_form": AuthorityForm(initial={"authority_level": person.authority_level}),
        "handover_form": HandoverForm(),
        # R-DET-7: who designated this person, for which levels, from when, by which document.
        "designations": person.authority_designations.select_related("designated_by", "ended_by")[:20],
        "may_manage": can(me, "manage_accounts", person),
        "may_assign": can(me, "assign_role", person),
        "may_authorise": can(me, "set_authority_level", person),
        "may_hand_over": person.awaiting_handover and can(me, "hand_over_password", person),
        "pending_changes": selectors.pending_org_changes(me, person),
        "may_reset_totp": can(me, "reset_totp", person) and person.totp_enrolled,
        "is_self": me.pk == person.pk,
        "totp_required": services.totp_required(person),
        "now": timezone.now(),
        **extra,
    }


@login_required
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    person = selectors.user(me, pk, "manage_accounts")
    initial = {"full_name": person.full_name, "department": person.department, "person_type": person.person_type,
               "post": person.post}  # fmt: skip
    form = UserForm(
        request.POST or None, initial=initial, departments=selectors.departments(me), editing=True
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        moved = (d["department"].pk if d["department"] else None) != person.department_id
        try:
            services.update_user(me, person, full_name=d["full_name"], department=person.department,
                                 person_type=d["person_type"], post=d["post"])  # fmt: skip
            if moved:  # R-ROLE-1..3: a move takes effect when the security officer confirms it
                services.propose_org_change(me, kind="move", person=person, department=d["department"])
        except BaomiError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The account was saved."))
            if moved:
                messages.info(request, _org_change_proposed())
            return redirect("accounts:user", pk=person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": False, "person": person})


def _detail_action(request: HttpRequest, pk: int, action: str) -> tuple[User, User]:
    me = _me(request)
    return me, selectors.user(me, pk, action)


def _back(pk: int) -> HttpResponse:
    return redirect("accounts:user", pk=pk)


@login_required
@require_POST
def user_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    me, person = _detail_action(request, pk, "manage_accounts")
    active = request.POST.get("active") == "1"
    try:
        services.set_active(me, person, active)
    except BaomiError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The account was enabled.") if active else _("The account was disabled."))
    return _back(pk)


@login_required
@require_POST
def user_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    me, person = _detail_action(request, pk, "manage_accounts")
    services.unlock_user(me, person)
    messages.success(request, _("The account was unlocked."))
    return _back(pk)


@login_required
@require_POST
def user_reset_password_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The system administrator resets a password and learns none (R-ROLE-1..3): the security
    officer hands a one-time password to the person in person."""
    me, person = _detail_action(request, pk, "manage_accounts")
    try:
        services.reset_password(me, person)
    except BaomiError as exc:
        messages.error(request, str(exc))
        return _back(pk)
    messages.success(
        request,
        _("The password was reset and every session and API token of the person ended. The security officer "
          "hands the one-time password to the person in person."),
    )  # fmt: skip
    return _back(pk)


@login_required
@require_POST
def user_handover_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The security officer, with the person in front of them, issues the one-time password;
    it is shown in this response only, to the person (R-ROLE-1..3)."""
    me, person = _detail_action(request, pk, "hand_over_password")
    form = HandoverForm(request.POST)
    try:
        password = services.hand_over_password(me, person, identity_checked=form.is_valid())
    except BaomiError as exc:
        messages.error(request, str(exc))
        return _back(pk)
    person.refresh_from_db()
    return render(request, "accounts/temporary_password.html", {"person": person, "password": password})


@login_required
@require_POST
def user_role_view(request: HttpRequest, pk: int) -> HttpResponse:
    me, person = _detail_action(request, pk, "assign_role")
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return _back(pk)
    role = form.cleaned_data["role"]
    try:
        if request.POST.get("op") == "revoke":
            services.revoke_role(me, person, role)
            messages.success(request, _("The role %(role)s was revoked.") % {"role": Role(role).label})
        else:
            services.assign_role(me, person, role)
            messages.success(request, _("The role %(role)s was assigned.") % {"role": Role(role).label})
    except BaomiError as exc:
        messages.error(request, str(exc))
    return _back(pk)


@login_required
@require_POST
def user_authority_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The security officer sets the authorised determination level; the clearance is not set
    here or anywhere by hand — it derives from the personnel file (PER-2, R-AC-4)."""
    me, person = _detail_action(request, pk, "set_authority_level")
    form = AuthorityForm(request.POST)
    if form.is_valid():
        try:
            services.set_authority_level(me, person, form.cleaned_data["authority_level"] or "",
                                         designation_document=form.cleaned_data.get("designation_document") or "",
                                         valid_from=form.cleaned_data.get("valid_from"))  # fmt: skip
        except BaomiError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The authorised determination level was saved."))
        return _back(pk)
    return render(request, "accounts/user_detail.html", _detail_context(me, person, authority_form=form))


@login_required
@require_POST
def user_reset_totp_view(request: HttpRequest, pk: int) -> HttpResponse:
    me, person = _detail_action(request, pk, "reset_totp")
    services.reset_totp(me, person)
    messages.success(request, _("The second factor was reset; the person enrols again at the next sign-in."))
    return _back(pk)


@login_required
def departments_view(request: HttpRequest) -> HttpResponse:
    """The organisation tree with each department's head and secrecy officer (ORG-1)."""
    me = _require_global(request, "manage_departments")
    form = DepartmentForm(request.POST or None, departments=selectors.departments(me),
                          people=selectors.users(me).filter(is_active=True))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            dept = services.create_department(me, name=d["name"], code=d["code"], parent=d["parent"],
                                              sort_order=d["sort_order"] or 0)  # fmt: skip
            proposed = _propose_officers(me, dept, head=d["head"], secrecy_officer=d["secrecy_officer"])
        except BaomiError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The department %(name)s was created.") % {"name": dept.name})
            if proposed:
                messages.info(request, _org_change_proposed())
            return redirect("accounts:departments")
    tree = selectors.department_tree(me)
    counts = selectors.member_counts()
    rows = [(d, depth, counts.get(d.pk, 0)) for d, depth in tree]
    return render(request, "accounts/departments.html", {"rows": rows, "form": form})


@login_required
def department_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    dept = selectors.department(me, pk, "manage_departments")
    initial = {"name": dept.name, "parent": dept.parent, "sort_order": dept.sort_order, "head": dept.head,
               "secrecy_officer": dept.secrecy_officer}  # fmt: skip
    form = DepartmentForm(request.POST or None, initial=initial, editing=True,
                          departments=selectors.departments(me).exclude(pk=dept.pk),
                          people=selectors.users(me).filter(is_active=True))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_department(
                me, dept, name=d["name"], parent=d["parent"], sort_order=d["sort_order"] or 0
            )
            proposed = _propose_officers(me, dept, head=d["head"], secrecy_officer=d["secrecy_officer"])
        except BaomiError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The department was saved."))
            if proposed:
                messages.info(request, _org_change_proposed())
            return redirect("accounts:departments")
    return render(request, "accounts/department_form.html", {"form": form, "dept": dept})


# --- organisation changes: proposed by the system administrator, confirmed by the security
# officer (R-ROLE-1..3) ---------------------------------------------------------------------


def _org_change_proposed() -> str:
    return _("The change was proposed; it takes effect when the security officer confirms it.")


def _propose_officers(me: User, dept: Any, *, head: User | None, secrecy_officer: User | None) -> int:
    """File a proposal for each appointment of the department form that changes anything."""
    proposed = 0
    for kind, person in (("head", head), ("secrecy_officer", secrecy_officer)):
        if getattr(dept, f"{kind}_id") != (person.pk if person else None):
            services.propose_org_change(me, kind=kind, person=person, department=dept)
            proposed += 1
    return proposed


@login_required
def org_changes_view(request: HttpRequest) -> HttpResponse:
    """Moves between departments and appointments of heads and 保密责任人: the system
    administrator's proposals, the security officer's decisions."""
    me = _require_global(request, "org_changes")
    paginator = Paginator(selectors.org_changes(me), 50)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(c, can(me, "decide", c), can(me, "withdraw", c)) for c in page]
    return render(request, "accounts/org_changes.html", {"page": page, "rows": rows, "form": DecisionForm()})


@login_required
@require_POST
def org_change_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    change = selectors.org_change(me, pk, "decide")
    form = DecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_org_change(me, change, approve=approve, reason=reason)
    except BaomiError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The change was confirmed and has taken effect.") if approve
                         else _("The change was refused."))  # fmt: skip
    return redirect("accounts:org-changes")


@login_required
@require_POST
def org_change_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    change = selectors.org_change(me, pk, "withdraw")
    try:
        services.withdraw_org_change(me, change)
    except BaomiError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The change was withdrawn."))
    return redirect("accounts:org-changes")
