"""The matcher itself (SUP-3): marks of every form, numbers, personal information, listed
strings found however they are spaced or typed — pure, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baomi.publication import screening as s


def kinds(text: str, matcher: s.Matcher | None = None) -> list[tuple[str, str, str]]:
    prepared, hits = s.scan(text, [matcher] if matcher else [])
    return [(h.kind, prepared.text[h.start : h.end], h.level) for h in hits]


@pytest.mark.parametrize(
    ("text", "shown", "level"),
    [
        ("绝密★30年", "绝密★30年", "top_secret"),
        ("机密★2030年6月30日", "机密★2030年6月30日", "secret"),
        ("机密★2030-06-30", "机密★2030-06-30", "secret"),
        ("秘密★6个月", "秘密★6个月", "confidential"),
        ("绝密★长期", "绝密★长期", "top_secret"),
        ("机密 ★ 10 年", "机密 ★ 10 年", "secret"),
        ("机密★１０年", "机密★10年", "secret"),  # full-width digits (NFKC)
        ("秘密★", "秘密★", "confidential"),  # legacy mark without period (R-DUR-7)
        ("机密☆5年", "机密☆5年", "secret"),  # a look-alike star still counts
        ("「内部」", "「内部」", "work_secret"),
        ("内部事项 注意保管", "内部事项 注意保管", "work_secret"),
        ("密级：机密", "密级:机密", "secret"),
        ("【绝密】", "【绝密】", "top_secret"),
    ],
)
def test_every_form_of_mark_is_found_with_its_level(text, shown, level):
    """Marks of every form (CLS-7, R-WS-3, R-DUR-7) are hits with the mark's level (SUP-3 (a))."""
    found = kinds(f"正文开始，{text}，正文结束。")
    assert ("mark", shown, level) in found


def test_plain_words_are_not_marks():
    """保密, 内部管理, 机密性 are ordinary words: no hit (no false alarm on every document)."""
    assert kinds("加强内部管理，提高保密意识，保障数据的机密性与秘密保护。") == []


def test_identity_numbers_need_a_valid_check_digit_and_birth_date():
    """身份证号 with a GB 11643 check digit are hits, shown masked (R-PI, SUP-3 (d))."""
    _prepared, hits = s.scan("甲 11010519491231002X 乙 110105194912310021 丙 110105194913310028", [])
    ids = [h for h in hits if h.kind == "id_number"]
    assert [h.shown for h in ids] == ["110105********002X"]
    assert s.id_number_valid("11010519491231002x")
    assert not s.id_number_valid("110105194912310021")  # wrong check digit
    assert not s.id_number_valid("110105299912310028")  # born in the future


def test_mobile_numbers_are_found_and_masked():
    _prepared, hits = s.scan("联系人手机13812345678，座机010-66668888，+86 13900001111。", [])
    assert [h.shown for h in hits if h.kind == "phone"] == ["138****5678", "139****1111"]


def test_registry_and_copy_numbers_have_their_shape():
    """Registry numbers are found by shape (looked up afterwards); 份号 with its label (SUP-3 (b))."""
    found = kinds("见编号2026-纸-000123号文件（份号：000045），另12026-纸-0001234不是编号。")
    assert ("registry_number", "2026-纸-000123", "") in found
    assert ("copy_number", "份号:000045", "") in found
    assert len([k for k in found if k[0] == "registry_number"]) == 1


def test_listed_strings_match_across_line_breaks_spaces_and_width():
    """A title broken over lines, spaced or typed full-width still matches (SUP-3 (c))."""
    m = s.Matcher()
    assert m.add("关于ABC项目2026年实施方案", "title", 7, "secret")
    m.freeze()
    text = "附件：关于ＡＢＣ项目\n2026 年实施方案（征求意见稿）"
    prepared, hits = s.scan(text, [m])
    (hit,) = hits
    assert (hit.kind, hit.ref, hit.level) == ("title", 7, "secret")
    assert prepared.text[hit.start : hit.end] == "关于ABC项目\n2026 年实施方案"


def test_one_string_of_several_items_names_them_all_and_short_strings_are_ignored():
    m = s.Matcher(min_chars=4)
    m.add("专项资金拨付计划", "title", 1, "secret")
    m.add("专项资金拨付计划", "title", 2, "confidential")
    assert not m.add("计划", "secret_point", 3, "secret")  # too short to mean anything
    m.freeze()
    _prepared, hits = s.scan("本年度专项资金拨付计划已完成。", [m])
    assert sorted((h.ref, h.level) for h in hits) == [(1, "secret"), (2, "confidential")]
    assert m.stats()["patterns"] == 1 and m.stats()["terms"] == 2
    with pytest.raises(RuntimeError):
        m.add("再加一个条目", "title", 4)


def test_secret_points_are_split_into_sentences_without_numbering():
    assert s.split_points("1. 部署位置\n（二）技术参数；3、谈判底线。- 其他") == [
        "部署位置",
        "技术参数",
        "谈判底线",
        "其他",
    ]


def test_an_empty_matcher_finds_nothing():
    assert list(s.Matcher().freeze().find(s.prepare("任何文本"))) == []


@given(st.text(alphabet=st.sampled_from(
    [chr(c) for c in [*range(0x20, 0x7F), *range(0xFF01, 0xFF5F), 0x3000, 0x2026, 0x3001, 0x3002, 0x4E2D, 0x6587,
                      0x300A, 0x300B, 0x301, 0x308, 0xFB01, 0x2460, 0x3231, 0x1100, 0x1161, 0xAC00, 0xF900, 0x2605]]
), max_size=40))  # fmt: skip
def test_fast_nfkc_equals_unicodedata(text):
    """The run-wise NFKC gives exactly what unicodedata gives (full-width forms, combining marks,
    compatibility ideographs, Hangul jamo)."""
    import unicodedata

    assert s.nfkc(text) == unicodedata.normalize("NFKC", text)
