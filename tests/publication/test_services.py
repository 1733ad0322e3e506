"""Publication review through the services (SUP-3, R-PUB-1..4): submission and screening,
the two review stages, redaction, referral, the publication gate, deadlines, re-assessment."""

from __future__ import annotations

from datetime import timedelta

import pytest

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.classification.models import CalendarDay, Item
from baomi.core.errors import InvalidTransition, NotFound, ValidationFailed
from baomi.publication import registry, selectors, services
from baomi.publication.events import PublicationEvent
from baomi.publication.models import Hit
from tests.publication.factories import (
    SECRET_POINT,
    SECRET_TITLE,
    docx_bytes,
    make_item,
    pdf_bytes,
    submit,
    to_office,
    today,
    upload,
    xlsx_bytes,
)
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db


def kinds(req):
    return sorted(h.kind for h in selectors.latest_run(req).hits.all())


def test_submission_is_screened_against_the_registry(org):
    """Marks, a classified title, a 密点, a document number and personal information are found on
    submission; the audit entry has counts, never the title (SUP-3, CAR-2)."""
    item = make_item(org)
    text = (f"根据{SECRET_TITLE}，现将有关情况通报如下（办〔2026〕9号）。{SECRET_POINT}另行通知。"
            "本页标注机密★10年。联系人身份证11010519491231002X，手机13812345678。")  # fmt: skip
    since = last_audit_id()
    req = submit(org.staff_confidential, text)
    assert req.status == "dept_review"
    assert kinds(req) == ["document_number", "id_number", "mark", "phone", "secret_point", "title"]
    hit = Hit.objects.get(run__request=req, kind="title")
    assert (hit.item_id, hit.match_level, hit.shown) == (item.pk, "secret", "")
    entry = assert_audited(PublicationEvent.PUBLICATION_SCREENED, req, org.staff_confidential, since=since)
    assert entry.details["kinds"]["title"] == 1
    assert SECRET_TITLE not in str(entry.details) and entry.target_label == req.number
    assert_audited(PublicationEvent.PUBLICATION_SUBMITTED, req, org.staff_confidential, since=since)


def test_text_and_files_are_encrypted_in_the_vault(org):
    """The text and attachments are vault blobs, read back only through the vault (rule 3)."""
    req = submit(org.staff_confidential, "公开文本。", uploads=[upload("说明.txt", "附件正文".encode())])
    assert req.text_blob is not None and req.text_blob.size == len("公开文本。".encode())
    att = req.attachments.get()
    assert att.blob_id != att.text_blob_id and att.text_chars == 4
    assert selectors.request_text(org.staff_confidential, req) == "公开文本。"


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("方案.docx", lambda t: docx_bytes("第一段", t)),
        ("报表.xlsx", lambda t: xlsx_bytes([["项目", "说明"], ["一", t]])),
        ("通报.pdf", pdf_bytes),
        ("说明.txt", lambda t: t.encode("gb18030")),
    ],
)
def test_attachment_text_is_extracted_and_screened(org, name, make):
    """docx, xlsx, pdf and txt (also GB 18030) are read by their libraries and screened (SUP-3)."""
    make_item(org, title="关于专项工作调度会议的纪要", points="")
    req = submit(org.staff_confidential, "", uploads=[upload(name, make("关于专项工作调度会议的纪要"))])
    hit = Hit.objects.get(run__request=req, kind="title")
    assert hit.source == "attachment" and hit.attachment.name == name


def test_an_unreadable_file_is_kept_and_flagged(org):
    """A damaged file is stored and shown as unreadable, for review by eye (SUP-3)."""
    req = submit(org.staff_confidential, "", uploads=[upload("坏文件.docx", b"not a zip")])
    att = req.attachments.get()
    assert att.extraction_error and att.text_blob is None
    assert kinds(req) == ["unreadable"]


