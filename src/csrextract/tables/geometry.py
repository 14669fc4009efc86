"""Small pure helpers on ``BBox`` tuples ``(x0, top, x1, bottom)`` (PDF points, top-left origin)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from csrextract.models import BBox, TextLine

EMPTY_BBOX: BBox = (0.0, 0.0, 0.0, 0.0)


def union(boxes: Iterable[BBox]) -> BBox:
    """Smallest box holding every box; ``EMPTY_BBOX`` for none."""
    boxes = list(boxes)
    if not boxes:
        return EMPTY_BBOX
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def center(box: BBox) -> tuple[float, float]:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def width(box: BBox) -> float:
    return box[2] - box[0]


def height(box: BBox) -> float:
    return box[3] - box[1]


def contains_point(box: BBox, x: float, y: float, tol: float = 0.0) -> bool:
    return box[0] - tol <= x <= box[2] + tol and box[1] - tol <= y <= box[3] + tol


def overlap_1d(a0: float, a1: float, b0: float, b1: float) -> float:
    """Length of the overlap of two intervals (0 when disjoint)."""
    return max(0.0, min(a1, b1) - max(a0, b0))


def intersects(a: BBox, b: BBox, tol: float = 0.0) -> bool:
    return a[0] - tol < b[2] and b[0] - tol < a[2] and a[1] - tol < b[3] and b[1] - tol < a[3]


def inside_fraction(inner: BBox, outer: BBox) -> float:
    """Share of ``inner``'s area lying in ``outer`` (1.0 for a degenerate inner box inside)."""
    w = overlap_1d(inner[0], inner[2], outer[0], outer[2])
    h = overlap_1d(inner[1], inner[3], outer[1], outer[3])
    area = width(inner) * height(inner)
    if area <= 0:
        cx, cy = center(inner)
        return 1.0 if contains_point(outer, cx, cy) else 0.0
    return w * h / area


def lines_in(lines: Iterable[TextLine], box: BBox, share: float = 0.5) -> list[TextLine]:
    """Lines whose area lies mostly inside ``box``."""
    return [ln for ln in lines if inside_fraction(ln.bbox, box) >= share]


def median(values: Iterable[float], default: float = 0.0) -> float:
    ordered = sorted(values)
    if not ordered:
        return default
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def font_size_of(lines: Iterable[TextLine], default: float = 10.0) -> float:
    """Typical font size of some lines: their declared size, else their height."""
    sizes = [ln.font_size if ln.font_size > 0 else height(ln.bbox) for ln in lines]
    return median((s for s in sizes if s > 0), default)


def share_width(bbox: BBox, weights: Sequence[float]) -> tuple[BBox, ...]:
    """Boxes side by side across ``bbox``, each as wide as its share of ``weights``.

    Estimates per-character boxes where the source gives none (OCR runs): what a character is
    worth (CJK wide, Latin narrow) is the caller's choice.
    """
    total = sum(weights) or 1.0
    x0, top, x1, bottom = bbox
    step = (x1 - x0) / total
    boxes: list[BBox] = []
    x = x0
    for weight in weights:
        boxes.append((x, top, x + weight * step, bottom))
        x += weight * step
    return tuple(boxes)
