"""csrextract: CSR report PDFs (Chinese first) → clean, versioned Delta Lake datasets.

Stages, each in its own module, with typed data between them (see ``models``):
load → triage → layout (text layer) / ocr → tables → classify → normalise → validate → storage.
"""

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # gives type checkers the real signatures of the lazily imported names
    from csrextract.api import Report, extract
    from csrextract.storage import read_arrow, read_dataset

try:
    __version__ = version("csrextract")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["Report", "__version__", "extract", "read_arrow", "read_dataset"]


def __getattr__(name: str) -> object:
    # Lazy so that importing the package does not import deltalake/pandas for every stage.
    if name in ("read_dataset", "read_arrow"):
        from csrextract import storage

        return getattr(storage, name)
    if name in ("extract", "Report"):
        from csrextract import api

        return getattr(api, name)
    raise AttributeError(name)
