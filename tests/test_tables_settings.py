"""Table settings objects validate themselves; ``accept`` says why a candidate is kept or not."""

from __future__ import annotations

from pathlib import Path

import pytest
from tables_pdf import hline, make_pdf, page_content, text, vline

from csrextract.models import Cell, Table, TableStyle
from csrextract.tables.base import REGISTRY
from csrextract.tables.ruled import RuledStrategy
from csrextract.tables.settings import (
    FilledSettings,
    RuledSettings,
    StitchSettings,
    ThreeLineSettings,
    Tolerance,
)


def test_tolerance_in_em_with_a_floor_in_points() -> None:
    tol = Tolerance(0.3, floor_pt=1.5)
    assert tol.at(10.0) == pytest.approx(3.0)
    assert tol.at(2.0) == 1.5


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (lambda: FilledSettings(white=1.2), "FilledSettings.white"),
        (lambda: ThreeLineSettings(min_rule_em=0), "ThreeLineSettings.min_rule_em"),
        (lambda: RuledSettings(min_text_cells=-0.1), "RuledSettings.min_text_cells"),
        (lambda: StitchSettings(max_lines_around=0), "StitchSettings.max_lines_around"),
        (lambda: Tolerance(float("nan")), "Tolerance.em"),
    ],
)
def test_a_bad_setting_names_itself(build, name: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=name.replace(".", r"\.")):
        build()


def _table(texts: list[str], n_cols: int) -> Table:
    cells = [Cell(i // n_cols, i % n_cols, t) for i, t in enumerate(texts)]
    n_rows = (len(texts) + n_cols - 1) // n_cols
    return Table("t", cells, n_rows, n_cols, [1], (0, 0, 1, 1), TableStyle.RULED)


def test_accept_returns_a_verdict_with_a_reason() -> None:
    strategy = REGISTRY[TableStyle.RULED]
    kept = strategy.accept(_table(["a", "b", "c", "d"], 2), [])
    assert kept.kept and "ruled" in kept.reason
    diagram = strategy.accept(_table(["a", "", "", "", "", "", "", "b"], 4), [])
    assert not diagram.kept and "diagram" in diagram.reason


def test_settings_change_what_a_strategy_keeps(tmp_path: Path) -> None:
    """A sparse ruled grid is a diagram under the default share, a table under a lower one."""

    def draw(page):  # type: ignore[no-untyped-def]
        for y in (100, 122, 144, 166):
            hline(page, 50, 350, y)
        for x in (50, 150, 250, 350):
            vline(page, x, 100, 166)
        text(page, 55, 115, "甲")
        text(page, 155, 137, "乙")

    page = page_content(make_pdf(tmp_path / "sparse.pdf", [draw]))
    assert RuledStrategy().parse(page, []) == []
    loose = RuledStrategy(RuledSettings(min_text_cells=0.2)).parse(page, [])
    assert len(loose) == 1 and (loose[0].n_rows, loose[0].n_cols) == (3, 3)
