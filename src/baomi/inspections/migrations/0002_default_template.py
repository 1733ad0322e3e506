"""Ship the default checklist: the 13 areas of 实施条例 Art 58, version 1, published (SUP-1,
R-SITE-4). The security officer edits copies; runs keep the version they used."""

from django.db import migrations
from django.utils import timezone

from baomi.inspections.default_template import AREAS, NAME


def create(apps, schema_editor):
    Template = apps.get_model("inspections", "Template")
    Area = apps.get_model("inspections", "Area")
    CheckItem = apps.get_model("inspections", "CheckItem")
    if Template.objects.filter(is_default=True).exists():
        return
    template = Template.objects.create(name=NAME, version=1, status="published", is_default=True,
                                       published_at=timezone.now(),
                                       note="依据《中华人民共和国保守国家秘密法实施条例》第五十八条规定的检查内容编制。")
    for number, (title, items) in enumerate(AREAS, 1):
        area = Area.objects.create(template=template, number=number, title=title)
        for i, (text, how, score, evidence, probe) in enumerate(items, 1):
            CheckItem.objects.create(area=area, number=i, text=text, how_to_check=how, score=score,
                                     evidence_required=evidence, probe=probe)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop, elidable=False)]
