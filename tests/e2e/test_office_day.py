"""An office day by clicking only (issue 13), in Chromium set to en-US at 1366×768: open a
carrier from each ledger, pick a person by typing two characters, type dates as 2026-12-06
with Chinese server messages and no browser bubbles, hand back carriers from the exit case,
acknowledge notices from the inbox. Screenshots ``office-*`` in test-artifacts/screenshots."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from baomi.carriers import services
from baomi.carriers.models import Carrier
from baomi.core.levels import Level
from baomi.personnel import services as personnel
from tests.carriers.factories import make_carrier, make_item
from tests.classification.conftest import determine
from tests.e2e.conftest import login, pick
from tests.personnel.factories import onboarded, today
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username, PASSWORD)
    page.wait_for_selector("text=退出")


def test_dates_and_picker_in_an_en_us_browser(page, org, shot):
    """The register form: the date box says 2026-12-06 whatever the locale, a wrong date gets
    the server's Chinese message (no English bubble), the custodian is found by typing two
    letters and the list offers only people cleared for the item."""
    item = make_item(org, scope=[org.case_handler])
    assert page.evaluate("navigator.language") == "en-US"
    as_user(page, "security_officer")
    page.click("nav.mainnav summary:has-text('载体管理')")
    page.click("nav.mainnav a:has-text('我的载体')")
    page.click("main a:has-text('登记载体')")
    made_on = page.locator("input[name=made_on]")
    assert made_on.get_attribute("type") == "text"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", made_on.input_value())
    page.select_option("select[name=item]", str(item.pk))
    pick(page, "custodian", "st", "staff_secret（staff_secret）")
    page.fill("input[name=storage_place]", "办公室保密柜A-01")
    made_on.fill("12/06/2026")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=请按“年-月-日”填写日期")
    assert page.evaluate("Array.from(document.forms).every(f => f.noValidate)")
    shot(page, "office-date-message-en-US")
    page.fill("input[name=made_on]", dt.date.today().isoformat())
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages .msg.success")
    assert Carrier.objects.filter(item=item, custodian=org.staff_secret).exists()
    shot(page, "office-registered")


def test_open_a_carrier_from_each_ledger(page, org, shot):
    carrier = make_carrier(org, Level.SECRET, custodian=org.dept_head)
    as_user(page, "dept_head")
    for tab in ("单位台账", "部门台账", "个人台账"):
        page.click("nav.mainnav summary:has-text('载体管理')")
        page.click("nav.mainnav a:has-text('涉密载体台账')")
        page.click(f"nav.ledger-tabs a:has-text('{tab}')")
        page.click(f"main table a:has-text('{carrier.registry_number}')")
        page.wait_for_selector(
            f"h1:has-text('{carrier.registry_number}'), main :text('{carrier.registry_number}')"
        )
        assert f"/carriers/{carrier.pk}/" in page.url, tab
    shot(page, "office-carrier-from-ledger")


def test_hand_back_from_the_exit_case_and_the_inbox(page, org, shot):
    """PER-5: the person leaving sees in their inbox what to hand back; the security office
    registers the return from the exit case by clicking, and the list empties."""
    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret, scope=[org.case_handler])
    loan = services.request_loan(org.case_handler, carrier, place="阅文室", due_on=today() + dt.timedelta(days=3),
                                 reason="学习")  # fmt: skip
    services.approve_loan(org.unit_head, loan)
    determine(org, scope_users=[org.case_handler])
    file = onboarded(org.security_officer, org.case_handler)
    case = personnel.start_exit(org.security_officer, file, approved_on=today())

    as_user(page, "case_handler")
    page.click("header a.inbox-link")
    page.wait_for_selector("h1:has-text('收件箱')")
    page.wait_for_selector(f"#inbox-reminders :text('{carrier.registry_number}')")
    page.check("input[data-check-all=notice]")
    shot(page, "office-inbox")
    page.click("button:has-text('确认所选通知')")
    page.wait_for_selector("text=没有待确认的通知")

    as_user(page, "security_officer")
    page.goto(page.base_url + f"/personnel/exits/{case.pk}/")
    assert "<" not in page.title()
    shot(page, "office-exit-case")
    page.click(f"#outstanding tr:has-text('{carrier.registry_number}') a:has-text('登记归还')")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/personnel/exits/{case.pk}/")
    page.wait_for_selector(".messages .msg.success")
    assert carrier.registry_number not in page.inner_text("main .grid-2")
    shot(page, "office-exit-case-handed-back")
    carrier.refresh_from_db()
    assert carrier.holder_id is None


DEMO_ROLES = [
    "secofficer",
    "zhangwei",
    "lina",
    "wangfang",
    "liuyang",
    "chenjing",
    "zhaolei",
    "sysadmin",
    "auditor",
]


def test_every_demo_role_opens_its_inbox_and_sees_only_menus_it_can_use(page, shot, settings):
    """Each demo role, by clicking: the header's inbox link opens the inbox (count, to-dos,
    reminders, notices); the 三员 system administrator and auditor and the uncleared temporary
    worker have no carrier ledgers (a department head among them still has the approvals)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from baomi.kit import demo
    from baomi.kit.demo import DEMO_PASSWORD

    demo.load()
    for username in DEMO_ROLES:
        page.context.clear_cookies()
        login(page, username, DEMO_PASSWORD)
        page.wait_for_selector("text=退出")
        entries = set(page.locator("nav.mainnav a").all_text_contents())
        ledgers = {"涉密载体台账", "我的载体"} <= entries
        assert ledgers == (username not in ("sysadmin", "auditor", "zhaolei")), (username, entries)
        page.click("header a.inbox-link")
        page.wait_for_selector("h1:has-text('收件箱')")
        assert page.locator("#inbox-todo").is_visible() and page.locator("#inbox-notices").is_visible()
        shot(page, f"office-inbox-{username}")
