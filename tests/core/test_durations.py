"""Classification durations: the tagged union, caps, units and end dates (CLS-3, R-DUR-*)."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from baomi.core import durations as dur
from baomi.core.durations import Duration
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level

START = date(2026, 1, 15)


# -- shape (R-DUR-2) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "forever"},
        {"kind": "period"},
        {"kind": "period", "value": 10},
        {"kind": "period", "value": 0, "unit": "year"},
        {"kind": "period", "value": -1, "unit": "month"},
        {"kind": "period", "value": True, "unit": "year"},
        {"kind": "period", "value": 10, "unit": "week"},
        {"kind": "period", "value": 10, "unit": "year", "until": date(2030, 1, 1)},
        {"kind": "period", "value": 10, "unit": "year", "condition": "x"},
        {"kind": "period", "value": 10, "unit": "year", "long_term": True},
        {"kind": "period", "unit": "year", "long_term": True},
        {"kind": "until"},
        {"kind": "until", "until": "2030-01-01"},
        {"kind": "until", "until": date(2030, 1, 1), "value": 3},
        {"kind": "until", "until": date(2030, 1, 1), "condition": "x"},
        {"kind": "until", "until": date(2030, 1, 1), "long_term": True},
        {"kind": "condition"},
        {"kind": "condition", "condition": "   "},
        {"kind": "condition", "condition": "x", "value": 1},
        {"kind": "condition", "condition": "x", "until": date(2030, 1, 1)},
        {"kind": "condition", "condition": "x", "long_term": True},
    ],
)
def test_a_duration_is_exactly_one_form(kwargs):
    """A period, a date or a condition, never a mix and never none (R-DUR-2)."""
    with pytest.raises(ValidationFailed) as exc:
        Duration(**kwargs)
    assert exc.value.fields, "the error names the field to correct"


@pytest.mark.parametrize("months", [12, 13, 18, 24])
def test_a_year_or_more_is_expressed_in_years(months):
    """18个月 is refused: periods of a year or more are in years (R-DUR-5)."""
    with pytest.raises(ValidationFailed, match="年"):
        Duration.months(months)


def test_period_of_months_turns_whole_years_into_years():
    """24 months is 2年, 6 months stays 6个月, 18 months cannot be expressed (R-DUR-5)."""
    assert Duration.period_of_months(24) == Duration.years(2)
    assert Duration.period_of_months(6) == Duration.months(6)
    with pytest.raises(ValidationFailed):
        Duration.period_of_months(18)


def test_absurdly_long_periods_are_long_term():
    """More than 100 years is recorded as 长期, which keeps dates finite."""
    assert Duration.years(100).total_months == 1200
    with pytest.raises(ValidationFailed):
        Duration.years(101)


@pytest.mark.parametrize(
    "text", ["a★b", "第一行\n第二行", "x\ty", "10年", "6个月", "长期", "2030年6月30日", "2030-06-30"]
)
def test_a_condition_cannot_be_mistaken_for_another_form(text):
    """A condition with ★, a line break, or that reads as a period/date/长期 is refused (CLS-7)."""
    with pytest.raises(ValidationFailed):
        Duration.on_condition(text)


def test_a_condition_is_trimmed_and_bounded():
    assert Duration.on_condition("  项目验收后 ").condition == "项目验收后"
    Duration.on_condition("长" * dur.CONDITION_MAX_LENGTH)
    with pytest.raises(ValidationFailed):
        Duration.on_condition("长" * (dur.CONDITION_MAX_LENGTH + 1))
    with pytest.raises(ValidationFailed):
        Duration.on_condition("2030年2月30日")  # a date-shaped text that is no date


# -- text and fields ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (Duration.years(10), "10年"),
        (Duration.years(1), "1年"),
        (Duration.months(6), "6个月"),
        (Duration.until_date(date(2030, 6, 30)), "2030年6月30日"),
        (Duration.until_date(date(2030, 11, 5)), "2030年11月5日"),
        (Duration.on_condition("项目验收后"), "项目验收后"),
        (Duration.long_term_(), "长期"),
    ],
)
def test_text_is_what_follows_the_star(duration, text):
    """The duration part of the mark (CLS-7, R-MARK-3)."""
    assert duration.text() == text
    assert str(duration) == text


@pytest.mark.parametrize(
    "duration",
    [
        Duration.years(10),
        Duration.months(3),
        Duration.until_date(date(2031, 2, 1)),
        Duration.on_condition("会议召开后"),
        Duration.long_term_(),
    ],
)
def test_model_fields_round_trip(duration):
    """to_fields/from_fields are inverse, with a mapping or an object."""
    fields = duration.to_fields()
    assert set(fields) == {
        "duration_kind",
        "duration_value",
        "duration_unit",
        "until_date",
        "condition",
        "long_term",
    }
    assert Duration.from_fields(fields) == duration

    class Row:
        pass

    row = Row()
    row.__dict__.update(fields)
    assert Duration.from_fields(row) == duration


def test_from_fields_refuses_an_empty_row():
    with pytest.raises(ValidationFailed):
        Duration.from_fields({})


# -- end dates (R-DUR-3, 民法典 Art. 201) ------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "start", "end"),
    [
        (Duration.years(10), date(2026, 1, 15), date(2036, 1, 15)),
        (Duration.months(6), date(2026, 1, 15), date(2026, 7, 15)),
        (Duration.months(1), date(2026, 1, 31), date(2026, 2, 28)),
        (Duration.months(1), date(2028, 1, 31), date(2028, 2, 29)),
        (Duration.years(1), date(2028, 2, 29), date(2029, 2, 28)),
        (Duration.months(11), date(2026, 3, 31), date(2027, 2, 28)),
        (Duration.until_date(date(2030, 6, 30)), None, date(2030, 6, 29)),
    ],
)
def test_end_date_is_the_corresponding_day(duration, start, end):
    """The last protected day is the corresponding day, or the month's end (R-DUR-3)."""
    assert duration.end_date(start) == end
    assert duration.expires_on(start) == end + timedelta(days=1)


