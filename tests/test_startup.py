"""Process start-up: PyMuPDF's unused add-ons stay out of the processes csrextract owns, and a
library user's process is left as it is."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
{setup}
import pymupdf
doc = pymupdf.open()
doc.new_page().insert_text((72, 72), "still works")
print(sorted(m for m in ("pymupdf.layout", "pymupdf4llm") if sys.modules.get(m) is not None))
"""


def _loaded_extras(setup: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(setup=setup)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_lean_imports_keep_the_extras_out() -> None:
    setup = "from csrextract.isolation import lean_imports; lean_imports()"
    assert _loaded_extras(setup) == "[]"


def test_a_process_that_already_loaded_pymupdf_is_untouched() -> None:
    setup = (
        "import pymupdf; before = sys.modules.get('pymupdf4llm')\n"
        "from csrextract.isolation import lean_imports; lean_imports()\n"
        "assert sys.modules.get('pymupdf4llm') is before"
    )
    assert _loaded_extras(setup) == _loaded_extras("")