def test_bad_input_is_refused_with_a_message(org):
    with pytest.raises(ValidationFailed) as exc:
        submit(org.staff_confidential, "", uploads=[upload("旧格式.doc", b"x")])
    assert "txt" in str(exc.value)
    with pytest.raises(ValidationFailed):
        submit(org.staff_confidential, "   ")
    with pytest.raises(ValidationFailed):
        submit(org.staff_confidential, intended_on=today() - timedelta(days=1))
    with pytest.raises(ValidationFailed):
        submit(org.staff_confidential, title=" ")


def test_deadlines_count_working_days_on_the_holiday_calendar(org):
    """20 working days for proactive disclosure, skipping weekends and listed holidays (R-PUB-3)."""
    from baomi.classification import workdays

    start = today() - timedelta(days=2)
    plain = workdays.add_working_days(start, 20)
    CalendarDay.objects.create(day=plain - timedelta(days=1) if plain.weekday() else plain - timedelta(days=3),
                               kind="holiday", name="测试假日")  # fmt: skip
    req = submit(org.staff_confidential, formed_on=start)
    assert req.due_on == workdays.add_working_days(start, 20) and req.due_on > plain
    corr = submit(org.staff_confidential, formed_on=start, deadline_kind="correction")
    assert corr.due_on == workdays.add_working_days(start, 7)
    assert submit(org.staff_confidential, deadline_kind="none").due_on is None


def test_department_then_office_then_publication_of_the_approved_digest(org):
    """先审后发: department agrees, the office approves and freezes the version; only the approved
    file may be recorded as published (R-PUB-1)."""
    text = "本单位2026年一季度政务服务工作情况通报。"
    req = submit(org.staff_confidential, text)
    assert req.status == "dept_review"
    req = to_office(org, req)
    assert req.status == "office_review"
    req = services.decide_request(
        org.security_officer, req, outcome="approve", reasons="经审查不涉密，同意公开。"
    )
    assert req.status == "approved"
    version = req.approved_version
    part = version.parts.get()
    assert part.digest == services.digest_of(text.encode(), version.algorithm)
    assert selectors.version_run(req).total == 0
    since = last_audit_id()
    with pytest.raises(ValidationFailed) as exc:
        services.record_publication(org.staff_confidential, req, where="门户网站", published_on=today(),
                                    upload=upload("x.txt", (text + "（修改）").encode()))  # fmt: skip
    assert exc.value.code == "digest_mismatch"
    assert_audited(
        PublicationEvent.PUBLICATION_BLOCKED, req, org.staff_confidential, outcome="refused", since=since
    )
    req.refresh_from_db()
    assert req.status == "approved"
    rec = services.record_publication(org.staff_confidential, req, where="门户网站/政务公开", published_on=today(),
                                      upload=upload("x.txt", text.encode()))  # fmt: skip
    req.refresh_from_db()
    assert req.status == "published" and rec.part == part
    # The same version again, elsewhere, by digest.
    services.record_publication(
        org.security_officer, req, where="政务新媒体", published_on=today(), digest=version.digest
    )
    assert req.publications.count() == 2


def test_a_state_secret_is_never_approved_as_it_stands(org):
    """A hit on a state secret blocks a plain approval (R-PUB-2 Art 14); a clean redacted version
    passes; a redacted version that still holds a hit does not."""
    make_item(org)
    req = to_office(org, submit(org.staff_confidential, f"附：{SECRET_TITLE}的主要内容。"))
    with pytest.raises(ValidationFailed) as exc:
        services.decide_request(org.security_officer, req, outcome="approve", reasons="同意")
    assert "R-PUB-2" in str(exc.value)
    req.refresh_from_db()
    assert req.status == "office_review" and req.approved_version is None
    with pytest.raises(ValidationFailed):
        services.decide_request(org.security_officer, req, outcome="approve_redacted", reasons="删除涉密内容后公开",
                                redacted_text=f"附：{SECRET_TITLE}（已删节）。")  # fmt: skip
    req = services.decide_request(org.security_officer, req, outcome="approve_redacted", reasons="删除涉密内容后公开",
                                  redacted_text="附件内容已删除，仅公开工作进展。")  # fmt: skip
    assert req.status == "approved" and req.approved_version.redacted
    assert req.decisions.last().outcome == "approve_redacted"