@pytest.mark.parametrize("duration", [Duration.on_condition("项目验收后"), Duration.long_term_()])
def test_conditions_and_long_term_have_no_end(duration):
    """A condition needs a human trigger; 长期 never expires by itself (CLS-9)."""
    assert duration.end_date(START) is None
    assert duration.expires_on(START) is None


def test_a_period_without_start_has_no_end_yet():
    """Until the issue or notice date is known, there is no end date (R-DUR-3)."""
    assert Duration.years(5).end_date(None) is None
    assert Duration.years(5).expires_on(None) is None


@given(
    start=st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)),
    months=st.integers(min_value=1, max_value=11),
    years=st.integers(min_value=1, max_value=100),
)
def test_end_dates_are_monotonic_and_close(start, months, years):
    """Longer periods never end earlier; the end stays within the month of start + period."""
    by_months = Duration.months(months).end_date(start)
    by_years = Duration.years(years).end_date(start)
    assert by_months is not None and by_years is not None
    assert start < by_months < by_years
    assert by_years.year == start.year + years
    assert by_years.month == start.month
    assert abs(by_years.day - start.day) <= 3


# -- caps and validation (R-DUR-1, R-DUR-6, R-DUR-7, R-WS-4) ------------------------------------


def test_default_caps_are_the_legal_maximums():
    """绝密 30年, 机密 20年, 秘密 10年 (R-DUR-1); other levels have none."""
    assert dur.cap_years(Level.TOP_SECRET) == 30
    assert dur.cap_years(Level.SECRET) == 20
    assert dur.cap_years(Level.CONFIDENTIAL) == 10
    assert dur.cap_years(Level.WORK_SECRET) is None
    assert dur.max_duration(Level.SECRET) == Duration.years(20)
    with pytest.raises(ValueError, match="no legal maximum"):
        dur.max_duration(Level.INTERNAL)


@override_settings(CAP_SECRET_YEARS=15)
def test_caps_come_from_settings():
    """The caps are [S] defaults, configurable (BAOMI_CAP_SECRET_YEARS)."""
    assert dur.cap_years(Level.SECRET) == 15
    with pytest.raises(ValidationFailed):
        dur.validate_duration(Level.SECRET, Duration.years(16), start=START)


@pytest.mark.parametrize(
    ("level", "ok", "too_long"),
    [
        (Level.TOP_SECRET, Duration.years(30), Duration.years(31)),
        (Level.SECRET, Duration.years(20), Duration.years(21)),
        (Level.CONFIDENTIAL, Duration.years(10), Duration.years(11)),
        (Level.CONFIDENTIAL, Duration.until_date(date(2036, 1, 16)), Duration.until_date(date(2036, 1, 17))),
    ],
)
def test_beyond_the_cap_needs_a_recorded_basis(level, ok, too_long):
    """Up to the cap is accepted; beyond it only with a basis (R-DUR-6)."""
    dur.validate_duration(level, ok, start=START)
    with pytest.raises(ValidationFailed) as exc:
        dur.validate_duration(level, too_long, start=START)
    assert "duration_basis" in exc.value.fields
    dur.validate_duration(level, too_long, basis="保密事项范围 第五条", start=START)
    with pytest.raises(ValidationFailed):
        dur.validate_duration(level, too_long, basis="   ", start=START)


