"""Marks: every form generated and parsed, round trips, history display, MAC (CLS-7, R-MARK-*,
R-WS-2, R-DUR-7, R-CRYPTO-5)."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from baomi.core import marks
from baomi.core.durations import Duration
from baomi.core.errors import ValidationFailed
from baomi.core.levels import STATE_SECRET_LEVELS, Level
from baomi.core.marks import MarkSyntaxError, ParsedMark

FORMS = [
    (Level.SECRET, Duration.years(10), "机密★10年"),
    (Level.CONFIDENTIAL, Duration.months(6), "秘密★6个月"),
    (Level.CONFIDENTIAL, Duration.years(1), "秘密★1年"),
    (Level.SECRET, Duration.until_date(date(2030, 6, 30)), "机密★2030年6月30日"),
    (Level.SECRET, Duration.on_condition("项目验收后"), "机密★项目验收后"),
    (Level.SECRET, Duration.on_condition("会议开始前"), "机密★会议开始前"),
    (Level.TOP_SECRET, Duration.long_term_(), "绝密★长期"),
    (Level.TOP_SECRET, Duration.years(30), "绝密★30年"),
]


@pytest.mark.parametrize(("level", "duration", "text"), FORMS)
def test_state_secret_marks_are_generated_exactly(level, duration, text):
    """密级★保密期限 / ★解密时间 / ★解密条件, U+2605 star, Arabic numerals (CLS-7, R-MARK-3)."""
    assert marks.make_mark(level, duration) == text
    assert "\u2605" in text


@pytest.mark.parametrize(("level", "duration", "text"), FORMS)
def test_state_secret_marks_parse_back(level, duration, text):
    """Every generated mark reads back to the same level and duration (CLS-7)."""
    parsed = marks.parse_mark(text)
    assert parsed == ParsedMark(level, duration)
    assert parsed.canonical == text
    assert not parsed.legacy


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("机密★2030-06-30", "机密★2030年6月30日"),
        ("机密★2030年06月30日", "机密★2030年6月30日"),
        ("  机密 ★ 10 年 ", "机密★10年"),
        ("机密★１０年", "机密★10年"),
        ("秘密★6個月", "秘密★6个月"),
        ("绝密\u3000★\u3000长期", "绝密★长期"),
    ],
)
def test_the_parser_accepts_variants_and_normalises(text, canonical):
    """ISO dates, zero padding, full-width digits and spaces are read (CLS-7)."""
    assert marks.parse_mark(text).canonical == canonical


def test_a_state_secret_mark_needs_a_duration():
    """make_mark refuses a state secret without duration (R-DUR-2, R-DUR-7)."""
    for level in STATE_SECRET_LEVELS:
        with pytest.raises(ValidationFailed):
            marks.make_mark(level, None)


@pytest.mark.parametrize(
    ("level", "cap"), [(Level.TOP_SECRET, 30), (Level.SECRET, 20), (Level.CONFIDENTIAL, 10)]
)
def test_a_legacy_mark_without_period_takes_the_cap_and_is_flagged(level, cap):
    """``机密★`` alone is read as the level's maximum period and flagged legacy (R-DUR-7)."""
    word = {Level.TOP_SECRET: "绝密", Level.SECRET: "机密", Level.CONFIDENTIAL: "秘密"}[level]
    parsed = marks.parse_mark(f"{word}★")
    assert parsed.legacy
    assert parsed.level == level
    assert parsed.duration == Duration.years(cap)
    assert parsed.canonical == f"{word}★"


def test_work_secret_marks():
    """工作秘密 is 「内部」 or 「内部事项 注意保管」 and never carries ★ (R-WS-2, R-WS-3)."""
    assert marks.make_mark(Level.WORK_SECRET) == "内部"
    assert marks.make_mark(Level.WORK_SECRET, Duration.years(5)) == "内部"
    assert marks.make_mark(Level.WORK_SECRET, work_secret_style="long") == "内部事项 注意保管"
    with override_settings(WORK_SECRET_MARK="long"):
        assert marks.make_mark(Level.WORK_SECRET) == "内部事项 注意保管"
    for text, style in [("内部", "short"), ("内部事项 注意保管", "long"), ("内部事项注意保管", "long"),
                        ("内部事项\u3000注意保管", "long")]:  # fmt: skip
        parsed = marks.parse_mark(text)
        assert parsed == ParsedMark(Level.WORK_SECRET, None, work_secret_style=style)
        assert "★" not in parsed.canonical


@override_settings(WORK_SECRET_MARK="secret-ish")
def test_a_bad_work_secret_style_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        marks.make_mark(Level.WORK_SECRET)


