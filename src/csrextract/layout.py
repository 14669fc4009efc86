"""Text and layout of one page from the PDF text layer: lines, rules, fills, images, triage.

``read_page_content(path, number)`` is the stage between loading and table detection. It reads

* **text lines** — PyMuPDF ``rawdict`` lines cut into runs wherever two characters are further
  apart than about one character (so cells of an aligned table stay apart), with one box per
  character (table code cuts runs that cross cell borders with them), font size and boldness;
* **rules** — axis-aligned vector lines, stroked rectangles (four rules) and hair-thin filled
  rectangles (designers draw many rules that way);
* **fills** — filled rectangles with their luminance 0..1 (the scale OCR uses for image bands);
* **images** — placed images; a large one where the text layer has no text may carry text (a
  table pasted as a picture) and is flagged for OCR.

Triage: ``IMAGE`` when the page has no usable text layer but images to OCR, ``MIXED`` when it
has text plus images flagged as carrying text, otherwise ``TEXT``. A flagged picture on a text
page must also look like it carries text (``csrextract.ocr.triage``: photographs and empty
graphics are not OCRed). Lines come in reading order:
top to bottom, and column by column when the page has a clear two-column gutter.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pymupdf

from csrextract.baselines import line_bands
from csrextract.models import BBox, Fill, ImageRegion, PageContent, PageKind, Rule, TextLine

logger = logging.getLogger(__name__)

GAP_EM = 0.8
"""A horizontal gap wider than this many font sizes splits a line into separate runs: word
spaces are about a third of that, the padding between two table cells at least this."""

MARKER_GAP_EM = 3.0
"""A lone list marker keeps its item text up to this far away (hanging bullet indents)."""

_MARKER = re.compile(r"[•●○◦·▪■□◆◇◎►▶➢✓√※\ue000-\uf8ff]")
"""Bullet glyphs (not dashes: a lone "-" is a null value in a table of figures)."""

MIN_TEXT_CHARS = 10
"""Fewer visible characters than this and the page has no usable text layer."""

LARGE_IMAGE_SHARE = 0.08
"""Images covering at least this share of the page may carry text (tables pasted as images)."""

WIDE_IMAGE_SHARE = 0.6
"""An image this share of the page wide spans the text column, as a table does ..."""

MIN_STRIP_EM = 3.0
"""... and one at least this many body font sizes tall can hold rows of text (a rule or a
thin banner cannot)."""

TEXT_FREE_SHARE = 0.05
"""An image is text-free when text-layer characters cover less than this share of it."""

TILE_GAP_PT = 1.0
"""Images closer than this (points) are pieces of one picture: scanners and PDF converters
often store a page image as dozens of thin strips or tiles, none large on its own."""

MAX_TILES = 2000
"""More placed images than this on one page are not merged (quadratic work for no reading)."""

THIN = 2.0
"""A filled rectangle thinner than this (points) is a rule, not a fill."""

AXIS_TOL = 1.0
"""A line whose ends differ by at most this across its direction is axis-aligned."""

BACKGROUND_SHARE = 0.8
"""Fills covering more of the page than this are page backgrounds, not table fills."""

MIN_COLUMN_LINES = 6
"""A text column has at least this many lines (a few runs either side of a gap are not one)."""

BOLD_FLAG = 16
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|[-_ ]w[6-9]\b|\bhv\b", re.IGNORECASE)
_UNUSABLE = re.compile(r"[\s\ufffd\x00-\x1f\ue000-\uf8ff]")

_TEXT_FLAGS = (
    pymupdf.TEXT_PRESERVE_LIGATURES | pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
)
"""``rawdict`` without ``TEXT_PRESERVE_IMAGES``: image bytes are not needed and are slow."""

Char = tuple[str, BBox, float, bool]
"""One character: glyph, box, font size, bold."""


def read_page_content(path: Path, number: int) -> PageContent:
    """Triage and read one page (``number`` is 1-based) of the PDF at ``path``."""
    with pymupdf.open(path) as doc:
        return page_content_of(doc[number - 1], number)


def read_document_content(path: Path) -> list[PageContent]:
    """Every page of one PDF, opening it once (faster than one ``read_page_content`` per page)."""
    with pymupdf.open(path) as doc:
        return [page_content_of(page, i) for i, page in enumerate(doc, start=1)]


def page_content_of(page: pymupdf.Page, number: int) -> PageContent:
    """``PageContent`` of an open PyMuPDF page."""
    width, height = page.rect.width, page.rect.height
    lines = text_lines(page)
    rules, fills = graphics(page)
    images = image_regions(page)
    kind, images = triage(lines, images, width * height, width)
    if kind is PageKind.MIXED:
        kind, images = without_textless_pictures(page, images)
    return PageContent(
        number=number,
        width=width,
        height=height,
        kind=kind,
        lines=reading_order(lines, width),
        rules=rules,
        fills=fills,
        images=images,
    )


# --- text --------------------------------------------------------------------------------------


def text_lines(page: pymupdf.Page) -> list[TextLine]:
    """Runs of text without wide gaps, from the text layer."""
    raw = page.get_text("rawdict", flags=_TEXT_FLAGS)
    stroked = stroked_text_boxes(page)
    out: list[TextLine] = []
    for block in raw["blocks"]:
        for line in block.get("lines", []):
            out.extend(split_runs(list(_chars(line, stroked))))
    return attach_markers(out)


def attach_markers(lines: list[TextLine]) -> list[TextLine]:
    """Join a lone list marker to the text that follows it on its baseline (PDF writers often
    set the bullet and its item as separate text objects, a hanging indent apart)."""
    markers = [ln for ln in lines if _MARKER.fullmatch(ln.text)]
    if not markers:
        return lines
    out = [ln for ln in lines if ln not in markers]
    for marker in markers:
        size = marker.font_size or (marker.bbox[3] - marker.bbox[1])
        candidates = [
            (ln.bbox[0] - marker.bbox[2], i)
            for i, ln in enumerate(out)
            if -0.1 * size <= ln.bbox[0] - marker.bbox[2] <= MARKER_GAP_EM * size
            and min(ln.bbox[3], marker.bbox[3]) - max(ln.bbox[1], marker.bbox[1])
            > 0.5 * min(ln.bbox[3] - ln.bbox[1], marker.bbox[3] - marker.bbox[1])
        ]
        if not candidates:
            out.append(marker)
            continue
        i = min(candidates)[1]
        item = out[i]
        boxes = marker.char_boxes + item.char_boxes
        out[i] = TextLine(
            text=marker.text + item.text,
            bbox=(
                marker.bbox[0],
                min(marker.bbox[1], item.bbox[1]),
                item.bbox[2],
                max(marker.bbox[3], item.bbox[3]),
            ),
            font_size=item.font_size,
            bold=item.bold,
            char_boxes=boxes if len(boxes) == len(marker.text) + len(item.text) else (),
        )
    return out


def stroked_text_boxes(page: pymupdf.Page) -> list[BBox]:
    """Boxes of text drawn with an outline stroke: "fake bold", common in Chinese reports whose
    CJK font has no bold face (the glyphs are filled, then stroked once more)."""
    try:
        trace = page.get_texttrace()
    except (RuntimeError, ValueError):  # damaged content stream: no boldness, still the text
        return []
    return [
        tuple(span["bbox"])
        for span in trace
        if span["type"] in (1, 2) and (span.get("linewidth") or 0) > 0
    ]


def _overlaps_mostly(box: Sequence[float], others: list[BBox]) -> bool:
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1e-6)
    for o in others:
        w = min(box[2], o[2]) - max(box[0], o[0])
        h = min(box[3], o[3]) - max(box[1], o[1])
        if w > 0 and h > 0 and w * h >= 0.5 * area:
            return True
    return False


def _chars(line: dict[str, Any], stroked: list[BBox]) -> Iterable[Char]:
    for span in line["spans"]:
        bold = (
            bool(span["flags"] & BOLD_FLAG)
            or bool(_BOLD_NAME.search(span["font"]))
            or (bool(stroked) and _overlaps_mostly(span["bbox"], stroked))
        )
        for ch in span["chars"]:
            yield ch["c"], tuple(ch["bbox"]), span["size"], bold


def split_runs(chars: Sequence[Char]) -> list[TextLine]:
    """Cut one PDF line where the gap between visible characters exceeds ``GAP_EM`` em.

    Spaces do not bridge a gap: designers (and PDF writers) align columns with runs of spaces.
    """
    runs: list[list[Char]] = []
    current: list[Char] = []
    last_right: float | None = None
    for ch in chars:
        if ch[0].isspace():
            current.append(ch)
            continue
        size = ch[2] or 1.0
        gap = ch[1][0] - last_right if last_right is not None else 0.0
        limit = MARKER_GAP_EM if _only_marker(current) else GAP_EM
        if last_right is not None and gap > limit * size:
            runs.append(current)
            current = []
        current.append(ch)
        last_right = ch[1][2]
    runs.append(current)
    return [ln for ln in (_text_line(r) for r in runs) if ln is not None]


def _only_marker(run: list[Char]) -> bool:
    """The run so far is a lone list marker (its item text follows after a wider indent)."""
    visible = [c[0] for c in run if not c[0].isspace()]
    return len(visible) == 1 and bool(_MARKER.match(visible[0]))


def _text_line(run: list[Char]) -> TextLine | None:
    """A ``TextLine`` from a run with leading and trailing spaces dropped."""
    start = next((i for i, c in enumerate(run) if not c[0].isspace()), None)
    if start is None:
        return None
    end = max(i for i, c in enumerate(run) if not c[0].isspace()) + 1
    run = run[start:end]
    boxes = tuple(c[1] for c in run)
    visible = [c[1] for c in run if not c[0].isspace()]
    bbox = (
        min(b[0] for b in visible),
        min(b[1] for b in visible),
        max(b[2] for b in visible),
        max(b[3] for b in visible),
    )
    sizes = [c[2] for c in run if not c[0].isspace()]
    bold_count = sum(1 for c in run if c[3] and not c[0].isspace())
    return TextLine(
        text="".join(c[0] for c in run),
        bbox=bbox,
        font_size=max(set(sizes), key=sizes.count),
        bold=bold_count * 2 > len(visible),
        char_boxes=boxes,
    )


# --- graphics ----------------------------------------------------------------------------------


def graphics(page: pymupdf.Page) -> tuple[list[Rule], list[Fill]]:
    """Rules and fills from the vector drawings of the page."""
    rules: list[Rule] = []
    fills: list[Fill] = []
    page_area = page.rect.width * page.rect.height
    for path in page.get_drawings():
        stroked = path.get("color") is not None and path["type"] in ("s", "fs")
        filled = path.get("fill") is not None and path["type"] in ("f", "fs")
        width = path.get("width") or 1.0
        for item in path["items"]:
            box = _item_box(item)
            if item[0] == "l":
                rule = axis_rule(item[1].x, item[1].y, item[2].x, item[2].y, width)
                if stroked and rule is not None:
                    rules.append(rule)
            elif box is not None:
                r, f = _box_graphics(box, path, stroked, filled, width, page_area)
                rules.extend(r)
                fills.extend(f)
    return rules, fills


def _item_box(item: tuple[Any, ...]) -> BBox | None:
    """The rectangle of an ``re`` item or of an axis-aligned ``qu`` item."""
    if item[0] == "re":
        r = item[1]
        return (r.x0, r.y0, r.x1, r.y1)
    if item[0] == "qu" and item[1].is_rectangular:
        r = item[1].rect
        return (r.x0, r.y0, r.x1, r.y1)
    return None


def _box_graphics(
    box: BBox,
    path: dict[str, Any],
    stroked: bool,
    filled: bool,
    width: float,
    page_area: float,
) -> tuple[list[Rule], list[Fill]]:
    """A rectangle is a rule when hair-thin, a fill when filled, four rules when stroked."""
    x0, y0, x1, y1 = box
    rules: list[Rule] = []
    fills: list[Fill] = []
    thin_h, thin_w = y1 - y0 <= THIN, x1 - x0 <= THIN
    if (thin_h or thin_w) and (filled or stroked):
        if thin_h:
            mid = (y0 + y1) / 2
            rules.append(Rule(x0, mid, x1, mid, max(y1 - y0, width if stroked else 0.0)))
        else:
            mid = (x0 + x1) / 2
            rules.append(Rule(mid, y0, mid, y1, max(x1 - x0, width if stroked else 0.0)))
        return rules, fills
    if filled and (x1 - x0) * (y1 - y0) < BACKGROUND_SHARE * page_area:
        gray = fill_gray(path["fill"], path.get("fill_opacity"))
        if gray is not None:
            fills.append(Fill(box, gray))
    if stroked and not (filled and _border_in_fill_colour(path)):
        rules += [
            Rule(x0, y0, x1, y0, width),
            Rule(x0, y1, x1, y1, width),
            Rule(x0, y0, x0, y1, width),
            Rule(x1, y0, x1, y1, width),
        ]
    return rules, fills


BORDER_COLOUR_TOL = 0.02
"""A border within this of its box's fill colour (each channel, 0..1) is the same colour."""


