"""Reads of personnel records: permission-filtered lists for UI, API and CLI, and the questions
other parts ask (PER-1..8).

Functions taking a ``viewer`` narrow through ``access.policy.visible``. The checks about one
person (``derived_clearance``, ``onboarding_checklist``, ``has_current_determination_training``)
are facts the services and other apps rely on; they return no records.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from baomi.access.policy import access_object, can, deny, scope_key, visible
from baomi.accounts.choices import Role
from baomi.accounts.models import Department, RoleAssignment, User
from baomi.carriers.selectors import outstanding_for
from baomi.core.levels import Level
from baomi.kit.counts import Deferred
from baomi.personnel.choices import (
    AgreementKind,
    Category,
    ExitStatus,
    FileStatus,
    ReviewKind,
    ReviewResult,
    TrainingKind,
    TravelStatus,
)
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
from baomi.personnel.rules import is_officer
from baomi.vault.services import open_stream

# --- configuration (R-PER-2, R-PER-7: [S]/[U] defaults from settings) --------------------------


def _pairs(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(","):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def category_ceiling(category: str) -> str:
    """The clearance a category reaches once cleared (PER-1, R-PER-2, R-AC-4)."""
    if category == Category.NONE:
        return uncleared_level()
    return Level(_pairs(settings.PERSONNEL_CEILINGS).get(category, uncleared_level()))


def uncleared_level() -> str:
    """The clearance of anyone not (or no longer) cleared (R-AC-4)."""
    return Level(settings.PERSONNEL_UNCLEARED_LEVEL)


def separation_range(category: str) -> tuple[int, int]:
    """The 脱密期 range in years for a category (PER-5, R-PER-7); (0, 0) for a non-classified post."""
    value = _pairs(settings.PERSONNEL_SEPARATION_YEARS).get(category)
    if not value:
        return (0, 0)
    low, _sep, high = value.partition("-")
    return (int(low), int(high or low))


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=dom)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 always exists


# --- facts about one person -------------------------------------------------------------------


def current_pledge(file: PersonnelFile, on: date | None = None) -> Signature | None:
    """The newest signature of a 保密承诺书, if it is still valid on ``on`` (PER-2, PER-3)."""
    day = on or timezone.localdate()
    sig = pledges_newest_first(file).filter(signed_on__lte=day).first()
    if sig is None or (sig.valid_until is not None and sig.valid_until < day):
        return None
    return sig


def pledges_newest_first(file: Any) -> QuerySet[Signature]:
    """The signatures of a 保密承诺书 on ``file`` (a file, or ``OuterRef`` to one), newest first —
    the order ``current_pledge``, ``last_pledge`` and ``renewals_due_files`` all read."""
    return Signature.objects.filter(file=file, version__kind=AgreementKind.PLEDGE).order_by(
        "-signed_on", "-id"
    )


def last_pledge(file: PersonnelFile) -> Signature | None:
    return pledges_newest_first(file).first()


def passed_pre_assignment_review(file: PersonnelFile) -> Review | None:
    review = (
        Review.objects.filter(file=file, kind=ReviewKind.PRE_ASSIGNMENT)
        .order_by("-reviewed_on", "-id")
        .first()
    )
    return review if review and review.result == ReviewResult.PASSED else None


def onboarding_training(file: PersonnelFile) -> Attendance | None:
    """A passed secrecy training of the person (PER-2: education before the post)."""
    return (
        Attendance.objects.filter(user_id=file.user_id, passed=True)
        .exclude(session__kind=TrainingKind.PRE_TRIP)
        .order_by("-session__held_on")
        .first()
    )


def onboarding_checklist(file: PersonnelFile) -> list[dict[str, Any]]:
    """The three steps of 保密准入 the security officer sees per person (PER-2, R-PER-3)."""
    from django.utils.translation import gettext as _

    review = passed_pre_assignment_review(file)
    training = onboarding_training(file)
    pledge = current_pledge(file)
    return [
        {"key": "review", "label": _("Pre-assignment review passed"), "done": review is not None,
         "when": review.reviewed_on if review else None},
        {"key": "training", "label": _("Secrecy training attended"), "done": training is not None,
         "when": training.session.held_on if training else None},
        {"key": "pledge", "label": _("Confidentiality pledge signed and valid"), "done": pledge is not None,
         "when": pledge.signed_on if pledge else None},
    ]  # fmt: skip


def onboarding_complete(file: PersonnelFile) -> bool:
    return all(step["done"] for step in onboarding_checklist(file))


def derived_clearance(file: PersonnelFile, on: date | None = None) -> str:
    """The clearance the file gives (PER-1, PER-2, PER-3, PER-5, R-AC-4): the category's ceiling
    while the file is cleared and the pledge is valid; the non-classified default otherwise —
    during onboarding, after a lapse, from the moment an exit starts."""
    if file.status != FileStatus.ACTIVE or file.category == Category.NONE:
        return uncleared_level()
    if current_pledge(file, on) is None:
        return uncleared_level()
    return category_ceiling(file.category)


def clearance_check_on(file: PersonnelFile, on: date | None = None) -> date | None:
    """The first day after ``on`` on which ``derived_clearance`` may give another level without
    any service running: the day after the current pledge runs out, or the day a pledge signed
    ahead starts. None when only a service can change it (R-AC-4, R-PER-3)."""
    day = on or timezone.localdate()
    if file.status != FileStatus.ACTIVE or file.category == Category.NONE:
        return None
    upcoming = (
        Signature.objects.filter(file=file, version__kind=AgreementKind.PLEDGE, signed_on__gt=day)
        .order_by("signed_on")
        .values_list("signed_on", flat=True)
        .first()
    )
    sig = current_pledge(file, day)
    ends = sig.valid_until + timedelta(days=1) if sig is not None and sig.valid_until is not None else None
    return min((d for d in (ends, upcoming) if d is not None), default=None)


def is_cleared_person(user: Any) -> bool:
    """Whether travel abroad needs approval: a person on a classified post, or exiting, or in
    the separation period — who is treated like serving cleared personnel (PER-6, R-PER-8)."""
    file = PersonnelFile.objects.filter(user_id=user.pk).first()
    if file is None:
        return False
    if file.status in (FileStatus.EXITING, FileStatus.SEPARATION):
        return True
    return file.status != FileStatus.RELEASED and file.category != Category.NONE


def has_current_determination_training(user: Any, on: date | None = None) -> bool:
    """Whether ``user`` passed 定密 training within the configured period (R-DET-12, PER-4).

    Classification authorities and case handlers need it; the classification app may refuse
    to assign these roles without it."""
    return current_determination_training(user.pk, on).exists()


def current_determination_training(user_id: Any, on: date | None = None) -> QuerySet[Attendance]:
    """Passed 定密 trainings of ``user_id`` (an id or ``OuterRef``) within the period before
    ``on`` (R-DET-12): the test of ``has_current_determination_training`` and of the gaps."""
    day = on or timezone.localdate()
    since = add_months(day, -settings.PERSONNEL_DETERMINATION_TRAINING_MONTHS)
    return Attendance.objects.filter(
        user_id=user_id, passed=True, session__kind=TrainingKind.DETERMINATION,
        session__held_on__gte=since, session__held_on__lte=day,
    )  # fmt: skip


def determination_training_until(user: Any, on: date | None = None) -> date | None:
    """The last day the person's latest passed 定密 training counts (R-DET-12), or ``None`` when
    they never passed one; current on ``on`` when that day is not before ``on``."""
    day = on or timezone.localdate()
    held = (
        Attendance.objects.filter(user_id=user.pk, passed=True, session__kind=TrainingKind.DETERMINATION,
                                  session__held_on__lte=day)
        .order_by("-session__held_on")
        .values_list("session__held_on", flat=True)
        .first()
    )  # fmt: skip
    return add_months(held, settings.PERSONNEL_DETERMINATION_TRAINING_MONTHS) if held else None


def my_open_exit(user: Any) -> ExitCase | None:
    """The person's own exit (or post change) in progress, for their inbox: what they must hand
    back before they leave (PER-5, issue 13)."""
    return ExitCase.objects.filter(file__user=user, status=ExitStatus.OPEN).first()


def open_exit_case(file: PersonnelFile) -> ExitCase | None:
    return ExitCase.objects.filter(file=file, status=ExitStatus.OPEN).first()


def last_exit_case(file: PersonnelFile) -> ExitCase | None:
    return ExitCase.objects.filter(file=file).order_by("-started_at", "-id").first()


def outstanding_carriers(user: Any) -> QuerySet:
    """What the person still holds (PER-5, R-PER-6 step 3), from the carrier registry."""

    return outstanding_for(user)


def outstanding_with_steps(viewer: Any, user: Any) -> list[Any]:
    """What ``user`` still holds, each with the steps ``viewer`` may take to bring it back
    (the exit case's hand-back list, issue 13)."""
    from baomi.carriers.queries import hand_back_steps

    return hand_back_steps(viewer, outstanding_for(user).select_related("item")[:200])


# --- permission-filtered lists -----------------------------------------------------------------


def files(viewer: Any, *, action: str = "view_summary", q: str = "", category: str = "", status: str = "",
          department: str = "") -> QuerySet[PersonnelFile]:  # fmt: skip
    qs = visible(viewer, PersonnelFile.objects.select_related("user", "user__department"), action)
    if q:
        qs = qs.filter(
            Q(user__full_name__icontains=q) | Q(user__username__icontains=q) | Q(secret_post__icontains=q)
        )
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if department:
        # A department that is not a number (?department=x) matches nothing, not a 500 (SEC-7).
        qs = qs.filter(user__department_id=department) if str(department).isdigit() else qs.none()
    return qs


def get_file(viewer: Any, pk: Any, action: str = "view") -> PersonnelFile:
    return access_object(viewer, PersonnelFile.objects.select_related("user", "user__department"), pk, action)


def own_file(viewer: Any) -> PersonnelFile | None:
    return visible(viewer, PersonnelFile.objects.filter(user_id=viewer.pk), "view").first()


def people_without_file(viewer: Any) -> QuerySet[User]:
    if not visible(viewer, PersonnelFile.objects.all(), "manage").exists() and not _is_officer(viewer):
        return User.objects.none()
    return User.objects.filter(personnel_file__isnull=True, is_active=True).exclude(pk=viewer.pk)


def _is_officer(user: Any) -> bool:
    return is_officer(user)


def departments() -> QuerySet[Department]:
    return Department.objects.all()


def reviews_of(viewer: Any, file: PersonnelFile) -> QuerySet[Review]:
    qs = Review.objects.filter(file=file).select_related("reviewer").prefetch_related("attachments")
    return visible(viewer, qs, "view")


def signatures_of(viewer: Any, file: PersonnelFile) -> QuerySet[Signature]:
    return visible(viewer, Signature.objects.filter(file=file).select_related("version"), "view")


def category_history(viewer: Any, file: PersonnelFile) -> QuerySet:
    return visible(viewer, CategoryChange.objects.filter(file=file).select_related("changed_by"), "view")


def trainings_of(viewer: Any, user: Any) -> QuerySet[Attendance]:
    return visible(viewer, Attendance.objects.filter(user_id=user.pk).select_related("session"), "view")


def sanctions(viewer: Any, *, user: Any = None) -> QuerySet[Sanction]:
    qs = Sanction.objects.select_related("user", "incident", "report")
    if user is not None:
        qs = qs.filter(user_id=user.pk)
    return visible(viewer, qs, "view")


def exit_cases(viewer: Any, *, status: str = "") -> QuerySet[ExitCase]:
    qs = visible(
        viewer, ExitCase.objects.select_related("file", "file__user", "file__user__department"), "view"
    )
    return qs.filter(status=status) if status else qs


def get_exit_case(viewer: Any, pk: Any, action: str = "view") -> ExitCase:
    return access_object(viewer, ExitCase.objects.select_related("file", "file__user"), pk, action)


def agreement_versions(viewer: Any, kind: str = "") -> QuerySet[AgreementVersion]:
    qs = visible(viewer, AgreementVersion.objects.all(), "view")
    return qs.filter(kind=kind) if kind else qs


def get_agreement_version(viewer: Any, pk: Any) -> AgreementVersion:
    return access_object(viewer, AgreementVersion.objects.all(), pk, "view")


def latest_version(kind: str) -> AgreementVersion | None:
    today = timezone.localdate()
    return (
        AgreementVersion.objects.filter(kind=kind, effective_on__lte=today)
        .order_by("-effective_on", "-id")
        .first()
    )


def training_sessions(viewer: Any, *, year: int | None = None, kind: str = "") -> QuerySet[TrainingSession]:
    # An aggregate's GROUP BY drops Meta.ordering: order explicitly so pages are stable (DRF pagination).
    qs = visible(viewer, TrainingSession.objects.annotate(attendees=Count("attendances")), "view")
    qs = qs.order_by("-held_on", "-id")
    if year:
        # No session is held in a year a date cannot hold (?year=999999999999): none, not a 500 (SEC-7).
        qs = qs.filter(held_on__year=year) if 1 <= year <= 9999 else qs.none()
    return qs.filter(kind=kind) if kind else qs


def get_session(viewer: Any, pk: Any, action: str = "view") -> TrainingSession:
    return access_object(viewer, TrainingSession.objects.all(), pk, action)


def attendances_of_session(viewer: Any, session: TrainingSession) -> QuerySet[Attendance]:
    return visible(viewer, Attendance.objects.filter(session=session).select_related("user", "user__department"),
                   "view")  # fmt: skip


def travel_requests(viewer: Any, *, status: str = "") -> QuerySet[TravelRequest]:
    qs = visible(viewer, TravelRequest.objects.select_related("traveller", "traveller__department"), "view")
    return qs.filter(status=status) if status else qs


def get_travel(viewer: Any, pk: Any, action: str = "view") -> TravelRequest:
    return access_object(viewer, TravelRequest.objects.select_related("traveller"), pk, action)


def violation_reports(viewer: Any, *, status: str = "") -> QuerySet[ViolationReport]:
    qs = visible(viewer, ViolationReport.objects.select_related("incident"), "view")
    return qs.filter(status=status) if status else qs


def get_report(viewer: Any, pk: Any, action: str = "view") -> ViolationReport:
    return access_object(viewer, ViolationReport.objects.all(), pk, action)


def reporter_of(viewer: Any, report: ViolationReport) -> Any:
    """The reporter — for the security officer only (PER-8); ``None`` for everyone else."""

    if not can(viewer, "view_reporter", report):
        return None
    return User.objects.filter(pk=report.reporter_id).first()


# --- due lists (PER-2, PER-3, PER-5, PER-6; OPS-1) ---------------------------------------------


def _within(days: int | None) -> date:
    return timezone.localdate() + timedelta(days=settings.PERSONNEL_REMINDER_DAYS if days is None else days)


def renewals_due(viewer: Any, within_days: int | None = None) -> list[tuple[PersonnelFile, Signature | None]]:
    """Cleared persons whose pledge has lapsed or lapses within the lead time (PER-3), each with
    their last pledge (``last_pledge``) or None. Two queries whatever the number of files."""
    due: list[Any] = list(renewals_due_files(viewer, within_days))
    pledges = Signature.objects.in_bulk([f.pledge_id for f in due if f.pledge_id is not None])
    return [(file, pledges.get(file.pledge_id)) for file in due]


def renewals_due_files(viewer: Any, within_days: int | None = None) -> QuerySet[PersonnelFile]:
    """The files of ``renewals_due`` as one query, each annotated with ``pledge_id``: the active
    files ``viewer`` may see whose last pledge (the newest signed, as ``last_pledge``) is missing
    or ends on or before the horizon; a pledge without an end never lapses. Counted in SQL by the
    start page — a loop over the files asked once per cleared person."""
    last = pledges_newest_first(OuterRef("pk"))
    return (
        files(viewer, action="view_summary")
        .filter(status=FileStatus.ACTIVE)
        .annotate(
            pledge_id=Subquery(last.values("pk")[:1]), pledge_until=Subquery(last.values("valid_until")[:1])
        )
        .filter(Q(pledge_id__isnull=True) | Q(pledge_until__lte=_within(within_days)))
    )


def reviews_due(viewer: Any, within_days: int | None = None) -> QuerySet[PersonnelFile]:
    """Cleared persons due for a re-review (复审) within the lead time (PER-2, R-PER-3)."""
    return files(viewer).filter(status=FileStatus.ACTIVE, next_review_on__lte=_within(within_days))


def separations_ending(viewer: Any, within_days: int | None = None) -> QuerySet[ExitCase]:
    """Separation periods that end within the lead time (PER-5, R-PER-7)."""
    return exit_cases(viewer, status=ExitStatus.COMPLETED).filter(
        file__status=FileStatus.SEPARATION, separation_end__lte=_within(within_days)
    )


def travel_reports_overdue(viewer: Any) -> QuerySet[TravelRequest]:
    """Returned travellers whose post-trip report is past due (PER-6)."""
    return travel_requests(viewer, status=TravelStatus.RETURNED).filter(
        report_due_on__lt=timezone.localdate()
    )


def travel_reports_due(viewer: Any) -> QuerySet[TravelRequest]:
    return travel_requests(viewer, status=TravelStatus.RETURNED)


def determination_training_gaps(viewer: Any) -> QuerySet[User]:
    """Classification authorities and case handlers without current 定密 training (R-DET-12).

    One query for everybody (``has_current_determination_training`` per person as a subquery);
    the lists read the people, the dashboards count the same people without the lists' joins
    (``_untrained_for``, in ``_SHARED_COUNTS``)."""

    # ``file_pk``: their personnel file, if they have one, for the lists to link to.
    return _untrained_for(viewer).select_related("department").annotate(file_pk=F("personnel_file__id"))


def _untrained_for(viewer: Any) -> QuerySet[User]:
    """The people of :func:`untrained_classification_roles` for the security office; nobody
    for anybody else."""
    return untrained_classification_roles() if is_officer(viewer) else User.objects.none()


def untrained_classification_roles(on: date | None = None) -> QuerySet[User]:
    """Active classification authorities and case handlers with no current 定密 training on
    ``on`` (R-DET-12): the gaps the security office is shown and the self-check's probe."""
    current = current_determination_training(OuterRef("pk"), on)
    roles = RoleAssignment.objects.filter(role__in=[Role.CLASSIFICATION_AUTHORITY, Role.CASE_HANDLER])
    # ``pk IN (…)`` rather than a join: a person with both roles is one person, and no DISTINCT.
    return User.objects.filter(is_active=True, pk__in=roles.values("user_id")).exclude(Exists(current))


def coverage(viewer: Any, year: int) -> list[dict[str, Any]]:
    """Training coverage per department for a year (PER-4): persons on file, how many attended
    at least one session, the hours they attended, the share. The security officer sees all
    departments, a head theirs. Two grouped queries for every department at once (it was three
    queries per department, and every attendance read to add up its hours)."""

    chosen = Department.objects.all()
    if not is_officer(viewer):
        chosen = chosen.filter(pk__in=viewer.headed_department_ids())
    depts = list(chosen)
    on_file = [FileStatus.ONBOARDING, FileStatus.ACTIVE]
    ids = [d.pk for d in depts]
    totals = dict(
        PersonnelFile.objects.filter(user__department__in=ids, status__in=on_file)
        .order_by().values("user__department").annotate(n=Count("id")).values_list("user__department", "n")
    )  # fmt: skip
    attended = {
        row["user__department"]: row
        for row in Attendance.objects.filter(
            user__department__in=ids, user__personnel_file__status__in=on_file, session__held_on__year=year
        ).order_by().values("user__department").annotate(trained=Count("user_id", distinct=True),
                                                         hours=Sum("session__hours"))
    }  # fmt: skip
    rows = []
    for dept in depts:
        total = totals.get(dept.pk, 0)
        seen = attended.get(dept.pk, {})
        trained = seen.get("trained", 0)
        hours = seen.get("hours")  # one decimal as the sessions' hours, whichever database summed them
        rows.append({"department": dept, "total": total, "trained": trained,
                     "hours": Decimal(hours or 0).quantize(Decimal("0.1")),
                     "percent": round(100 * trained / total) if total else None})  # fmt: skip
    return rows


def people() -> QuerySet[User]:
    """Active persons, for choosing attendees and persons (names are not classified, ORG-1)."""
    return User.objects.filter(is_active=True)


def incidents(viewer: Any) -> QuerySet:
    """The incidents ``viewer`` may see, for a sanction to name (PER-7). The model is the one
    ``Sanction.incident`` points to, so personnel does not import the incidents app above it
    (docs/architecture.md, "How the apps meet")."""
    incident = Sanction._meta.get_field("incident").remote_field.model
    return visible(viewer, incident._default_manager.all(), "view")


def open_review_attachment(viewer: Any, review_pk: Any, blob_id: Any) -> tuple[Any, Any]:
    """Decrypt an attachment of a review for someone who may see the review (PER-2); the vault
    audits the read (BLOB_READ with the review as target). Returns (blob, reader)."""

    review = access_object(viewer, Review.objects.all(), review_pk, "view")
    blob = review.attachments.filter(pk=blob_id).first() if _is_uuid(blob_id) else None
    if blob is None:
        raise deny(viewer, "view", ("vault.blob", blob_id, ""))
    return blob, open_stream(viewer, blob, target=review)


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


#: The figures the start page shows twice for the security office — in the personnel panel and
#: in the to-dos (OPS-1) — by name.
_SHARED_COUNTS: dict[str, Callable[[Any], QuerySet[Any]]] = {
    "renewals": renewals_due_files,
    # Counted without the lists' join to the file and the department: the same people.
    "training_gaps": _untrained_for,
    "exits_open": lambda viewer: exit_cases(viewer, status=ExitStatus.OPEN),
}


def shared_count(viewer: Any, name: str) -> int | Deferred:
    """One of ``_SHARED_COUNTS`` for ``viewer``, counted once per committed change and day
    (``baomi.audit.cache``: never stale; the day, because "due" moves with it) and per policy
    scope, so the panel and the to-dos of one view read the same number from one query. Inside
    a ``kit.counts`` batch it is read with the batch's other counts."""
    from baomi.audit.cache import cached_count

    count = _SHARED_COUNTS[name]
    key = f"personnel:{name}:{scope_key(viewer)}:{timezone.localdate().isoformat()}"
    return cached_count(key, lambda: count(viewer))