def test_a_work_secret_or_personal_information_may_be_approved_with_reasons(org):
    make_item(org, "work_secret", title="内部通讯录编制工作安排", points="")
    req = to_office(org, submit(org.staff_confidential, "内部通讯录编制工作安排已完成。"))
    req = services.decide_request(
        org.security_officer, req, outcome="approve", reasons="已脱敏，不属于工作秘密内容。"
    )
    assert req.status == "approved"


def test_refusal_needs_a_ground_and_withheld_information_is_reassessed(org):
    """Refused with reasons and ground (R-PUB-2 Art 37); re-assessed periodically (Art 18)."""
    req = to_office(org, submit(org.staff_confidential))
    with pytest.raises(ValidationFailed):
        services.decide_request(org.security_officer, req, outcome="refuse", reasons="涉及内部事务")
    req = services.decide_request(
        org.security_officer, req, outcome="refuse", reasons="属内部事务信息", ground="internal"
    )
    assert req.status == "withheld" and req.next_reassess_on > today()
    req = services.reassess_withheld(org.security_officer, req, release=False, reasons="情况未变化")
    assert req.status == "withheld" and req.decisions.last().outcome == "keep_withheld"
    req = services.reassess_withheld(org.security_officer, req, release=True, reasons="事项已办结，可以公开")
    assert req.status == "office_review" and req.next_reassess_on is None
    services.decide_request(org.security_officer, req, outcome="approve", reasons="可以公开")


def test_department_refusal_withholds(org):
    req = services.review_department(org.dept_head, submit(org.staff_confidential), agree=False,
                                     reasons="涉及个人隐私", ground="privacy")  # fmt: skip
    assert req.status == "withheld"
    assert_audited(PublicationEvent.PUBLICATION_DECIDED, req, org.dept_head)


def test_unsure_cases_are_referred_and_the_answer_recorded(org):
    """R-PUB-2 Art 17: refer to the competent department or the secrecy bureau, then decide."""
    req = to_office(org, submit(org.staff_confidential))
    ref = services.refer_request(org.security_officer, req, referred_to="secrecy_bureau", authority="市国家保密局",
                                 question="该统计数据是否属于国家秘密？")  # fmt: skip
    req.refresh_from_db()
    assert req.status == "referred"
    with pytest.raises(InvalidTransition):
        services.decide_request(org.security_officer, req, outcome="approve", reasons="同意")
    services.record_referral_answer(
        org.security_officer, req, answer="不属于国家秘密，可以公开。", reference="保函〔2026〕3号"
    )
    req.refresh_from_db()
    ref.refresh_from_db()
    assert req.status == "office_review" and ref.answered_by == org.security_officer
    assert_audited(PublicationEvent.PUBLICATION_REFERRAL_ANSWERED, req, org.security_officer)


def test_nobody_reviews_their_own_request(org):
    """SEC-2, SUP-3: the head's own request skips to a reviewer other than the head; the security
    officer cannot decide their own; refusals look like not found and are audited."""
    req = submit(org.dept_head)
    assert req.status == "dept_review"  # the department's secrecy officer reviews it
    with pytest.raises(NotFound):
        services.review_department(org.dept_head, req, agree=True, reasons="同意")
    services.review_department(org.staff_secret, req, agree=True, reasons="同意")
    own = submit(org.security_officer)
    assert own.status == "office_review"  # 保密办 has no other departmental reviewer
    since = last_audit_id()
    with pytest.raises(NotFound):
        services.decide_request(org.security_officer, own, outcome="approve", reasons="同意")
    assert_audited(AuditEvent.ACCESS_DENIED, own, org.security_officer, since=since)


