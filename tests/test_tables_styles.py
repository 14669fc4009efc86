"""The table-style registry: strategies found by module, run in their declared order, and a new
drawing style added in one place (here a throwaway strategy declared inside the test) is run,
stored and validated with no other change."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from tables_pdf import make_pdf, page_content, text

from csrextract import driver
from csrextract.driver import IngestSettings
from csrextract.models import BBox, PageContent, TableStyle, TextLine
from csrextract.tables import detect_tables, known_styles, strategies
from csrextract.tables.base import Region, TableStrategy, register, unregister
from csrextract.tables.grid import Grid, grid_from_spans
from csrextract.validate import validate_datasets

ROWS = [("指标", "数值"), ("员工总数", "110000"), ("女性员工占比", "37%")]


class WholeTextStrategy(TableStrategy):
    """A made-up style: every text line of the page is one cell of a two-column grid (left and
    right half of the text's extent). Enough to show the registry, not a real detector."""

    style = "whole_text"
    order = 1  # before the ruled strategy: it claims the region first
    prior = 0.5

    def find_regions(self, page: PageContent, claimed: list[BBox]) -> list[Region]:
        boxes = [line.bbox for line in page.lines]
        if not boxes:
            return []
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        return [Region((x0, y0, x1, y1))]

    def build_grid(self, page: PageContent, region: Region, lines: list[TextLine]) -> Grid | None:
        x0, y0, x1, y1 = region.bbox
        tops = sorted({round(line.bbox[1], 1) for line in lines})
        ys = [y0, *[(a + b) / 2 for a, b in pairwise(tops)], y1 + 1]
        middle = (x0 + x1) / 2
        return grid_from_spans([x0 - 1, middle, x1 + 1], ys, [])


@pytest.fixture
def whole_text_style() -> object:
    strategy = register(WholeTextStrategy())
    yield strategy
    unregister(strategy.style)


@pytest.fixture
def three_rows(tmp_path: Path) -> Path:
    def draw(page: object) -> None:
        for i, (left, right) in enumerate(ROWS):
            text(page, 72, 100 + 20 * i, left)  # type: ignore[arg-type]
            text(page, 300, 100 + 20 * i, right)  # type: ignore[arg-type]

    return make_pdf(tmp_path / "three_rows.pdf", [draw])


def test_built_in_styles_run_most_reliable_first() -> None:
    assert [s.style for s in strategies()] == [
        TableStyle.RULED,
        TableStyle.FILLED,
        TableStyle.THREE_LINE,
        TableStyle.ALIGNED,
    ]
    assert all(0 < s.prior <= 1 for s in strategies())


def test_a_style_name_is_taken_once(whole_text_style: TableStrategy) -> None:
    class Impostor(WholeTextStrategy):
        pass

    with pytest.raises(ValueError, match="whole_text"):
        register(Impostor())


def test_a_registered_style_runs_in_its_order(
    whole_text_style: TableStrategy, three_rows: Path
) -> None:
    assert known_styles()[0] == "whole_text"
    [table] = detect_tables(page_content(three_rows))
    assert table.style == "whole_text"
    assert [[c.text for c in row] for row in table.rows()] == [list(r) for r in ROWS]
    assert table.confidence <= WholeTextStrategy.prior


def test_without_it_the_same_page_is_read_by_a_built_in_style(three_rows: Path) -> None:
    assert "whole_text" not in known_styles()
    assert all(t.style != "whole_text" for t in detect_tables(page_content(three_rows)))


def test_a_new_style_is_stored_and_validated_with_no_other_change(
    whole_text_style: TableStrategy, three_rows: Path
) -> None:
    report = driver.run(three_rows, IngestSettings(company="test", year=2021, write=False))
    assert report.datasets["tables"]["style"].tolist() == ["whole_text"]
    validate_datasets(report.datasets)
