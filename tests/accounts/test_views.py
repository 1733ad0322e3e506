"""Account management screens (SEC-2, ORG-1..3): per-role navigation, the users list with its
filters and export, create, disable, reset password, roles and clearance, departments, own
account with API tokens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from baomi.accounts.choices import Role
from baomi.accounts.models import Department, OrgChange, User
from baomi.audit.events import AuditEvent
from tests.accounts.helpers import post_password
from tests.support.assertions import assert_audited, assert_denied, last_audit_id


def nav_urls(client) -> set[str]:
    return {item["url"] for item in client.get(reverse("accounts:profile")).context["nav_items"]}


def test_navigation_follows_the_role(org, client):
    """Accounts for the system administrator and the security officer, departments for the
    system administrator only, neither for others (SEC-2)."""
    users, depts = reverse("accounts:users"), reverse("accounts:departments")
    client.force_login(org.sysadmin)
    assert {users, depts} <= nav_urls(client)
    client.force_login(org.security_officer)
    assert users in nav_urls(client) and depts not in nav_urls(client)
    for persona in ("auditor", "staff_secret"):
        client.force_login(getattr(org, persona))
        assert not {users, depts} & nav_urls(client)


@pytest.mark.parametrize("persona", ["auditor", "staff_secret", "unit_head"])
def test_management_screens_look_absent_to_others(org, client, persona):
    client.force_login(getattr(org, persona))
    since = last_audit_id()
    assert_denied(client.get(reverse("accounts:users")), since=since)
    assert client.get(reverse("accounts:user", args=[org.staff_secret.pk])).status_code == 404
    assert client.get(reverse("accounts:departments")).status_code == 404


def test_users_list_filters_and_exports(org, client):
    client.force_login(org.sysadmin)
    page = client.get(reverse("accounts:users"), {"role": Role.AUDITOR})
    assert [u.username for u in page.context["page"].object_list] == ["auditor"]
    page = client.get(reverse("accounts:users"), {"department": org.departments["OFFICE"].pk})
    names = {u.username for u in page.context["page"].object_list}
    assert "security_officer" in names  # 保密办 is under 办公室: sub-departments count
    assert "staff_work_secret" not in names
    page = client.get(reverse("accounts:users"), {"q": "outsid"})
    assert [u.username for u in page.context["page"].object_list] == ["outsider"]
    User.objects.filter(pk=org.outsider.pk).update(is_active=False, full_name="=HYPERLINK(1)")
    page = client.get(reverse("accounts:users"), {"state": "disabled"})
    assert [u.username for u in page.context["page"].object_list] == ["outsider"]
    csv = client.get(reverse("accounts:users"), {"export": "csv", "state": "disabled"})
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert "outsider" in body and "已停用" in body and "staff_secret" not in body
    assert "'=HYPERLINK(1)" in body  # no formula for the spreadsheet to run


def test_users_filters_offer_all_as_their_empty_choice(org, client):
    """The users list filters read 全部 for "no filter", like the other lists (STYLE: one
    wording), never ``---------`` or ``—``."""
    import re

    client.force_login(org.sysadmin)
    html = client.get(reverse("accounts:users")).content.decode()
    for name in ("department", "role", "state"):
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
        assert select, name
        first = re.search(r'<option value="".*?>(.*?)</option>', select.group(1), re.S)
        assert first and first.group(1).strip() == "全部", (name, select.group(1)[:120])


def test_create_user_awaits_the_handover(org, client):
    """The system administrator creates an account and learns no password: the security officer
    hands the one-time password to the person, who must change it at first login (SEC-1,
    SEC-2, R-ROLE-1..3)."""
    client.force_login(org.sysadmin)
    since = last_audit_id()
    response = client.post(
        reverse("accounts:user-create"),
        {"username": "xiaoming", "full_name": "小明", "department": org.departments["FIN"].pk,
         "person_type": "intern", "post": "实习生", "password": "Mine@Pass2027"},
    )  # fmt: skip
    user = User.objects.get(username="xiaoming")
    assert response.status_code == 302 and response.url == reverse("accounts:user", args=[user.pk])
    assert user.must_change_password and user.person_type == "intern" and user.awaiting_handover
    assert not user.has_usable_password()
    assert_audited(AuditEvent.USER_CREATED, user, org.sysadmin, since=since)
    client.force_login(org.security_officer)
    response = client.post(reverse("accounts:user-handover", args=[user.pk]), {"identity_checked": "on"})
    temporary = response.context["password"]
    assert temporary in response.content.decode()
    client.logout()
    assert post_password(client, "xiaoming", temporary).url == reverse("accounts:login-enrol")


def test_create_user_shows_errors_in_chinese(org, client):
    client.force_login(org.sysadmin)
    response = client.post(
        reverse("accounts:user-create"),
        {
            "username": "staff_secret",
            "full_name": "重名",
            "person_type": "employee",
        },
    )
    assert "该用户名已被使用" in response.content.decode()
    response = client.post(
        reverse("accounts:user-create"), {"username": "bad name", "full_name": "x", "person_type": "employee"}
    )
    assert "只能使用字母" in response.content.decode()


def test_disable_and_enable(org, client):
    client.force_login(org.sysadmin)
    url = reverse("accounts:user-active", args=[org.outsider.pk])
    client.post(url, {"active": "0"})
    assert not User.objects.get(pk=org.outsider.pk).is_active
    client.post(url, {"active": "1"})
    assert User.objects.get(pk=org.outsider.pk).is_active
    response = client.post(
        reverse("accounts:user-active", args=[org.sysadmin.pk]), {"active": "0"}, follow=True
    )
    assert "不能停用自己的账号" in response.content.decode()


def test_reset_password_screen(org, client):
    """The reset shows the system administrator no password; the account awaits the security
    officer's handover (R-ROLE-1..3)."""
    client.force_login(org.sysadmin)
    response = client.post(reverse("accounts:user-reset-password", args=[org.outsider.pk]))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "data-awaiting-handover" in page and "data-temporary-password" not in page
    assert User.objects.get(pk=org.outsider.pk).must_change_password
    response = client.post(reverse("accounts:user-reset-password", args=[org.auditor.pk]), follow=True)
    assert "三员分立" in response.content.decode()


