"""Demo organisation: a department tree, people in every role, the three administrators.

Demo accounts cleared for 机密 and above must use a second factor, like in production. To keep
the demo usable they are pre-enrolled with a fixed secret derived from the username
(``totp.demo_secret``); ``baomi demo --accounts`` prints each secret and its ``otpauth://`` URI
(scan it into an authenticator app), and ``baomi accounts demo-code USER`` prints the current code.
"""

from __future__ import annotations

from baomi.accounts import services, totp
from baomi.accounts.choices import PersonType, Role
from baomi.accounts.models import Department, User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.core.levels import Level
from baomi.kit.demo import DEMO_PASSWORD

ACCOUNTS = [
    ("sysadmin", "系统管理员 (三员)"),
    ("secofficer", "安全保密管理员 / 保密办 (三员)"),
    ("auditor", "安全审计员 (三员)"),
    ("zhangwei", "单位负责人, 定密责任人 (绝密)"),
    ("lina", "办公室主任 (部门负责人), 定密责任人 (机密)"),
    ("wangfang", "承办人, 办公室 (机密)"),
    ("liuyang", "普通工作人员, 综合科 (秘密)"),
    ("chenjing", "普通工作人员, 财务科 (工作秘密)"),
    ("zhaolei", "临时聘用人员, 信息中心 (无涉密资格)"),
]

DEPARTMENTS = [
    ("ORG", "本单位", None),
    ("OFFICE", "办公室", "ORG"),
    ("GENERAL", "综合科", "OFFICE"),
    ("SECRECY", "保密办", "OFFICE"),
    ("FINANCE", "财务科", "ORG"),
    ("POLICY", "政策法规处", "ORG"),
    ("IT", "信息中心", "ORG"),
]

PEOPLE = [
    # username, name, dept, type, post, clearance, authority, roles
    ("sysadmin", "孙建国", "IT", PersonType.EMPLOYEE, "系统管理员", Level.WORK_SECRET, "", [Role.SYSTEM_ADMINISTRATOR]),
    ("secofficer", "周敏", "SECRECY", PersonType.EMPLOYEE, "保密办主任", Level.TOP_SECRET, "", [Role.SECURITY_OFFICER]),
    ("auditor", "吴静", "SECRECY", PersonType.EMPLOYEE, "安全审计员", Level.WORK_SECRET, "", [Role.AUDITOR]),
    ("zhangwei", "张伟", "ORG", PersonType.EMPLOYEE, "局长", Level.TOP_SECRET, Level.TOP_SECRET,
     [Role.UNIT_HEAD, Role.CLASSIFICATION_AUTHORITY, Role.LEADING_GROUP, Role.STAFF]),
    ("lina", "李娜", "OFFICE", PersonType.EMPLOYEE, "办公室主任", Level.SECRET, Level.SECRET,
     [Role.CLASSIFICATION_AUTHORITY, Role.LEADING_GROUP, Role.STAFF]),
    ("wangfang", "王芳", "OFFICE", PersonType.EMPLOYEE, "秘书", Level.SECRET, "", [Role.CASE_HANDLER, Role.STAFF]),
    ("liuyang", "刘洋", "GENERAL", PersonType.EMPLOYEE, "科员", Level.CONFIDENTIAL, "", [Role.STAFF]),
    ("chenjing", "陈静", "FINANCE", PersonType.EMPLOYEE, "会计", Level.WORK_SECRET, "", [Role.STAFF]),
    ("zhaolei", "赵磊", "IT", PersonType.TEMPORARY, "运维", Level.INTERNAL, "", [Role.STAFF]),
]  # fmt: skip


def load() -> None:
    depts: dict[str, Department] = {}
    for code, name, parent in DEPARTMENTS:
        depts[code] = Department.objects.filter(code=code).first() or services.create_department(
            None, name=name, code=code, parent=depts.get(parent) if parent else None, bootstrap=True
        )
    users: dict[str, User] = {}
    for username, name, dept, ptype, post, clearance, authority, roles in PEOPLE:
        user = User.objects.filter(username=username).first() or services.create_user(
            None, username=username, full_name=name, password=DEMO_PASSWORD, department=depts[dept],
            person_type=ptype, post=post, bootstrap=True,
        )  # fmt: skip
        for role in roles:
            services.assign_role(None, user, role, bootstrap=True)
        services.set_clearance(None, user, clearance, authority_level=authority, bootstrap=True)
        if services.totp_required(user) and not user.totp_enrolled:
            services.enrol_demo_totp(user, totp.demo_secret(username))
        users[username] = user
    # 三员分立 (R-ROLE-1..3): the system administrator heads no department — 信息中心 has no
    # head or 保密责任人 named yet (the system administrator may propose them on 组织变更).
    for code, head, officer in [("ORG", "zhangwei", "secofficer"), ("OFFICE", "lina", "wangfang"),
                                ("GENERAL", "liuyang", "liuyang"), ("SECRECY", "secofficer", "secofficer"),
                                ("FINANCE", "chenjing", "chenjing")]:  # fmt: skip
        services.set_department_officers(
            None, depts[code], head=users[head], secrecy_officer=users[officer], bootstrap=True
        )
    record(None, AuditEvent.DEMO_LOADED, None, details={"part": "accounts"})


def account_notes() -> str:
    """Printed by ``baomi demo --accounts`` after the list: the demo second factors."""
    lines = ["", "第二因子 (TOTP, 机密及以上人员必须使用; 演示账号已用固定密钥预先登记):"]
    for username, _name, _dept, _ptype, _post, clearance, _authority, _roles in PEOPLE:
        user = User(username=username, clearance=clearance)
        if services.totp_required(user):
            secret = totp.demo_secret(username)
            lines.append(f"  {username:<14} 密钥 {secret}")
            lines.append(f"  {'':<14} {totp.provisioning_uri(secret, username)}")
    lines.append("  当前动态码: baomi accounts demo-code <用户名>  (或将上面的密钥/URI 添加到手机验证器应用)")
    return "\n".join(lines) + "\n"
