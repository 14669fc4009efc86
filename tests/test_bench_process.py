"""The whole-process bench's own parts: /usr/bin/time figures and the row comparison."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.process import row_changes, timed


@pytest.mark.skipif(not Path("/usr/bin/time").exists(), reason="GNU time not installed")
def test_timed_reads_wall_clock_and_peak_memory() -> None:
    timing = timed(
        [sys.executable, "-c", "import time; b = bytearray(50_000_000); time.sleep(0.2)"]
    )
    assert timing.status == 0
    assert timing.seconds >= 0.2
    assert timing.max_rss_mb >= 50


def test_row_changes_lists_what_only_one_side_has() -> None:
    before = {name: set() for name in ("sdg_responses", "stakeholder_matrix", "certifications")}
    before |= {name: set() for name in ("gri_index", "metrics", "tables", "table_cells")}
    before |= {"pages": {'{"page": "1", "text": "photo banner"}', '{"page": "2"}'}}
    before |= {"reports": {'{"n_pages_ocr": "13"}'}}
    after = {**before, "pages": {'{"page": "1", "text": ""}', '{"page": "2"}'}}
    after["reports"] = {'{"n_pages_ocr": "5"}'}
    changes = row_changes(before, after)
    assert changes["pages"]["only_before"] == ['{"page": "1", "text": "photo banner"}']
    assert changes["pages"]["only_after"] == ['{"page": "1", "text": ""}']
    assert (changes["pages"]["before"], changes["pages"]["after"]) == (2, 2)
    assert changes["metrics"] == {"before": 0, "after": 0, "only_before": [], "only_after": []}
    assert changes["reports"]["only_after"] == ['{"n_pages_ocr": "5"}']
