"""A table's own caption: a labelled line (``表 3 …``, ``Table 3: …``, ``图表 2 …``) right above
or right below it.

A labelled caption names its table whatever the headings around it say, so it is found here,
by position next to the table, and set as the table's title; classification keeps it and
falls back to headings only for tables without one. The nearest labelled line wins, above on
the table's first page or below on its last; an unlabelled line below a table is the next
section's heading or a paragraph, never the caption.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from csrextract.models import BBox, PageContent, Table, TextLine
from csrextract.tables.geometry import font_size_of, overlap_1d
from csrextract.tables.settings import CaptionSettings

DEFAULT = CaptionSettings()

LABEL = re.compile(
    r"^\s*(?:续表|表|图表|Table|Tab\.)\s*"
    r"(?:[0-9]+|[A-Z]|[一二三四五六七八九十]+)(?:\s*[-–.．]\s*[0-9]+)*"
    r"\s*(?:[:：.、．]\s*)?(?=\S)",
    re.IGNORECASE,
)
"""A caption's label: ``表 3``, ``表3-1``, ``Table 2:``, ``图表 4``, ``续表 1``."""

CONTINUED_MARK = re.compile(r"\s*[（(]\s*(?:续|continued|cont'd)\s*[)）]\s*$", re.IGNORECASE)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def is_caption(text: str) -> bool:
    """A labelled caption with a name after its label (a bare ``表 3`` is a reference)."""
    text = _norm(text)
    match = LABEL.match(text)
    return match is not None and len(text) <= DEFAULT.max_chars and bool(text[match.end() :])


def _candidates(
    lines: Iterable[TextLine], table: BBox, above: bool, reach: float
) -> list[tuple[float, TextLine]]:
    out = []
    for ln in lines:
        if overlap_1d(ln.bbox[0], ln.bbox[2], table[0], table[2]) <= 0:
            continue
        gap = table[1] - ln.bbox[3] if above else ln.bbox[1] - table[3]
        if -1.0 <= gap <= reach and is_caption(ln.text):
            out.append((gap, ln))
    return out


def caption_of(table: Table, pages: dict[int, PageContent], others: list[BBox]) -> str:
    """The nearest labelled caption above the table on its first page or below it on its last
    (``""`` when there is none); a continuation mark is dropped."""
    found: list[tuple[float, TextLine]] = []
    for number, above in ((table.pages[0], True), (table.pages[-1], False)):
        page = pages.get(number)
        if page is None:
            continue
        free = [
            ln
            for ln in page.lines
            if not any(
                overlap_1d(ln.bbox[1], ln.bbox[3], o[1], o[3]) > 0
                and overlap_1d(ln.bbox[0], ln.bbox[2], o[0], o[2]) > 0
                for o in others
            )
        ]
        reach = DEFAULT.max_gap_em * font_size_of(page.lines)
        box = table.bbox if above or len(table.pages) == 1 else _last_part_box(table)
        found.extend(_candidates(free, box, above, reach))
    if not found:
        return ""
    _, line = min(found, key=lambda f: f[0])
    return CONTINUED_MARK.sub("", _norm(line.text))


def _last_part_box(table: Table) -> BBox:
    """The outline of the table's part on its last page, from its cells there."""
    cells = [c.bbox for c in table.cells if c.page == table.pages[-1]]
    if not cells:
        return table.bbox
    return (
        min(b[0] for b in cells),
        min(b[1] for b in cells),
        max(b[2] for b in cells),
        max(b[3] for b in cells),
    )


def with_captions(tables: list[Table], pages: list[PageContent]) -> list[Table]:
    """Tables whose labelled caption is known carry it as their title."""
    by_number = {p.number: p for p in pages}
    out = []
    for table in tables:
        others = [t.bbox for t in tables if t is not table and set(t.pages) & set(table.pages)]
        caption = caption_of(table, by_number, others)
        out.append(replace(table, title=caption) if caption else table)
    return out