def _border_in_fill_colour(path: dict[str, Any]) -> bool:
    """The box's border is drawn in its own fill colour: it only widens the fill by half the
    stroke and draws no line — the white box a picture is pasted on, a redaction or a shape
    whose outline takes its fill's colour. Its four sides are no rules (read as rules they
    double the picture's own outer rules and leave empty rows around the pictured table)."""
    stroke, fill = path.get("color"), path.get("fill")
    if stroke is None or fill is None or len(stroke) != len(fill):
        return False
    opacities = [path.get(key) for key in ("stroke_opacity", "fill_opacity")]
    if len({1.0 if a is None else float(a) for a in opacities}) > 1:
        return False
    return all(abs(a - b) <= BORDER_COLOUR_TOL for a, b in zip(stroke, fill, strict=True))


def axis_rule(x0: float, y0: float, x1: float, y1: float, width: float) -> Rule | None:
    """A horizontal or vertical ``Rule`` (ends ordered), or ``None`` for diagonal lines."""
    if abs(y1 - y0) <= AXIS_TOL and abs(x1 - x0) > AXIS_TOL:
        y = (y0 + y1) / 2
        return Rule(min(x0, x1), y, max(x0, x1), y, width)
    if abs(x1 - x0) <= AXIS_TOL and abs(y1 - y0) > AXIS_TOL:
        x = (x0 + x1) / 2
        return Rule(x, min(y0, y1), x, max(y0, y1), width)
    return None


