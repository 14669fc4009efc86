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
from collections.abc import Callable, Sequence
from typing import TypeVar

import pandas as pd

from csrextract import datasets
from csrextract.datasets import Located
from csrextract.errors import ConfigurationError
from csrextract.frames import normalised_frame
from csrextract.models import Table
from csrextract.normalise.numbers import Quantity, parse_quantity

__all__ = ["Quantity", "normalise_rows", "normalise_tables", "parse_quantity", "read_tables"]

log = logging.getLogger(__name__)


Row = TypeVar("Row")

OnFailure = Callable[[Table, Exception], None]
"""``on_failure(table, exc)``: told of each table a normaliser cannot read (the others' rows
are kept)."""


def _log_failure(table: Table, exc: Exception) -> None:
    log.warning("table %s (%s) cannot be normalised: %r", table.table_id, table.kind, exc)


def read_tables(
    normaliser: Callable[[list[Table]], Sequence[Row]],
    tables: list[Table],
    on_failure: OnFailure = _log_failure,
) -> Sequence[Row]:
    """All tables of a kind together (numbering runs across them); should one of them break
    the normaliser, the tables it can read alone, with ``on_failure`` for each it cannot — any
    defect of one odd table must not cost the report. A configuration error is nobody's table:
    it raises."""
    try:
        return normaliser(tables)
    except ConfigurationError:
        raise
    except Exception:
        readable = [t for t in tables if _readable(normaliser, t, on_failure)]
        return normaliser(readable) if readable else []


def _readable(
    normaliser: Callable[[list[Table]], Sequence[Row]], table: Table, on_failure: OnFailure
) -> bool:
    try:
        normaliser([table])
    except ConfigurationError:
        raise
    except Exception as exc:
        on_failure(table, exc)
        return False
    return True


def normalise_rows(
    tables: list[Table], on_failure: OnFailure = _log_failure
) -> dict[str, Sequence[Located]]:
    """Typed rows of every named dataset, each from the tables of its kind."""
    rows: dict[str, Sequence[Located]] = {}
    for spec in datasets.named():
        assert spec.normalise is not None  # a named dataset declares its normaliser
        mine = [t for t in tables if t.kind == spec.kind]
        rows[spec.name] = read_tables(spec.normalise, mine, on_failure)
    return rows


def normalise_tables(tables: list[Table]) -> dict[str, pd.DataFrame]:
    """One frame per named dataset (content and provenance columns) from its typed rows."""
    return {name: normalised_frame(name, rows) for name, rows in normalise_rows(tables).items()}