@pytest.mark.parametrize("level", [Level.PUBLIC, Level.INTERNAL])
def test_non_secrets_carry_no_mark(level):
    """Non-secret items never carry a state-secret mark (R-CLS-3)."""
    assert marks.make_mark(level) == ""
    assert marks.make_mark(level, Duration.years(1)) == ""


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "机密",  # no star
        "公开",
        "内部★",  # R-WS-2: a work secret never carries ★
        "内部★5年",
        "工作秘密★1年",
        "机密★★10年",
        "机密★10年★",
        "机密★0年",
        "机密★18个月",  # R-DUR-5
        "机密★2030-02-30",
        "机密★101年",
        "Secret★10年",
    ],
)
def test_the_parser_refuses_what_is_not_a_mark(text):
    with pytest.raises(MarkSyntaxError) as exc:
        marks.parse_mark(text)
    assert isinstance(exc.value, ValidationFailed)


def test_mark_errors_carry_the_mark_field():
    with pytest.raises(MarkSyntaxError) as exc:
        marks.parse_mark("内部★")
    assert exc.value.code == "invalid_mark"
    assert "mark" in exc.value.fields


# -- round trips ---------------------------------------------------------------------------------

_conditions = st.text(
    alphabet=st.characters(whitelist_categories=("Lo", "Nd", "Pd"), max_codepoint=0x9FFF),
    min_size=1,
    max_size=40,
)


def _durations():
    return st.one_of(
        st.integers(1, 100).map(Duration.years),
        st.integers(1, 11).map(Duration.months),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2200, 12, 31)).map(Duration.until_date),
        st.just(Duration.long_term_()),
        _conditions.filter(_is_condition).map(Duration.on_condition),
    )


def _is_condition(text: str) -> bool:
    try:
        Duration.on_condition(text)
    except ValidationFailed:
        return False
    return True


@given(level=st.sampled_from(STATE_SECRET_LEVELS), duration=_durations())
def test_every_mark_round_trips(level, duration):
    """parse_mark(make_mark(level, d)) == (level, d) for every valid pair (CLS-7)."""
    text = marks.make_mark(level, duration)
    assert text.count("★") == 1
    parsed = marks.parse_mark(text)
    assert (parsed.level, parsed.duration, parsed.legacy) == (level, duration, False)
    assert parsed.canonical == text


# -- history (R-MARK-7, R-MARK-8) -----------------------------------------------------------------


def test_a_cancelled_mark_is_struck_through_and_escaped():
    """The old mark stays visible, cancelled (R-MARK-7)."""
    html = marks.cancelled_mark_html("机密★10年")
    assert html.startswith('<s class="mark-cancelled"')
    assert "机密★10年</s>" in html
    assert "&lt;script&gt;" in marks.cancelled_mark_html("<script>")


def test_a_changed_mark_shows_the_new_beside_the_old():
    html = marks.changed_mark_html("机密★10年", "秘密★5年")
    assert html.index("机密★10年") < html.index("秘密★5年")
    assert '<span class="mark-current">秘密★5年</span>' in html


def test_a_declassified_item_shows_jiemi():
    """Declassification is shown with 「解密」 beside the cancelled mark (R-MARK-8)."""
    html = marks.declassified_mark_html("机密★10年")
    assert "<s " in html and "解密" in html
    text = marks.declassified_mark_text("机密★10年")
    assert text.endswith(" 解密")
    assert text.replace("\u0336", "") == "机密★10年 解密"


# -- MAC (R-CRYPTO-5) ------------------------------------------------------------------------------


def test_the_mark_mac_binds_mark_object_and_scope():
    """Label tampering is detected: another mark, object, type or scope fails (R-CRYPTO-5)."""
    scope = marks.scope_digest([3, 1], [7])
    mac = marks.mark_mac("classification.item", 42, "机密★10年", scope=scope)
    assert len(mac) == 64
    assert marks.verify_mark_mac(mac, "classification.item", 42, "机密★10年", scope=scope)
    assert marks.verify_mark_mac(mac, "classification.item", "42", "机密★10年", scope=scope)
    assert not marks.verify_mark_mac(mac, "classification.item", 42, "秘密★10年", scope=scope)
    assert not marks.verify_mark_mac(mac, "classification.item", 43, "机密★10年", scope=scope)
    assert not marks.verify_mark_mac(mac, "carriers.carrier", 42, "机密★10年", scope=scope)
    assert not marks.verify_mark_mac(mac, "classification.item", 42, "机密★10年")
    assert not marks.verify_mark_mac(mac, "classification.item", 42, "机密★10年", scope=scope, version=2)
    assert not marks.verify_mark_mac("", "classification.item", 42, "机密★10年", scope=scope)


def test_scope_digest_ignores_order_but_not_membership():
    assert marks.scope_digest([1, 2], [5]) == marks.scope_digest([2, 1], [5])
    assert marks.scope_digest([1, 2], [5]) != marks.scope_digest([1], [5])
    assert marks.scope_digest([1], []) != marks.scope_digest([], [1])


@override_settings(CIPHER="aes")
def test_the_mark_mac_follows_the_cipher_setting():
    """HMAC-SHA-256 with BAOMI_CIPHER=aes, HMAC-SM3 otherwise: both 64 hex digits."""
    aes = marks.mark_mac("classification.item", 1, "机密★10年")
    with override_settings(CIPHER="sm4"):
        sm = marks.mark_mac("classification.item", 1, "机密★10年")
    assert aes != sm and len(aes) == len(sm) == 64