def fill_gray(rgb: Sequence[float], opacity: float | None) -> float | None:
    """Luminance of a fill seen on white paper; ``None`` when fully transparent."""
    alpha = 1.0 if opacity is None else float(opacity)
    if alpha <= 0.0:
        return None
    if len(rgb) == 1:
        lum = float(rgb[0])
    elif len(rgb) == 4:  # CMYK
        c, m, y, k = rgb
        lum = 0.299 * (1 - c) * (1 - k) + 0.587 * (1 - m) * (1 - k) + 0.114 * (1 - y) * (1 - k)
    else:
        lum = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
    return 1.0 - alpha * (1.0 - lum)


# --- images and triage -------------------------------------------------------------------------


def image_regions(page: pymupdf.Page) -> list[ImageRegion]:
    """Placed images, clipped to the page (no image bytes are decoded)."""
    out: list[ImageRegion] = []
    clip = page.rect
    for info in page.get_image_info(xrefs=True):
        r = pymupdf.Rect(info["bbox"]) & clip
        if r.is_empty or r.width < 1 or r.height < 1:
            continue
        out.append(ImageRegion((r.x0, r.y0, r.x1, r.y1), xref=int(info.get("xref") or 0)))
    return out


def usable_chars(lines: Iterable[TextLine]) -> int:
    """Visible characters that are real text (not spaces, control or private-use glyphs)."""
    return sum(len(_UNUSABLE.sub("", ln.text)) for ln in lines)


