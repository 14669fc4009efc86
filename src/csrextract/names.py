"""Dataset names without their schemas.

The command line offers these as choices, and ``csrextract --help`` must not import pyarrow to
list them (issue: a 4.5 s ``--help``). ``contract`` builds its schemas under exactly these names,
in this order; ``tests/test_cli.py`` checks the two agree.
"""

from __future__ import annotations

NORMALISED_DATASETS = (
    "sdg_responses",
    "stakeholder_matrix",
    "certifications",
    "gri_index",
    "metrics",
)
"""Datasets compared row by row against golden data."""

DATASET_NAMES = (*NORMALISED_DATASETS, "tables", "table_cells", "pages", "reports")
"""Every dataset of the contract, analyst datasets first."""
