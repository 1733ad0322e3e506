"""Personnel UI: pages render in Chinese for the right people, refuse others like not found,
and never show a violation reporter to anyone but the security officer (PER-1..8)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.personnel import services
from tests.personnel.factories import carrier_for, onboarded, today, versions
from tests.support.assertions import assert_denied, last_audit_id


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_security_officer_pages_render(org):
    """Every personnel screen renders for the security officer (PER-1..8, OPS-1)."""
    so = org.security_officer
    file = onboarded(so, org.staff_secret, "important")
    case = services.start_exit(so, file, approved_on=today())
    report = services.file_violation_report(org.staff_confidential, kind="leak", description="疑似泄密")
    travel_file = onboarded(so, org.staff_confidential, "general")
    travel = services.request_travel(org.staff_confidential, traveller=org.staff_confidential, destination="日本",
                                     purpose="考察", departs_on=today(), returns_on=today())  # fmt: skip
    session = services.create_session(so, title="保密形势报告会", kind="lecture", held_on=today())
    c = client_for(so)
    for url in [reverse("personnel:list"), reverse("personnel:file", args=[file.pk]), reverse("personnel:due"),
                reverse("personnel:agreements"), reverse("personnel:training-list"), reverse("personnel:coverage"),
                reverse("personnel:training", args=[session.pk]), reverse("personnel:exit-list"),
                reverse("personnel:exit", args=[case.pk]), reverse("personnel:travel-list"),
                reverse("personnel:travel", args=[travel.pk]), reverse("personnel:sanctions"),
                reverse("personnel:report-list"), reverse("personnel:report", args=[report.pk]),
                reverse("personnel:report-new"), reverse("personnel:file-new"),
                reverse("personnel:file", args=[travel_file.pk]), "/"]:  # fmt: skip
        response = c.get(url)
        assert response.status_code == 200, url
        assert "涉密" in response.content.decode() or "保密" in response.content.decode(), url


def test_onboarding_through_the_ui(org):
    """The officer opens a file, records review, training and pledge, then grants clearance (PER-2)."""
    so, person = org.security_officer, org.staff_work_secret
    pledge, _ = versions(so)
    c = client_for(so)
    r = c.post(
        reverse("personnel:file-new"), {"user": person.pk, "category": "general", "secret_post": "档案员"}
    )
    file = person.personnel_file
    assert r.status_code == 302
    c.post(reverse("personnel:file-review", args=[file.pk]),
           {"kind": "pre_assignment", "result": "passed", "reviewed_on": today().isoformat()})  # fmt: skip
    r = c.post(reverse("personnel:file-clear", args=[file.pk]), follow=True)
    assert "准入尚未完成" in r.content.decode()
    session = services.create_session(so, title="岗前培训", kind="course", held_on=today())
    c.post(reverse("personnel:training", args=[session.pk]), {"user": person.pk})
    c.post(
        reverse("personnel:file-pledge", args=[file.pk]),
        {"version": pledge.pk, "signed_on": today().isoformat()},
    )
    r = c.post(reverse("personnel:file-clear", args=[file.pk]), follow=True)
    person.refresh_from_db()
    assert person.clearance == "confidential"


def test_exit_page_lists_outstanding_carriers(org):
    """The exit page lists what the person still holds and completion is refused (PER-5)."""
    so, person = org.security_officer, org.staff_secret
    file = onboarded(so, person, "important")
    carrier = carrier_for(person)
    case = services.start_exit(so, file, approved_on=today())
    c = client_for(so)
    page = c.get(reverse("personnel:exit", args=[case.pk])).content.decode()
    assert carrier.registry_number in page
    r = c.post(reverse("personnel:exit-step", args=[case.pk, "complete"]), follow=True)
    assert "尚不能完成" in r.content.decode()


@pytest.mark.parametrize("persona", ["staff_confidential", "sysadmin", "auditor", "staff_other_dept"])
def test_others_cannot_open_a_file(org, persona):
    """Forbidden looks like not found and is audited (CAR-3, PER-1)."""
    file = onboarded(org.security_officer, org.staff_secret, "important")
    user = getattr(org, persona)
    since = last_audit_id()
    assert_denied(client_for(user).get(reverse("personnel:file", args=[file.pk])), actor=user, since=since)


def test_person_sees_own_file_and_head_sees_department_summary(org):
    """A person sees their own file; a department head the department list, not the file (PER-1)."""
    file = onboarded(org.security_officer, org.staff_secret, "important")
    assert client_for(org.staff_secret).get(reverse("personnel:mine")).status_code == 302
    assert client_for(org.staff_secret).get(reverse("personnel:file", args=[file.pk])).status_code == 200
    head = client_for(org.dept_head)
    listing = head.get(reverse("personnel:list")).content.decode()
    assert "staff_secret" in listing
    assert head.get(reverse("personnel:file", args=[file.pk])).status_code == 404
    other = onboarded(org.security_officer, org.staff_other_dept, "general")
    assert "staff_other_dept" not in head.get(reverse("personnel:list")).content.decode()
    assert other.pk
    assert client_for(org.staff_confidential).get(reverse("personnel:list")).status_code == 404


def test_list_exports_csv(org):
    """Tables filter and export (PER-1)."""
    onboarded(org.security_officer, org.staff_secret, "important")
    r = client_for(org.security_officer).get(reverse("personnel:list") + "?export=csv&category=important")
    assert r["Content-Type"].startswith("text/csv")
    assert "staff_secret" in r.content.decode("utf-8-sig")


def test_reporter_identity_never_leaks(org):
    """The reporter is visible only to the security officer: not on pages of others, not in the
    audit details the auditor reads, not in an incident (PER-8)."""
    reporter = org.staff_confidential
    since = last_audit_id()
    r = client_for(reporter).post(reverse("personnel:report-new"),
                                  {"kind": "violation", "description": "有人用普通U盘拷贝涉密文件"})  # fmt: skip
    assert r.status_code == 302
    report = services.selectors.violation_reports(org.security_officer).get()
    # audit: no actor, no IP, nothing naming the reporter
    entries = AuditEntry.objects.filter(id__gt=since)
    for e in entries:
        blob = f"{e.actor_id} {e.actor_name} {e.target_label} {e.details} {e.ip}"
        assert reporter.username not in blob and str(reporter.pk) != str(e.actor_id)
    assert entries.filter(event=int(AuditEvent.VIOLATION_REPORTED)).get().actor_id is None
    # the officer sees the reporter
    so_page = (
        client_for(org.security_officer).get(reverse("personnel:report", args=[report.pk])).content.decode()
    )
    assert reporter.username in so_page
    so_list = client_for(org.security_officer).get(reverse("personnel:report-list")).content.decode()
    assert reporter.full_name in so_list
    # the reporter's own page does not print identity data either
    own = client_for(reporter).get(reverse("personnel:report", args=[report.pk])).content.decode()
    assert "仅保密办可见" not in own
    # others cannot see it at all
    for persona in ("auditor", "sysadmin", "dept_head", "unit_head", "staff_secret"):
        assert (
            client_for(getattr(org, persona)).get(reverse("personnel:report", args=[report.pk])).status_code
            == 404
        )
    # opening an incident names the officer, not the reporter
    services.handle_violation_report(org.security_officer, report, open_incident=True)
    report.refresh_from_db()
    assert report.incident.opened_by_id == org.security_officer.pk
    for e in AuditEntry.objects.filter(id__gt=since):
        assert reporter.username not in f"{e.actor_name} {e.details} {e.target_label}"


def test_review_attachment_is_encrypted_and_only_for_those_who_see_the_file(org):
    """Review attachments go to the vault; the officer and the person may download; the read is
    audited; others get not found (PER-2, CAR-2)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from baomi.personnel.models import Review

    so, person = org.security_officer, org.staff_secret
    file = services.open_file(so, person, category="general")
    upload = SimpleUploadedFile("审查表.pdf", "政审意见：同意".encode(), content_type="application/pdf")
    c = client_for(so)
    c.post(reverse("personnel:file-review", args=[file.pk]), {"kind": "pre_assignment", "result": "passed",
           "reviewed_on": today().isoformat(), "attachment": upload})  # fmt: skip
    review = Review.objects.get(file=file)
    blob = review.attachments.get()
    assert blob.size == len("政审意见：同意".encode())
    url = reverse("personnel:review-attachment", args=[review.pk, blob.pk])
    since = last_audit_id()
    body = b"".join(c.get(url).streaming_content)
    assert body.decode() == "政审意见：同意"
    assert AuditEntry.objects.filter(id__gt=since, event=int(AuditEvent.BLOB_READ)).exists()
    assert b"".join(client_for(person).get(url).streaming_content).decode() == "政审意见：同意"
    assert client_for(org.dept_head).get(url).status_code == 404
    assert (
        client_for(so).get(reverse("personnel:review-attachment", args=[review.pk, "nonsense"])).status_code
        == 404
    )


def test_the_training_gaps_and_the_coverage_rows_link_to_what_they_name(org):
    """R-DET-12, PER-4: on 到期事项 and 培训覆盖率 a role holder without current 定密 training links
    to their personnel file (one without a file is named, unlinked), and each department's row
    to the personnel list of that department."""
    so = org.security_officer
    with_file = onboarded(so, org.case_handler, "general")
    c = client_for(so)
    due = c.get(reverse("personnel:due")).content.decode()
    assert f'href="{reverse("personnel:file", args=[with_file.pk])}">{org.case_handler.full_name}</a>' in due
    assert f"<td>{org.authority_secret.full_name}</td>" in due  # no file: named, not linked
    coverage = c.get(reverse("personnel:coverage")).content.decode()
    assert (
        f'href="{reverse("personnel:file", args=[with_file.pk])}">{org.case_handler.full_name}</a>'
        in coverage
    )
    dept = org.case_handler.department
    assert f'href="{reverse("personnel:list")}?department={dept.pk}">{dept.name}</a>' in coverage
    listed = c.get(f"{reverse('personnel:list')}?department={dept.pk}").content.decode()
    assert org.case_handler.full_name in listed
