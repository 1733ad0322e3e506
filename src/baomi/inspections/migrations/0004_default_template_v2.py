"""Ship version 2 of the default checklist (SUP-1, issue 16 §8): the supervision registers'
measured checks (``default_template.REGISTER_ITEMS``) join their 实施条例 Art 58 areas.

As the project versions checklists: the new version copies the family's published version — the
shipped version 1, or the unit's own later version, so no edit is lost — adds each register item
it lacks, is published, and the version it copied is retired. Version 1 itself never changes;
runs opened on it keep it. Backwards, the shipped version is removed (if no run used it) and
the version it copied is published again."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

from baomi.inspections.default_template import AREAS, REGISTER_ITEMS, V2_NOTE

def forwards(apps, schema_editor):
    Template = apps.get_model("inspections", "Template")
    Area = apps.get_model("inspections", "Area")
    CheckItem = apps.get_model("inspections", "CheckItem")
    first = Template.objects.filter(is_default=True, version=1).first()
    if first is None:
        return
    base = (Template.objects.filter(family=first.family, status="published").order_by("-version").first()
            or first)  # fmt: skip
    if Template.objects.filter(is_default=True, version__gt=1).exists():
        return  # shipped already (copies the unit makes are never ``is_default``)
    version = (Template.objects.filter(family=first.family).aggregate(v=Max("version"))["v"] or 0) + 1
    note = V2_NOTE if base.pk == first.pk else base.note
    new = Template.objects.create(family=first.family, version=version, name=base.name, note=note,
                                  status="published", is_default=True, based_on=base, published_at=timezone.now())  # fmt: skip
    present = set()
    for area in Area.objects.filter(template=base).order_by("number"):
        copy = Area.objects.create(template=new, number=area.number, title=area.title)
        for i in CheckItem.objects.filter(area=area).order_by("number"):
            CheckItem.objects.create(area=copy, number=i.number, text=i.text, how_to_check=i.how_to_check,
                                     score=i.score, evidence_required=i.evidence_required, probe=i.probe)  # fmt: skip
            present.add(i.probe)
    for number, text, how, score, evidence, probe in REGISTER_ITEMS:
        if probe in present:
            continue
        area = Area.objects.filter(template=new, number=number).first()
        if area is None:
            area = Area.objects.create(template=new, number=number, title=AREAS[number - 1][0])
        last = CheckItem.objects.filter(area=area).aggregate(n=Max("number"))["n"] or 0
        CheckItem.objects.create(area=area, number=last + 1, text=text, how_to_check=how, score=score,
                                 evidence_required=evidence, probe=probe)  # fmt: skip
    Template.objects.filter(family=first.family, status="published").exclude(pk=new.pk).update(status="retired")


def backwards(apps, schema_editor):
    Template = apps.get_model("inspections", "Template")
    Run = apps.get_model("inspections", "Run")
    Plan = apps.get_model("inspections", "Plan")
    for new in Template.objects.filter(is_default=True, version__gt=1, status="published"):
        if Run.objects.filter(template=new).exists() or Plan.objects.filter(template=new).exists():
            continue
        Template.objects.filter(pk=new.based_on_id).update(status="published")
        new.areas.all().delete()
        new.delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_finding_origin")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