def test_others_cannot_act(org):
    req = submit(org.staff_confidential)
    for user in (org.staff_other_dept, org.outsider):
        with pytest.raises(NotFound):
            services.review_department(user, req, agree=True, reasons="同意")
    with pytest.raises(NotFound):
        services.withdraw_request(org.dept_head, req)
    with pytest.raises(NotFound):
        services.decide_request(org.dept_head, to_office(org, req), outcome="approve", reasons="同意")


def test_withdrawal_and_reply_deadline_extension(org):
    """The submitter withdraws; the reply deadline is extended once, with the leaders' approval
    (R-PUB-3 Art 33)."""
    req = submit(org.staff_confidential, deadline_kind="reply")
    before = req.due_on
    with pytest.raises(NotFound):
        services.extend_deadline(org.staff_confidential, req, days=20, reason="需征求第三方意见")
    req = services.extend_deadline(org.unit_head, req, days=20, reason="需征求第三方意见")
    assert req.due_on > before and req.extension_days == 20
    with pytest.raises(ValidationFailed):
        services.extend_deadline(org.leading_group, req, days=5, reason="再次延期")
    with pytest.raises(ValidationFailed):
        services.extend_deadline(
            org.unit_head, submit(org.staff_confidential), days=5, reason="主动公开不可延期"
        )
    req = services.withdraw_request(org.staff_confidential, req, reason="不再公开")
    assert req.status == "withdrawn"


def test_the_matcher_follows_the_registry(org):
    """Built once; a new item is found at the next screening; a lifted item's hit is dropped
    (SUP-3: refreshed when the registry changes)."""
    first = make_item(org, title="关于甲项目试点工作的安排", points="")
    req = submit(org.staff_confidential, "关于甲项目试点工作的安排；关于乙项目试点工作的安排。")
    assert kinds(req) == ["title"]
    built = registry.stats()["builds"]
    second = make_item(org, title="关于乙项目试点工作的安排", points="", reference="")
    run = services.rescreen_request(org.dept_head, req)
    assert sorted(h.item_id for h in run.hits.all()) == [first.pk, second.pk]
    assert (
        registry.stats()["builds"] == built and registry.stats()["delta"]["terms"] == 1
    )  # a delta, no rebuild
    Item.objects.filter(pk=first.pk).update(status="declassified")
    run = services.rescreen_request(org.dept_head, req)
    assert [h.item_id for h in run.hits.all()] == [second.pk]


def test_keywords_are_screened_and_refreshed(org):
    """The security officer's keyword list (SUP-3 (e)); switching one off stops its hits."""
    req = submit(org.staff_confidential, "关于天网工程的宣传稿。")
    assert kinds(req) == []
    kw = services.add_keyword(org.security_officer, text="天网工程", note="项目代号")
    assert kinds(submit(org.staff_confidential, "关于天网工程的宣传稿。")) == ["keyword"]
    services.change_keyword(org.security_officer, kw, active=False)
    assert kinds(submit(org.staff_confidential, "关于天网工程的宣传稿。")) == []
    with pytest.raises(NotFound):
        services.add_keyword(org.dept_head, text="其他")
    entry = assert_audited(PublicationEvent.KEYWORD_ADDED, kw, org.security_officer)
    assert "天网" not in str(entry.details)


def test_registry_numbers_are_checked_against_the_carrier_registry(org):
    from tests.carriers.factories import make_carrier

    carrier = make_carrier(org, "secret")
    req = submit(org.staff_confidential, f"请将{carrier.registry_number}号载体和2020-纸-999999号载体清退。")
    hits = list(selectors.latest_run(req).hits.filter(kind="registry_number"))
    assert [h.carrier_id for h in hits] == [carrier.pk]


def test_reminders_are_raised_once_per_due_date(org):
    req = submit(org.staff_confidential, formed_on=today() - timedelta(days=60))
    assert req.due_on < today()
    assert services.raise_reminders()["reminders"] == 1
    assert services.raise_reminders()["reminders"] == 0
    assert (
        AuditEntry.objects.filter(
            event=int(PublicationEvent.PUBLICATION_REMINDED), target_id=str(req.pk)
        ).count()
        == 1
    )
