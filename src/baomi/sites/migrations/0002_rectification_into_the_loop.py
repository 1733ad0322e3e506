"""A place check keeps no rectification state of its own any more (SUP-1 整改, issue 16 §1): the
findings of every recorded check, their deadline and — where rectified — the date and the note
move into the rectification loop of inspections as a finding naming the check and its task
(owner: the place's responsible person), then the three columns go. Nothing is lost: an open
check's task is assigned with its deadline; a rectified one is verified on the day recorded,
with the note as the owner's report. Backwards, the columns are filled again from the loop."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone

ORIGIN = "sites.place_check"


def _moment(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12))) if day else timezone.now()


def into_the_loop(apps, schema_editor):
    PlaceCheck = apps.get_model("sites", "PlaceCheck")
    Finding = apps.get_model("inspections", "Finding")
    Task = apps.get_model("inspections", "RectificationTask")
    for chk in PlaceCheck.objects.filter(status__in=["findings", "rectified"]).select_related("place").order_by("pk"):
        if Finding.objects.filter(origin=ORIGIN, origin_id=chk.pk).exists():
            continue
        place = chk.place
        done = chk.status == "rectified"
        day = chk.checked_on or chk.planned_on
        finding = Finding.objects.create(
            run=None, origin=ORIGIN, origin_id=chk.pk, origin_url=f"/sites/checks/{chk.pk}/",
            origin_label=f"{place.name} {day.isoformat()} 检查", department_id=place.department_id,
            place=place.name[:200], severity="general", description=chk.findings or "（未记录问题描述）",
            status="closed" if done else "rectifying", recorded_by_id=chk.checker_id, recorded_at=_moment(day),
            closed_at=_moment(chk.rectified_on) if done else None,
        )
        Task.objects.create(
            finding=finding, owner_id=place.responsible_id, deadline=chk.rectify_by or chk.rectified_on or day,
            measures=chk.findings or "（未记录问题描述）", status="verified" if done else "assigned",
            report=chk.rectification if done else "", submitted_at=_moment(chk.rectified_on) if done else None,
            verified_at=_moment(chk.rectified_on) if done else None, created_by_id=chk.checker_id,
            created_at=_moment(day),
        )


def out_of_the_loop(apps, schema_editor):
    PlaceCheck = apps.get_model("sites", "PlaceCheck")
    Task = apps.get_model("inspections", "RectificationTask")
    for task in Task.objects.filter(finding__origin=ORIGIN).select_related("finding").order_by("pk"):
        PlaceCheck.objects.filter(pk=task.finding.origin_id).update(
            rectify_by=task.deadline, rectification=task.report,
            rectified_on=task.verified_at.date() if task.verified_at else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0001_initial"),
        ("inspections", "0003_finding_origin"),
    ]

    operations = [
        migrations.RunPython(into_the_loop, out_of_the_loop, elidable=False),
        migrations.RemoveField(model_name="placecheck", name="rectification"),
        migrations.RemoveField(model_name="placecheck", name="rectified_on"),
        migrations.RemoveField(model_name="placecheck", name="rectify_by"),
    ]
