"""The dataset registry: one module per dataset, found by scanning this package.

Each module of this package (names starting with ``_`` aside) declares ``SPEC`` (or ``SPECS``)
— a :class:`DatasetSpec` with the dataset's contract columns and key and, for a named dataset,
the table kind it reads, the matcher classify uses to recognise such a table, its normaliser
and its typed row. The contract (:mod:`csrextract.contract`), classify, the normalise dispatch,
frames, the command line's list of names and the docs all read this registry, so adding a
dataset is one new module here (and its tests); see ``docs/architecture.md``.

Import-light on purpose: no pandas, pyarrow or PyMuPDF (``csrextract --help`` lists the names).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from csrextract.datasets._spec import (
    PROVENANCE_COLUMNS,
    Column,
    DatasetSpec,
    Located,
    Matcher,
    Place,
    RowT,
    place,
)
from csrextract.models import TableKind

__all__ = [
    "PROVENANCE_COLUMNS",
    "Column",
    "DatasetSpec",
    "Located",
    "Matcher",
    "Place",
    "RowT",
    "all_specs",
    "classifiers",
    "get",
    "kinds",
    "known_kind",
    "named",
    "place",
    "register",
    "registered",
    "unregister",
]

_REGISTRY: dict[str, DatasetSpec[Any]] = {}
_discovered = False


def _discover() -> None:
    """Import every dataset module of this package once and register what it declares."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        declared = getattr(module, "SPECS", None) or (getattr(module, "SPEC", None),)
        for spec in declared:
            if spec is None:
                raise TypeError(f"dataset module {module.__name__} declares no SPEC or SPECS")
            register(spec)


def register(spec: DatasetSpec[Any]) -> DatasetSpec[Any]:
    """Add ``spec`` to the registry; a name or table kind already taken is an error."""
    if spec.name in _REGISTRY:
        raise ValueError(f"dataset {spec.name!r} is already registered")
    if spec.kind is not None and spec.kind in kinds_of(_REGISTRY.values()):
        raise ValueError(f"dataset {spec.name!r}: table kind {spec.kind!r} is already read")
    if spec.kind == TableKind.OTHER:
        raise ValueError(f"dataset {spec.name!r}: kind {TableKind.OTHER!r} means 'no dataset'")
    _REGISTRY[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """Remove a dataset (tests that register a throwaway one clean up with this)."""
    _REGISTRY.pop(name, None)


@contextmanager
def registered(spec: DatasetSpec[Any], replace: bool = False) -> Iterator[DatasetSpec[Any]]:
    """``spec`` registered for the duration of a ``with`` block; with ``replace`` it stands in
    for the dataset of the same name, which is restored afterwards."""
    _discover()
    previous = _REGISTRY.pop(spec.name, None) if replace else None
    register(spec)
    try:
        yield spec
    finally:
        unregister(spec.name)
        if previous is not None:
            _REGISTRY[previous.name] = previous


def all_specs() -> list[DatasetSpec[Any]]:
    """Every dataset in contract order (analyst datasets first, then bookkeeping)."""
    _discover()
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.name))


def get(name: str) -> DatasetSpec[Any]:
    """The spec of dataset ``name``; a clear error names the known datasets."""
    _discover()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"unknown dataset {name!r}; known datasets: {known}") from None


def named() -> list[DatasetSpec[Any]]:
    """The datasets read from tables (those with a kind), in contract order."""
    return [s for s in all_specs() if s.is_named]


def classifiers() -> list[DatasetSpec[Any]]:
    """Named datasets in the order classify tries their matchers."""
    return sorted(named(), key=lambda s: (s.priority, s.order))


def kinds_of(specs: Any) -> list[str]:
    return [s.kind for s in specs if s.kind is not None]


def kinds() -> list[str]:
    """Every table kind a table may be tagged with: the named datasets' kinds, then ``other``."""
    return [*kinds_of(named()), TableKind.OTHER]


def known_kind(text: str | None) -> str:
    """A stored kind read back: the registered kind (the ``TableKind`` member for built-in ones)
    or ``other`` for anything unknown."""
    for kind in kinds():
        if kind == text:
            return kind
    return TableKind.OTHER
