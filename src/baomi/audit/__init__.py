"""Append-only, MAC-chained audit trail. Write with :func:`baomi.audit.record.record`."""
