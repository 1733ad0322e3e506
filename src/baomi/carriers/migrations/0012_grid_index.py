# The count by department × state × level reads one index alone (OPS-1 speed); the index it
# replaces, (department, status), is its prefix.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0011_merge_inventory_sign_in_place"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="carrier",
            name="carriers_ca_departm_5b07cf_idx",
        ),
        migrations.AddIndex(
            model_name="carrier",
            index=models.Index(fields=["department", "status", "level"], name="carrier_dept_state_level"),
        ),
    ]
