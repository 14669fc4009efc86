"""Dataset names without their schemas.

The command line offers these as choices, and ``csrextract --help`` must not import pyarrow to
list them (issue: a 4.5 s ``--help``), so they are read from the import-light registry
(:mod:`csrextract.datasets`), in contract order; ``tests/test_cli.py`` checks they agree with
``contract``.
"""

from __future__ import annotations

from csrextract import datasets

NORMALISED_DATASETS = tuple(spec.name for spec in datasets.named())
"""Datasets read from tables (compared row by row against golden data)."""

DATASET_NAMES = tuple(spec.name for spec in datasets.all_specs())
"""Every dataset of the contract, analyst datasets first."""
