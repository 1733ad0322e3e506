"""Triggers below the ORM (SEC-3).

Both databases: every inserted entry gets its row in the sealer's queue (audit_auditpending) in
the same statement, so ``record()`` is one INSERT and no entry can skip the queue.

PostgreSQL also makes the trail append-only:
- audit_auditentry and audit_auditseal: every UPDATE and DELETE is refused.
- audit_auditpending (the sealer's queue): UPDATE is refused; DELETE only of a row whose entry
  has been sealed, so an entry cannot leave the queue without entering the chain.

TRUNCATE is not refused (the test framework empties tables with it); a truncated trail is
detected by ``baomi audit verify --checkpoint``. SQLite has no such triggers: there verify's
chain and the checkpoints are the protection (docs/audit.md).
"""

from django.db import migrations

QUEUE_SQLITE = """
CREATE TRIGGER audit_entry_queue AFTER INSERT ON audit_auditentry
BEGIN
  INSERT INTO audit_auditpending (entry_id) VALUES (NEW.id);
END;
"""

FORWARD = """
CREATE OR REPLACE FUNCTION baomi_audit_queue() RETURNS trigger AS $$
BEGIN
  INSERT INTO audit_auditpending (entry_id) VALUES (NEW.id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION baomi_audit_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'baomi: the audit trail is append-only (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION baomi_audit_pending_delete() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM audit_auditseal WHERE entry_id = OLD.entry_id) THEN
    RAISE EXCEPTION 'baomi: audit entry % is not sealed yet', OLD.entry_id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_entry_queue AFTER INSERT ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION baomi_audit_queue();
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION baomi_audit_refuse_change();
CREATE TRIGGER audit_seal_append_only BEFORE UPDATE OR DELETE ON audit_auditseal
  FOR EACH ROW EXECUTE FUNCTION baomi_audit_refuse_change();
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_auditpending
  FOR EACH ROW EXECUTE FUNCTION baomi_audit_refuse_change();
CREATE TRIGGER audit_pending_sealed_only BEFORE DELETE ON audit_auditpending
  FOR EACH ROW EXECUTE FUNCTION baomi_audit_pending_delete();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_queue ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_seal_append_only ON audit_auditseal;
DROP TRIGGER IF EXISTS audit_pending_no_update ON audit_auditpending;
DROP TRIGGER IF EXISTS audit_pending_sealed_only ON audit_auditpending;
DROP FUNCTION IF EXISTS baomi_audit_refuse_change();
DROP FUNCTION IF EXISTS baomi_audit_pending_delete();
DROP FUNCTION IF EXISTS baomi_audit_queue();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(QUEUE_SQLITE, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_entry_queue", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
