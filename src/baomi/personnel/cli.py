"""``baomi personnel …``: lists and checks for the security office (PER-1..5, R-DET-12).

Commands that read act as a named baomi account (``--as``), so the policy decides exactly as
in the UI; ``check`` runs the scheduled sweep now (lapsed pledges, ended separation periods).
"""

from __future__ import annotations

import argparse
from typing import Any

from baomi.access.policy import access_object, require
from baomi.core.errors import NotFound
from baomi.personnel import selectors
from baomi.personnel.selectors import people
from baomi.personnel.services import raise_reminders, run_checks


def register(sub: Any) -> None:
    per = sub.add_parser("personnel", help="涉密人员管理").add_subparsers(
        dest="personnel_command", metavar="VERB"
    )
    p = per.add_parser("list", help="列出涉密人员档案")
    p.add_argument("--as", dest="actor", required=True, help="以此账号的权限查询")
    p.add_argument("--category", default="")
    p.add_argument("--status", default="")
    p.set_defaults(func=cmd_list)
    p = per.add_parser("due", help="列出到期事项: 承诺书续签、复审、脱密期届满、回国(境)报告")
    p.add_argument("--as", dest="actor", required=True)
    p.set_defaults(func=cmd_due)
    p = per.add_parser("check", help="立即执行定时检查: 承诺书过期降低涉密资格、脱密期届满")
    p.set_defaults(func=cmd_check)
    p = per.add_parser("determination-training", help="查询某人是否有有效的定密培训 (R-DET-12)")
    p.add_argument("username")
    p.add_argument("--as", dest="actor", required=True)
    p.set_defaults(func=cmd_determination)


def _actor(username: str) -> Any:
    user = people().filter(username=username).first()
    if user is None:
        raise NotFound()
    return user


def cmd_list(ns: argparse.Namespace) -> int:
    actor = _actor(ns.actor)
    rows = selectors.files(actor, category=ns.category, status=ns.status)
    for f in rows:
        print(f"{f.user.username:<16}{f.user.full_name:<10}{f.get_category_display():<8}{f.get_status_display():<10}"
              f"{f.user.get_clearance_display()}")  # fmt: skip
    print(f"共 {rows.count()} 人")
    return 0


def cmd_due(ns: argparse.Namespace) -> int:
    actor = _actor(ns.actor)
    for file, sig in selectors.renewals_due(actor):
        print(f"承诺书续签\t{file.user.username}\t{sig.valid_until if sig else '未签订'}")
    for file in selectors.reviews_due(actor):
        print(f"复审\t{file.user.username}\t{file.next_review_on}")
    for case in selectors.separations_ending(actor):
        print(f"脱密期届满\t{case.file.user.username}\t{case.separation_end}")
    for travel in selectors.travel_reports_due(actor):
        print(f"回国(境)报告\t{travel.traveller.username}\t{travel.report_due_on}")
    for user in selectors.determination_training_gaps(actor):
        print(f"缺定密培训\t{user.username}\t-")
    return 0


def cmd_check(ns: argparse.Namespace) -> int:
    result = run_checks()
    reminders = raise_reminders()
    print(f"承诺书过期降低涉密资格: {result['lapsed']} 人; 脱密期届满: {result['released']} 人; "
          f"新提醒: {reminders['reminders']} 条")  # fmt: skip
    return 0


def cmd_determination(ns: argparse.Namespace) -> int:
    actor = _actor(ns.actor)
    person = selectors.people().filter(username=ns.username).first()
    if person is None:
        raise NotFound()
    person = access_object(actor, selectors.people(), person.pk, "view")
    if person.pk != actor.pk:
        require(actor, "manage_personnel")
    ok = selectors.has_current_determination_training(person)
    print("有效" if ok else "无有效定密培训")
    return 0 if ok else 3
