"""Parse the quantities CSR reports print: ``近330亿次``, ``<0.5``, ``+270万（场）``, ``92%``.

A printed figure is ``[qualifier] number [multiplier] [unit] [trailing qualifier]`` where the
qualifier is a word (近, 约, 超过, 逾, 不少于 …) or a sign (<, ≥, +), the multiplier a Chinese
magnitude (万, 亿, 百万 …) and the unit a short word, possibly in brackets (``（场）``).
Text that does not have this shape (a label, a sentence) is *not* a quantity: the parser
returns no value rather than guessing, so a label never becomes a number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Quantity", "is_missing", "parse_quantity"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed figure; every field is ``None`` when the text holds no single quantity."""

    value: float | None
    unit: str | None = None
    qualifier: str | None = None


NONE = Quantity(None, None, None)

# "No figure" marks; 一 and ー are how OCR often reads a lone dash.
_MISSING = {
    "",
    "-",
    "--",
    "—",
    "——",
    "–",
    "一",
    "ー",
    "/",
    "\\",
    "n/a",
    "na",
    "n.a.",
    "不适用",
    "无",
    "暂无",
}

# Leading qualifier words and signs, longest first so 不少于 wins over 少于.
_LEADING: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            "近": "≈",
            "约": "≈",
            "约为": "≈",
            "大约": "≈",
            "将近": "≈",
            "接近": "≈",
            "约合": "≈",
            "~": "≈",
            "≈": "≈",
            "超": ">",
            "超过": ">",
            "超出": ">",
            "逾": ">",
            "多于": ">",
            "大于": ">",
            "高于": ">",
            ">": ">",
            "不少于": "≥",
            "不低于": "≥",
            "至少": "≥",
            "≥": "≥",
            ">=": "≥",
            "不足": "<",
            "不到": "<",
            "少于": "<",
            "低于": "<",
            "小于": "<",
            "<": "<",
            "不超过": "≤",
            "不高于": "≤",
            "至多": "≤",
            "最多": "≤",
            "≤": "≤",
            "<=": "≤",
            "+": "+",
        }.items(),
        key=lambda kv: -len(kv[0]),
    )
)
_TRAILING: tuple[tuple[str, str], ...] = (
    ("以上", ">"),
    ("以下", "≤"),
    ("以内", "≤"),
    ("左右", "≈"),
    ("+", ">"),
)
# Between the number and the multiplier/unit: 100余万, 300多人 (more than).
_APPROX_INFIX = ("余", "多")

_MULTIPLIERS: tuple[tuple[str, float], ...] = (
    ("万亿", 1e12),
    ("千亿", 1e11),
    ("百亿", 1e10),
    ("亿", 1e8),
    ("千万", 1e7),
    ("百万", 1e6),
    ("十万", 1e5),
    ("万", 1e4),
    ("千", 1e3),
    ("billion", 1e9),
    ("million", 1e6),
    ("thousand", 1e3),
)
# 千 is a magnitude in 3千人 but part of the unit in 5千瓦时 (kWh), 千克 (kg), 千米 (km).
_SI_AFTER_QIAN = ("瓦", "克", "米", "焦", "卡", "帕", "赫", "伏", "字节", "升", "吨")

_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?|^\d+(?:\.\d+)?|^\.\d+")
_BRACKETS = "()（）[]【】"
_MAX_UNIT_CHARS = 6
# A unit starts with a letter, a CJK character or a sign such as % (never a digit, a slash or a
# dash: ``100/200`` and ``10-20`` are no single quantity) and holds no sentence punctuation.
_UNIT_FORBIDDEN = re.compile(r"^[\d/\\\-~.+*×x]|[，。；;：:、!！?？]")


def _clean(raw: str) -> str:
    """NFKC (full-width digits and signs become ASCII), no inner whitespace, unified tildes."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = re.sub(r"\s+", "", text)
    return text.replace("～", "~").replace("〜", "~").replace("，", ",")


def is_missing(raw: str) -> bool:
    """A cell that states "no figure" (``-``, ``/``, empty, ``N/A``, ``不适用``)."""
    return _clean(raw).lower() in _MISSING


def _take_leading(text: str) -> tuple[str, str | None]:
    for word, qualifier in _LEADING:
        if text.startswith(word) and len(text) > len(word):
            return text[len(word) :], qualifier
    return text, None


def _take_sign(text: str) -> tuple[str, float, str | None]:
    """A minus sign before a digit: the value is negative and the qualifier records the sign."""
    if len(text) > 1 and text[0] in "-−–" and (text[1].isdigit() or text[1] == "."):
        return text[1:], -1.0, "-"
    return text, 1.0, None


def _take_multiplier(text: str) -> tuple[str, float]:
    lowered = text.lower()
    for word, factor in _MULTIPLIERS:
        if not lowered.startswith(word):
            continue
        rest = text[len(word) :]
        if word == "千" and rest.startswith(_SI_AFTER_QIAN):
            return text, 1.0
        return rest, factor
    return text, 1.0


def _take_trailing(text: str) -> tuple[str, str | None]:
    for word, qualifier in _TRAILING:
        if text.endswith(word) and len(text) >= len(word):
            return text[: -len(word)], qualifier
    return text, None


def _unit(text: str) -> tuple[bool, str | None]:
    """``(is a unit, unit word)``: brackets removed, empty → no unit, a long text → not a unit."""
    unit = text.strip(_BRACKETS + " ")
    if any(b in unit for b in _BRACKETS):
        return False, None
    if not unit:
        return True, None
    if len(unit) > _MAX_UNIT_CHARS or _UNIT_FORBIDDEN.search(unit):
        return False, None
    return True, unit


def parse_quantity(raw: str) -> Quantity:
    """Value, unit and qualifier of one printed figure (see the module docstring).

    ``近330亿次`` → (3.3e10, 次, ≈); ``<0.5`` → (0.5, None, <); ``+270万（场）`` → (2.7e6, 场, +);
    ``92%`` → (92, %, None); ``-``, ``/`` or empty → all ``None``.
    """
    text = _clean(raw)
    if text.lower() in _MISSING:
        return NONE
    text, qualifier = _take_leading(text)
    text, sign, sign_qualifier = _take_sign(text)
    qualifier = qualifier or sign_qualifier
    match = _NUMBER.match(text)
    if match is None:
        return NONE
    number = float(match.group(0).replace(",", ""))
    text = text[match.end() :]
    if text.startswith(_APPROX_INFIX):
        text, qualifier = text[1:], qualifier or ">"
    text, factor = _take_multiplier(text)
    text, trailing = _take_trailing(text)
    ok, unit = _unit(text)
    if not ok:
        return NONE
    return Quantity(_tidy(sign * number * factor), unit, qualifier or trailing)


def _tidy(value: float) -> float:
    """Round away binary noise from multiplying (330 * 1e8 → 33000000000.0, not ...0001)."""
    return float(f"{value:.12g}")
