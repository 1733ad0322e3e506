"""Records immutable once closed (R-INC-5), below the ORM on PostgreSQL.

A closed incident row refuses UPDATE and DELETE; so do its journal entries, upward reports,
personal-information notices and carrier and item links — except that an addendum may still be
INSERTed. SQLite has no such triggers: there the services are the guard (docs/incidents.md).
TRUNCATE is not refused (the test framework empties tables with it).
"""

from django.db import migrations

CHILDREN = [
    "incidents_incidententry",
    "incidents_upwardreport",
    "incidents_personalinfonotice",
    "incidents_incidentcarrier",
    "incidents_incidentitem",
]

FORWARD = """
CREATE OR REPLACE FUNCTION baomi_incident_refuse_closed() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'closed' THEN
    RAISE EXCEPTION 'baomi: incident % is closed and cannot change (% on %)', OLD.id, TG_OP, TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION baomi_incident_child_refuse_closed() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM incidents_incident WHERE id = OLD.incident_id AND status = 'closed') THEN
    RAISE EXCEPTION 'baomi: incident % is closed and cannot change (% on %)', OLD.incident_id, TG_OP, TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER incident_closed_immutable BEFORE UPDATE OR DELETE ON incidents_incident
  FOR EACH ROW EXECUTE FUNCTION baomi_incident_refuse_closed();
""" + "".join(
    f"CREATE TRIGGER {t}_closed_immutable BEFORE UPDATE OR DELETE ON {t}\n"
    "  FOR EACH ROW EXECUTE FUNCTION baomi_incident_child_refuse_closed();\n"
    for t in CHILDREN
)

BACKWARD = "DROP TRIGGER IF EXISTS incident_closed_immutable ON incidents_incident;\n" + "".join(
    f"DROP TRIGGER IF EXISTS {t}_closed_immutable ON {t};\n" for t in CHILDREN
) + """
DROP FUNCTION IF EXISTS baomi_incident_refuse_closed();
DROP FUNCTION IF EXISTS baomi_incident_child_refuse_closed();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_journal_clock")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
