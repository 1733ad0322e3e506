"""The self-decision pairs of the persona × action matrix (R-ROLE-5, issue 11 §2): across the
product, the person who asks, hands over or benefits is never the one who decides, signs alone
or witnesses; where that person is the one who would decide, the next authority up decides.

Each row is one pair — who (the persona that asks, hands over or benefits) × what (the decision,
signature or witness act) — tried through the service that does it; every row is refused. The
escalation rows show the request is then decidable by the authority above (and only by them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.core.errors import BaomiError
from tests.support.assertions import assert_hidden, assert_visible
from tests.support.integrity import bind

TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _dates_of_the_day_the_test_runs() -> None:
    """The day each test runs, not the day the module was collected: a suite that crosses
    midnight would otherwise ask for days already past."""
    global TODAY, TOMORROW
    TODAY = timezone.localdate()
    TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# -- carriers (CAR-4..11) ----------------------------------------------------------------------


def _carrier(org: Any, custodian: Any, **kw: Any) -> Any:
    from tests.carriers.factories import make_carrier

    return make_carrier(org, custodian=custodian, scope=[custodian, org.leading_group], **kw)


def take_out_by_unit_head(org: Any) -> Any:
    from baomi.carriers import services

    req = services.request_take_out(org.unit_head, _carrier(org, org.unit_head), destination="省委", abroad=False,
                                    protective_measures="专人携带", leaves_on=TODAY, returns_on=TOMORROW,
                                    reason="汇报")  # fmt: skip
    return req, lambda who: services.approve_take_out(who, req)


def copy_by_unit_head(org: Any) -> Any:
    from baomi.carriers import services

    req = services.request_copy(org.unit_head, _carrier(org, org.unit_head), copies=1, reason="传达")
    return req, lambda who: services.approve_copy(who, req)


def loan_to_unit_head(org: Any) -> Any:
    from baomi.carriers import services

    carrier = _carrier(org, org.staff_secret)
    from baomi.classification.models import ItemScope

    ItemScope.objects.create(item=carrier.item, user=org.unit_head)
    bind(carrier.item)  # the scope is bound into the item's mark MAC (R-CRYPTO-5)
    req = services.request_loan(org.staff_secret, carrier, place="阅文室", due_on=TOMORROW, reason="审阅",
                                borrower=org.unit_head)  # fmt: skip
    return req, lambda who: services.approve_loan(who, req)


def destruction_by_unit_head(org: Any) -> Any:
    from baomi.carriers import services

    req = services.request_destruction(org.unit_head, [_carrier(org, org.unit_head)], reason="到期")
    return req, lambda who: services.approve_destruction(who, req)


def _approved_destruction(org: Any) -> Any:
    from baomi.carriers import services

    req = services.request_destruction(org.security_officer, [_carrier(org, org.staff_secret)], reason="到期")
    return services.approve_destruction(org.unit_head, req)


def witness_own_destruction(org: Any) -> Callable[[], Any]:
    """R-CAR-11: who carries out the destruction is not one of its two witnesses."""
    from baomi.carriers import services

    req = _approved_destruction(org)
    return lambda: services.execute_destruction(org.security_officer, req, method="shredding",
                                                witness_1=org.security_officer, witness_2=org.dept_head)  # fmt: skip


def requester_witnesses_destruction(org: Any) -> Callable[[], Any]:
    """R-CAR-11: who asked for the destruction does not witness it either."""
    from baomi.carriers import services

    req = _approved_destruction(org)
    return lambda: services.execute_destruction(org.security_officer, req, method="shredding",
                                                witness_1=org.dept_head, witness_2=org.security_officer)  # fmt: skip


def transfer_to_oneself(org: Any) -> Callable[[], Any]:
    from baomi.carriers import services
    from baomi.carriers.choices import TransferChannel

    carrier = _carrier(org, org.staff_secret)
    return lambda: services.send_carrier(org.security_officer, carrier, receiver=org.security_officer,
                                         channel=TransferChannel.CONFIDENTIAL_MAIL, envelope_number="JY-9")  # fmt: skip


def escort_oneself(org: Any) -> Callable[[], Any]:
    """R-CAR-12: the second person who travels with a 绝密 carrier is neither sender nor receiver."""
    from baomi.carriers import services
    from baomi.carriers.choices import TransferChannel
    from tests.carriers.factories import make_carrier

    carrier = make_carrier(org, "top_secret", custodian=org.security_officer)
    return lambda: services.send_carrier(org.security_officer, carrier, receiver=org.unit_head,
                                         channel=TransferChannel.DESIGNATED_PERSON, envelope_number="JY-10",
                                         escort=org.security_officer)  # fmt: skip


# -- classification (R-DET-2, R-SCOPE-2) -------------------------------------------------------


def proposer_approves(org: Any) -> Callable[[], Any]:
    from baomi.classification.models import ClassificationRequest
    from baomi.classification.services import determine
    from tests.carriers.factories import make_item

    item = make_item(org, "secret", determined_by=None)
    type(item).objects.filter(pk=item.pk).update(status="proposed", proposed_by=org.authority_secret)
    req = ClassificationRequest.objects.create(item=item, kind="determine", level="secret",
                                               proposed_by=org.authority_secret)  # fmt: skip
    return lambda: determine.approve_request(org.authority_secret, req)


def expansion_for_oneself(org: Any) -> Callable[[], Any]:
    from baomi.classification.services import scope
    from tests.carriers.factories import make_item

    item = make_item(org, "secret")
    req = scope.request_expansion(org.unit_head, item, person=org.unit_head, reason="工作需要")
    return lambda: scope.decide_expansion(org.unit_head, req, approve=True)


# -- personnel (PER-4, PER-6, PER-7, PER-8) ----------------------------------------------------


def own_trip(org: Any) -> Callable[[], Any]:
    from baomi.personnel.models import TravelRequest

    travel = TravelRequest.objects.create(traveller=org.leading_group, destination="新加坡", purpose="考察",
                                          departs_on=TOMORROW, returns_on=TOMORROW, created_by=org.leading_group)  # fmt: skip
    from baomi.personnel import services

    return lambda: services.decide_travel(org.leading_group, travel, approve=False)


def own_attendance(org: Any) -> Callable[[], Any]:
    """PER-4: the security officer does not record his own exam score."""
    from baomi.personnel import services

    session = services.create_session(org.security_officer, title="保密培训", kind="course", held_on=TODAY,
                                      has_exam=True)  # fmt: skip
    return lambda: services.record_attendance(org.security_officer, session, org.security_officer, score=100)


def own_sanction(org: Any) -> Callable[[], Any]:
    from baomi.personnel import services

    return lambda: services.record_sanction(org.security_officer, user=org.security_officer, kind="commendation",
                                            decided_on=TODAY, reason="表现突出", merit="年度先进")  # fmt: skip


def own_violation_report(org: Any) -> Any:
    from baomi.personnel import services

    report = services.file_violation_report(org.security_officer, kind="leak", description="疑似外泄")
    return report, lambda who: services.handle_violation_report(
        who, report, open_incident=False, note="不属实"
    )


# -- supervision: publication, inspections, incidents, governance (SUP-1..3, ORG-2, SUP-10/11) ---


def own_publication(org: Any) -> Callable[[], Any]:
    from baomi.publication import services
    from tests.publication.factories import submit

    req = submit(org.security_officer)
    return lambda: services.decide_request(org.security_officer, req, outcome="approve", reasons="同意发布")


def own_rectification(org: Any) -> Callable[[], Any]:
    from baomi.inspections import services
    from baomi.inspections.models import Finding, RectificationTask
    from tests.inspections.factories import open_run

    run = open_run(org)
    finding = Finding.objects.create(run=run, department=run.department, description="d")
    task = RectificationTask.objects.create(finding=finding, owner=run.lead, deadline=TODAY, measures="m",
                                            status="submitted")  # fmt: skip
    return lambda: services.verify_task(run.lead, task)


def reporter_handles_incident(org: Any) -> Callable[[], Any]:
    from baomi.incidents import services

    incident = services.report_incident(org.staff_secret, title="U盘丢失", description="下班时发现", kind="lost_carrier",
                                        discovered_at=timezone.now())  # fmt: skip
    return lambda: services.assign_incident(org.security_officer, incident, handler=org.staff_secret)


def regulation_approved_by_its_recorder(org: Any) -> Callable[[], Any]:
    """SUP-10: a security officer who sits in the leading group does not approve what he records."""
    from baomi.accounts import services as accounts
    from baomi.accounts.choices import Role
    from baomi.governance import services

    accounts.assign_role(None, org.security_officer, Role.LEADING_GROUP, bootstrap=True)
    org.security_officer.forget_roles()
    return lambda: services.create_regulation(org.security_officer, code="BM-99", title="保密制度", version="1",
                                              effective_on=TODAY, approved_by=org.security_officer, text="第一条")  # fmt: skip


def statement_signed_on_both_sides(org: Any) -> Callable[[], Any]:
    """ORG-2: the unit head who heads a department does not sign its statement for both sides."""
    from baomi.accounts import services as accounts
    from baomi.governance import services

    fin = org.departments["FIN"]
    accounts.set_department_officers(None, fin, head=org.unit_head, secrecy_officer=None, bootstrap=True)
    fin.refresh_from_db()
    st = services.issue_statement(org.security_officer, department=fin, year=TODAY.year)
    services.record_statement_signature(org.security_officer, st, side="department", signed_on=TODAY)
    return lambda: services.record_statement_signature(org.security_officer, st, side="unit", signed_on=TODAY,
                                                       signatory=org.unit_head)  # fmt: skip


def own_event_attendance(org: Any) -> Callable[[], Any]:
    from baomi.governance import services

    event = services.record_event(org.security_officer, kind="contest", title="保密知识竞赛", held_on=TODAY)
    return lambda: services.record_event_attendance(
        org.security_officer, event, org.security_officer, score=100
    )


# who × what → the attempt; every row is refused (R-ROLE-5).
SELF_DECISIONS: dict[tuple[str, str], Callable[[Any], Callable[[], Any]]] = {
    ("security_officer", "carriers.execute_destruction as witness (executor)"): witness_own_destruction,
    (
        "security_officer",
        "carriers.execute_destruction as witness (requester)",
    ): requester_witnesses_destruction,
    ("security_officer", "carriers.send_carrier to oneself"): transfer_to_oneself,
    ("security_officer", "carriers.send_carrier escorting oneself"): escort_oneself,
    ("authority_secret", "classification.approve_request (own proposal)"): proposer_approves,
    ("unit_head", "classification.decide_expansion (for oneself)"): expansion_for_oneself,
    ("leading_group", "personnel.decide_travel (own trip)"): own_trip,
    ("security_officer", "personnel.record_attendance (own score)"): own_attendance,
    ("security_officer", "personnel.record_sanction (oneself)"): own_sanction,
    ("security_officer", "publication.decide_request (own request)"): own_publication,
    ("staff_secret", "inspections.verify_task (own task)"): own_rectification,
    ("staff_secret", "incidents.assign_incident (reporter as handler)"): reporter_handles_incident,
    (
        "security_officer",
        "governance.create_regulation (approves own record)",
    ): regulation_approved_by_its_recorder,
    ("unit_head", "governance.record_statement_signature (both sides)"): statement_signed_on_both_sides,
    ("security_officer", "governance.record_event_attendance (own score)"): own_event_attendance,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "what"), sorted(SELF_DECISIONS))
def test_nobody_decides_signs_or_witnesses_for_themselves(org, persona, what):
    """R-ROLE-5: each self-decision pair is refused by its service (not found, invalid or not
    allowed — never done)."""
    attempt = SELF_DECISIONS[(persona, what)](org)
    with pytest.raises(BaomiError):
        attempt()


# Requests whose owner is the one who would decide: refused to the owner, decided one level up.
ESCALATIONS: dict[str, tuple[Callable[[Any], Any], str, str]] = {
    # name: (scenario, the owner, the next authority up)
    "carriers.approve_take_out": (take_out_by_unit_head, "unit_head", "leading_group"),
    "carriers.approve_copy": (copy_by_unit_head, "unit_head", "leading_group"),
    "carriers.approve_loan": (loan_to_unit_head, "unit_head", "leading_group"),
    "carriers.approve_destruction": (destruction_by_unit_head, "unit_head", "leading_group"),
    "personnel.handle_violation_report": (own_violation_report, "security_officer", "unit_head"),
}
ACTIONS = {
    "personnel.handle_violation_report": "handle",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ESCALATIONS))
def test_the_owners_request_goes_to_the_next_authority_up(org, name):
    """R-ROLE-5: the owner may not decide (``can`` and the queue's SQL agree, the service
    refuses and audits); the next authority up sees it in the queue and decides; anyone else
    (a department head, staff) does not."""
    scenario, owner, above = ESCALATIONS[name]
    req, decide = scenario(org)
    action = ACTIONS.get(name, "approve")
    assert_hidden(getattr(org, owner), req, action)
    with pytest.raises(AccessDenied):
        decide(getattr(org, owner))
    for bystander in ("staff_secret", "dept_head", "auditor"):
        assert not policy.can(getattr(org, bystander), action, req), bystander
    assert_visible(getattr(org, above), req, action)
    assert policy.can(getattr(org, above), "view", req)
    decide(getattr(org, above))
    req.refresh_from_db()
    assert req.status != "pending"
