"""Reference data shipped inside the package: SDGs, GRI disclosures, ISO standards, stakeholders.

The normalisers map what a report prints (``SDG 1: 无贫穷``, ``GRI102-21``, ``ISO27001``,
``创作者与伙伴``) onto these canonical records, so analysts can join reports of different
companies and years. The data lives in CSV files next to this module (package data, included
in the wheel by hatch) and is read once through :mod:`importlib.resources` — no network, no
files outside the package.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from csrextract.contract import STAKEHOLDER_GROUPS

__all__ = [
    "GriDisclosure",
    "GriStandard",
    "IsoStandard",
    "Sdg",
    "gri_disclosure",
    "gri_disclosures",
    "gri_standard",
    "gri_standards",
    "iso_standard",
    "iso_standards",
    "sdg",
    "sdgs",
    "stakeholder_aliases",
]


@dataclass(frozen=True, slots=True)
class Sdg:
    """One UN Sustainable Development Goal with its official Chinese and English short names."""

    number: int
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a report may print for this goal (official first)."""
        return (self.name_zh, self.name_en, *self.aliases)


@dataclass(frozen=True, slots=True)
class GriStandard:
    """A GRI Standard (``GRI 102``) with its English title and the edition year we map to."""

    standard: str
    title_en: str
    year: int


@dataclass(frozen=True, slots=True)
class GriDisclosure:
    """A GRI disclosure (``102-1``, ``2-1``) with its English title."""

    disclosure: str
    standard: str
    title_en: str


@dataclass(frozen=True, slots=True)
class IsoStandard:
    """An ISO (or ISO/IEC) management-system standard: canonical designation and titles."""

    standard: str  # canonical designation, e.g. "ISO/IEC 27001"
    number: str  # e.g. "27001", "20000-1"
    title_en: str
    name_zh: str

    @property
    def base_number(self) -> str:
        """The number without its part (``20000`` for ``20000-1``), as reports often print it."""
        return self.number.split("-")[0]


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def sdgs() -> tuple[Sdg, ...]:
    """The 17 SDGs in order."""
    return tuple(
        Sdg(
            int(r["sdg"]),
            r["name_zh"],
            r["name_en"],
            tuple(a for a in r["aliases"].split("|") if a),
        )
        for r in _rows("sdgs.csv")
    )


def sdg(number: int) -> Sdg | None:
    """The SDG with this number, ``None`` outside 1..17."""
    return next((s for s in sdgs() if s.number == number), None)


@cache
def gri_standards() -> dict[str, GriStandard]:
    """GRI Standards by designation (``"GRI 102"``)."""
    return {
        r["standard"]: GriStandard(r["standard"], r["title_en"], int(r["year"]))
        for r in _rows("gri_standards.csv")
    }


def gri_standard(code: str) -> GriStandard | None:
    """The standard of a designation (``GRI 102``) or a bare number (``102``)."""
    number = re.sub(r"\D", "", code)
    return gri_standards().get(f"GRI {number}") if number else None


@cache
def gri_disclosures() -> dict[str, GriDisclosure]:
    """GRI disclosures by code (``"102-1"``): 2016 series (101–419) and 2021 (2-x, 3-x)."""
    return {
        r["disclosure"]: GriDisclosure(r["disclosure"], r["standard"], r["title_en"])
        for r in _rows("gri_disclosures.csv")
    }


def gri_disclosure(code: str) -> GriDisclosure | None:
    """The disclosure of a code such as ``102-1`` (``None`` when the code is unknown)."""
    return gri_disclosures().get(code.strip())


@cache
def iso_standards() -> tuple[IsoStandard, ...]:
    """The ISO / ISO/IEC management-system standards we recognise."""
    return tuple(
        IsoStandard(r["standard"], r["number"], r["title_en"], r["name_zh"])
        for r in _rows("iso_standards.csv")
    )


def iso_standard(number: str) -> IsoStandard | None:
    """The standard with this number (``27001``); a bare ``20000`` finds ``20000-1``.

    A part number the table does not know (``27001-2``) falls back to the base standard only
    when the base is known, so a report's own part numbering never invents a title.
    """
    number = number.strip()
    exact = next((s for s in iso_standards() if s.number == number), None)
    if exact is not None:
        return exact
    base = number.split("-")[0]
    return next((s for s in iso_standards() if s.base_number == base), None)


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


@cache
def stakeholder_aliases() -> tuple[tuple[str, str], ...]:
    """``(folded alias, group code)`` pairs, longest alias first (so 合作伙伴 beats 伙伴)."""
    pairs = []
    for r in _rows("stakeholder_groups.csv"):
        if r["group"] not in STAKEHOLDER_GROUPS:
            raise ValueError(f"stakeholder_groups.csv: unknown group {r['group']!r}")
        pairs.append((_fold(r["alias"]), r["group"]))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))
