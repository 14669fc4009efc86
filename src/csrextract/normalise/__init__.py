"""Stage 6: classified tables → tidy records for the five normalised datasets.

Each kind of table has its own module reading the table *structurally* (header words, spans,
bullet items) and mapping what is printed onto the reference data (:mod:`csrextract.reference`):

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
from collections.abc import Callable

import pandas as pd

from csrextract.models import Table, TableKind
from csrextract.normalise.certification import normalise_certification
from csrextract.normalise.gri import normalise_gri
from csrextract.normalise.metrics import normalise_metrics
from csrextract.normalise.numbers import Quantity, parse_quantity
from csrextract.normalise.sdg import normalise_sdg
from csrextract.normalise.stakeholder import normalise_stakeholder

__all__ = ["NORMALISERS", "Quantity", "normalise_tables", "parse_quantity"]

log = logging.getLogger(__name__)

Normaliser = Callable[[list[Table]], pd.DataFrame]

NORMALISERS: dict[str, tuple[TableKind, Normaliser]] = {
    "sdg_responses": (TableKind.SDG, normalise_sdg),
    "stakeholder_matrix": (TableKind.STAKEHOLDER, normalise_stakeholder),
    "certifications": (TableKind.CERTIFICATION, normalise_certification),
    "gri_index": (TableKind.GRI_INDEX, normalise_gri),
    "metrics": (TableKind.METRICS, normalise_metrics),
}
"""Dataset name → (the table kind it reads, its normaliser)."""


def _readable(normaliser: Normaliser, table: Table) -> bool:
    try:
        normaliser([table])
    except Exception as exc:  # any defect of one odd table must not cost the report
        log.warning("table %s (%s) cannot be normalised: %r", table.table_id, table.kind, exc)
        return False
    return True


def _run(normaliser: Normaliser, tables: list[Table]) -> pd.DataFrame:
    """All tables of a kind together (numbering runs across them); should one of them break the
    normaliser, it is left out and the others are still read."""
    try:
        return normaliser(tables)
    except Exception:
        return normaliser([t for t in tables if _readable(normaliser, t)])


def normalise_tables(tables: list[Table]) -> dict[str, pd.DataFrame]:
    """One frame per normalised dataset from the tables of the matching kind."""
    return {
        name: _run(normaliser, [t for t in tables if t.kind is kind])
        for name, (kind, normaliser) in NORMALISERS.items()
    }
