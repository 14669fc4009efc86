"""Stage 5 — classify: what each table is (its kind) and what it is called (nearest heading).

The kind decides which normaliser reads a table, so it is read from what a reader sees — the
table's own words (header words, the share of numeric cells and years in the header, whatever a
dataset's matcher looks for: SDG numbers and names, GRI disclosure codes, ISO standard
numbers …) and the heading above it — and never from page numbers, which change with every
edition and rendering. The matchers are the registered datasets' (:mod:`csrextract.datasets`),
tried in their priority order.

Headings are lines set larger than the body text (or bold at body size), short, not sentences,
not running headers/footers and not inside a table. A table's title is its caption when one
sits right above it (found by position, since captions are often set at body size and OCR font
sizes are too noisy to tell), else the nearest heading above it on its first page, else the
last heading on an earlier page.
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from csrextract import datasets
from csrextract.models import BBox, Method, PageContent, Table, TableKind, TextLine
from csrextract.tables.caption import too_wide_for_caption

HEADING_SIZE_RATIO = 1.04
"""A line at least this much larger than the body text is a heading candidate (table captions
are often set only half a point above the body)."""

OCR_HEADING_SIZE_RATIO = 1.2
"""The same for OCR lines, whose size is measured from their ink and varies by a tenth from
line to line of one paragraph (captions set barely larger are found by position instead)."""
MAX_HEADING_CHARS = 60
RUNNING_SHARE = 0.2
"""Text repeated on at least this share of pages (and 3 of them) is a running header/footer."""

CAPTION_MAX_GAP = 2.0
"""A caption sits at most this many of its line heights above its table."""
CAPTION_MAX_WIDTH = 0.7
"""A caption is narrower than this share of its table (a paragraph line spans the column)."""
CAPTION_SEPARATION = 2.0
"""The space above a caption is at least this many times the document's leading..."""
CAPTION_SEPARATION_AFTER_SENTENCE = 1.3
"""...or this many times when the line above ends a sentence (it cannot run on)."""
RUN_ON_SIZE_TOLERANCE = 0.05
"""A paragraph's next line is set at its size, within this share (a heading above is larger)."""
RUN_ON_INDENT = 1.0
"""...and starts within this many ems of its left edge (ems of the upper line's size)."""
CAPTION_WRAP_LEADING = 1.3
"""A caption's wrapped last line sits at most this many times the document's leading under
the line it continues (no more apart than the lines of a paragraph)..."""
CAPTION_WRAP_EM = 0.25
"""...or within this many ems of it (a caption may be set a little looser than the body)."""
_BLOCK_END = tuple("。！？；.!?;")
_NOTE = re.compile(r"^(?:单位|注|备注|数据来源|来源|Unit|Note|Source)\s*[:：]?", re.I)

_SENTENCE_END = tuple("：:;；，,。、")
_BULLETS = "•·○●◦▪■□-–—*"
_WORD_CHAR = re.compile(r"[A-Za-z\u4e00-\u9fff]")

_YEAR_CELL = re.compile(r"^(?:FY)?(?:19|20)\d{2}\s*(?:年度?|财年|FY)?$", re.I)
_PLACEHOLDER = re.compile(r"^[-–—/／]+$|^N/?A$", re.I)
_QUALIFIER = re.compile(r"^(?:近|约|超过|超|逾|达到|达|累计|共|<|>|≤|≥|≈|~|～|\+|-)")
_NUMBER = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?")
MAX_UNIT_CHARS = 6
"""Characters after a number that can still be a unit (``万（小时）``, ``亿人次``)."""


# --- headings -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading line (or lines joined) with where it sits: page and top-left-origin box."""

    page: int
    bbox: BBox
    text: str
    size: float


def _size(line: TextLine) -> float:
    """Font size; OCR lines have none, so their box height stands in for it."""
    return line.font_size if line.font_size > 0 else (line.bbox[3] - line.bbox[1]) * 0.8


