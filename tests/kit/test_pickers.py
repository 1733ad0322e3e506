"""The person picker (issue 13, kit/pickers.py, accounts/picker_views.py): search by name,
pinyin initials, username and department; and never a suggestion the service would refuse for
the field — a custodian holds the clearance, a witness is not the requester (CAR-1, R-CAR-11)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from baomi.accounts import services as accounts
from baomi.carriers import services
from baomi.carriers.forms import ExecuteDestructionForm, RegisterForm
from baomi.carriers.services._common import _cleared
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from tests.carriers.factories import make_carrier

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def found(user, purpose: str, q: str, **forward) -> list[int]:
    import json

    params = {"q": q}
    if forward:
        params["forward"] = json.dumps({k: str(v) for k, v in forward.items()})
    r = client_for(user).get(reverse("accounts:pick-people", args=[purpose]), params)
    assert r.status_code == 200
    return [int(v) for v in re.findall(r'data-value="(\d+)"', r.content.decode())]


@pytest.fixture
def li(org):
    """Two people called 李娜 and 李南 (initials ln), one cleared 秘密, one only 内部."""
    made = []
    for username, name, clearance in (("lina", "李娜", Level.SECRET), ("linan", "李南", Level.INTERNAL)):
        user = accounts.create_user(None, username=username, full_name=name, password="Test@Pass2026",
                                    department=org.departments["FIN"], bootstrap=True)  # fmt: skip
        accounts.set_clearance(None, user, clearance, bootstrap=True)
        made.append(user)
    return made


def test_search_by_name_initials_username_and_department(org, li):
    lina, linan = li
    assert lina.name_initials == "ln" and lina.name_pinyin == "lina"
    so = org.security_officer
    assert set(found(so, "people", "李娜")) == {lina.pk}
    assert {lina.pk, linan.pk} <= set(found(so, "people", "ln"))
    assert set(found(so, "people", "lina")) >= {lina.pk, linan.pk}  # username and pinyin prefix
    assert {lina.pk, linan.pk, org.staff_work_secret.pk} <= set(found(so, "people", "财务"))
    assert found(so, "people", "李") == []  # two characters before the first suggestions
    assert found(so, "nobody.knows.this", "ln") == []  # an unknown purpose offers nobody


def test_custodian_suggestions_are_only_people_cleared_for_the_carrier(org, li):
    """Every person the picker offers as custodian of a 机密 carrier passes the service's own
    clearance check, and the uncleared 李南 found by the same letters is left out."""
    lina, linan = li
    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret)
    so = org.security_officer
    everyone = found(so, "people", "ln")
    offered = found(so, "carriers.custodian", "ln", carrier=carrier.pk)
    assert linan.pk in everyone and linan.pk not in offered and lina.pk in offered
    from baomi.accounts.models import User

    for user in User.objects.filter(is_active=True):
        for q in {user.username[:2], user.name_initials[:2]} - {""}:
            for pk in found(so, "carriers.custodian", q, carrier=carrier.pk):
                assert _cleared(User.objects.get(pk=pk), carrier.level)
    # A carrier the picker's user may not see names no level: nobody is offered.
    assert found(org.outsider, "carriers.custodian", "ln", carrier=carrier.pk) == []


def test_witness_suggestions_never_include_the_requester(org):
    """R-CAR-11: the witnesses vouch for the destruction; the requester is never offered, and
    the service refuses the requester as a witness with a Chinese message."""
    carrier = make_carrier(org, Level.CONFIDENTIAL, custodian=org.staff_secret)
    so = org.security_officer
    req = services.request_destruction(so, [carrier], reason="到期")
    services.approve_destruction(org.unit_head, req)
    offered = found(so, "carriers.witness", "se", destruction=req.pk)
    assert so.pk not in offered and so.pk in found(so, "people", "se")
    for pk in found(so, "carriers.witness", "st", destruction=req.pk):
        assert pk != req.requested_by_id
    with pytest.raises(ValidationFailed) as exc:
        services.execute_destruction(so, req, method="shredding", witness_1=org.staff_secret,
                                     witness_2=so, destroyed_on=timezone.localdate())  # fmt: skip
    assert "不能" in str(exc.value)


def test_forms_render_a_picker_not_a_list_of_everyone(org, li):
    """The register form renders only the chosen custodian, and sends the chosen item along so
    the suggestions follow its level; the destruction form names its request."""
    html = RegisterForm(actor=org.security_officer).as_div()
    assert "<autocomplete-select" in html and "李南" not in html and "lina" not in html
    assert '"src": "item"' in html
    form = ExecuteDestructionForm(actor=org.security_officer, pick={"destruction": 7})
    assert '"dst": "destruction"' in form.as_div() and 'data-purpose="carriers.witness"' in form.as_div()


def test_signed_out_picker_is_not_served(org):
    r = Client().get(reverse("accounts:pick-people", args=["people"]), {"q": "ln"})
    assert r.status_code == 302


def test_department_picker_shows_the_path_in_the_tree(org):
    r = client_for(org.case_handler).get(
        reverse("accounts:pick-departments", args=["departments"]), {"q": "保密"}
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert f'data-value="{org.departments["SEC"].pk}"' in html and "本单位 / 办公室 / 保密办" in html


def test_personnel_file_picker_offers_only_people_without_a_file(org, li):
    """PER-1: a file is opened once, never for oneself, and only by the security office — the
    picker offers exactly whom the service would accept, and nobody to anyone else."""
    from baomi.personnel import services as personnel

    lina, linan = li
    so = org.security_officer
    personnel.open_file(so, lina, category="general")
    offered = found(so, "personnel.without_file", "ln")
    assert linan.pk in offered and lina.pk not in offered
    assert so.pk not in found(so, "personnel.without_file", "se")
    assert found(org.staff_secret, "personnel.without_file", "ln") == []
    with pytest.raises(ValidationFailed):
        personnel.open_file(so, lina, category="general")


def test_unit_signatory_picker_offers_only_the_unit_head(org):
    """The unit side of a responsibility statement is signed by the unit head (ORG-2): nobody
    else is offered, whatever is typed."""
    so = org.security_officer
    assert found(so, "governance.unit_head", "un") == [org.unit_head.pk]
    assert found(so, "governance.unit_head", "st") == []
    assert org.staff_secret.pk in found(so, "people", "st")
    # Regulations and plans are approved by the unit head or the leading group (ORG-2).
    assert found(so, "governance.approver", "un") == [org.unit_head.pk]
    assert found(so, "governance.approver", "le") == [org.leading_group.pk]
    assert found(so, "governance.approver", "st") == []


def test_office_forms_render_pickers_not_lists_of_everyone(org, li):
    """Issue 13: the personnel, governance, inspections, incidents and account forms name people
    and departments through the shared pickers."""
    from baomi.accounts import selectors as account_selectors
    from baomi.accounts.forms import DepartmentForm, UserForm
    from baomi.governance.forms import DrillForm, SignUnitForm, StatementForm
    from baomi.incidents.forms import AssignForm
    from baomi.inspections.forms import PlanForm
    from baomi.personnel.forms import OpenFileForm

    depts = account_selectors.no_departments().model.objects.all()
    people = li[0].__class__.objects.all()
    forms = [OpenFileForm(viewer=org.security_officer), SignUnitForm(), StatementForm(), DrillForm(), AssignForm(),
             PlanForm(viewer=org.security_officer), UserForm(departments=depts),
             DepartmentForm(departments=depts, people=people)]  # fmt: skip
    for form in forms:
        html = form.as_div()
        assert "<autocomplete-select" in html and "李南" not in html, type(form).__name__
    assert 'data-purpose="personnel.without_file"' in forms[0].as_div()
    assert 'data-purpose="governance.unit_head"' in forms[1].as_div()


def test_a_meeting_attendee_is_offered_only_when_cleared_for_the_meeting(org):
    """R-SITE-2 (issue 13): the attendee picker of a 机密 meeting offers people cleared for 机密
    and nobody below, the same people ``add_attendee`` accepts; naming no meeting offers nobody."""
    import datetime as dt

    from django.utils import timezone

    from baomi.meetings import services as meetings
    from tests.support.registers import place

    now = timezone.now()
    m = meetings.plan_meeting(org.security_officer, title="专题会", level=Level.SECRET, plan="会前提醒",
                              venue=place(org, code="KP-P", kind="meeting_room", name="涉密会议室"),
                              starts_at=now + dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=2))  # fmt: skip
    offered = found(org.security_officer, "meetings.attendee", "st", meeting=m.pk)
    assert org.staff_secret.pk in offered and org.staff_confidential.pk not in offered
    assert found(org.security_officer, "meetings.attendee", "st") == []
