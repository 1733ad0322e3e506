"""Named personas, one per role and clearance (STYLE 2.10), like Zulip's named users.

``build()`` returns an ``Org`` with departments and users; services create them, so the audit
trail and the policy see them exactly as in production.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from baomi.accounts import services
from baomi.accounts.choices import Role
from baomi.accounts.models import Department, User
from baomi.core.levels import Level

PASSWORD = "Test@Pass2026"

# name -> (department code, clearance, authority level, roles)
PERSONAS: dict[str, tuple[str, str, str, list[str]]] = {
    "sysadmin": ("IT", Level.WORK_SECRET, "", [Role.SYSTEM_ADMINISTRATOR]),
    "security_officer": ("SEC", Level.TOP_SECRET, "", [Role.SECURITY_OFFICER]),
    "auditor": ("SEC", Level.WORK_SECRET, "", [Role.AUDITOR]),
    "unit_head": ("ORG", Level.TOP_SECRET, Level.TOP_SECRET, [Role.UNIT_HEAD, Role.CLASSIFICATION_AUTHORITY]),
    "authority_top_secret": ("OFFICE", Level.TOP_SECRET, Level.TOP_SECRET, [Role.CLASSIFICATION_AUTHORITY]),
    "authority_secret": ("OFFICE", Level.SECRET, Level.SECRET, [Role.CLASSIFICATION_AUTHORITY]),
    "case_handler": ("OFFICE", Level.SECRET, "", [Role.CASE_HANDLER, Role.STAFF]),
    "dept_head": ("OFFICE", Level.SECRET, "", [Role.STAFF]),
    "staff_secret": ("OFFICE", Level.SECRET, "", [Role.STAFF]),
    "staff_confidential": ("OFFICE", Level.CONFIDENTIAL, "", [Role.STAFF]),
    "staff_work_secret": ("FIN", Level.WORK_SECRET, "", [Role.STAFF]),
    "staff_other_dept": ("FIN", Level.SECRET, "", [Role.STAFF]),
    "outsider": ("FIN", Level.INTERNAL, "", [Role.STAFF]),
    "leading_group": ("ORG", Level.SECRET, "", [Role.LEADING_GROUP, Role.STAFF]),
    "staff_uncleared": ("IT", Level.PUBLIC, "", [Role.STAFF]),
}


@dataclass
class Org:
    departments: dict[str, Department] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def build() -> Org:
    org = Org()
    for code, name, parent in [("ORG", "本单位", None), ("OFFICE", "办公室", "ORG"), ("SEC", "保密办", "OFFICE"),
                               ("FIN", "财务科", "ORG"), ("IT", "信息中心", "ORG")]:  # fmt: skip
        org.departments[code] = services.create_department(
            None, name=name, code=code, parent=org.departments.get(parent or ""), bootstrap=True
        )
    for username, (dept, clearance, authority, roles) in PERSONAS.items():
        user = services.create_user(
            None, username=username, full_name=username, password=PASSWORD,
            department=org.departments[dept], bootstrap=True,
        )  # fmt: skip
        for role in roles:
            services.assign_role(None, user, role, bootstrap=True)
        services.set_clearance(None, user, clearance, authority_level=authority, bootstrap=True)
        org.users[username] = user
    services.set_department_officers(
        None, org.departments["OFFICE"], head=org.users["dept_head"], secrecy_officer=org.users["staff_secret"],
        bootstrap=True,
    )  # fmt: skip
    return org


#: who proposes and decides classifications (R-DET-12 needs their 定密 training)
DETERMINERS = ("unit_head", "authority_top_secret", "authority_secret", "case_handler")


def train_determiners(org: Org, names: tuple[str, ...] = DETERMINERS) -> None:
    """Record a passed 定密 training today for the people who propose and decide (R-DET-12),
    through the personnel services as the security office would."""
    from django.utils import timezone

    from baomi.personnel import services as personnel

    so = org.security_officer
    session = personnel.create_session(
        so, title="定密培训", kind="determination", held_on=timezone.localdate()
    )
    for name in names:
        personnel.record_attendance(so, session, org.users[name])