def body_size(pages: Sequence[PageContent]) -> float:
    """The font size most characters are set in (character-weighted)."""
    weights: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            weights[round(_size(line), 1)] += len(line.text.strip())
    if not weights:
        return 0.0
    return weights.most_common(1)[0][0]


def _fold(text: str) -> str:
    """Comparable form of a line: NFKC, no digits or spaces (page numbers vary)."""
    return re.sub(r"[\d\s]+", "", unicodedata.normalize("NFKC", text))


def running_texts(pages: Sequence[PageContent]) -> set[str]:
    """Texts repeated on many pages: running headers and footers, never headings."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_fold(line.text) for line in page.lines})
    floor = max(3, int(RUNNING_SHARE * len(pages)))
    return {text for text, n in seen.items() if n >= floor and text}


def _table_regions(tables: Iterable[Table]) -> dict[int, list[BBox]]:
    """Per page, the boxes tables occupy (from cell boxes, so continuation pages count)."""
    regions: dict[int, list[BBox]] = {}
    for table in tables:
        boxes: dict[int, list[BBox]] = {}
        for cell in table.cells:
            if cell.page and cell.bbox[2] > cell.bbox[0]:
                boxes.setdefault(cell.page, []).append(cell.bbox)
        if not boxes and table.pages:
            boxes[table.pages[0]] = [table.bbox]
        for page, found in boxes.items():
            regions.setdefault(page, []).append(_union(found))
    return regions


def _union(boxes: Sequence[BBox]) -> BBox:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _inside(box: BBox, region: BBox, tol: float = 2.0) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] - tol <= cx <= region[2] + tol and region[1] - tol <= cy <= region[3] + tol


def is_heading_text(text: str) -> bool:
    """Short, worded, not a sentence or list item: could be a heading if set large."""
    text = text.strip()
    if not text or len(text) > MAX_HEADING_CHARS or text[0] in _BULLETS:
        return False
    return not (text.endswith(_SENTENCE_END) or len(_WORD_CHAR.findall(text)) < 2)


def _is_heading_line(line: TextLine, body: float) -> bool:
    size = _size(line)
    ratio = HEADING_SIZE_RATIO if line.method is Method.TEXT else OCR_HEADING_SIZE_RATIO
    larger = body > 0 and size >= body * ratio
    bold = line.bold and body > 0 and size >= body * 0.95
    return (larger or bold) and is_heading_text(line.text)


def _joinable(a: Heading, line: TextLine) -> bool:
    """The next line continues a wrapped heading: same size, right below, same left edge."""
    size = _size(line)
    gap = line.bbox[1] - a.bbox[3]
    if _has_cjk(a.text) != _has_cjk(line.text):  # 目录 / Contents: a heading and its translation
        return False
    return (
        abs(size - a.size) <= 0.5
        and -1.0 <= gap <= 0.8 * size
        and abs(line.bbox[0] - a.bbox[0]) <= size
    )


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _join(left: str, right: str) -> str:
    """Join wrapped lines; no space between CJK characters."""
    if left and right and (_is_cjk(left[-1]) or _is_cjk(right[0])):
        return left + right
    return f"{left} {right}"


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def find_headings(pages: Sequence[PageContent], tables: Sequence[Table] = ()) -> list[Heading]:
    """Every heading in document order (page, then top), wrapped lines joined."""
    body = body_size(pages)
    running = running_texts(pages)
    regions = _table_regions(tables)
    headings: list[Heading] = []
    for page in pages:
        inside = regions.get(page.number, [])
        lines = sorted(page.lines, key=lambda ln: (ln.bbox[1], ln.bbox[0]))
        previous: Heading | None = None
        for line in lines:
            if not _is_heading_line(line, body) or _fold(line.text) in running:
                previous = None
                continue
            if any(_inside(line.bbox, region) for region in inside):
                continue
            if previous is not None and _joinable(previous, line):
                previous = Heading(
                    page.number,
                    _union([previous.bbox, line.bbox]),
                    _join(previous.text, line.text.strip()),
                    previous.size,
                )
                headings[-1] = previous
                continue
            previous = Heading(page.number, line.bbox, line.text.strip(), _size(line))
            headings.append(previous)
    return headings


def _overlaps_x(a: BBox, b: BBox) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0


def nearest_heading(table: Table, headings: Sequence[Heading]) -> Heading | None:
    """The heading closest above the table on its first page, else the last one before it.

    On the table's page a heading over the table's columns beats one in another column.
    """
    if not table.pages:
        return None
    first, top = table.pages[0], table.bbox[1]
    above = [h for h in headings if h.page == first and h.bbox[3] <= top + 2.0]
    over = [h for h in above if _overlaps_x(h.bbox, table.bbox)]
    if over or above:
        return max(over or above, key=lambda h: h.bbox[3])
    earlier = [h for h in headings if h.page < first]
    return max(earlier, key=lambda h: (h.page, h.bbox[3])) if earlier else None


def line_gaps(lines: Sequence[TextLine]) -> list[float]:
    """Blank space between consecutive lines of a paragraph (lines that overlap in x and are
    less than a line height apart)."""
    ordered = sorted(lines, key=lambda ln: ln.bbox[1])
    gaps = []
    for upper, lower in itertools.pairwise(ordered):
        gap = lower.bbox[1] - upper.bbox[3]
        if _overlaps_x(upper.bbox, lower.bbox) and 0 <= gap <= _height(upper.bbox):
            gaps.append(gap)
    return gaps


def run_on_gaps(lines: Sequence[TextLine]) -> list[float]:
    """Blank space where a paragraph line runs on into the next: the upper line does not end a
    sentence, and the lower one is set at its size from its left edge.

    These pairs are a paragraph's own leading. The plain ``line_gaps`` also count the space
    after a heading or between one-line paragraphs, which in a document of short paragraphs
    outnumber it and make a caption's separating space look like ordinary leading.
    """
    ordered = sorted(lines, key=lambda ln: ln.bbox[1])
    gaps = []
    for upper, lower in itertools.pairwise(ordered):
        gap = lower.bbox[1] - upper.bbox[3]
        size = _size(upper)
        if (
            _overlaps_x(upper.bbox, lower.bbox)
            and 0 <= gap <= _height(upper.bbox)
            and not upper.text.rstrip().endswith(_BLOCK_END)
            and abs(_size(lower) - size) <= RUN_ON_SIZE_TOLERANCE * size
            and abs(lower.bbox[0] - upper.bbox[0]) <= RUN_ON_INDENT * size
        ):
            gaps.append(gap)
    return gaps


def leading(pages: Sequence[PageContent], ignore: Sequence[TextLine] = ()) -> float:
    """The document's typical space between paragraph lines (median over every page; one
    sparse page says little): taken from lines that run on when there are some
    (``run_on_gaps``), else from all consecutive lines."""
    skip = {id(line) for line in ignore}
    kept = [[ln for ln in page.lines if id(ln) not in skip] for page in pages]
    gaps = [gap for lines in kept for gap in run_on_gaps(lines)]
    if not gaps:
        gaps = [gap for lines in kept for gap in line_gaps(lines)]
    return statistics.median(gaps) if gaps else 0.0


def _height(box: BBox) -> float:
    return box[3] - box[1]


def _above(lines: Iterable[TextLine], box: BBox, slack: float) -> list[TextLine]:
    """Lines ending above ``box`` (within ``slack``) and overlapping its columns."""
    return [ln for ln in lines if ln.bbox[3] <= box[1] + slack and _overlaps_x(ln.bbox, box)]


def _is_caption_line(line: TextLine, table: Table) -> bool:
    height = _height(line.bbox)
    if height <= 0 or table.bbox[1] - line.bbox[3] > CAPTION_MAX_GAP * height:
        return False
    if too_wide_for_caption(line, table.bbox, CAPTION_MAX_WIDTH):
        return False
    text = line.text.strip()
    return is_heading_text(text) and not _NOTE.match(text)


def wrapped_start(line: TextLine, lines: Sequence[TextLine], leading_pt: float) -> TextLine | None:
    """The line a caption's last ``line`` wraps from, if any: right above it, no more apart
    than paragraph lines are (``CAPTION_WRAP_LEADING``, ``CAPTION_WRAP_EM``), set at its size
    from its left edge, not ending a sentence, and short enough that the two make one name.

    A caption wrapped over two lines leaves a last line too short to be a caption by itself
    (often a single character), and its first line looks like a paragraph's last."""
    over = [ln for ln in _above(lines, line.bbox, 1.0) if ln is not line]
    if not over:
        return None
    upper = max(over, key=lambda ln: ln.bbox[3])
    size = _size(upper)
    gap = line.bbox[1] - upper.bbox[3]
    if (
        -1.0 <= gap <= max(CAPTION_WRAP_LEADING * leading_pt, CAPTION_WRAP_EM * size)
        and abs(_size(line) - size) <= RUN_ON_SIZE_TOLERANCE * size
        and abs(line.bbox[0] - upper.bbox[0]) <= RUN_ON_INDENT * size
        and not upper.text.rstrip().endswith(_SENTENCE_END)
        and is_heading_text(_join_wrapped(upper.text.strip(), line.text.strip()))
    ):
        return upper
    return None


