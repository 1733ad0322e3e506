"""Data assets UI (SUP-8): the register, a data set's page with its assessments and the
aggregation-risk review."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from baomi.access.policy import can
from baomi.dataassets import forms, selectors, services
from baomi.dataassets.choices import AggregationReview, AssetStatus, DataCategory, DataGrade
from baomi.registers.pages import (
    Action,
    action_panels,
    cell,
    filter_spec,
    handle_action,
    link_if,
    list_page,
    need,
    page,
    person,
    submit,
    yes_no,
)

GRADE_BADGE: dict[str, str] = {DataGrade.CORE: "bad", DataGrade.IMPORTANT: "warn", DataGrade.GENERAL: ""}
AGG_BADGE: dict[str, str] = {AggregationReview.PENDING: "warn", AggregationReview.MANAGE_AS_SECRET: "bad"}


def _due(day: Any) -> Any:
    if day is None:
        return cell(None)
    today = timezone.localdate()
    return cell(day, badge="bad" if day < today else ("warn" if (day - today).days <= 30 else ""))


def _subnav() -> list[tuple[str, str, str]]:
    return [("assets", _("Data assets"), reverse("dataassets:list")),
            ("due", _("Assessments due"), reverse("dataassets:list") + "?due=1"),
            ("aggregation", _("Aggregation risk"), reverse("dataassets:list") + "?aggregation=pending")]  # fmt: skip


def _export(request: HttpRequest) -> Any:
    def call(*, title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
        return services.export_register(
            request.user, title=title, headers=headers, rows=rows, register="assets"
        )

    return call


@page
def asset_list(request: HttpRequest) -> HttpResponse:
    need(request, "data_browse")
    g, u = request.GET, request.user
    qs = selectors.due(u) if g.get("due") else selectors.assets(u, q=g.get("q", "").strip(), grade=g.get("grade", ""),
                                                                category=g.get("category", ""),
                                                                aggregation=g.get("aggregation", ""))  # fmt: skip
    rows = [[link_if(u, a, "dataassets:asset", a.code), link_if(u, a, "dataassets:asset"), a.get_category_display(),
             cell(a.get_grade_display(), badge=GRADE_BADGE.get(a.grade, "")), a.department.name, person(a.owner),
             person(a.officer), link_if(u, a.system, "systems:system"), yes_no(a.personal_information),
             cell(a.get_aggregation_display(), badge=AGG_BADGE.get(a.aggregation, "")), _due(a.next_assessment_on),
             a.get_status_display()] for a in qs[:500]]  # fmt: skip
    headers = [_("Code"), _("Name"), pgettext("registers", "Category"), _("Data grade"), _("Owning department"), _("Owner"),
               _("Data security officer"), _("System holding it"), _("Personal information"), _("Aggregation risk"),
               _("Next risk assessment due"), _("Status")]  # fmt: skip
    sub = "due" if g.get("due") else ("aggregation" if g.get("aggregation") else "assets")
    new = [(_("Register a data asset"), reverse("dataassets:new"))] if can(u, "data_manage") else []
    return list_page(request, title=_("Data assets"), headers=headers, rows=rows, count=qs.count(),
                     export=_export(request), filename="data-assets.xlsx", search=_("Name or code"),
                     filters=[filter_spec("grade", _("Data grade"), DataGrade.choices, g.get("grade", "")),
                              filter_spec("category", pgettext("registers", "Category"), DataCategory.choices, g.get("category", ""))],
                     new_links=new, subnav=_subnav(), sub=sub)  # fmt: skip


@page
def asset_new(request: HttpRequest) -> HttpResponse:
    need(request, "data_manage")
    form = forms.AssetForm(request.POST or None, viewer=request.user)
    asset = submit(request, form, lambda d: services.register_asset(request.user, **d),
                   _("The data asset was registered."))  # fmt: skip
    if asset:
        return redirect("dataassets:asset", pk=asset.pk)
    return render(request, "registers/form.html", {"title": _("Register a data asset"), "form": form,
                  "back": reverse("dataassets:list"), "subnav": _subnav(), "sub": "assets"})  # fmt: skip


ACTIONS = [
    Action("assess", gettext_lazy("Record a risk assessment"), "assess",
           lambda u, a, d: services.record_assessment(u, a, **d), gettext_lazy("The assessment was recorded."),
           form=forms.AssessmentForm, button=gettext_lazy("Record"), when=lambda a: a.status == AssetStatus.ACTIVE),
    Action("flag", gettext_lazy("Flag an aggregation risk"), "flag_aggregation",
           lambda u, a, d: services.flag_aggregation(u, a, **d), gettext_lazy("The risk was flagged for review."),
           form=forms.NoteForm, button=gettext_lazy("Flag"),
           note=gettext_lazy("Data that becomes a state secret once aggregated or correlated is managed as such (R-DATA-7)."),
           when=lambda a: a.aggregation in (AggregationReview.NONE, AggregationReview.NOT_SECRET)),
    Action("review", gettext_lazy("Review the aggregation risk"), "review_aggregation",
           lambda u, a, d: services.review_aggregation(u, a, **d), pgettext_lazy("registers", "The review was recorded."),
           form=forms.ReviewForm, button=gettext_lazy("Decide"), when=lambda a: a.aggregation == AggregationReview.PENDING),
    Action("edit", gettext_lazy("Change the data asset"), "manage", lambda u, a, d: services.change_asset(u, a, **d),
           gettext_lazy("The data asset was changed."), form=forms.AssetForm, button=gettext_lazy("Save"),
           form_kwargs=lambda u, a: {"viewer": u, "edit": True},
           initial=lambda a: {"category": a.category, "grade": a.grade, "owner": a.owner_id, "officer": a.officer_id,
                              "system": a.system_id, "measures": a.measures, "processors": a.processors,
                              "records": a.records, "personal_information": a.personal_information, "note": a.note},
           when=lambda a: a.status == AssetStatus.ACTIVE),
    Action("retire", gettext_lazy("Retire"), "manage", lambda u, a, d: services.retire_asset(u, a, **d),
           gettext_lazy("The data asset was retired."), form=forms.ReasonForm, button=gettext_lazy("Retire"),
           danger=True, when=lambda a: a.status == AssetStatus.ACTIVE),
]  # fmt: skip


@page
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = selectors.get_asset(request.user, pk)
    u = request.user
    facts = [(_("Code"), cell(a.code)), (pgettext("registers", "Category"), cell(a.get_category_display())),
             (_("Data grade"), cell(a.get_grade_display(), badge=GRADE_BADGE.get(a.grade, ""))),
             (_("Owning department"), cell(a.department.name)), (_("Owner"), person(a.owner)),
             (_("Data security officer"), person(a.officer)), (_("System holding it"), link_if(u, a.system,
             "systems:system")), (_("Protective measures"), cell(a.measures)), (_("Processors"), cell(a.processors)),
             (_("Number of records"), cell(a.records)), (_("Personal information"), yes_no(a.personal_information)),
             (_("Aggregation risk"), cell(a.get_aggregation_display(), badge=AGG_BADGE.get(a.aggregation, ""))),
             (_("Aggregation review"), cell(a.aggregation_note)), (_("Next risk assessment due"),
             _due(a.next_assessment_on)), (_("Note"), cell(a.note))]  # fmt: skip
    rows = [[cell(x.assessed_on), x.assessor, x.get_outcome_display(), cell(x.reported_on), cell(x.next_due_on),
             cell(x.findings[:80])] for x in selectors.assessments_of(u, a)]  # fmt: skip
    sections = [{"title": _("Risk assessments"), "headers": [_("Assessed on"), _("Assessed by"), _("Outcome"),
                 _("Reported to the authority on"), pgettext("registers", "Next due"), pgettext("registers", "Findings")], "rows": rows,
                 "empty": _("No assessment recorded.")}]  # fmt: skip
    alerts = []
    if a.aggregation == AggregationReview.MANAGE_AS_SECRET:
        alerts.append(
            _("To be managed as a state secret: keep it only on a classified information system (R-DATA-7).")
        )
    ctx = {"title": f"{a.name}（{a.code}）", "status": cell(a.get_status_display()), "facts": facts, "sections": sections,
           "alerts": alerts, "subnav": _subnav(), "sub": "assets",
           **action_panels(request, a, ACTIONS, "dataassets:asset-action")}  # fmt: skip
    return render(request, "registers/detail.html", ctx)


@page
def asset_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    a = selectors.get_asset(request.user, pk)
    handle_action(request, a, ACTIONS, action)
    return redirect("dataassets:asset", pk=a.pk)
