"""On-disk cache of OCR results, so a re-run on an unchanged PDF does no OCR at all.

What is cached: the finished result for one page area — text lines, rules and fills — so a
warm run skips rendering, deskew and graphics detection too, not only the engine.

Key (``area_key``): SHA-256 of exactly what determines the image the engine would see — the
page's content stream, the raw bytes of every image and form it draws, the page size and
rotation, the area and dpi — plus the engine's version (package + model files), the PyMuPDF
and OpenCV versions (renderer, image ops) and a fingerprint of this package's OCR code. Hashing
the source bytes is as exact as hashing the rendered pixels (rendering is deterministic for a
fixed renderer version) and ~100× cheaper, which is what makes a warm page take milliseconds.

Storage: one small JSON file per area under two-level fan-out folders, written to a temporary
file and renamed, so a killed run never leaves a half-written entry and parallel workers never
read one. Default folder ``~/.cache/csrextract/ocr``, or ``$CSREXTRACT_CACHE_DIR/ocr``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import pymupdf

from csrextract.models import BBox, Fill, Method, Rule, TextLine

logger = logging.getLogger(__name__)

CACHE_DIR_ENV = "CSREXTRACT_CACHE_DIR"
CACHE_FORMAT = "ocr-area-v1"
"""Bump when the stored payload's shape changes."""


def default_cache_dir() -> Path:
    """``$CSREXTRACT_CACHE_DIR/ocr`` if set, else ``~/.cache/csrextract/ocr``."""
    root = os.environ.get(CACHE_DIR_ENV)
    base = Path(root) if root else Path.home() / ".cache" / "csrextract"
    return base / "ocr"


@functools.cache
def code_fingerprint() -> str:
    """Hash of the OCR package's source: editing the OCR code invalidates its cached results."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def area_key(page: pymupdf.Page, area: BBox, dpi: float, engine_version: str) -> str:
    """Cache key of one page area as the OCR stage would see it (see the module docstring)."""
    doc = page.parent
    digest = hashlib.sha256()
    header = (
        f"{CACHE_FORMAT}|{engine_version}|pymupdf-{pymupdf.VersionBind}|cv2-{cv2.__version__}|"
        f"{code_fingerprint()}|{dpi:.2f}|{tuple(round(v, 2) for v in area)}|"
        f"{tuple(page.rect)}|{page.rotation}|"
    )
    digest.update(header.encode())
    digest.update(page.read_contents())
    xrefs = sorted({img[0] for img in page.get_images(full=True)})
    xrefs += sorted({xo[0] for xo in page.get_xobjects()})
    for xref in xrefs:
        digest.update(f"|{xref}|".encode())
        digest.update(doc.xref_stream_raw(xref) or b"")
    return digest.hexdigest()


@dataclass(slots=True)
class CacheStats:
    """Lookups of the OCR cache in this process: the cache says whether it served a page area
    (reports, benchmarks and tests count hits instead of guessing them from wall time)."""

    hits: int = 0
    misses: int = 0

    def snapshot(self) -> tuple[int, int]:
        return self.hits, self.misses


STATS = CacheStats()
"""This process's counts (worker processes keep their own)."""


class OcrCache:
    """A folder of cached area results; ``None`` as folder disables caching."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def contains(self, key: str) -> bool:
        """Whether ``key`` has an entry (a probe: not counted as a lookup)."""
        return self.folder is not None and self._path(key).is_file()

    def get(self, key: str) -> dict[str, Any] | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            STATS.misses += 1
            return None
        except (OSError, ValueError) as exc:
            logger.warning("ignoring unreadable OCR cache entry %s: %s", path, exc)
            STATS.misses += 1
            return None
        STATS.hits += 1
        return data

    def put(self, key: str, payload: dict[str, Any]) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
            ) as handle:
                handle.write(text)
                tmp = Path(handle.name)
            tmp.replace(path)
        except OSError as exc:  # a cache that cannot be written must not fail the run
            logger.warning("cannot write OCR cache entry %s: %s", path, exc)


# --- payload ----------------------------------------------------------------------------------


def encode(lines: list[TextLine], rules: list[Rule], fills: list[Fill]) -> dict[str, Any]:
    return {
        "lines": [
            [ln.text, list(ln.bbox), ln.confidence, ln.font_size, [list(b) for b in ln.char_boxes]]
            for ln in lines
        ],
        "rules": [[r.x0, r.y0, r.x1, r.y1, r.width] for r in rules],
        "fills": [[*f.bbox, f.gray] for f in fills],
    }


def _bbox(values: list[float]) -> BBox:
    return (float(values[0]), float(values[1]), float(values[2]), float(values[3]))


def decode(payload: dict[str, Any]) -> tuple[list[TextLine], list[Rule], list[Fill]]:
    lines = [
        TextLine(
            text=text,
            bbox=_bbox(bbox),
            method=Method.OCR,
            confidence=float(conf),
            font_size=float(size),
            char_boxes=tuple(_bbox(b) for b in chars),
        )
        for text, bbox, conf, size, chars in payload["lines"]
    ]
    rules = [Rule(*map(float, r)) for r in payload["rules"]]
    fills = [Fill(_bbox(f[:4]), float(f[4])) for f in payload["fills"]]
    return lines, rules, fills
