"""Table detection and structure recovery for every drawing style, and cross-page stitching.

``detect_tables(page)`` runs the registered strategies in order (ruled, filled, three-line,
aligned); each claims its regions so a later, weaker strategy never re-reads a table.
``stitch_tables(tables, pages)`` merges a table continued on the next page.
"""

from __future__ import annotations

import logging

from csrextract.models import BBox, PageContent, Table, TableStyle
from csrextract.tables import aligned, filled, ruled, three_line  # noqa: F401  (registration)
from csrextract.tables.base import REGISTRY
from csrextract.tables.stitch import stitch_tables

__all__ = ["detect_tables", "stitch_tables"]

logger = logging.getLogger(__name__)

STRATEGY_ORDER = (TableStyle.RULED, TableStyle.FILLED, TableStyle.THREE_LINE, TableStyle.ALIGNED)
"""Most reliable first: lines say more than fills, fills more than rules alone, text least."""


def detect_tables(page: PageContent) -> list[Table]:
    """Every table on one page, top to bottom; ``table_id`` is provisional (``p<page>-<n>``)."""
    claimed: list[BBox] = []
    found: list[Table] = []
    for style in STRATEGY_ORDER:
        if style in REGISTRY:
            found.extend(REGISTRY[style].parse(page, claimed))
    found.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    for i, table in enumerate(found, start=1):
        table.table_id = f"p{page.number}-{i}"
    logger.debug("page %d: %d tables", page.number, len(found))
    return found
