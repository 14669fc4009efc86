"""Stage 6: classified tables → typed rows of the named datasets.

Each named dataset (:mod:`csrextract.datasets`) declares the table kind it reads and its
normaliser; this module hands every table of that kind to it. The readers proper live here, one
module per kind, reading the table *structurally* (header words, spans, bullet items) and
mapping what is printed onto the reference data (:mod:`csrextract.reference`):

============  ======================  ==========================================
kind          module                  dataset
============  ======================  ==========================================
sdg           :mod:`.sdg`             ``sdg_responses``
stakeholder   :mod:`.stakeholder`     ``stakeholder_matrix``
certification :mod:`.certification`   ``certifications``
gri_index     :mod:`.gri`             ``gri_index``
metrics       :mod:`.metrics`         ``metrics`` (every METRICS table)
============  ======================  ==========================================

Frames carry the dataset's content columns plus ``page``, ``bbox``, ``method`` and
``confidence``; identity columns are added by :mod:`csrextract.frames`. A kind that is absent
gives an empty frame with the right columns.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pandas as pd

from csrextract import datasets
from csrextract.datasets import DatasetSpec, Located
from csrextract.frames import normalised_frame
from csrextract.models import Table
from csrextract.normalise.numbers import Quantity, parse_quantity

__all__ = ["Quantity", "normalise_rows", "normalise_tables", "parse_quantity"]

log = logging.getLogger(__name__)


def _readable(spec: DatasetSpec[Any], table: Table) -> bool:
    assert spec.normalise is not None
    try:
        spec.normalise([table])
    except Exception as exc:  # any defect of one odd table must not cost the report
        log.warning("table %s (%s) cannot be normalised: %r", table.table_id, table.kind, exc)
        return False
    return True


def _run(spec: DatasetSpec[Any], tables: list[Table]) -> Sequence[Located]:
    """All tables of a kind together (numbering runs across them); should one of them break the
    normaliser, it is left out and the others are still read."""
    assert spec.normalise is not None
    try:
        return spec.normalise(tables)
    except Exception:
        return spec.normalise([t for t in tables if _readable(spec, t)])


def normalise_rows(tables: list[Table]) -> dict[str, Sequence[Located]]:
    """Typed rows of every named dataset, each from the tables of its kind."""
    return {
        spec.name: _run(spec, [t for t in tables if t.kind == spec.kind])
        for spec in datasets.named()
    }


def normalise_tables(tables: list[Table]) -> dict[str, pd.DataFrame]:
    """One frame per named dataset (content and provenance columns) from its typed rows."""
    return {name: normalised_frame(name, rows) for name, rows in normalise_rows(tables).items()}
