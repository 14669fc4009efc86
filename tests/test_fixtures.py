"""Properties of the committed 2021 fixtures: the three PDFs, the manifest and the golden grids.

These tests read the committed files only (no fonts, no builder run). The seed-dependent checks
skip when the seed (``$CSREXTRACT_SEED`` or ``../shared/seed``) is not on this machine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pymupdf
import pytest

from csrextract.teds import normalise_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
GOLDEN = FIXTURES / "golden"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
DIGITAL = FIXTURES / MANIFEST["files"]["digital"]
SCANNED = FIXTURES / MANIFEST["files"]["scanned"]
MIXED = FIXTURES / MANIFEST["files"]["mixed"]


def _open(path: Path) -> Iterator[pymupdf.Document]:
    doc = pymupdf.open(path)
    yield doc
    doc.close()


@pytest.fixture(scope="module")
def digital() -> Iterator[pymupdf.Document]:
    yield from _open(DIGITAL)


@pytest.fixture(scope="module")
def scanned() -> Iterator[pymupdf.Document]:
    yield from _open(SCANNED)


@pytest.fixture(scope="module")
def mixed() -> Iterator[pymupdf.Document]:
    yield from _open(MIXED)


@pytest.fixture(scope="module")
def digital_text(digital: pymupdf.Document) -> list[str]:
    return [normalise_text(page.get_text()) for page in digital.pages()]


@pytest.fixture(scope="module")
def tables() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "tables.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def cells() -> pd.DataFrame:
    frame = pd.read_csv(GOLDEN / "table_cells.csv", dtype=str, keep_default_na=False)
    for column in ("row", "col", "row_span", "col_span"):
        frame[column] = frame[column].astype(int)
    return frame


def _table(manifest_kind: str) -> dict[str, Any]:
    found = [t for t in MANIFEST["tables"] if t["kind"] == manifest_kind]
    assert len(found) == 1, manifest_kind
    return found[0]


def _cells_of(cells: pd.DataFrame, table_id: str) -> pd.DataFrame:
    return cells[cells["table_id"] == table_id]


# ---------------------------------------------------------------------------------------------
# PDFs


def test_page_count_equals_manifest(
    digital: pymupdf.Document, scanned: pymupdf.Document, mixed: pymupdf.Document
) -> None:
    assert MANIFEST["page_count"] >= 90
    assert digital.page_count == scanned.page_count == mixed.page_count == MANIFEST["page_count"]


def test_digital_has_text_on_every_page_and_embeds_a_cjk_font(
    digital: pymupdf.Document, digital_text: list[str]
) -> None:
    assert all(len(text) > 20 for text in digital_text), [
        i + 1 for i, t in enumerate(digital_text) if len(t) <= 20
    ]
    fonts = {font[0]: font for page in digital.pages() for font in page.get_fonts()}
    cjk = [xref for xref, font in fonts.items() if font[1] == "ttf" and "Droid" in font[3]]
    assert cjk, fonts
    assert all(len(digital.extract_font(xref)[3]) > 1000 for xref in cjk)  # embedded bytes
    assert "北京字节跳动" in digital_text[0] and "2021" in digital_text[0]


def test_scanned_is_one_greyscale_image_per_page_without_text(scanned: pymupdf.Document) -> None:
    for page in scanned.pages():
        assert page.get_text().strip() == "", page.number
        images = page.get_images(full=True)
        assert len(images) == 1, page.number
        xref, _, width, *_ = images[0]
        assert scanned.extract_image(xref)["colorspace"] == 1, page.number  # one channel: grey
        dpi = width / (page.rect.width / 72)
        assert 165 <= dpi <= 205, (page.number, dpi)
        assert abs(dpi - MANIFEST["scanned"]["pages"][page.number]["dpi"]) < 1, page.number
        (rect,) = page.get_image_rects(images[0][0])
        gaps = [abs(a - b) for a, b in zip(rect, page.rect, strict=True)]
        assert max(gaps) < 1, page.number  # the image covers the whole page


def test_scan_angles_are_small_but_not_zero() -> None:
    angles = [abs(p["angle_deg"]) for p in MANIFEST["scanned"]["pages"]]
    assert len(angles) == MANIFEST["page_count"]
    assert max(angles) <= 0.8 and sum(a > 0.1 for a in angles) > len(angles) / 2


def test_mixed_has_no_text_exactly_on_the_manifest_image_pages(
    mixed: pymupdf.Document, digital_text: list[str]
) -> None:
    wanted = MANIFEST["mixed"]["image_pages"]
    image_only = [page.number + 1 for page in mixed.pages() if not page.get_text().strip()]
    assert image_only == wanted
    for table in ("stakeholder", "sdg", "certification"):
        assert set(_table(table)["pages"]) <= set(wanted)
    for page in mixed.pages():
        if page.number + 1 in wanted:
            assert len(page.get_images()) == 1
        else:
            assert normalise_text(page.get_text()) == digital_text[page.number]


@pytest.mark.parametrize(
    ("kind", "on_first", "on_second"),
    [("sdg", "SDG8:", "SDG9:"), ("gri_index", "P56", "P64")],
)
def test_cross_page_tables_split_where_the_seed_breaks_them(
    digital_text: list[str], kind: str, on_first: str, on_second: str
) -> None:
    first, second = _table(kind)["pages"]
    assert second == first + 1
    assert on_first in digital_text[first - 1] and on_first not in digital_text[second - 1]
    assert on_second in digital_text[second - 1] and on_second not in digital_text[first - 1]


def test_gri_continuation_repeats_its_header_and_sdg_does_not(digital_text: list[str]) -> None:
    first, second = _table("gri_index")["pages"]
    assert "报告位置" in digital_text[first - 1] and "报告位置" in digital_text[second - 1]
    first, second = _table("sdg")["pages"]
    assert "相关响应" in digital_text[first - 1] and "相关响应" not in digital_text[second - 1]


def test_every_table_is_on_its_manifest_pages(digital_text: list[str], cells: pd.DataFrame) -> None:
    for table in MANIFEST["tables"]:
        grid = _cells_of(cells, table["table_id"])
        texts = [normalise_text(t.split("\n")[0]) for t in grid["text"] if t]
        first_page = digital_text[table["pages"][0] - 1]
        assert texts[0] in first_page, table["table_id"]
        everywhere = "".join(digital_text[p - 1] for p in table["pages"])
        assert all(t in everywhere for t in texts), table["table_id"]


# ---------------------------------------------------------------------------------------------
# Golden grids


def test_golden_tables_agree_with_the_manifest(tables: pd.DataFrame) -> None:
    assert list(tables["table_id"]) == [f"t{i:02d}" for i in range(1, 17)]
    for row, table in zip(tables.to_dict("records"), MANIFEST["tables"], strict=True):
        assert row["pages"] == ";".join(str(p) for p in table["pages"])
        assert (row["kind"], row["style"]) == (table["kind"], table["style"])
        assert (int(row["n_rows"]), int(row["n_cols"])) == (table["n_rows"], table["n_cols"])
    assert set(tables["style"]) == {"ruled", "filled", "three_line", "aligned"}


def test_every_grid_is_covered_exactly_once(tables: pd.DataFrame, cells: pd.DataFrame) -> None:
    for row in tables.to_dict("records"):
        covered: list[tuple[int, int]] = []
        for cell in _cells_of(cells, row["table_id"]).to_dict("records"):
            covered += [
                (r, c)
                for r in range(cell["row"], cell["row"] + cell["row_span"])
                for c in range(cell["col"], cell["col"] + cell["col_span"])
            ]
        expected = {(r, c) for r in range(int(row["n_rows"])) for c in range(int(row["n_cols"]))}
        assert len(covered) == len(set(covered)) and set(covered) == expected, row["table_id"]


def test_stakeholder_matrix_is_7_by_4_with_bullet_items(cells: pd.DataFrame) -> None:
    table = _table("stakeholder")
    assert (table["n_rows"], table["n_cols"]) == (7, 4)
    grid = _cells_of(cells, table["table_id"])
    assert list(grid[grid["row"] == 0]["text"]) == [
        "关键利益相关方",
        "期待与诉求",
        "沟通渠道",
        "相关回应",
    ]
    users = grid[(grid["row"] == 1) & (grid["col"] == 1)]["text"].item()
    assert users.split("\n")[:2] == ["用户体验提升", "信息安全与隐私保护"]  # markers stripped


def test_seventeen_sdg_labels_and_the_shared_14_15_response(cells: pd.DataFrame) -> None:
    grid = _cells_of(cells, _table("sdg")["table_id"])
    labels = grid[grid["col"] == 0]["text"]
    numbers = sorted(int(m.group(1)) for t in labels if (m := re.match(r"SDG (\d+):", t)))
    assert numbers == list(range(1, 18))
    sdg14_row = grid[grid["text"].str.startswith("SDG 14:")]["row"].item()
    shared = grid[(grid["row"] == sdg14_row) & (grid["col"] == 1)]
    assert shared["row_span"].item() == 2
    assert "野生动物" in shared["text"].item()


def test_six_iso_certifications(cells: pd.DataFrame) -> None:
    grid = _cells_of(cells, _table("certification")["table_id"])
    numbers = {m.group(1) for t in grid["text"] if (m := re.match(r"ISO ?(\d{5})", t))}
    assert numbers == {"20000", "27001", "27701", "27017", "27018", "22301"}
    assert not (grid["is_header"] == "true").any()


def test_pue_wue_two_row_header(cells: pd.DataFrame) -> None:
    (table_id,) = set(cells[cells["text"] == "PUE"]["table_id"])
    grid = _cells_of(cells, table_id)
    spans = {
        t: (rs, cs)
        for t, rs, cs in zip(grid["text"], grid["row_span"], grid["col_span"], strict=True)
    }
    assert spans["指标描述"] == (2, 1) and spans["定量数据"] == (1, 3)
    assert {"PUE", "<0.5", "2019 年"} <= set(spans)


def _seed_path() -> Path:
    from fixtures.seed import DEFAULT_SEED

    assert DEFAULT_SEED.exists(), f"seed missing: {DEFAULT_SEED}"
    return DEFAULT_SEED


def test_repository_seed_is_the_shared_seed() -> None:
    """``fixtures/source`` is a verbatim copy of the shared seed (checked where both exist)."""
    shared = ROOT.parent / "shared" / "seed" / "bytedance_csr_2021.md"
    if not shared.exists():
        pytest.skip("no ../shared/seed next to this checkout (a clone elsewhere)")
    assert _seed_path().read_bytes() == shared.read_bytes()


def test_gri_rows_match_the_seed(cells: pd.DataFrame) -> None:
    """Counted from the seed text itself: every TSV line after the GRI heading is one row."""
    lines = _seed_path().read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("## GRI Standards"))
    seed_rows = [ln for ln in lines[start:] if "\t" in ln]
    table = _table("gri_index")
    assert table["n_rows"] == len(seed_rows) == 23
    grid = _cells_of(cells, table["table_id"])
    pages = [t for t in grid["text"] if re.fullmatch(r"P\d+", t)]
    assert pages == [re.search(r"P\d+", ln).group(0) for ln in seed_rows[1:]]  # type: ignore[union-attr]
    chapters = grid[(grid["col"] == 0) & (grid["row"] > 0)]
    assert chapters["row_span"].sum() == len(seed_rows) - 1


def test_golden_grids_are_what_the_seed_parser_gives(cells: pd.DataFrame) -> None:
    """The committed CSV is not stale: rebuilding from the seed would give the same cells."""
    from fixtures.seed import load_seed

    doc = load_seed(_seed_path())
    expected = [
        (t.table_id, c.row, c.col, c.row_span, c.col_span, str(c.is_header).lower(), c.text)
        for t in doc.tables
        for c in sorted(t.cells, key=lambda c: (c.row, c.col))
    ]
    got = [tuple(r) for r in cells.itertuples(index=False, name=None)]
    assert got == expected
