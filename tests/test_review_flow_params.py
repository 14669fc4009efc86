"""The flows as a user meets them in the Prefect UI and logs: described, typed parameters and
short page lists."""

from __future__ import annotations

from csrextract.models import PageContent, PageKind
from flows.ingest import OcrEngine, ingest_report, ingest_reports, page_ranges, pages_by_kind


def test_every_flow_parameter_is_described_and_the_engine_is_a_choice() -> None:
    for flow in (ingest_reports, ingest_report):
        schema = flow.parameters.model_dump()
        for name, prop in schema["properties"].items():
            assert prop.get("description"), (flow.name, name)
        engine = schema["properties"]["ocr_engine"]
        ref = engine.get("$ref") or engine.get("allOf", [{}])[0].get("$ref", "")
        enum = schema["definitions"][ref.split("/")[-1]]["enum"] if ref else engine["enum"]
        assert enum == [e.value for e in OcrEngine] == ["rapidocr", "paddleocr"]


def test_page_lists_in_logs_stay_short() -> None:
    assert page_ranges([1, 2, 3, 4, 7, 9, 10]) == "1–4, 7, 9–10"
    many = list(range(1, 300, 2))  # 150 isolated pages
    text = page_ranges(many)
    assert len(text) < 80 and text.endswith("(142 more ranges)")
    pages = [PageContent(n, 595, 842, kind=PageKind.IMAGE) for n in range(1, 103)]
    pages[4].kind = PageKind.MIXED
    assert pages_by_kind(pages) == "image p1–4, 6–102; mixed p5"
