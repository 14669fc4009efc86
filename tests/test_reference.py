"""Reference data shipped in the package: complete, consistent and loadable offline."""

from __future__ import annotations

from csrextract import reference
from csrextract.contract import STAKEHOLDER_GROUPS


def test_seventeen_sdgs_with_official_short_names() -> None:
    goals = reference.sdgs()
    assert [g.number for g in goals] == list(range(1, 18))
    first = reference.sdg(1)
    assert first is not None and first.name_zh == "无贫穷"
    assert goals[2].name_zh == "良好健康与福祉"
    assert goals[16].name_en == "Partnerships for the Goals"
    assert reference.sdg(18) is None


def test_gri_2016_and_2021_disclosures() -> None:
    codes = reference.gri_disclosures()
    assert {f"102-{n}" for n in range(1, 57)} <= set(codes)
    assert {"103-1", "103-2", "103-3"} <= set(codes)
    assert {f"2-{n}" for n in range(1, 31)} | {"3-1", "3-2", "3-3"} <= set(codes)
    assert codes["102-55"].title_en == "GRI content index"
    assert codes["418-1"].standard == "GRI 418"
    assert all(d.standard in reference.gri_standards() for d in codes.values())
    assert reference.gri_standard("102") == reference.gri_standard("GRI 102")


def test_iso_standards_canonical_designations() -> None:
    designations = {n: reference.iso_standard(n) for n in ("27001", "9001", "20000")}
    assert {n: s.standard if s else None for n, s in designations.items()} == {
        "27001": "ISO/IEC 27001",
        "9001": "ISO 9001",
        "20000": "ISO/IEC 20000-1",
    }
    assert reference.iso_standard("99999") is None
    wanted = {"9001", "14001", "45001", "27001", "27701", "27017", "27018", "20000-1", "22301"}
    assert wanted | {"50001", "37001", "10002"} <= {s.number for s in reference.iso_standards()}


def test_stakeholder_aliases_map_to_contract_groups() -> None:
    aliases = reference.stakeholder_aliases()
    assert {g for _, g in aliases} <= set(STAKEHOLDER_GROUPS)
    lengths = [len(a) for a, _ in aliases]
    assert lengths == sorted(lengths, reverse=True)
