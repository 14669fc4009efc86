"""A table's own caption: a labelled line (``表 3 …``, ``Table 3: …``, ``图表 2 …``) right above
or right below it.

A labelled caption names its table whatever the headings around it say, so it is found here,
by position next to the table, and set as the table's title; classification keeps it and
falls back to headings only for tables without one. The nearest labelled line wins, above on
the table's first page or below on its last. Without a label, a line right under the table is
its caption only when it stands alone, short, at the table's text size (a larger line is the
next section's heading, a line with another under it a paragraph); unlabelled captions above
are the classifier's (``classify.caption_above``).
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


_SENTENCE_END = tuple("。；;！!？?，,：:")
_NOTE = re.compile(r"^\s*(?:注|备注|说明|数据来源|资料来源|来源|note|source)", re.IGNORECASE)


def line_shape(text: str) -> str:
    """A line's text without spaces and with every number as ``#``: the same running header or
    footer on every page, whatever its page number."""
    return re.sub(r"\d+", "#", "".join(_norm(text).split()))


def running_shapes(pages: Iterable[PageContent]) -> set[str]:
    """Texts (digits aside) repeated on several pages: running headers and footers."""
    pages = list(pages)
    seen: dict[str, set[int]] = {}
    for page in pages:
        for ln in page.lines:
            seen.setdefault(line_shape(ln.text), set()).add(page.number)
    least = max(3, DEFAULT.running_share * len(pages))
    return {shape for shape, numbers in seen.items() if len(numbers) >= least}


def _plain_caption_below(
    table: Table, page: PageContent, box: BBox, free: list[TextLine], running: set[str]
) -> str:
    """An unlabelled caption right under the table: the first line below, within a line or so,
    short, not a sentence, a note, a page number, running text or a heading (set larger than
    the table's text, or bold when the table is not), and standing alone (no paragraph line
    right under it)."""
    below = sorted(
        (
            ln
            for ln in free
            if ln.bbox[1] >= box[3] - 1.0 and overlap_1d(ln.bbox[0], ln.bbox[2], box[0], box[2]) > 0
        ),
        key=lambda ln: ln.bbox[1],
    )
    if not below:
        return ""
    line = below[0]
    height = line.bbox[3] - line.bbox[1]
    text = _norm(line.text)
    inside_lines = [ln for ln in page.lines if box[1] <= ln.bbox[1] and ln.bbox[3] <= box[3]]
    inside = [ln.font_size for ln in inside_lines if ln.font_size > 0]
    body = max(
        sorted(inside)[len(inside) // 2] if inside else line.font_size,
        _running_size(page, box),
    )
    if (
        line.bbox[1] - box[3] > DEFAULT.below_gap_lines * max(height, body)
        or not text
        or len(text) > DEFAULT.max_plain_chars
        or text.endswith(_SENTENCE_END)
        or _NOTE.match(text)
        or not any(ch.isalpha() for ch in text)
        or line_shape(text) in running
        or too_wide_for_caption(line, box, DEFAULT.max_width_share)
        or (body > 0 and line.font_size > DEFAULT.heading_factor * body)
        or (line.bold and not all(ln.bold for ln in inside_lines))
    ):
        return ""
    after = [ln for ln in below[1:] if ln.bbox[1] >= line.bbox[3] - 1.0]
    if after and after[0].bbox[1] - line.bbox[3] < DEFAULT.apart_lines * height:
        return ""  # the first line of a paragraph
    return text


def _running_size(page: PageContent, box: BBox) -> float:
    """Median size of the page's running text (lines outside the table longer than any
    unlabelled caption, or lines of a paragraph): a table is often set smaller than the
    running text, and a caption at running-text size is no heading. 0 when the page has no
    running text."""
    outside = [
        ln
        for ln in page.lines
        if ln.font_size > 0 and not (box[1] <= ln.bbox[1] and ln.bbox[3] <= box[3])
    ]
    sizes = sorted(
        ln.font_size
        for ln in outside
        if len(_norm(ln.text)) > DEFAULT.max_plain_chars or _in_paragraph(ln, outside)
    )
    return sizes[len(sizes) // 2] if sizes else 0.0


def _in_paragraph(line: TextLine, lines: list[TextLine]) -> bool:
    """Another line at the same size and left edge follows ``line`` at line spacing: a
    paragraph's line, however narrow its column (a two-column page's lines are short)."""
    height = line.bbox[3] - line.bbox[1]
    return any(
        abs(ln.font_size - line.font_size) <= 0.05 * line.font_size
        and abs(ln.bbox[0] - line.bbox[0]) <= 0.1 * height
        and 0 <= ln.bbox[1] - line.bbox[3] <= DEFAULT.apart_lines * height
        for ln in lines
    )


def too_wide_for_caption(line: TextLine, box: BBox, share: float) -> bool:
    """``line`` spans more than ``share`` of the table's width, and the table is wide enough
    (``CaptionSettings.narrow_table_em`` line heights) for that to mark running text."""
    height = line.bbox[3] - line.bbox[1]
    width = box[2] - box[0]
    if height > 0 and width < DEFAULT.narrow_table_em * height:
        return False
    return line.bbox[2] - line.bbox[0] > share * width


def caption_of(
    table: Table,
    pages: dict[int, PageContent],
    others: list[BBox],
    running: set[str] | None = None,
) -> str:
    """The nearest labelled caption above the table on its first page or below it on its last,
    else an unlabelled caption right under it (``""`` when there is none); a continuation mark
    is dropped."""
    found: list[tuple[float, TextLine]] = []
    plain = ""
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
        box = table.bbox if above or len(table.pages) == 1 else last_part_box(table)
        found.extend(_candidates(free, box, above, reach))
        if not above:
            plain = _plain_caption_below(table, page, box, free, running or set())
    if not found:
        return CONTINUED_MARK.sub("", plain)
    _, line = min(found, key=lambda f: f[0])
    return CONTINUED_MARK.sub("", _norm(line.text))


def last_part_box(table: Table) -> BBox:
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
    running = running_shapes(pages)
    out = []
    for table in tables:
        others = [t.bbox for t in tables if t is not table and set(t.pages) & set(table.pages)]
        caption = caption_of(table, by_number, others, running)
        out.append(replace(table, title=caption) if caption else table)
    return out