def test_security_officer_sets_authority_not_clearance(org, client):
    """The account page has no clearance form any more (it derives from the personnel file,
    PER-2, R-AC-4); the security officer sets the authority level, never their own (SEC-2)."""
    client.force_login(org.security_officer)
    detail = client.get(reverse("accounts:user", args=[org.staff_confidential.pk]))
    assert (
        detail.context["may_authorise"] and detail.context["may_assign"] and not detail.context["may_manage"]
    )
    assert 'name="clearance"' not in detail.content.decode()
    since = last_audit_id()
    client.post(
        reverse("accounts:user-authority", args=[org.staff_confidential.pk]),
        {"clearance": "secret", "authority_level": "confidential"},
    )
    user = User.objects.get(pk=org.staff_confidential.pk)
    assert (user.clearance, user.authority_level) == ("confidential", "confidential")
    assert_audited(AuditEvent.CLEARANCE_CHANGED, user, org.security_officer, since=since)
    own = client.get(reverse("accounts:user", args=[org.security_officer.pk]))
    assert not own.context["may_authorise"] and not own.context["may_assign"]
    assert client.post(reverse("accounts:user-authority", args=[org.security_officer.pk]),
                       {"authority_level": "top_secret"}).status_code == 404  # fmt: skip
    assert client.post(f"/accounts/users/{org.staff_confidential.pk}/clearance/",
                       {"clearance": "top_secret"}).status_code == 404  # fmt: skip


