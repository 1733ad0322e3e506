"""Small helpers that build personnel states through the services (and a carrier directly, for
exit tests, while the carriers services are not on main)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from baomi.personnel import services
from baomi.personnel.models import AgreementVersion, PersonnelFile
from tests.support.integrity import bind


def today() -> date:
    return timezone.localdate()


def versions(officer: Any) -> tuple[AgreementVersion, AgreementVersion]:
    pledge = AgreementVersion.objects.filter(kind="pledge").first() or services.add_agreement_version(
        officer, kind="pledge", version="2026版", text="本人承诺遵守保密法律法规……"
    )
    exit_v = AgreementVersion.objects.filter(kind="exit").first() or services.add_agreement_version(
        officer, kind="exit", version="2026版", text="本人离岗离职后继续履行保密义务……"
    )
    return pledge, exit_v


def onboarded(officer: Any, user: Any, category: str = "important", *, signed_on: date | None = None,
              clear: bool = True) -> PersonnelFile:  # fmt: skip
    """A file with review, training and pledge done, cleared unless ``clear=False``."""
    pledge, _exit = versions(officer)
    file = services.open_file(officer, user, category=category, secret_post="机要秘书")
    services.record_review(officer, file, kind="pre_assignment", result="passed", reviewed_on=today())
    session = services.create_session(officer, title="新任涉密人员保密培训", kind="course", held_on=today())
    services.record_attendance(officer, session, user)
    services.sign_pledge(officer, file, pledge, signed_on=signed_on or today())
    if clear:
        services.clear_person(officer, file)
    file.refresh_from_db()
    return file


def carrier_for(custodian: Any, *, level: str = "confidential") -> Any:
    """A registered carrier held by ``custodian``, written directly (test factory)."""
    from baomi.carriers.models import Carrier
    from baomi.classification.models import Item

    item = Item.objects.create(
        title="关于某专项工作的通知", level=level, duration_kind="period", duration_value=10, duration_unit="year",
        department=custodian.department, proposed_by=custodian,
    )  # fmt: skip
    bind(item)
    n = Carrier.objects.count() + 1
    return bind(Carrier.objects.create(
        registry_number=f"TEST-{n:05d}", year=today().year, kind="paper", sequence=n, copy_number=f"{n:06d}",
        item=item, level=level, title="关于某专项工作的通知", custodian=custodian, department=custodian.department,
        registered_by=custodian,
    ))  # fmt: skip


def days(n: int) -> timedelta:
    return timedelta(days=n)
