"""Where the real documents are: ``$CSREXTRACT_REAL_DIR`` or the first ``shared/real`` folder
above the checkout (``../shared/real`` next to a clone, further up from a worktree). They are
never copied into the repository; tests that need them skip when the folder is absent."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(
    os.environ.get("CSREXTRACT_REAL_DIR")
    or next(
        (p / "shared" / "real" for p in ROOT.parents if (p / "shared" / "real").is_dir()),
        ROOT.parent / "shared" / "real",
    )
)
