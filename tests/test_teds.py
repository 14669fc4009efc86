"""TEDS and its Levenshtein, checked against values computed by hand on tiny tables."""

from __future__ import annotations

import random

import pytest

from csrextract.models import Cell, Table, TableStyle
from csrextract.teds import html_tree, levenshtein, normalise_text, teds


def _table(cells: list[Cell], n_rows: int, n_cols: int) -> Table:
    return Table("t", cells, n_rows, n_cols, [1], (0.0, 0.0, 1.0, 1.0), TableStyle.RULED)


def _dp_levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def test_levenshtein_agrees_with_textbook_dynamic_programming() -> None:
    rng = random.Random(7)
    for _ in range(400):
        a = "".join(rng.choice("ab字节c") for _ in range(rng.randint(0, 80)))
        b = "".join(rng.choice("ab字节c") for _ in range(rng.randint(0, 80)))
        assert levenshtein(a, b) == _dp_levenshtein(a, b)


def test_levenshtein_known_values() -> None:
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3
    assert levenshtein("字节跳动", "字节跳动") == 0


def test_normalise_text_removes_whitespace_and_applies_nfkc() -> None:
    assert normalise_text(" 字节 跳动\n１２％ ") == "字节跳动12%"
    assert normalise_text(None) == ""


def test_identical_tables_score_one() -> None:
    grid = [["年份", "PUE"], ["2021", "1.2"]]
    assert teds(grid, grid) == 1.0


def test_one_wrong_cell_costs_one_node_of_eight() -> None:
    # table, tbody, 2 tr, 4 td = 8 nodes; renaming "d" -> "x" costs 1
    assert teds([["a", "b"], ["c", "d"]], [["a", "b"], ["c", "x"]]) == pytest.approx(1 - 1 / 8)


def test_partly_wrong_cell_costs_its_normalised_levenshtein() -> None:
    # "abcd" -> "abxd": 1 edit / 4 characters = 0.25 of one node
    assert teds([["abcd", "b"], ["c", "d"]], [["abxd", "b"], ["c", "d"]]) == pytest.approx(
        1 - 0.25 / 8
    )


def test_structure_only_ignores_content() -> None:
    assert teds([["a", "b"]], [["x", "y"]], structure_only=True) == 1.0


def test_missing_row_costs_its_three_nodes() -> None:
    # deleting one tr and its two td from an 8-node tree
    assert teds([["a", "b"], ["c", "d"]], [["a", "b"]]) == pytest.approx(1 - 3 / 8)


def test_span_difference_costs_a_rename_and_an_insert() -> None:
    merged = _table([Cell(0, 0, "h", col_span=2), Cell(1, 0, "a"), Cell(1, 1, "b")], 2, 2)
    split = [["h", ""], ["a", "b"]]  # 8 nodes; merged has 7
    assert teds(merged, split) == pytest.approx(1 - 2 / 8)


def test_header_rows_form_a_thead() -> None:
    with_header = _table(
        [
            Cell(0, 0, "年份", is_header=True),
            Cell(0, 1, "PUE", is_header=True),
            Cell(1, 0, "2021"),
            Cell(1, 1, "1.2"),
        ],
        2,
        2,
    )
    plain = [["年份", "PUE"], ["2021", "1.2"]]
    tree = html_tree(with_header)
    assert [child.tag for child in tree.children] == ["thead", "tbody"]
    # 9 nodes against 8. A mapping must keep ancestry, so neither thead nor tbody can become
    # the tbody holding both rows: delete thead and tbody, insert one tbody = 3.
    assert teds(with_header, plain) == pytest.approx(1 - 3 / 9)
    assert teds(with_header, plain, use_header=False) == 1.0


def test_uncovered_positions_count_as_empty_cells() -> None:
    sparse = _table([Cell(0, 0, "a"), Cell(1, 1, "d")], 2, 2)
    assert teds(sparse, [["a", ""], [None, "d"]]) == 1.0


def test_whitespace_and_width_variants_are_not_errors() -> None:
    assert teds([["字节 跳动", "１２"]], [["字节跳动", "12"]]) == 1.0


def test_rowspan_tree_has_cells_only_where_they_start() -> None:
    table = _table([Cell(0, 0, "章", row_span=2), Cell(0, 1, "a"), Cell(1, 1, "b")], 2, 2)
    tree = html_tree(table)
    rows = tree.children[0].children
    assert [len(tr.children) for tr in rows] == [2, 1]
    assert rows[0].children[0].row_span == 2
    assert teds(table, table) == 1.0
