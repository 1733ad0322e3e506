"""The carrier transition table (STYLE 2.5): every row works, every other pair is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from baomi.carriers import lifecycle, services
from baomi.carriers.choices import CarrierStatus, TransferChannel
from baomi.carriers.models import Carrier, Transfer
from baomi.core.errors import InvalidTransition, ValidationFailed
from tests.carriers.factories import make_carrier

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def _dispatch(org: Any, carrier: Carrier) -> None:
    """发文 (issue 12 §3): the security office asks, the department head approves, it is sent."""
    from baomi.carriers.models import ExternalUnit

    so = org.security_officer
    unit = ExternalUnit.objects.first() or services.create_external_unit(so, name="省国家保密局")
    d = services.request_dispatch(so, carrier, unit=unit, channel=TransferChannel.CONFIDENTIAL_MAIL,
                                  envelope_number="JY-1", reason="报送")  # fmt: skip
    if d.status == "pending":
        services.approve_dispatch(org.dept_head, d)
        services.send_dispatch(so, d)


def _to(org: Any, carrier: Carrier, state: str) -> Carrier:
    """Drive a fresh carrier into ``state`` through the services."""
    so = org.security_officer
    if state == CarrierStatus.ON_LOAN:
        loan = services.request_loan(so, carrier, borrower=org.case_handler, place="阅文室", due_on=TOMORROW,
                                     reason="阅")  # fmt: skip
        services.approve_loan(org.unit_head, loan)
    elif state == CarrierStatus.IN_TRANSIT:
        services.send_carrier(so, carrier, receiver=org.case_handler, channel=TransferChannel.CONFIDENTIAL_MAIL,
                              envelope_number="E-1")  # fmt: skip
    elif state == CarrierStatus.TAKEN_OUT:
        req = services.request_take_out(org.staff_secret, carrier, destination="区里", abroad=False,
                                        protective_measures="密码箱", leaves_on=timezone.localdate(),
                                        returns_on=TOMORROW, reason="汇报")  # fmt: skip
        services.approve_take_out(org.unit_head, req)
    elif state == CarrierStatus.UNDER_REPAIR:
        services.start_repair(so, carrier, technician="本单位技术员", place="信息中心", fault="故障")
    elif state == CarrierStatus.SEALED:
        services.seal_carrier(so, carrier, place="密件库")
    elif state == CarrierStatus.ARCHIVED:
        services.archive_carrier(so, carrier, place="档案室")
    elif state == CarrierStatus.MISSING:
        services.mark_missing(so, carrier, note="未找到")
    elif state == CarrierStatus.RETURNED:
        campaign = services.launch_recall(so, issuer=carrier.originator, title="清退", due_on=TOMORROW)
        services.record_recall_return(so, campaign.entries.get(carrier=carrier))
    elif state == CarrierStatus.DISPATCHED:
        _dispatch(org, carrier)
    elif state == CarrierStatus.DESTROYED:
        req = services.request_destruction(so, [carrier], reason="到期")
        services.approve_destruction(org.unit_head, req)
        services.execute_destruction(so, req, method="shredding", witness_1=org.staff_secret,
                                     witness_2=org.dept_head)  # fmt: skip
    carrier.refresh_from_db()
    assert carrier.status == state
    return carrier


def _do(org: Any, carrier: Carrier, action: str) -> None:
    """Perform the move ``action`` on the carrier as someone the policy allows."""
    so = org.security_officer
    if action == "lend":
        loan = services.request_loan(so, carrier, borrower=org.case_handler, place="阅文室", due_on=TOMORROW,
                                     reason="阅")  # fmt: skip
        services.approve_loan(org.unit_head, loan)
    elif action == "return":
        services.return_carrier(so, carrier)
    elif action == "transfer":
        services.send_carrier(so, carrier, receiver=org.case_handler, channel=TransferChannel.DESIGNATED_PERSON,
                              envelope_number="E-2")  # fmt: skip
    elif action == "receive":
        services.receive_carrier(
            org.case_handler, carrier.transfers.get(status="sent"), counted=carrier.pages
        )
    elif action == "take_out":
        req = services.request_take_out(org.staff_secret, carrier, destination="区里", abroad=False, protective_measures="箱",
                                        leaves_on=timezone.localdate(), returns_on=TOMORROW, reason="汇报")  # fmt: skip
        services.approve_take_out(org.unit_head, req)
    elif action == "bring_back":
        services.bring_back(so, carrier)
    elif action == "repair":
        services.start_repair(so, carrier, technician="技术员", place="信息中心", fault="故障")
    elif action == "finish_repair":
        services.finish_repair(so, carrier, result="修复")
    elif action == "seal":
        services.seal_carrier(so, carrier, place="密件库")
    elif action == "unseal":
        services.unseal_carrier(so, carrier, place="保密柜")
    elif action == "archive":
        services.archive_carrier(so, carrier, place="档案室")
    elif action == "recall":
        from baomi.carriers.models import RecallCampaign, RecallEntry

        campaign = RecallCampaign.objects.create(issuer="x", title="t", due_on=TOMORROW, launched_by=so)
        services.record_recall_return(so, RecallEntry.objects.create(campaign=campaign, carrier=carrier))
    elif action == "mark_missing":
        services.mark_missing(so, carrier)
    elif action == "found":
        services.found_carrier(so, carrier)
    elif action == "dispatch":
        _dispatch(org, carrier)
    elif action == "destroy":
        from baomi.carriers.models import DestructionRequest

        req = DestructionRequest.objects.create(
            reason="r", requested_by=so, level=carrier.level, status="approved"
        )
        req.carriers.set([carrier])
        services.execute_destruction(so, req, method="shredding", witness_1=org.staff_secret,
                                     witness_2=org.dept_head)  # fmt: skip
    else:  # pragma: no cover - the table and this helper must list the same actions
        raise AssertionError(action)


@pytest.mark.parametrize(("state", "action"), sorted(lifecycle.TRANSITIONS))
def test_every_row(org, state, action):
    """STYLE 2.5: each row of the table moves the carrier to its next state."""
    carrier = _to(org, make_carrier(org, scope=[org.case_handler], originator="省委办公厅"), state)
    _do(org, carrier, action)
    carrier.refresh_from_db()
    assert carrier.status == lifecycle.TRANSITIONS[(state, action)].next_state


REFUSED = [
    (state, action)
    for state in CarrierStatus.values
    for action in sorted(lifecycle.MOVES)
    if (state, action) not in lifecycle.TRANSITIONS
]


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_every_other_pair_is_refused(org, state, action):
    """STYLE 2.5: a move not in the table is refused and changes nothing."""
    carrier = _to(org, make_carrier(org, scope=[org.case_handler], originator="省委办公厅"), state)
    with pytest.raises((InvalidTransition, ValidationFailed, Transfer.DoesNotExist)):
        _do(org, carrier, action)
    carrier.refresh_from_db()
    assert carrier.status == state


def test_next_state_refuses_unknown_pairs():
    """STYLE 2.5: the pure table lookup raises InvalidTransition for pairs it lacks."""
    for state, action in REFUSED:
        with pytest.raises(InvalidTransition):
            lifecycle.next_state(state, action)
    assert lifecycle.permits(CarrierStatus.REGISTERED, "copy")
    assert not lifecycle.permits(CarrierStatus.DESTROYED, "read_content")