def test_long_term_needs_a_recorded_basis():
    """绝密★长期 only with a 保密事项范围 provision (R-DUR-6, R-MARK-3)."""
    with pytest.raises(ValidationFailed, match="保密事项范围"):
        dur.validate_duration(Level.TOP_SECRET, Duration.long_term_(), start=START)
    dur.validate_duration(Level.TOP_SECRET, Duration.long_term_(), basis="某保密事项范围 第3条")


def test_a_condition_is_never_above_the_cap():
    dur.validate_duration(Level.SECRET, Duration.on_condition("项目验收后"))
    assert not Duration.on_condition("项目验收后").exceeds_cap(Level.SECRET)


def test_a_state_secret_needs_a_duration():
    """New records never go without a period, date or condition (R-DUR-7)."""
    for level in (Level.TOP_SECRET, Level.SECRET, Level.CONFIDENTIAL):
        with pytest.raises(ValidationFailed):
            dur.validate_duration(level, None)


def test_a_work_secret_may_have_any_duration_or_none():
    """工作秘密 has no statutory maximum (R-WS-4)."""
    dur.validate_duration(Level.WORK_SECRET, None)
    dur.validate_duration(Level.WORK_SECRET, Duration.years(50))
    dur.validate_duration(Level.WORK_SECRET, Duration.long_term_())
    assert not Duration.long_term_().exceeds_cap(Level.WORK_SECRET)


@pytest.mark.parametrize("level", [Level.PUBLIC, Level.INTERNAL])
def test_a_non_secret_has_no_duration(level):
    """Non-secrets carry no classification duration (R-CLS-3)."""
    dur.validate_duration(level, None)
    with pytest.raises(ValidationFailed):
        dur.validate_duration(level, Duration.years(1))


def test_a_declassification_date_lies_after_the_start():
    with pytest.raises(ValidationFailed) as exc:
        dur.validate_duration(Level.SECRET, Duration.until_date(START), start=START)
    assert "until_date" in exc.value.fields
    with pytest.raises(ValidationFailed):
        dur.validate_duration(Level.SECRET, Duration.until_date(date(2000, 1, 1)))
    dur.validate_duration(Level.SECRET, Duration.until_date(START + timedelta(days=1)), today=START)


def test_a_date_without_start_is_capped_from_today():
    far = date.today().replace(year=date.today().year + 40)
    assert Duration.until_date(far).exceeds_cap(Level.TOP_SECRET)


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2030年6月30日", date(2030, 6, 30)),
        ("2030年06月30日", date(2030, 6, 30)),
        ("2030 年 6 月 30 日", date(2030, 6, 30)),
        ("２０３０年６月３０日", date(2030, 6, 30)),
        ("2030-06-30", date(2030, 6, 30)),
        ("2030-6-3", date(2030, 6, 3)),
        ("30/06/2030", None),
        ("项目验收后", None),
    ],
)
def test_parse_date(text, value):
    assert dur.parse_date(text) == value


def test_an_impossible_date_is_a_validation_error():
    with pytest.raises(ValidationFailed):
        dur.parse_date("2030-02-30")


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_date_format_round_trips(d):
    assert dur.parse_date(dur.format_date(d)) == d


# -- longest (CLS-5, R-MARK-6) -----------------------------------------------------------------


def test_longest_duration_of_sources():
    """Derivation and compilation take the longest duration (CLS-5, R-MARK-6)."""
    assert dur.longest([], START) is None
    assert dur.longest([Duration.years(5), Duration.months(6), Duration.years(10)], START) == Duration.years(
        10
    )
    assert dur.longest(
        [Duration.years(5), Duration.until_date(date(2040, 1, 1))], START
    ) == Duration.until_date(date(2040, 1, 1))
    assert dur.longest([Duration.years(5), Duration.long_term_()], START) == Duration.long_term_()
    cond = Duration.on_condition("项目验收后")
    assert dur.longest([cond, cond], START) == cond
    assert dur.longest([cond, Duration.years(5)], START) is None
    assert dur.longest([cond, Duration.on_condition("会议结束后")], START) is None
