"""The charts of the dashboards and reports (OPS-1): readable at the size a panel gives them."""

from __future__ import annotations

import re

import pytest

from baomi.reports import charts


def axis_labels(svg: str) -> list[str]:
    axis = svg[svg.index('class="axis y') :]
    axis = axis[: axis.index('class="axis x') if 'class="axis x' in axis else None]
    return re.findall(r"<text [^>]*>([^<]+)</text>", axis)


@pytest.mark.parametrize("values", [[2, 16, 9], [2], [0, 0], [27, 4, 1], [768], [186_000, 12]])
def test_a_count_is_graduated_in_whole_numbers_a_few_times(values):
    """A level panel of 2, 16 and 9 carriers in 190 pixels: pygal's own scale labelled every unit
    from 0 to 16 (17 labels, overlapping) and cut a count of 2 into fifths (0.4 carriers). Now:
    from zero, whole numbers, at most six graduations, the largest count within the axis."""
    for svg in (charts.bar(["甲", "乙", "丙"][: len(values)], values, width=320, height=190),
                charts.lines([f"{m}月" for m in range(1, 13)], [("登记载体", [*values, *[0] * (12 - len(values))])])):  # fmt: skip
        labels = axis_labels(str(svg))
        assert 2 <= len(labels) <= 6, labels
        assert labels[0] == "0" and all(label.isdigit() for label in labels), labels
        assert int(labels[-1]) >= max(values)