def _touching(a: BBox, b: BBox, gap: float) -> bool:
    return a[0] - gap <= b[2] and b[0] - gap <= a[2] and a[1] - gap <= b[3] and b[1] - gap <= a[3]


def merged_tiles(images: Sequence[ImageRegion], gap: float = TILE_GAP_PT) -> list[ImageRegion]:
    """One region per group of two or more touching images (strips or tiles of one picture),
    spanning the group; single images are not repeated."""
    if len(images) < 2 or len(images) > MAX_TILES:
        return []
    parent = list(range(len(images)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(images):
        for j in range(i + 1, len(images)):
            if _touching(a.bbox, images[j].bbox, gap):
                parent[root(i)] = root(j)
    groups: dict[int, list[BBox]] = {}
    for i, image in enumerate(images):
        groups.setdefault(root(i), []).append(image.bbox)
    return [
        ImageRegion(
            (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        )
        for boxes in groups.values()
        if len(boxes) >= 2
    ]


def triage(
    lines: list[TextLine],
    images: list[ImageRegion],
    page_area: float,
    page_width: float | None = None,
) -> tuple[PageKind, list[ImageRegion]]:
    """Page kind, and the images with ``carries_text`` set where OCR may find text.

    Strips or tiles of one picture are judged together: their merged region is added to the
    images (OCR reads it as one page image), so a page made of sixty thin strips is OCRed like
    a page holding one scan.
    """
    images = [*images, *merged_tiles(images)]
    large = [
        im
        for im in images
        if _area(im.bbox) >= LARGE_IMAGE_SHARE * page_area
        or (page_width is not None and _text_strip(im.bbox, page_width, lines))
    ]
    if usable_chars(lines) < MIN_TEXT_CHARS:
        if not large:
            return PageKind.TEXT, images
        flagged = [_flag(im, im in large) for im in images]
        return PageKind.IMAGE, flagged
    flagged = [_flag(im, im in large and _text_free(im.bbox, lines)) for im in images]
    kind = PageKind.MIXED if any(im.carries_text for im in flagged) else PageKind.TEXT
    return kind, flagged


def without_textless_pictures(
    page: pymupdf.Page, images: list[ImageRegion]
) -> tuple[PageKind, list[ImageRegion]]:
    """Page kind and images after the pixel triage of the flagged pictures of a text page.

    ``triage`` flags pictures by size and text-layer coverage alone; most are photographs,
    whose OCR would cost most of a cold run for nothing (``csrextract.ocr.triage``). A picture
    the triage cannot judge (or fails on) stays flagged: skipping text is worse than reading
    a photo. A page left without flagged pictures is a text page.
    """
    from csrextract.ocr.triage import assess_region  # lazy: OpenCV only for such pages

    number = (page.number or 0) + 1
    out = []
    for image in images:
        keep = image.carries_text
        if keep:
            try:
                verdict = assess_region(page, image.bbox)
            except Exception as exc:  # a picture MuPDF cannot render: let OCR report it
                logger.debug("page %d: triage of image %s failed: %s", number, image.bbox, exc)
            else:
                keep = verdict.worth_ocr
                logger.debug(
                    "page %d: image %s %s: %s (flat %.2f, marks %.3f)",
                    number,
                    tuple(round(v) for v in image.bbox),
                    "kept for OCR" if keep else "not OCRed",
                    verdict.reason.value,
                    verdict.flat_share,
                    verdict.mark_share,
                )
        out.append(_flag(image, keep))
    kind = PageKind.MIXED if any(im.carries_text for im in out) else PageKind.TEXT
    return kind, out


def _text_strip(box: BBox, page_width: float, lines: list[TextLine]) -> bool:
    """An image as wide as the text and a few lines tall: a short table pasted as a picture
    (two rows across the page cover less of it than :data:`LARGE_IMAGE_SHARE`)."""
    sizes = sorted(ln.font_size for ln in lines if ln.font_size > 0)
    fs = sizes[len(sizes) // 2] if sizes else 10.0
    width, height = box[2] - box[0], box[3] - box[1]
    return width >= WIDE_IMAGE_SHARE * page_width and height >= MIN_STRIP_EM * fs


def _flag(image: ImageRegion, carries_text: bool) -> ImageRegion:
    return ImageRegion(image.bbox, image.xref, carries_text)


def _area(box: BBox) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _text_free(box: BBox, lines: Iterable[TextLine]) -> bool:
    """Text-layer text covers (almost) none of ``box``: whatever text it shows is pixels."""
    covered = 0.0
    for ln in lines:
        b = ln.bbox
        ix = min(b[2], box[2]) - max(b[0], box[0])
        iy = min(b[3], box[3]) - max(b[1], box[1])
        if ix > 0 and iy > 0:
            covered += ix * iy
    return covered < TEXT_FREE_SHARE * _area(box)


# --- reading order -----------------------------------------------------------------------------


def reading_order(lines: list[TextLine], page_width: float) -> list[TextLine]:
    """Top to bottom, left to right; column by column below any two-column gutter."""
    gutter = find_gutter(lines, page_width)
    if gutter is None:
        return visual_order(lines)
    out: list[TextLine] = []
    section: list[TextLine] = []
    for ln in visual_order(lines):
        if ln.bbox[0] < gutter < ln.bbox[2]:
            out.extend(_columns_first(section, gutter))
            section = []
            out.append(ln)
        else:
            section.append(ln)
    out.extend(_columns_first(section, gutter))
    return out


def _columns_first(section: list[TextLine], gutter: float) -> list[TextLine]:
    left = [ln for ln in section if ln.bbox[2] <= gutter]
    right = [ln for ln in section if ln.bbox[0] >= gutter]
    return left + right


def visual_order(lines: list[TextLine]) -> list[TextLine]:
    """Lines grouped into baselines (vertical overlap), top to bottom, each left to right."""
    return [ln for band in line_bands(lines) for ln in sorted(band, key=lambda t: t.bbox[0])]


def find_gutter(lines: list[TextLine], page_width: float) -> float | None:
    """The x of a clear gutter between two text columns, or ``None`` for one-column pages.

    A gutter is an empty vertical strip in the middle half of the page, at least one em wide,
    with prose on both sides: each side holds at least a quarter of the page's lines, and most
    of those lines are long relative to their column (paragraph text, not table cells).
    """
    if len(lines) < 8:
        return None
    lo, hi = 0.25 * page_width, 0.75 * page_width
    narrow = [ln for ln in lines if ln.bbox[2] - ln.bbox[0] < 0.5 * page_width]
    if len(narrow) < 0.7 * len(lines):
        return None
    clipped = ((max(lo, ln.bbox[0]), min(hi, ln.bbox[2])) for ln in narrow)
    covered = sorted((a, b) for a, b in clipped if a < b)
    fs = sorted(ln.font_size for ln in lines)[len(lines) // 2] or 10.0
    best: tuple[float, float] | None = None
    edge = lo
    for a, b in [*covered, (hi, hi)]:
        if a > edge and a - edge >= fs and (best is None or a - edge > best[1] - best[0]):
            best = (edge, a)
        edge = max(edge, b)
    if best is None:
        return None
    gx = (best[0] + best[1]) / 2
    return gx if _prose_both_sides(narrow, gx, len(lines)) else None


def _prose_both_sides(narrow: list[TextLine], gx: float, total: int) -> bool:
    left = [ln for ln in narrow if ln.bbox[2] <= gx]
    right = [ln for ln in narrow if ln.bbox[0] >= gx]
    if min(len(left), len(right)) < max(MIN_COLUMN_LINES, 0.25 * total):
        return False
    return _mostly_long(left, min(ln.bbox[0] for ln in left), gx) and _mostly_long(
        right, gx, max(ln.bbox[2] for ln in right)
    )


def _mostly_long(side: list[TextLine], x0: float, x1: float) -> bool:
    """Most lines fill over half their column, as wrapped paragraph lines do."""
    span = max(x1 - x0, 1.0)
    long = sum(1 for ln in side if ln.bbox[2] - ln.bbox[0] >= 0.5 * span)
    return long >= 0.5 * len(side)
