"""The dataset registry: every dataset is one module of ``csrextract.datasets``, and a dataset
declared in one place (here: in the test) is classified, normalised, validated and written with
no other change."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest
from tables_pdf import make_pdf, ruled_two_columns, text

import csrextract
from csrextract import contract, datasets, names, storage
from csrextract.classify import Features, classify_kind
from csrextract.datasets import Column, DatasetSpec, Located, place
from csrextract.errors import ValidationFailedError
from csrextract.models import Table, TableKind, TableStyle
from csrextract.normalise import normalise_rows
from csrextract.validate import validate_datasets

# --- a throwaway dataset: water use per site ------------------------------------------------------

_WATER_HEADER = re.compile(r"用水")
_NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?$")


@dataclass(frozen=True, slots=True, kw_only=True)
class WaterUse(Located):
    site: str
    tonnes: float | None


def _is_water_table(f: Features, title: str) -> bool:
    return bool(_WATER_HEADER.search(f.header))


def _water_rows(tables: list[Table]) -> list[WaterUse]:
    rows = []
    for table in tables:
        for site, amount, *_ in table.rows()[1:]:
            figure = amount.text.replace(",", "").strip()
            rows.append(
                WaterUse(
                    site=site.text.strip(),
                    tonnes=float(figure) if _NUMBER.match(figure) else None,
                    **place([site], table),
                )
            )
    return rows


WATER = DatasetSpec(
    name="water_use",
    description="Water drawn per site.",
    columns=(Column("site", "string"), Column("tonnes", "float64", nullable=True)),
    key=("report_id", "site"),
    order=60,
    table_rows=True,
    kind="water",
    priority=5,
    matcher=_is_water_table,
    normalise=_water_rows,
    row=WaterUse,
)

WATER_ROWS = [("园区", "年度用水量（吨）"), ("北京园区", "12000"), ("上海园区", "8000.5")]


def water_page(page: pymupdf.Page) -> None:
    text(page, 50, 100, "水资源管理", size=16)
    ruled_two_columns(page, WATER_ROWS, top=130, xs=(50, 250, 450))


@pytest.fixture(scope="module")
def water_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pdf(tmp_path_factory.mktemp("water") / "acme_2023_report.pdf", [water_page])


def test_a_dataset_declared_in_one_place_is_classified_normalised_validated_and_written(
    water_pdf: Path, tmp_path: Path
) -> None:
    before = csrextract.extract(water_pdf, company="acme", year=2023)
    assert "water_use" not in before.datasets
    assert [t.kind for t in before.tables] == [TableKind.METRICS]  # figures: a KPI table so far

    with datasets.registered(WATER):
        report = csrextract.extract(water_pdf, company="acme", year=2023)
        assert [t.kind for t in report.tables] == ["water"]
        assert report.datasets["metrics"].empty
        water = report.datasets["water_use"]
        assert list(water.columns) == contract.spec("water_use").columns
        assert list(zip(water["site"], water["tonnes"], strict=True)) == [
            ("北京园区", 12000.0),
            ("上海园区", 8000.5),
        ]
        assert set(water["table_id"]) == {report.tables[0].table_id}
        assert set(water["report_id"]) == {"acme-2023"}
        validate_datasets(report.datasets)

        report.write(tmp_path)
        stored = storage.read_dataset("water_use", output=tmp_path)
        assert sorted(stored["site"]) == ["上海园区", "北京园区"]
        assert str(stored["tonnes"].dtype) == "float64"

    assert "water_use" not in contract.DATASETS  # gone again with the block
    assert [t.kind for t in csrextract.extract(water_pdf).tables] == [TableKind.METRICS]


def test_validation_applies_the_new_datasets_contract(water_pdf: Path) -> None:
    with datasets.registered(WATER):
        report = csrextract.extract(water_pdf, company="acme", year=2023)
        broken = dict(report.datasets)
        broken["water_use"] = broken["water_use"].assign(site="北京园区")  # key no longer unique
        with pytest.raises(ValidationFailedError, match="water_use"):
            validate_datasets(broken)


# --- the registry itself --------------------------------------------------------------------------


def test_the_registry_holds_every_contract_dataset_in_order() -> None:
    assert [s.name for s in datasets.all_specs()] == list(contract.DATASETS)
    assert tuple(contract.DATASETS) == names.DATASET_NAMES
    assert [s.name for s in datasets.named()] == list(names.NORMALISED_DATASETS)
    assert names.NORMALISED_DATASETS == (
        "sdg_responses",
        "stakeholder_matrix",
        "certifications",
        "gri_index",
        "metrics",
    )
    assert datasets.kinds() == [*TableKind]  # the built-in kinds, ``other`` last


@pytest.mark.parametrize("spec", datasets.named(), ids=lambda s: s.name)
def test_each_named_datasets_row_type_is_its_contract_row(spec: DatasetSpec[Located]) -> None:
    """The typed row's fields are exactly the contract's content columns plus provenance."""
    assert spec.row is not None
    fields = [f.name for f in dataclasses.fields(spec.row)]
    arrow = contract.spec(spec.name)
    provenance = ["page", "bbox", "method", "confidence"]
    assert sorted(fields) == sorted([*arrow.content_columns, *provenance])
    assert spec.row.__dataclass_params__.frozen
    assert hasattr(spec.row, "__slots__")


def test_matchers_are_tried_most_specific_first() -> None:
    """A GRI index holds figures too: its matcher must come before the metrics one."""
    order = [s.name for s in datasets.classifiers()]
    assert order.index("gri_index") < order.index("metrics")
    assert order[-1] == "metrics"


def test_typed_rows_come_out_of_every_normaliser() -> None:
    sdg = Table(
        "t01",
        [],
        0,
        0,
        [1],
        (0.0, 0.0, 1.0, 1.0),
        TableStyle.RULED,
        kind=TableKind.SDG,
    )
    rows = normalise_rows([sdg])
    assert set(rows) == set(names.NORMALISED_DATASETS)
    assert all(r == [] for r in rows.values())


def test_an_inconsistent_spec_is_refused_when_declared() -> None:
    with pytest.raises(ValueError, match="row type WaterUse has fields"):
        dataclasses.replace(WATER, columns=(Column("site", "string"),))
    with pytest.raises(ValueError, match="key column 'plant'"):
        dataclasses.replace(WATER, key=("report_id", "plant"))
    with pytest.raises(ValueError, match="together"):
        dataclasses.replace(WATER, matcher=None)
    with pytest.raises(ValueError, match="unknown type"):
        Column("site", "varchar")


def test_a_taken_name_or_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        datasets.register(dataclasses.replace(WATER, name="metrics", kind="water"))
    with pytest.raises(ValueError, match="already read"):
        datasets.register(dataclasses.replace(WATER, kind=TableKind.SDG))
    assert "water_use" not in contract.DATASETS


def test_unknown_kinds_read_back_as_other() -> None:
    assert datasets.known_kind("gri_index") is TableKind.GRI_INDEX
    assert datasets.known_kind("water") is TableKind.OTHER
    with datasets.registered(WATER):
        assert datasets.known_kind("water") == "water"
        assert classify_kind(_water_table(), "") == "water"


def _water_table() -> Table:
    from csrextract.models import Cell

    cells = [
        Cell(row=r, col=c, text=v, is_header=r == 0)
        for r, row in enumerate(WATER_ROWS)
        for c, v in enumerate(row)
    ]
    return Table("t01", cells, 3, 2, [1], (0.0, 0.0, 1.0, 1.0), TableStyle.RULED)


def test_the_registry_is_import_light() -> None:
    """The command line lists dataset names from the registry: no pandas, pyarrow or PyMuPDF."""
    probe = (
        "import sys\n"
        "from csrextract import datasets, names\n"
        "datasets.all_specs()\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'pymupdf', 'numpy') if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_docs_describe_every_dataset_with_its_key() -> None:
    """The analysts' guide lists every dataset of the registry, each with its natural key."""
    guide = (Path(__file__).parents[1] / "docs" / "analysts.md").read_text(encoding="utf-8")
    listed = {
        m["name"]: m["key"].strip()
        for m in re.finditer(r"^\| `(?P<name>\w+)` \|[^\n]*\| (?P<key>[\w, ]+) \|$", guide, re.M)
    }
    missing = [s.name for s in datasets.all_specs() if f"`{s.name}`" not in guide]
    assert missing == []
    for name, key in listed.items():
        assert key == ", ".join(datasets.get(name).key), name
    assert len(listed) >= len(names.NORMALISED_DATASETS)
