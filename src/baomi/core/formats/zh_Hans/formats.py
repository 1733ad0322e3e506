"""How the UI shows dates (one rule for every screen and export).

Every date on a screen, in a table or in running text is numeric per GB/T 7408 (ISO 8601):
``2026-11-28``, with the time ``2026-11-28 14:05``. Templates write ``{{ d }}``, ``{{ d|date }}``
or ``{{ dt|date:"DATETIME_FORMAT" }}`` and never spell a format by hand; only seconds where
precision matters (the audit trail, ``Y-m-d H:i:s``) and the ``value`` of an
``<input type="date">`` (which HTML fixes as ``Y-m-d``) are explicit.

The Chinese ``2030年6月30日`` is kept for what the law writes that way — the period in a
classification mark and dates in 公文 text — and is produced by
``baomi.core.durations.format_date``, not by these formats.

Only display formats are set here; the input formats (which accept ``2026/11/28``,
``2026-11-28``) come from Django's own zh_Hans module.
"""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
