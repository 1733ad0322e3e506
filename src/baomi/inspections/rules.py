"""Rules for inspections and rectification (SUP-1, R-SITE-4), registered with the policy engine.

- The security officer (保密办) keeps the checklists and plans, may take part in any inspection,
  completes and cancels runs, and verifies rectification.
- The unit head and the leading group follow every inspection and rectification (实施条例 Art 6:
  the 主要负责人 answers for the secrecy work).
- The lead inspector and the inspectors of a run answer its items, record findings and assign
  and verify rectification tasks; the lead completes it. Nobody answers for the inspection of the
  department they head, and nobody verifies a task they own.
- A department head follows the inspections of their department.
- The owner of a rectification task sees it and its finding, and submits it.
- A finding of a register's own check (a key place's, a device's; no run) is managed and its
  tasks verified by the person who recorded the check, in the inspector's place.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.inspections.models import Answer, Finding, Plan, RectificationTask, Run, Template


def is_officer(user: Any) -> bool:
    return bool(user.has_role(Role.SECURITY_OFFICER))


def is_leader(user: Any) -> bool:
    return bool(user.has_role(Role.UNIT_HEAD, Role.LEADING_GROUP))


def on_run(user: Any, run: Run) -> bool:
    """The lead inspector or one of the inspectors of ``run``."""
    return run.lead_id == user.pk or run.inspectors.filter(pk=user.pk).exists()


def _on_run_q(user: Any, path: str = "") -> Q:
    """SQL twin of :func:`on_run`; ``path`` leads from the queryset's model to the run
    (``""``, ``"run__"``, ``"finding__run__"``)."""
    ref = "pk" if not path else path[:-2] + "_id"
    through = Run.inspectors.through.objects.filter(run_id=OuterRef(ref), user_id=user.pk)
    return Q(**{f"{path}lead_id": user.pk}) | Q(Exists(through))


class TemplateRule:
    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Template) -> bool:
        # SUP-1: the checklist is no secret; the security office keeps it.
        return action == "view" or is_officer(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset if action == "view" or is_officer(user) else queryset.none()


class PlanRule:
    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Plan) -> bool:
        if is_officer(user):
            return True  # SUP-1: the security office plans inspections
        if action == "manage":
            return False
        if is_leader(user) or obj.lead_id == user.pk or obj.inspectors.filter(pk=user.pk).exists():
            return True
        return obj.departments.filter(pk__in=user.headed_department_ids()).exists()  # the heads of the scope

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if is_officer(user):
            return queryset
        if action == "manage":
            return queryset.none()
        if is_leader(user):
            return queryset
        through = Plan.inspectors.through.objects.filter(plan_id=OuterRef("pk"), user_id=user.pk)
        scoped = Plan.departments.through.objects.filter(
            plan_id=OuterRef("pk"), department_id__in=user.headed_department_ids()
        )
        return queryset.filter(Q(lead_id=user.pk) | Q(Exists(through)) | Q(Exists(scoped)))


class RunRule:
    actions = frozenset({"view", "answer", "complete", "cancel", "export"})

    def can(self, user: Any, action: str, obj: Run) -> bool:
        member = on_run(user, obj)
        heads_it = obj.department_id is not None and obj.department_id in user.headed_department_ids()
        if action in ("view", "export"):
            # SUP-1: the office, the leaders, the inspectors and the head of the inspected department.
            return is_officer(user) or is_leader(user) or member or heads_it
        if action == "answer":
            return (member or is_officer(user)) and not heads_it  # nobody inspects their own department
        if action == "complete":
            return obj.lead_id == user.pk or is_officer(user)
        return is_officer(user)  # cancel

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        member = _on_run_q(user)
        heads = Q(department_id__in=user.headed_department_ids())
        if action in ("view", "export"):
            if is_officer(user) or is_leader(user):
                return queryset
            return queryset.filter(member | heads)
        if action == "answer":
            mine = queryset if is_officer(user) else queryset.filter(member)
            return mine.exclude(heads)
        if action == "complete":
            return queryset if is_officer(user) else queryset.filter(lead_id=user.pk)
        return queryset if is_officer(user) else queryset.none()


class AnswerRule:
    """Answers are read through their run (evidence downloads check ``view`` here)."""

    actions = frozenset({"view"})

    def can(self, user: Any, action: str, obj: Answer) -> bool:
        return bool(policy.can(user, "view", obj.run))

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset.filter(run__in=policy.visible(user, Run.objects.all(), "view"))


def inspects_finding(user: Any, finding: Finding) -> bool:
    """An inspector of the finding's run, or — for a register check's finding — its checker."""
    if finding.run is None:
        return bool(finding.recorded_by_id == user.pk)
    return on_run(user, finding.run)


def _inspects_finding_q(user: Any, path: str = "") -> Q:
    """SQL twin of :func:`inspects_finding`; ``path`` leads to the finding (``""``, ``"finding__"``)."""
    return _on_run_q(user, f"{path}run__") | Q(**{f"{path}run": None, f"{path}recorded_by_id": user.pk})


class FindingRule:
    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Finding) -> bool:
        if action == "manage":
            # SUP-1: the inspectors assign rectification; the office and the lead close.
            return is_officer(user) or inspects_finding(user, obj)
        if obj.run_id is None:
            if is_officer(user) or is_leader(user) or inspects_finding(user, obj):
                return True
        elif policy.can(user, "view", obj.run):
            return True
        if obj.department_id is not None and obj.department_id in user.headed_department_ids():
            return True  # the head of the department that must rectify
        return obj.tasks.filter(owner_id=user.pk).exists()  # the owner of a task

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if is_officer(user):
            return queryset
        if action == "manage":
            return queryset.filter(_inspects_finding_q(user))
        if is_leader(user):
            return queryset  # every run, and every register check's finding
        runs = policy.visible(user, Run.objects.all(), "view")
        owned = RectificationTask.objects.filter(finding_id=OuterRef("pk"), owner_id=user.pk)
        mine = Q(run=None, recorded_by_id=user.pk)
        return queryset.filter(
            Q(run__in=runs) | mine | Q(department_id__in=user.headed_department_ids()) | Q(Exists(owned))
        )


class TaskRule:
    actions = frozenset({"view", "submit", "verify"})

    def can(self, user: Any, action: str, obj: RectificationTask) -> bool:
        own = obj.owner_id == user.pk
        if action == "submit":
            return own  # the owner reports what was done
        if action == "verify":
            # SUP-1: the inspector verifies; nobody verifies their own task.
            return not own and (is_officer(user) or inspects_finding(user, obj.finding))
        return own or policy.can(user, "view", obj.finding)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        own = Q(owner_id=user.pk)
        if action == "submit":
            return queryset.filter(own)
        if action == "verify":
            mine = queryset if is_officer(user) else queryset.filter(_inspects_finding_q(user, "finding__"))
            return mine.exclude(own)
        findings = policy.visible(user, Finding.objects.all(), "view")
        return queryset.filter(own | Q(finding__in=findings))


def _inspects(user: Any) -> bool:
    return (
        Run.objects.filter(_on_run_q(user)).exists()
        or Plan.objects.filter(lead_id=user.pk).exists()
        or Finding.objects.filter(run=None, recorded_by_id=user.pk).exists()
    )


policy.register(Template, TemplateRule())
policy.register(Plan, PlanRule())
policy.register(Run, RunRule())
policy.register(Answer, AnswerRule())
policy.register(Finding, FindingRule())
policy.register(RectificationTask, TaskRule())

# Object-less actions: screens and creating things.
policy.register_global("manage_inspections", is_officer)  # SUP-1: templates and plans
policy.register_global(
    "inspection_list",
    lambda u: is_officer(u) or is_leader(u) or bool(u.headed_department_ids()) or _inspects(u),
)  # SUP-1
policy.register_global(
    "rectification_list",
    lambda u: is_officer(u)
    or is_leader(u)
    or bool(u.headed_department_ids())
    or _inspects(u)
    or RectificationTask.objects.filter(owner_id=u.pk).exists(),
)  # SUP-1: owners, inspectors, heads, the office
