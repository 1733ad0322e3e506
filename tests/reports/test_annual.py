"""The annual report (SUP-14, R-SITE-4): drafted from the records along the 13 areas of Art 58,
edited by the officer without losing the edits, downloaded as docx and GB/T 9704 PDF, registered
as a 工作秘密 item stored in the vault; every figure equals the statistics page of that year."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from baomi.access.errors import AccessDenied
from baomi.accounts import services as accounts
from baomi.accounts.choices import Role
from baomi.cli import main
from baomi.core.errors import Conflict
from baomi.reports import annual, services
from baomi.reports.events import ReportEvent
from baomi.reports.models import AnnualReport
from baomi.reports.statistics import Period, tables
from tests.reports.test_statistics import registry  # noqa: F401 - the hand-counted fixture
from tests.support.assertions import assert_audited

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def page_figures(client: Client, year: int) -> dict[str, list]:
    """What the statistics page shows for the year (its JSON twin)."""
    data = client.get("/api/v1/statistics/", {"year": year}).json()
    return {t["key"]: t["rows"] for t in data["tables"]}


def assert_report_equals_page(report: AnnualReport, user) -> None:
    api = Client()
    api.force_login(user)
    page = page_figures(api, report.year)
    for fig in report.figures:
        assert fig["rows"] == page[fig["key"]], fig["key"]
    assert {f["key"] for f in report.figures} == set(page)


def test_drafted_from_the_hand_counted_records(org, registry):  # noqa: F811
    """SUP-14: 13 areas; the carrier figures as counted by hand: 6 in the registry, 6 registered
    this year, one loan."""
    report = services.draft_annual_report(org.security_officer, YEAR)
    assert [s["key"] for s in report.sections] == [a.key for a in annual.AREAS] and len(report.sections) == 13
    carriers = next(s for s in report.sections if s["key"] == "carriers")
    assert "在册涉密载体 6 件" in carriers["text"] and "登记 6 件，借阅 1 次" in carriers["text"]
    assert_report_equals_page(report, org.security_officer)
    assert_audited(ReportEvent.ANNUAL_REPORT_DRAFTED, report, org.security_officer)


def test_redraft_never_overwrites_edited_prose_without_asking(org, registry):  # noqa: F811
    officer = org.security_officer
    report = services.draft_annual_report(officer, YEAR)
    services.edit_annual_report(officer, report, {"responsibility": "本单位党组高度重视保密工作。"})
    assert_audited(ReportEvent.ANNUAL_REPORT_EDITED, report, officer)
    with pytest.raises(Conflict, match="保密工作责任制落实情况"):
        services.draft_annual_report(officer, YEAR)
    kept = services.draft_annual_report(officer, YEAR, keep_edited=True)
    assert kept.sections[0]["text"] == "本单位党组高度重视保密工作。"
    replaced = services.draft_annual_report(officer, YEAR, overwrite=True)
    assert replaced.sections[0]["text"] == replaced.sections[0]["draft"]


def test_downloads_in_the_official_layout(org, registry):  # noqa: F811
    """SUP-14: the docx is editable Word with the 份号, the mark 「内部」, the title and the areas;
    the PDF carries the same, page numbers — 1 —, and each download is audited (份号 = entry)."""
    officer = org.security_officer
    report = services.draft_annual_report(officer, YEAR)
    data, name = services.export_annual_report(officer, report, "docx")
    entry = assert_audited(ReportEvent.ANNUAL_REPORT_EXPORTED, report, officer)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert name == f"annual-report-{YEAR}.docx"
    assert (
        entry.details["number"] in text
        and "内部" in text
        and f"本单位关于{YEAR}年度保密工作情况的报告" in text
    )
    assert "一、保密工作责任制落实情况" in text and "十三、泄密事件查处和奖惩情况" in text
    assert "同级保密行政管理部门：" in text and "附件" in text
    pdf, _name = services.export_annual_report(officer, report, "pdf")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert "内部" in pages[0] and "— 1 —" in pages[0] and "本单位文件" in pages[0]


def test_only_the_officer_writes_it_the_unit_head_reads_it(org, registry):  # noqa: F811
    """SUP-14: the officer drafts and edits; the unit head reads; nobody else opens it."""
    from baomi.access import policy

    assert policy.can(org.security_officer, "reports.annual") and policy.can(org.unit_head, "reports.annual")
    assert not policy.can(org.staff_secret, "reports.annual") and not policy.can(
        org.auditor, "reports.annual"
    )
    report = services.draft_annual_report(org.security_officer, YEAR)
    with pytest.raises(AccessDenied):
        services.edit_annual_report(org.unit_head, report, {"responsibility": "x"})
    services.export_annual_report(org.unit_head, report, "pdf")
    for user in (org.staff_secret, org.auditor, org.dept_head):
        with pytest.raises(AccessDenied):
            services.export_annual_report(user, report, "pdf")


def test_registered_as_a_work_secret_in_the_vault(org, registry):  # noqa: F811
    """SUP-14: registering proposes a 工作秘密 item (mark 「内部」, never ★) and stores the PDF
    encrypted; a registered report no longer changes. Registering needs the case-handler role."""
    from baomi.vault import services as vault

    officer = org.security_officer
    report = services.draft_annual_report(officer, YEAR)
    with pytest.raises(AccessDenied):
        services.register_annual_report(officer, report)
    accounts.assign_role(None, officer, Role.CASE_HANDLER, bootstrap=True)
    officer.forget_roles()
    report = services.register_annual_report(officer, report)
    assert (
        report.item.level == "work_secret"
        and report.item.mark_text() == "内部"
        and "★" not in report.mark_text()
    )
    with vault.open_stream(officer, report.pdf, target=report) as stream:
        assert stream.read(5) == b"%PDF-"
    assert_audited(ReportEvent.ANNUAL_REPORT_REGISTERED, report, officer)
    with pytest.raises(Conflict):
        services.edit_annual_report(officer, report, {"responsibility": "x"})
    with pytest.raises(Conflict):
        services.draft_annual_report(officer, YEAR, overwrite=True)


def test_pages_and_button(org, registry):  # noqa: F811
    c = Client()
    c.force_login(org.security_officer)
    assert "按记录起草" in c.get(reverse("reports:annual")).content.decode()
    r = c.post(reverse("reports:annual-draft"), {"year": YEAR})
    assert r.status_code == 302
    page = c.get(reverse("reports:annual-report", args=[YEAR])).content.decode()
    assert "涉密载体管理情况" in page and "内部" in page
    c.post(reverse("reports:annual-report", args=[YEAR]), {"text-regulations": "制定了保密工作细则。"})
    page = c.get(reverse("reports:annual-report", args=[YEAR])).content.decode()
    assert "制定了保密工作细则。" in page and "保留我修改的文字" in page
    r = c.post(reverse("reports:annual-draft"), {"year": YEAR})
    assert "已经修改" in c.get(r.url).content.decode()
    c.post(reverse("reports:annual-draft"), {"year": YEAR, "edited": "keep"})
    assert AnnualReport.objects.get(year=YEAR).sections[1]["text"] == "制定了保密工作细则。"
    r = c.get(reverse("reports:annual-download", args=[YEAR, "docx"]))
    assert r.status_code == 200 and r["Content-Disposition"].endswith(f'annual-report-{YEAR}.docx"')
    assert c.post(reverse("reports:annual-draft"), {"year": 1990}).status_code == 302
    staff = Client()
    staff.force_login(org.staff_secret)
    assert staff.get(reverse("reports:annual-report", args=[YEAR])).status_code == 404


def test_cli(org, registry, tmp_path, capsys):  # noqa: F811
    assert (
        main(["report", "annual", "--as", "security_officer", "--year", str(YEAR), "--out", str(tmp_path)])
        == 0
    )
    assert (tmp_path / f"annual-report-{YEAR}.docx").exists() and (
        tmp_path / f"annual-report-{YEAR}.pdf"
    ).exists()
    out = tmp_path / "s.xlsx"
    assert (
        main(["report", "statistics", "--as", "security_officer", "--year", str(YEAR), "--out", str(out)])
        == 0
    )
    assert out.read_bytes()[:2] == b"PK"
    assert (
        main(["report", "annual", "--as", "staff_secret", "--year", str(YEAR), "--out", str(tmp_path)]) == 1
    )


def test_the_demo_report_equals_the_demo_statistics(settings):
    """SUP-14: on the demo, every figure of the report equals the statistics page of the year."""
    from baomi.accounts.models import User
    from baomi.kit import demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load()
    officer = User.objects.get(username="secofficer")
    report = AnnualReport.objects.filter(year=YEAR).first() or services.draft_annual_report(officer, YEAR)
    assert_report_equals_page(report, officer)
    expected = {t.key: annual.snapshot(t)["rows"] for t in tables(officer, Period.year(YEAR))}
    assert {f["key"]: f["rows"] for f in report.figures} == expected
