"""Rules for personnel records (PER-1..8, R-PER, SEC-2).

- The security officer (保密办) manages every personnel file and its records — never their own
  (SEC-2: nobody clears themself).
- A person sees their own file and records.
- A department head sees the summary (category, state, due dates) of their department's files.
- Travel abroad: the department head, the unit head or a leading-group member gives the
  personnel opinion; the security officer the security opinion; the unit head or a leading-group
  member approves; never the traveller (R-PER-5).
- Violation reports: anyone files one; only the security officer sees who filed it (PER-8).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.kit.requests import RequestRule
from baomi.personnel.models import (
    AgreementVersion,
    Attendance,
    CategoryChange,
    ExitCase,
    PersonnelFile,
    Review,
    Sanction,
    Signature,
    TrainingSession,
    TravelRequest,
    ViolationReport,
)


def is_officer(user: Any) -> bool:
    return bool(user.has_role(Role.SECURITY_OFFICER))


def is_approver(user: Any) -> bool:
    return bool(user.has_role(Role.UNIT_HEAD, Role.LEADING_GROUP))


class PersonnelFileRule:
    actions = frozenset({"view", "view_summary", "manage"})

    def can(self, user: Any, action: str, obj: PersonnelFile) -> bool:
        own = obj.user_id == user.pk
        if action == "manage":
            # PER-1, SEC-2: the security officer manages files, never their own.
            return is_officer(user) and not own
        # PER-1: the security officer sees every file; a person sees their own.
        if is_officer(user) or own:
            return True
        # PER-1: a department head sees the summary of the department's files.
        return action == "view_summary" and obj.user.department_id in user.headed_department_ids()

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "manage":
            return queryset.exclude(user_id=user.pk) if is_officer(user) else queryset.none()
        if is_officer(user):
            return queryset
        if action == "view_summary":
            return queryset.filter(
                Q(user_id=user.pk) | Q(user__department_id__in=user.headed_department_ids())
            )
        return queryset.filter(user_id=user.pk)


class PersonRecordRule:
    """Records about one person (reviews, signatures, exit cases, attendance, sanctions):
    the security officer sees and manages them (not their own); the person sees their own."""

    actions = frozenset({"view", "manage"})

    def __init__(self, person: str):
        self.person = person  # the lookup path from the record to the person

    def _person_id(self, obj: Any) -> Any:
        target = obj
        for part in self.person.split("__"):
            target = getattr(target, part)
        return target.pk

    def can(self, user: Any, action: str, obj: Any) -> bool:
        own = self._person_id(obj) == user.pk
        if action == "manage":
            return is_officer(user) and not own  # PER-1, SEC-2
        return is_officer(user) or own  # PER-1: own records

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        own = Q(**{f"{self.person}_id": user.pk})
        if action == "manage":
            return queryset.exclude(own) if is_officer(user) else queryset.none()
        return queryset if is_officer(user) else queryset.filter(own)


class ReferenceRule:
    """Agreement texts and training sessions: everyone may read them; the security officer
    maintains them (PER-3, PER-4)."""

    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return action == "view" or is_officer(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset if action == "view" or is_officer(user) else queryset.none()


class TravelRule(RequestRule):
    """A travel request on the shared rule base (``kit.requests.RequestRule``, issue 10): the
    base refuses the decision to the traveller and to whoever filed it (R-ROLE-5, R-PER-5);
    the opinions and the trip's reports are travel's own steps."""

    actions = RequestRule.actions | {"give_personnel_opinion", "give_security_opinion", "report"}

    # -- who decides (the base adds: never one's own request) --------------------------------
    def may_decide(self, user: Any, req: Any) -> bool:
        return is_approver(user)  # REQUIREMENTS "Users": unit head / leading group approve travel

    def decidable(self, user: Any, queryset: QuerySet) -> QuerySet:
        return queryset if is_approver(user) else queryset.none()

    def may_view(self, user: Any, req: Any) -> bool:
        # PER-6: the security office and those who give the personnel opinion.
        return is_officer(user) or req.traveller.department_id in user.headed_department_ids()

    def viewable(self, user: Any, queryset: QuerySet) -> QuerySet:
        if is_officer(user):
            return queryset
        return queryset.filter(traveller__department_id__in=user.headed_department_ids())

    # -- travel's own steps ------------------------------------------------------------------
    def can(self, user: Any, action: str, obj: TravelRequest) -> bool:
        if action in RequestRule.actions:
            return super().can(user, action, obj)
        own = obj.traveller_id == user.pk
        head = obj.traveller.department_id in user.headed_department_ids()
        if own:
            return action == "report"  # R-PER-5: nobody gives an opinion on their own trip
        if action == "give_personnel_opinion":
            return head or is_approver(user)  # R-PER-5 ¶1: the personnel side's opinion
        if action == "give_security_opinion":
            return is_officer(user)  # R-PER-5 ¶1: the 保密工作机构's opinion
        return is_officer(user)  # report: the security officer records it on the traveller's behalf

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action in RequestRule.actions:
            return super().visible(user, queryset, action)
        own = Q(traveller_id=user.pk)
        head = Q(traveller__department_id__in=user.headed_department_ids())
        if action == "report":
            return queryset if is_officer(user) else queryset.filter(own)
        if action == "give_personnel_opinion":
            return queryset.exclude(own) if is_approver(user) else queryset.filter(head).exclude(own)
        return queryset.exclude(own) if is_officer(user) else queryset.none()  # give_security_opinion


class ViolationReportRule:
    actions = frozenset({"view", "view_reporter", "handle"})

    def can(self, user: Any, action: str, obj: ViolationReport) -> bool:
        own = obj.reporter_id == user.pk
        if action == "handle":
            # PER-8, R-ROLE-5: the security officer handles reports, never their own; a report
            # filed by a security officer goes up to the unit head.
            if own:
                return False
            return is_officer(user) or (_is_unit_head(user) and _by_officer(obj))
        if is_officer(user):
            return True  # PER-8: the security officer handles reports and alone sees the reporter
        if action == "view" and _is_unit_head(user) and _by_officer(obj):
            return True  # R-ROLE-5: the unit head handles what a security officer reported
        # PER-8: the reporter may follow their own report, without any other reporter data.
        return action == "view" and own

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        own = Q(reporter_id=user.pk)
        up = _officer_reports() if _is_unit_head(user) else Q(pk__in=[])
        if action == "handle":
            return queryset.exclude(own) if is_officer(user) else queryset.filter(up).exclude(own)
        if is_officer(user):
            return queryset
        return queryset.filter(own | up) if action == "view" else queryset.none()


def _is_unit_head(user: Any) -> bool:
    return bool(user.has_role(Role.UNIT_HEAD))


def _by_officer(report: ViolationReport) -> bool:
    return (
        bool(report.reporter_id)
        and ViolationReport.objects.filter(pk=report.pk).filter(_officer_reports()).exists()
    )


def _officer_reports() -> Q:
    return Q(reporter__role_assignments__role=Role.SECURITY_OFFICER)


policy.register(PersonnelFile, PersonnelFileRule())
policy.register(CategoryChange, PersonRecordRule("file__user"))
policy.register(Review, PersonRecordRule("file__user"))
policy.register(Signature, PersonRecordRule("file__user"))
policy.register(ExitCase, PersonRecordRule("file__user"))
policy.register(Attendance, PersonRecordRule("user"))
policy.register(Sanction, PersonRecordRule("user"))
policy.register(AgreementVersion, ReferenceRule())
policy.register(TrainingSession, ReferenceRule())
policy.register(TravelRequest, TravelRule())
policy.register(ViolationReport, ViolationReportRule())

# Object-less actions: opening screens and creating records.
policy.register_global("manage_personnel", is_officer)  # PER-1
policy.register_global(
    "personnel_list", lambda u: is_officer(u) or bool(u.headed_department_ids())
)  # PER-1 summary
policy.register_global("report_violation", lambda u: True)  # PER-8: any staff member (active: checked by can)
policy.register_global("review_reports", is_officer)  # PER-8
policy.register_global("request_travel", lambda u: True)  # PER-6: the traveller asks (checked in the service)
policy.register_global("travel_list", lambda u: True)  # PER-6: own requests, or those to give opinions on


def _has_file(user: Any) -> bool:
    return PersonnelFile.objects.filter(user_id=user.pk).exists()


# The menu entries (issue 13, kit/nav.py): only where the person can ever have something — their
# own file if one was ever opened; travel abroad for a person with a file (who may need the
# approval, PER-6, R-PER-8) and for those who give opinions on others' requests.
policy.register_global("own_file_menu", _has_file)
policy.register_global(
    "travel_menu",
    lambda u: is_officer(u) or is_approver(u) or bool(u.headed_department_ids()) or _has_file(u),
)
policy.register_global(
    "training_coverage", lambda u: is_officer(u) or bool(u.headed_department_ids())
)  # PER-4
