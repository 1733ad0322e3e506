"""One date rule for the UI (STYLE: consistent screens): dates show as ``2026-11-28`` (GB/T 7408)
everywhere, date-times as ``2026-11-28 14:05``; the Chinese ``2030年6月30日`` stays for marks.
Input keeps accepting the usual ways of writing a date."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from baomi.core.durations import format_date


def render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def test_dates_render_numerically_in_chinese():
    """A bare ``{{ d }}``, ``|date`` and ``DATETIME_FORMAT`` give the one numeric form."""
    d, dt = date(2026, 11, 28), datetime(2026, 11, 28, 14, 5)
    with translation.override("zh-hans"):
        assert render("{{ d }}|{{ d|date }}", d=d) == "2026-11-28|2026-11-28"
        assert render('{{ dt|date:"DATETIME_FORMAT" }}', dt=dt) == "2026-11-28 14:05"
        assert date_format(d, "SHORT_DATE_FORMAT") == "2026-11-28"


def test_marks_keep_the_chinese_date():
    """The period in a mark is written the 公文 way, not by the display format (R-DUR)."""
    assert format_date(date(2030, 6, 30)) == "2030年6月30日"


def test_date_input_still_accepts_the_usual_spellings():
    """Only display formats changed: 2026/11/28 and 2026-11-28 still parse."""

    class F(forms.Form):
        d = forms.DateField()

    with translation.override("zh-hans"):
        for text in ("2026/11/28", "2026-11-28"):
            form = F({"d": text})
            assert form.is_valid(), (text, form.errors)
            assert form.cleaned_data["d"] == date(2026, 11, 28)