def test_system_administrator_cannot_use_the_security_officers_actions(org, client):
    client.force_login(org.sysadmin)
    since = last_audit_id()
    response = client.post(reverse("accounts:user-role", args=[org.outsider.pk]), {"role": "staff"})
    assert_denied(response, actor=org.sysadmin, since=since)
    response = client.post(
        reverse("accounts:user-authority", args=[org.outsider.pk]), {"authority_level": "secret"}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("accounts:user-handover", args=[org.outsider.pk]), {"identity_checked": "on"}
    )
    assert response.status_code == 404


def test_departments_tree_create_and_edit(org, client):
    """The organisation tree with head and secrecy officer; no cycles (ORG-1)."""
    client.force_login(org.sysadmin)
    page = client.get(reverse("accounts:departments"))
    rows = page.context["rows"]
    depth = {d.code: level for d, level, _n in rows}
    assert depth["ORG"] == 0 and depth["OFFICE"] == 1 and depth["SEC"] == 2
    response = client.post(
        reverse("accounts:departments"),
        {"name": "档案室", "code": "ARCH", "parent": org.departments["OFFICE"].pk, "sort_order": 3,
         "head": org.dept_head.pk, "secrecy_officer": org.staff_secret.pk},
    )  # fmt: skip
    assert response.status_code == 302
    arch = Department.objects.get(code="ARCH")
    # R-ROLE-1..3: the appointments wait for the security officer; confirmed, they take effect
    assert arch.head is None and arch.secrecy_officer is None
    client.force_login(org.security_officer)
    for change in OrgChange.objects.filter(department=arch):
        client.post(reverse("accounts:org-change-decide", args=[change.pk]), {"decision": "approve"})
    arch.refresh_from_db()
    assert arch.head == org.dept_head and arch.secrecy_officer == org.staff_secret
    client.force_login(org.sysadmin)
    office = org.departments["OFFICE"]
    response = client.post(reverse("accounts:department", args=[office.pk]),
                           {"name": "办公室", "parent": arch.pk, "sort_order": 0})  # fmt: skip
    assert "不能放在自身或其下级部门之下" in response.content.decode()
    office.refresh_from_db()
    assert office.parent == org.departments["ORG"]


def test_own_account_tokens_shown_once_and_revoked(org, client):
    """API tokens on the own-account page: the key appears once; revoke (API-1)."""
    client.force_login(org.staff_work_secret)
    response = client.post(reverse("accounts:token-create"), {"name": "报表脚本"})
    key = response.context["new_key"]
    assert key in response.content.decode()
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "报表脚本" in page and key not in page
    token = org.staff_work_secret.api_tokens.get()
    since = last_audit_id()
    client.post(reverse("accounts:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_audited(AuditEvent.TOKEN_REVOKED, token, org.staff_work_secret, since=since)
    client.force_login(org.staff_secret)
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404


def test_own_password_change(org, client):
    client.force_login(org.staff_work_secret)
    response = client.post(
        reverse("accounts:profile"),
        {"old_password": "wrong", "new_password": "Next@Pass2027", "new_password2": "Next@Pass2027"},
    )
    assert "当前口令" in response.content.decode()
    response = client.post(
        reverse("accounts:profile"),
        {"old_password": "Test@Pass2026", "new_password": "Next@Pass2027", "new_password2": "Next@Pass2027"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=org.staff_work_secret.pk).check_password("Next@Pass2027")


def test_home_lists_locked_accounts_for_the_system_administrator(org, client):
    """A to-do entry on the home page (OPS-1)."""
    from django.utils import timezone

    User.objects.filter(pk=org.outsider.pk).update(
        locked_until=timezone.now() + timezone.timedelta(minutes=5)
    )
    client.force_login(org.sysadmin)
    tasks = client.get(reverse("dashboard:home")).context["tasks"]
    assert [t["count"] for t in tasks if "state=locked" in t["url"]] == [1]
    client.force_login(org.security_officer)
    assert not [
        t for t in client.get(reverse("dashboard:home")).context["tasks"] if "state=locked" in t["url"]
    ]
