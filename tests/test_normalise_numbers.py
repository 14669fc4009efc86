"""parse_quantity on the figures CSR reports print."""

from __future__ import annotations

import pytest

from csrextract.normalise.numbers import Quantity, is_missing, parse_quantity


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("近330亿次", Quantity(3.3e10, "次", "≈")),
        ("<0.5", Quantity(0.5, None, "<")),
        ("+270万（场）", Quantity(2.7e6, "场", "+")),
        ("92%", Quantity(92.0, "%", None)),
        ("９２％", Quantity(92.0, "%", None)),
        ("1,234.5万元", Quantity(12345000.0, "元", None)),
        ("１，２３４", Quantity(1234.0, None, None)),
        ("约 5 千瓦时", Quantity(5.0, "千瓦时", "≈")),
        ("3千人", Quantity(3000.0, "人", None)),
        ("2.5百万", Quantity(2.5e6, None, None)),
        ("超过100家", Quantity(100.0, "家", ">")),
        ("逾1000家", Quantity(1000.0, "家", ">")),
        ("不少于30%", Quantity(30.0, "%", "≥")),
        ("不超过10次", Quantity(10.0, "次", "≤")),
        ("100余万人", Quantity(1e6, "人", ">")),
        ("-3.5%", Quantity(-3.5, "%", "-")),
        ("超1亿", Quantity(1e8, None, ">")),
        ("145万（小时）", Quantity(1.45e6, "小时", None)),
        ("7亿人次", Quantity(7e8, "人次", None)),
        ("1.16", Quantity(1.16, None, None)),
    ],
)
def test_figures(raw: str, expected: Quantity) -> None:
    assert parse_quantity(raw) == expected


@pytest.mark.parametrize("raw", ["-", "/", "", "  ", "—", "一", "N/A", "不适用"])
def test_no_figure(raw: str) -> None:
    assert parse_quantity(raw) == Quantity(None, None, None)
    assert is_missing(raw)


@pytest.mark.parametrize("raw", ["PUE", "2021年自然科普短视频在抖音", "SDG 1", "相关视频数量超"])
def test_labels_are_not_quantities(raw: str) -> None:
    assert parse_quantity(raw).value is None
