"""The supervision app keeps only the migration history of the incident stub that lived here.

The incident moved to ``baomi.incidents`` (SUP-2); inspections live in ``baomi.inspections``
(SUP-1). This app stays installed because the carriers and personnel migrations depend on its
0001, which created the table the incidents app now owns.
"""
