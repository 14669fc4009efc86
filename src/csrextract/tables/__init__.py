"""Table detection and structure recovery for every drawing style, and cross-page stitching.

``detect_tables(page)`` runs the registered strategies in their ``order`` (ruled, filled,
three-line, aligned); each claims its regions so a later, weaker strategy never re-reads a table.
A strategy is any module of this package that registers one (``base.register``): the modules are
imported on first use, so a new drawing style is one new module.
``stitch_tables(tables, pages)`` merges a table continued on the next page.
"""

from __future__ import annotations

import functools
import importlib
import logging
import pkgutil

from csrextract.models import BBox, PageContent, Table
from csrextract.tables.base import REGISTRY, TableStrategy
from csrextract.tables.stitch import stitch_tables

__all__ = ["detect_tables", "known_styles", "stitch_tables", "strategies"]

logger = logging.getLogger(__name__)


@functools.cache
def _discover() -> None:
    """Import every module of the package once; strategy modules register themselves."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def strategies() -> list[TableStrategy]:
    """The registered strategies in the order they run (most reliable first)."""
    _discover()
    return sorted(REGISTRY.values(), key=lambda s: (s.order, s.style))


def known_styles() -> list[str]:
    """Every registered style name (the values ``tables.style`` may hold)."""
    return [s.style for s in strategies()]


def detect_tables(page: PageContent) -> list[Table]:
    """Every table on one page, top to bottom; ``table_id`` is provisional (``p<page>-<n>``)."""
    claimed: list[BBox] = []
    found: list[Table] = []
    for strategy in strategies():
        found.extend(strategy.parse(page, claimed))
    found.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    for i, table in enumerate(found, start=1):
        table.table_id = f"p{page.number}-{i}"
    logger.debug("page %d: %d tables", page.number, len(found))
    return found
