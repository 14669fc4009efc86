"""OCR text runs → ``TextLine`` s that look like the text layer's: tidy text, tight boxes.

Normalisation (only where the reading is unambiguous):

* no spaces between CJK characters (the recogniser sometimes inserts them);
* punctuation next to CJK text is full-width (，：；！？（）, and 。 for a period ending a CJK
  clause); full-width letters and digits become ASCII, and so does punctuation inside a number
  (``1，000`` → ``1,000``, ``3。5`` → ``3.5``);
* a list marker at the start of a line becomes the canonical ``•`` (``·``, ``●``, ``◦``, ``○``,
  ``▪`` and the recogniser's usual misreadings ``。`` / ``o`` / ``O`` in front of CJK
  text), so the table stage keeps list items apart;
* ``O``/``o`` → ``0`` and ``l``/``I``/``|`` → ``1`` only between two digits.

Geometry: the detector's boxes are padded (its "unclip" step) by a few points, more for short
runs. ``text_line`` shrinks each box to the ink inside it, then gives it the height a text layer
would (1.3 em around the ink), so OCR lines and text-layer lines share one geometry.
"""

from __future__ import annotations

import re

import numpy as np

from csrextract.models import BBox, Method, TextLine
from csrextract.ocr.engines import OcrBox
from csrextract.ocr.image import PageImage

CJK = r"\u2e80-\u2fdf\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")
_CJK_PUNCT = "，。：；！？（）、《》“”‘’【】"

CANONICAL_BULLET = "•"
_BULLET_GLYPHS = "•·●◦○▪■◆◇►▶➢∙⋅・"
_LEADING_BULLET = re.compile(rf"^\s*(?:[{_BULLET_GLYPHS}]|[。oO](?=\s*[{CJK}]))\s*")

_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_FULL_TO_HALF_IN_NUMBER = {"，": ",", "。": ".", "．": ".", "：": ":"}

LINE_HEIGHT_EM = 1.3
"""A text layer's line box is about 1.3 em tall (ascent + descent of CJK fonts)."""
CJK_INK_EM = 0.9
LATIN_INK_EM = 0.72


def is_cjk(char: str) -> bool:
    return bool(_CJK_CHAR.match(char))


def normalise_ocr_text(text: str) -> str:
    """Tidy one recognised run (see the module docstring for the rules)."""
    text = _ascii_alnum(text.strip())
    text = _fix_digit_confusions(text)
    text = _bullet(text)
    text = re.sub(f"(?<=[{CJK}{_CJK_PUNCT}])\\s+(?=[{CJK}{_CJK_PUNCT}])", "", text)
    text = _punctuation(text)
    return re.sub(r"\s{2,}", " ", text)


def _ascii_alnum(text: str) -> str:
    """Full-width letters and digits (Ａ, ９) as ASCII."""
    return "".join(
        chr(ord(c) - 0xFEE0) if "０" <= c <= "９" or ("Ａ" <= c <= "ｚ" and c.isalpha()) else c
        for c in text
    )


def _fix_digit_confusions(text: str) -> str:
    text = re.sub(r"(?<=\d)[Oo](?=\d)", "0", text)
    text = re.sub(r"(?<=\d)[lI|](?=\d)", "1", text)
    return re.sub(
        r"(?<=\d)[，。．：](?=\d)",
        lambda m: _FULL_TO_HALF_IN_NUMBER[m.group(0)],
        text,
    )


def _bullet(text: str) -> str:
    match = _LEADING_BULLET.match(text)
    if match is None or match.end() == len(text):
        return text
    return CANONICAL_BULLET + " " + text[match.end() :]


def _punctuation(text: str) -> str:
    """Half-width punctuation touching CJK text as full-width; a CJK clause's '.' as '。'."""
    chars = list(text)
    for i, c in enumerate(chars):
        before = chars[i - 1] if i > 0 else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        cjk_before, cjk_after = is_cjk(before), is_cjk(after)
        if c in _HALF_TO_FULL and (cjk_before or (cjk_after and not before.isdigit())):
            chars[i] = _HALF_TO_FULL[c]
        elif c == "." and cjk_before and (not after or cjk_after):
            chars[i] = "。"
        elif c == "(" and (cjk_before or cjk_after):
            chars[i] = "（"
        elif c == ")" and (cjk_before or cjk_after):
            chars[i] = "）"
    return _paired_brackets("".join(chars))


def _paired_brackets(text: str) -> str:
    """One width per bracket pair: the recogniser often reads one half of a pair full-width."""
    if "（" in text and ")" in text and "(" not in text:
        return text.replace(")", "）")
    if "(" in text and "）" in text and "（" not in text:
        return text.replace("(", "（")
    return text


def char_weights(text: str) -> list[float]:
    """Relative advance widths: CJK and full-width characters 1, everything else 0.5."""
    return [1.0 if is_cjk(c) or c in _CJK_PUNCT or ord(c) >= 0xFF00 else 0.5 for c in text]


def char_boxes(text: str, bbox: BBox) -> tuple[BBox, ...]:
    """Per-character boxes by sharing the run's width out by ``char_weights``."""
    weights = char_weights(text)
    total = sum(weights) or 1.0
    x0, top, x1, bottom = bbox
    step = (x1 - x0) / total
    boxes: list[BBox] = []
    x = x0
    for w in weights:
        boxes.append((x, top, x + w * step, bottom))
        x += w * step
    return tuple(boxes)


def ink_extent(
    ink: np.ndarray, box: tuple[float, float, float, float]
) -> tuple[int, int, int, int]:
    """The part of a pixel box that holds ink (the box itself when it holds none)."""
    h, w = ink.shape[:2]
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(w, int(np.ceil(box[2]))), min(h, int(np.ceil(box[3])))
    crop = ink[y0:y1, x0:x1]
    if crop.size == 0 or not crop.any():
        return (x0, y0, x1, y1)
    cols = np.flatnonzero(crop.any(axis=0))
    rows = np.flatnonzero(crop.any(axis=1))
    return (x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1)


def text_line(box: OcrBox, image: PageImage, ink: np.ndarray) -> TextLine | None:
    """A ``TextLine`` (PDF points, method OCR) from one recognised run; ``None`` if empty."""
    text = normalise_ocr_text(box.text)
    if not text:
        return None
    ix0, iy0, ix1, iy1 = ink_extent(ink, box.box)
    x0, ink_top, x1, ink_bottom = image.to_points((ix0, iy0, ix1, iy1))
    has_cjk = any(is_cjk(c) for c in text)
    size = max(ink_bottom - ink_top, 1.0) / (CJK_INK_EM if has_cjk else LATIN_INK_EM)
    middle = (ink_top + ink_bottom) / 2
    bbox = (x0, middle - LINE_HEIGHT_EM * size / 2, x1, middle + LINE_HEIGHT_EM * size / 2)
    return TextLine(
        text=text,
        bbox=bbox,
        method=Method.OCR,
        confidence=round(box.confidence, 4),
        font_size=round(size, 2),
        char_boxes=char_boxes(text, bbox),
    )
