"""Cache keys for the OCR task: what a page looks like, not where its file happens to live.

Prefect's default ``INPUTS`` cache policy hashes the task's arguments, and for the OCR task those
are a *path string* and a ``PageContent``: renaming or moving an unchanged PDF would miss the
cache, while overwriting a file in place with a different report would hit it. The key here is
built from the page itself — the bytes of its content stream and of every image it draws — plus
the OCR engine and pipeline versions, so an unchanged page is never OCRed twice, even inside a
re-edited report where other pages changed, and an engine or pipeline upgrade re-runs OCR.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pymupdf

import csrextract
from csrextract.ocr.engines import RUNTIME_ENV

ENGINE_PACKAGES = {
    "rapidocr": ("rapidocr", "onnxruntime", "openvino"),
    "paddleocr": ("paddleocr",),
}
"""Distributions whose versions change what an engine reads from a page image."""


def page_fingerprint(pdf_path: Path | str, page_number: int) -> str:
    """SHA-256 over what page ``page_number`` (1-based) draws: geometry, content, images."""
    digest = hashlib.sha256()
    with pymupdf.open(pdf_path) as document:
        page = document[page_number - 1]
        digest.update(f"{tuple(page.rect)}|{page.rotation}|".encode())
        digest.update(page.read_contents())
        for image in page.get_images(full=True):
            digest.update(document.xref_stream_raw(image[0]) or b"")
    return digest.hexdigest()


@cache
def engine_version(engine: str, runtime: str = "auto") -> str:
    """``engine`` and its ``runtime`` (OpenVINO or ONNX Runtime for rapidocr), plus the
    installed versions of its packages and of csrextract."""
    parts = [engine, f"runtime={runtime}", f"csrextract={csrextract.__version__}"]
    for package in ENGINE_PACKAGES.get(engine, ()):
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=missing")
    return ";".join(parts)


def ocr_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    """Prefect ``cache_key_fn`` for the OCR task: page fingerprint + engine version.

    Expects the task's ``path``, ``content`` (a ``PageContent``) and ``engine`` parameters.
    """
    fingerprint = page_fingerprint(parameters["path"], parameters["content"].number)
    engine = engine_version(
        str(parameters.get("engine", "rapidocr")), os.environ.get(RUNTIME_ENV, "auto")
    )
    return hashlib.sha256(f"ocr|{fingerprint}|{engine}".encode()).hexdigest()