def _join_wrapped(head: str, tail: str) -> str:
    """A wrapped line's text joined to its continuation: no space between CJK characters."""
    if not head or not tail or _has_cjk(head[-1]) or _has_cjk(tail[0]):
        return head + tail
    return f"{head} {tail}"


def caption_above(
    table: Table, page: PageContent, ignore: Sequence[TextLine] = (), leading_pt: float = 0.0
) -> Heading | None:
    """A caption right above the table: a short, worded line set apart from the text above it.

    Captions are often set at body size (or, after OCR, at a size indistinguishable from it), so
    they are found by position: the closest line over the table's columns, at most
    ``CAPTION_MAX_GAP`` line heights above it, narrower than ``CAPTION_MAX_WIDTH`` of the table,
    not a sentence, and separated from the line above it by clearly more than the document's
    leading ``leading_pt`` (the last line of a paragraph is not).
    """
    skip = {id(line) for line in ignore}
    lines = [ln for ln in page.lines if id(ln) not in skip]
    above = _above(lines, table.bbox, 2.0)
    if not above:
        return None
    line = max(above, key=lambda ln: ln.bbox[3])
    first = wrapped_start(line, above, leading_pt)
    if first is not None:
        line = replace(
            first,
            text=_join_wrapped(first.text.strip(), line.text.strip()),
            bbox=(
                min(first.bbox[0], line.bbox[0]),
                first.bbox[1],
                max(first.bbox[2], line.bbox[2]),
                line.bbox[3],
            ),
            char_boxes=(),
        )
    if not _is_caption_line(line, table):
        return None
    top = first if first is not None else line
    over = [ln for ln in _above(above, top.bbox, 1.0) if ln is not top]
    if over:
        previous = max(over, key=lambda ln: ln.bbox[3])
        gap = line.bbox[1] - previous.bbox[3]
        # After a finished sentence a little extra space sets a caption apart; after a line
        # that runs on, only a clear gap does (else it is the paragraph's last line).
        ends_block = previous.text.rstrip().endswith(_BLOCK_END)
        factor = CAPTION_SEPARATION_AFTER_SENTENCE if ends_block else CAPTION_SEPARATION
        if gap < factor * max(leading_pt, 1.0):
            return None
    return Heading(page.number, line.bbox, line.text.strip(), _size(line))


