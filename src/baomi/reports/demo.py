"""Demo annual report (SUP-14): this year's report drafted from the demo records by 周敏, with one
part of the text already written by hand, so the report page shows both."""

from __future__ import annotations

from django.utils import timezone

from baomi.accounts.models import User
from baomi.reports import services


def load() -> None:
    officer = User.objects.filter(username="secofficer").first()
    if officer is None:
        return
    report = services.draft_annual_report(officer, timezone.localdate().year)
    services.edit_annual_report(officer, report, {"responsibility": (
        "本单位党组坚持把保密工作纳入全局工作统筹谋划，主要负责人履行保密工作第一责任人职责，"
        "分管负责人具体抓，各部门负责人对本部门保密工作负直接领导责任。全年召开保密委员会会议 2 次，"
        "研究部署保密重点工作，与各部门签订保密责任书。"
    )})  # fmt: skip
