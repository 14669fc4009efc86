"""A JSON serializer for persisted OCR task results (the flows' OCR cache).

Prefect's default result serializer is pickle: whoever can write the results folder could make
the next flow run execute arbitrary code when it loads a cached result. OCR results are plain
data (``PageContent``), so they are stored as JSON and rebuilt field by field; a tampered file
can at worst give wrong text, never run code.
"""

from __future__ import annotations

import json
from typing import Any, Literal, cast

from prefect.serializers import D, Serializer

from csrextract.models import (
    BBox,
    Fill,
    ImageRegion,
    Method,
    PageContent,
    PageKind,
    Rule,
    TextLine,
)

FORMAT_VERSION = 1
"""Bumped when the JSON layout changes; other versions are refused (the task re-runs)."""


def _bbox(values: Any) -> BBox:
    x0, top, x1, bottom = (float(v) for v in values)
    return (x0, top, x1, bottom)


def page_to_json(page: PageContent) -> dict[str, Any]:
    """``page`` as JSON-ready data (no class names, nothing executable)."""
    return {
        "format": FORMAT_VERSION,
        "number": page.number,
        "width": page.width,
        "height": page.height,
        "kind": page.kind.value,
        "lines": [
            {
                "text": ln.text,
                "bbox": list(ln.bbox),
                "method": ln.method.value,
                "confidence": ln.confidence,
                "font_size": ln.font_size,
                "bold": ln.bold,
                "char_boxes": [list(b) for b in ln.char_boxes],
            }
            for ln in page.lines
        ],
        "rules": [[r.x0, r.y0, r.x1, r.y1, r.width] for r in page.rules],
        "fills": [[*f.bbox, f.gray] for f in page.fills],
        "images": [[*im.bbox, im.xref, im.carries_text] for im in page.images],
        "errors": list(page.errors),
    }


def page_from_json(data: dict[str, Any]) -> PageContent:
    """The ``PageContent`` that ``page_to_json`` wrote; ``ValueError`` for anything else."""
    if data.get("format") != FORMAT_VERSION:
        raise ValueError(f"not a csrextract page result (format {data.get('format')!r})")
    return PageContent(
        number=int(data["number"]),
        width=float(data["width"]),
        height=float(data["height"]),
        kind=PageKind(data["kind"]),
        lines=[
            TextLine(
                text=str(ln["text"]),
                bbox=_bbox(ln["bbox"]),
                method=Method(ln["method"]),
                confidence=float(ln["confidence"]),
                font_size=float(ln["font_size"]),
                bold=bool(ln["bold"]),
                char_boxes=tuple(_bbox(b) for b in ln["char_boxes"]),
            )
            for ln in data["lines"]
        ],
        rules=[Rule(*(float(v) for v in r)) for r in data["rules"]],
        fills=[Fill(_bbox(f[:4]), float(f[4])) for f in data["fills"]],
        images=[ImageRegion(_bbox(im[:4]), int(im[4]), bool(im[5])) for im in data["images"]],
        errors=[str(e) for e in data["errors"]],
    )


class PageContentSerializer(Serializer[D]):
    """Prefect result serializer for ``PageContent``: JSON, never pickle. (Generic over
    Prefect's own type variable, as its serializers are: any other parametrisation of
    ``Serializer`` breaks Prefect's type registry.)"""

    type: Literal["csrextract-page-json"] = "csrextract-page-json"

    def dumps(self, obj: D) -> bytes:
        if not isinstance(obj, PageContent):
            raise TypeError(f"{type(obj).__name__} is not a PageContent")
        return json.dumps(page_to_json(obj), ensure_ascii=False).encode("utf-8")

    def loads(self, blob: bytes) -> D:
        return cast(D, page_from_json(json.loads(blob.decode("utf-8"))))