def table_title(
    table: Table,
    headings: Sequence[Heading],
    pages: Mapping[int, PageContent],
    ignore: Sequence[TextLine] = (),
    leading_pt: float = 0.0,
) -> str | None:
    """The caption right above the table if there is one, else the nearest heading."""
    page = pages.get(table.pages[0]) if table.pages else None
    caption = caption_above(table, page, ignore, leading_pt) if page is not None else None
    heading = nearest_heading(table, headings)
    if heading is None:
        return caption.text if caption is not None else None
    # A heading ending on the caption's line *is* the caption (perhaps wrapped): keep it whole.
    below_heading = heading.page != table.pages[0] or heading.bbox[3] < (
        caption.bbox[1] if caption is not None else 0.0
    )
    return caption.text if caption is not None and below_heading else heading.text


# --- kinds --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Features:
    """What a dataset's matcher decides from: the table's words and generic counts (over
    non-empty cells). Dataset-specific evidence (GRI codes, ISO numbers …) is each matcher's own
    reading of ``texts``."""

    n_cells: int
    header: str
    first_col: tuple[str, ...]
    texts: tuple[str, ...]
    """Every non-empty cell's text (NFKC, trimmed), in reading order."""
    numeric: int
    years: int
    header_years: int
    placeholders: int


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _cell_text(table: Table) -> list[tuple[int, int, bool, str]]:
    out = []
    for cell in table.cells:
        text = _norm(cell.text or " ".join(cell.items))
        if text:
            out.append((cell.row, cell.col, cell.is_header, text))
    return out


