"""Text lines grouped by baseline: the one reading of "these runs sit on the same line" that the
layout stage (reading order) and the table stage (rows of a borderless table) share."""

from __future__ import annotations

from csrextract.models import TextLine

SAME_BASELINE_OVERLAP = 0.5
"""Two runs share a baseline when they overlap vertically by more than this share of the
smaller one's height (superscripts and mixed font sizes still join; the next line does not)."""


def line_bands(lines: list[TextLine]) -> list[list[TextLine]]:
    """Lines sharing a baseline, top to bottom (each band in the order its runs were met)."""
    bands: list[list[TextLine]] = []
    extent: list[tuple[float, float]] = []
    for line in sorted(lines, key=lambda ln: ((ln.bbox[1] + ln.bbox[3]) / 2, ln.bbox[0])):
        top, bottom = line.bbox[1], line.bbox[3]
        if bands:
            b_top, b_bottom = extent[-1]
            overlap = min(b_bottom, bottom) - max(b_top, top)
            if overlap > SAME_BASELINE_OVERLAP * min(b_bottom - b_top, bottom - top):
                bands[-1].append(line)
                extent[-1] = (min(b_top, top), max(b_bottom, bottom))
                continue
        bands.append([line])
        extent.append((top, bottom))
    return bands
