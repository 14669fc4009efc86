"""Exceptions. Every error names what failed (file, stage, page) so users can act on it."""

from __future__ import annotations


class CsrExtractError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(CsrExtractError):
    """The input file cannot be ingested: not a PDF, encrypted, truncated or empty."""


class StageError(CsrExtractError):
    """A pipeline stage failed; carries the stage name and, where known, the page."""

    def __init__(self, stage: str, message: str, page: int | None = None) -> None:
        where = f"{stage} (page {page})" if page is not None else stage
        super().__init__(f"{where}: {message}")
        self.stage = stage
        self.page = page


class ValidationFailedError(CsrExtractError):
    """A dataset failed schema validation; nothing was written."""


class OcrUnavailableError(CsrExtractError):
    """The selected OCR engine or its model weights are missing."""


class StorageError(StageError):
    """The output folder or a Delta table cannot be read or written (disk full, read-only,
    damaged log or data file); the message names the table and what to do."""

    def __init__(self, message: str) -> None:
        CsrExtractError.__init__(self, message)
        self.stage = "storage"
        self.page = None


class IdentityConflictError(CsrExtractError):
    """A different PDF was detected as a report already stored; ``--replace`` replaces it."""


class ConfigurationError(CsrExtractError):
    """An option or the environment is wrong (e.g. the OCR engine is not installed); nothing
    was extracted."""
