"""Fast checks of the corpus design sampler and page planner (no pipeline run)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest

from csrextract.models import TableStyle
from fixtures.corpus import content, look
from fixtures.corpus.build import build_design
from fixtures.corpus.design import AXES, CORPUS_SEEDS, ENGINES, corpus_designs, sample_design
from fixtures.seed import load_seed


def test_sampler_is_deterministic() -> None:
    assert [sample_design(s) for s in CORPUS_SEEDS] == corpus_designs()
    assert sample_design(7).digest() == sample_design(7).digest()
    assert sample_design(7).digest() != sample_design(8).digest()


def test_corpus_has_forty_distinct_designs() -> None:
    designs = corpus_designs()
    assert len(designs) >= 40
    assert len({d.digest() for d in designs}) == len(designs)


@pytest.mark.parametrize("axis", sorted(AXES))
def test_every_axis_value_is_in_the_corpus(axis: str) -> None:
    seen = {getattr(d, axis) for d in corpus_designs()}
    assert set(AXES[axis]) <= seen, f"{axis}: missing {set(AXES[axis]) - seen}"


def test_both_engines_and_pictured_tables_are_used() -> None:
    designs = corpus_designs()
    assert {d.engine for d in designs} == set(ENGINES)
    pictured = [d for d in designs if d.image_table is not None]
    assert 0 < len(pictured) <= len(designs) // 3  # OCR pages stay few
    assert all(7.0 <= d.table_size <= 12.0 for d in designs)


def test_dark_headers_carry_light_text() -> None:
    for design in corpus_designs():
        colour = look.header_text_colour(design)
        if design.header_fill == "dark":
            assert colour != look.INK
        else:
            assert colour == look.INK


def test_cuts_never_cross_a_merged_cell() -> None:
    for table in load_seed().tables:
        for r in content.clean_boundaries(table):
            assert not any(c.row < r < c.row + c.row_span for c in table.cells)
            assert r > max(content.leading_header(table), default=-1) + 1


def test_golden_style_names_the_look() -> None:
    base = sample_design(0)
    assert content.golden_style(replace(base, rules="grid")) is TableStyle.RULED
    assert content.golden_style(replace(base, rules="three_line")) is TableStyle.THREE_LINE
    borderless = replace(base, rules="none", header_fill="none", zebra=False)
    assert content.golden_style(borderless) is TableStyle.ALIGNED
    assert content.golden_style(replace(borderless, zebra=True)) is TableStyle.FILLED


@pytest.mark.parametrize("engine", ENGINES)
def test_a_design_renders_every_table_on_its_recorded_pages(engine: str, tmp_path: Path) -> None:
    """Each table part's first text is on the page the golden records; builds are cached."""
    design = replace(sample_design(3), engine=engine, image_table=None)
    item = build_design(design, tmp_path)
    doc, _ = content.design_seed(design)
    tables = {}
    for line in (item.golden / "tables.csv").read_text(encoding="utf-8").splitlines()[1:]:
        fields = line.split(",")
        tables[fields[0]] = [int(p) for p in fields[3].split(";")]
    assert len(tables) == len(doc.tables) == 16
    with pymupdf.open(item.pdf) as pdf:
        texts = ["".join(page.get_text().split()) for page in pdf]
    for table in doc.tables:
        first = next(c for c in sorted(table.cells, key=lambda c: (c.row, c.col)) if c.text)
        probe = "".join((first.items or first.text.split("\n"))[0].split())[:6]
        assert probe in texts[tables[table.table_id][0] - 1], (table.table_id, probe)
    stamp = item.pdf.stat().st_mtime_ns
    assert build_design(design, tmp_path).pdf.stat().st_mtime_ns == stamp  # cached


def test_pictured_table_has_no_text_layer(tmp_path: Path) -> None:
    design = replace(sample_design(3), image_table=4)  # the certification grid
    item = build_design(design, tmp_path)
    page = int(
        next(
            ln.split(",")[3]
            for ln in (item.golden / "tables.csv").read_text(encoding="utf-8").splitlines()
            if ln.startswith("t05,")
        )
    )
    with pymupdf.open(item.pdf) as pdf:
        text = pdf[page - 1].get_text()
        assert "ISO" not in text
        assert pdf[page - 1].get_images()


def test_committed_manifest_matches_the_sampler() -> None:
    import json

    from fixtures.corpus.build import MANIFEST, CorpusItem, manifest

    items = [CorpusItem(d, Path()) for d in corpus_designs()]
    committed = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(manifest(items), ensure_ascii=False))