def is_numeric_cell(text: str) -> bool:
    """A figure with at most a qualifier and a short unit: ``近330亿次``, ``92%``, ``<0.5``."""
    compact = re.sub(r"\s+", "", _norm(text))
    compact = _QUALIFIER.sub("", compact, count=1)
    match = _NUMBER.match(compact)
    if not match or _YEAR_CELL.match(compact):
        return False
    rest = compact[match.end() :]
    return len(rest) <= MAX_UNIT_CHARS and not re.search(r"\d{2,}", rest)


def _header_rows(cells: Sequence[tuple[int, int, bool, str]]) -> set[int]:
    marked = {row for row, _, is_header, _ in cells if is_header}
    return marked or {0}


def features(table: Table) -> Features:
    cells = _cell_text(table)
    header_rows = _header_rows(cells)
    texts = [text for *_, text in cells]
    header = " ".join(text for row, _, _, text in cells if row in header_rows)
    compact = [re.sub(r"\s+", "", t) for t in texts]
    return Features(
        n_cells=len(cells),
        header=header,
        first_col=tuple(text for row, col, _, text in cells if col == 0 and row not in header_rows),
        texts=tuple(texts),
        numeric=sum(1 for t in texts if is_numeric_cell(t)),
        years=sum(1 for t in compact if _YEAR_CELL.match(t)),
        header_years=sum(
            1
            for row, _, _, t in cells
            if row in header_rows and _YEAR_CELL.match(t.replace(" ", ""))
        ),
        placeholders=sum(1 for t in compact if _PLACEHOLDER.match(t)),
    )


def classify_kind(table: Table, title: str = "") -> str:
    """The table's kind from its content, helped by its title: the kind of the first registered
    dataset whose matcher accepts it (most specific evidence first), else ``other``."""
    f = features(table)
    title = _norm(title)
    for spec in datasets.classifiers():
        if spec.matcher is not None and spec.kind is not None and spec.matcher(f, title):
            return spec.kind
    return TableKind.OTHER


def classify_tables(tables: list[Table], pages: list[PageContent]) -> list[Table]:
    """Set ``kind`` and ``title`` on every table (new objects; the inputs are not changed).

    A table keeps its existing title when no heading precedes it.
    """
    headings = find_headings(pages, tables)
    by_number = {page.number: page for page in pages}
    ignore = _ignored_lines(pages, tables)
    leading_pt = leading(pages, ignore)
    out: list[Table] = []
    for table in tables:
        # a labelled caption found by the table stage names the table; headings come second
        title = table.title or table_title(table, headings, by_number, ignore, leading_pt) or ""
        out.append(replace(table, title=title, kind=classify_kind(table, title)))
    return out


def _ignored_lines(pages: Sequence[PageContent], tables: Sequence[Table]) -> list[TextLine]:
    """Lines that can be neither heading nor caption: running headers/footers, table cells."""
    running = running_texts(pages)
    regions = _table_regions(tables)
    return [
        line
        for page in pages
        for line in page.lines
        if _fold(line.text) in running
        or any(_inside(line.bbox, region) for region in regions.get(page.number, []))
    ]
