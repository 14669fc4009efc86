"""Detected boxes holding two runs are cut at a wide ink gap and read again (no engine).

Drawn at 72 dpi, so one pixel is one point; the em is 20 px. Glyphs are solid blocks; a stand-in
reader answers for each crop by where it lies on the line.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from csrextract.ocr.engines import OcrBox
from csrextract.ocr.image import PageImage
from csrextract.ocr.split import SPLIT_GAP_EM, split_runs
from csrextract.ocr.text import text_line

EM = 20
TOP, BOTTOM = 38, 62  # the detector's box (padded around the 18-px glyphs at 41..59)


class Reader:
    """Reads a crop as the words whose glyphs it holds; counts the crops it was given."""

    name, version = "stand-in", "1"

    def __init__(self, words: Sequence[tuple[int, int, str]], score: float = 0.99) -> None:
        self.words, self.score, self.crops = words, score, 0

    def recognise(self, image: np.ndarray) -> list[OcrBox]:
        raise AssertionError("split_runs never detects")

    def read_boxes(
        self, image: np.ndarray, boxes: Sequence[tuple[int, int, int, int]]
    ) -> list[tuple[str, float]]:
        self.crops += len(boxes)
        out = []
        for x0, _, x1, _ in boxes:
            inside = [w for a, b, w in self.words if x0 <= a and b <= x1]
            out.append(
                (" ".join(inside) if any(" " in w for w in inside) else "".join(inside), self.score)
            )
        return out


def _page() -> np.ndarray:
    return np.full((100, 400), 255, dtype=np.uint8)


def _cjk(pixels: np.ndarray, x0: int, count: int) -> int:
    """Square glyphs (18 px, 2-px side bearings); returns the x after the last one."""
    for k in range(count):
        pixels[41:59, x0 + EM * k + 1 : x0 + EM * k + 19] = 0
    return x0 + EM * count


def _box(x0: float, x1: float, text: str) -> OcrBox:
    return OcrBox(((x0, TOP), (x1, TOP), (x1, BOTTOM), (x0, BOTTOM)), text, 0.97)


def _split(pixels: np.ndarray, box: OcrBox, reader: Reader) -> list[OcrBox]:
    return split_runs([box], pixels, pixels < 128, reader)


def test_two_words_far_apart_become_two_lines() -> None:
    pixels = _page()
    end = _cjk(pixels, 20, 4)  # 近三三亿 at 20..100
    gap = int(1.5 * EM)
    _cjk(pixels, end + gap, 3)  # 一四四 at 130..190
    reader = Reader([(20, 100, "累计播放"), (end + gap, end + gap + 60, "同比增")], score=0.95)
    pieces = _split(pixels, _box(14, 196, "累计播放同比增"), reader)
    assert [p.text for p in pieces] == ["累计播放", "同比增"]
    assert [p.confidence for p in pieces] == [0.95, 0.95]  # each piece's own reading
    assert pieces[0].box[2] <= end + gap / 2 <= pieces[1].box[0]
    image = PageImage(pixels, (0.0, 0.0, 400.0, 100.0), 72.0, 0.0)
    lines = [text_line(p, image, pixels < 128) for p in pieces]
    assert [ln.text for ln in lines if ln] == ["累计播放", "同比增"]
    first, second = (ln.bbox for ln in lines if ln)
    assert first[2] <= 101 and second[0] >= end + gap - 1  # a column gap between the lines


def test_a_latin_phrase_with_spaces_stays_one_line() -> None:
    """Word spaces (with the letters' side bearings well under an em) are no cut."""
    pixels = _page()
    x = 20
    for word in ("CEO", "all", "hands", "GRI", "102-1"):
        for _ in word:
            pixels[45:59, x + 1 : x + 10] = 0  # 11-px letters
            x += 11
        x += 6  # word space
    reader = Reader([])
    box = _box(14, x + 4, "CEO all hands GRI 102-1")
    assert _split(pixels, box, reader) == [box]
    assert reader.crops == 0  # nothing read again


def test_thousands_separators_stay_in_the_number() -> None:
    pixels = _page()
    x = 20
    for ch in "1,234,567":
        if ch == ",":
            pixels[56:62, x + 1 : x + 4] = 0
            x += 5
        else:
            pixels[45:59, x + 1 : x + 10] = 0
            x += 11
    box = _box(14, x + 4, "1,234,567")
    assert _split(pixels, box, Reader([])) == [box]


def test_a_bullet_and_its_words_stay_one_run() -> None:
    """The indent after a bullet is wide, but a bullet-shaped blob joins the words after it."""
    pixels = _page()
    pixels[46:54, 20:28] = 0  # the dot
    _cjk(pixels, 28 + int(1.5 * EM), 4)
    reader = Reader([])
    box = _box(14, 28 + int(1.5 * EM) + 4 * EM + 6, "• 员工培训")
    assert _split(pixels, box, reader) == [box]
    assert reader.crops == 0


def test_a_gap_beside_cjk_punctuation_is_no_cut() -> None:
    """A piece read ending in "。" puts its own blank before the gap: one run, as detected."""
    pixels = _page()
    end = _cjk(pixels, 20, 3)
    gap = int(1.2 * EM)
    _cjk(pixels, end + gap, 3)
    reader = Reader([(20, end, "其中。"), (end + gap, end + gap + 60, "无障碍")])
    box = _box(14, end + gap + 66, "参与其无障碍")
    assert _split(pixels, box, reader) == [box]


def test_the_gap_threshold_is_above_cjk_side_bearings() -> None:
    pixels = _page()
    _cjk(pixels, 20, 8)
    box = _box(14, 186, "一二三四五六七八")
    assert _split(pixels, box, Reader([])) == [box]
    assert SPLIT_GAP_EM * EM > 4  # two side bearings of 2 px each


def test_a_sliver_of_the_next_cell_is_trimmed_off_the_box() -> None:
    """The padded box reached into the next cell and caught part of its first glyph: the box
    ends before the sliver, the reading stays the box's own."""
    pixels = _page()
    end = _cjk(pixels, 20, 4)
    pixels[41:59, end + 30 : end + 50] = 0  # the next cell's glyph, cut by the box at end + 36
    reader = Reader([])
    (out,) = _split(pixels, _box(14, end + 36, "事后体验"), reader)
    assert out.text == "事后体验" and out.box[2] < end + 30
    assert reader.crops == 0


def test_a_page_number_set_apart_stays_with_its_words() -> None:
    """ "第  12  页": a bare number spaced out in a footer is not cut from the words beside it."""
    pixels = _page()
    end = _cjk(pixels, 20, 1)
    gap = int(1.4 * EM)
    x = end + gap
    for _ in "12":
        pixels[45:59, x + 1 : x + 10] = 0
        x += 11
    _cjk(pixels, x + gap, 1)
    reader = Reader([(20, end, "第"), (end + gap, x, "12"), (x + gap, x + gap + EM, "页")])
    box = _box(14, x + gap + EM + 6, "第 12 页")
    assert _split(pixels, box, reader) == [box]
