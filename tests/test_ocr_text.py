"""OCR text normalisation and character boxes (pure functions, no engine)."""

from __future__ import annotations

import pytest

from csrextract.ocr.text import char_boxes, normalise_ocr_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("字节 跳动 科技", "字节跳动科技"),  # no spaces between CJK
        ("积极履行,社会责任:持续投入;", "积极履行，社会责任：持续投入；"),
        ("降至1.25。", "降至1.25。"),
        ("持续投入.", "持续投入。"),  # a CJK clause's period
        ("PUE 1.25, WUE 0.45", "PUE 1.25, WUE 0.45"),  # Latin/number runs stay ASCII
        ("WUE(L/kWh）", "WUE（L/kWh）"),  # one width per bracket pair
        ("近330亿(次)", "近330亿（次）"),
        ("ＩＳＯ ２７００１", "ISO 27001"),
        ("1O0%", "100%"),
        ("2l0万", "210万"),
        ("1，000人", "1,000人"),
        ("Oracle 公司", "Oracle 公司"),  # an O starting a Latin word is neither digit nor bullet
        ("0个问题", "0个问题"),  # a leading zero before CJK is a number, not a bullet
        ("·用户隐私保护", "• 用户隐私保护"),
        ("● 用户隐私保护", "• 用户隐私保护"),
        ("○员工关怀", "○ 员工关怀"),  # a ring stays a ring
        ("◦ 员工关怀", "○ 员工关怀"),
        ("。开展公益活动", "• 开展公益活动"),
        ("o开展公益活动", "○ 开展公益活动"),  # the recogniser's reading of a ring
        ("0.5以下", "0.5以下"),  # a number is not a bullet
        ("·", "·"),  # a lone glyph is not an item
        ("“抖音自然““野生动物”项目", "“抖音自然”“野生动物”项目"),  # quotes alternate
        ("”开展“公益”", "”开展“公益”"),  # a quote closed from the previous line stays
        ("“项目“", "“项目”"),
        ('采用”间接蒸发"“浸没液冷”', "采用“间接蒸发”“浸没液冷”"),  # a straight quote among curly
        ('"AI" 模型', '"AI" 模型'),  # straight quotes around Latin text stay
        ('操作系统"-Bio2S', "操作系统”-Bio2S"),  # after CJK text: closing
        (  # every mark read as a closer: the short stretches are the quoted ones
            "基金会”免费午餐”项目合作，在抖音发起”点画成真”挑战赛",
            "基金会“免费午餐”项目合作，在抖音发起“点画成真”挑战赛",
        ),
    ],
)
def test_normalise_ocr_text(raw: str, expected: str) -> None:
    assert normalise_ocr_text(raw) == expected


def test_char_boxes_share_the_width_cjk_double() -> None:
    boxes = char_boxes("近10万", (0.0, 0.0, 30.0, 10.0))
    widths = [round(b[2] - b[0], 3) for b in boxes]
    assert widths == [10.0, 5.0, 5.0, 10.0]
    assert boxes[-1][2] == pytest.approx(30.0)
