"""Load stage: refusing bad input with a one-line reason, fingerprint, identity detection."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pymupdf
import pytest
from core_pdfs import report_pdf
from tables_pdf import make_pdf, text

from csrextract.errors import InputError
from csrextract.load import Clues, detect_company, detect_year, load_document, slugify

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "fixtures" / "bytedance_csr_2021.pdf"


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_pdf(tmp_path_factory.mktemp("load") / "acme.pdf")


def _expect_input_error(path: Path, *words: str) -> None:
    with pytest.raises(InputError) as caught:
        load_document(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    for word in words:
        assert word in message


def test_refuses_missing_empty_and_non_pdf_files(tmp_path: Path) -> None:
    _expect_input_error(tmp_path / "absent.pdf", "not found")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    _expect_input_error(empty, "empty")
    text_file = tmp_path / "notes.pdf"
    text_file.write_text("hello, not a PDF", encoding="utf-8")
    _expect_input_error(text_file, "not a PDF")


def test_refuses_truncated_and_corrupt_pdfs(tmp_path: Path, good_pdf: Path) -> None:
    data = good_pdf.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    _expect_input_error(truncated, "truncated")
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n")
    with pytest.raises(InputError, match=r"garbage\.pdf"):
        load_document(garbage)


def test_refuses_a_pdf_cut_short_near_its_end_but_tolerates_trailing_junk(
    tmp_path: Path, good_pdf: Path
) -> None:
    data = good_pdf.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * 0.98)])
    _expect_input_error(cut, "truncated")
    padded = tmp_path / "padded.pdf"
    padded.write_bytes(data + b"\x00" * 4096 + b"trailing junk from a download tool" * 100)
    assert load_document(padded).report_id == "acme-2023"


def test_refuses_encrypted_pdf(tmp_path: Path, good_pdf: Path) -> None:
    locked = tmp_path / "locked.pdf"
    with pymupdf.open(good_pdf) as doc:
        doc.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    _expect_input_error(locked, "encrypted")


def test_fingerprint_metadata_and_identity_from_metadata(good_pdf: Path) -> None:
    doc = load_document(good_pdf)
    assert doc.sha256 == hashlib.sha256(good_pdf.read_bytes()).hexdigest()
    assert doc.page_count == 2
    assert doc.metadata["title"] == "ACME 2023 Sustainability Report"
    assert (doc.company, doc.report_year, doc.report_id) == ("acme", 2023, "acme-2023")


def test_identity_overrides(good_pdf: Path) -> None:
    doc = load_document(good_pdf, company="Some Co.", year=2019)
    assert (doc.company, doc.report_year) == ("some-co", 2019)


def _cover(page: pymupdf.Page) -> None:
    text(page, 60, 200, "平安银行股份有限公司", size=22)
    text(page, 60, 240, "2021 年可持续发展报告", size=28)
    text(page, 60, 700, "发布日期：2022年3月10日", size=9)


def test_identity_from_cover_text_and_alias_table(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "scan0001.pdf", [_cover])
    doc = load_document(pdf)
    assert (doc.company, doc.report_year) == ("pingan-bank", 2021)


def test_identity_from_file_name_as_last_resort(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "foo_bar_2020_esg_report.pdf", [lambda page: None])
    doc = load_document(pdf)
    assert (doc.company, doc.report_year) == ("foo-bar", 2020)


def test_year_is_the_report_year_not_the_publication_date() -> None:
    clues = Clues(
        title="",
        subject="",
        author="",
        cover_lines=("发布时间 2024年3月10日", "某公司 2023 年度社会责任报告"),
        cover_text="发布时间 2024年3月10日\n某公司 2023 年度社会责任报告",
        filename="report",
    )
    assert detect_year(clues) == 2023


def test_company_from_english_name_and_aliases() -> None:
    def clues(title: str) -> Clues:
        return Clues(title, "", "", (), "", "xyz_2022")

    assert detect_company(clues("Example Motors 2022 ESG Report")) == "example-motors"
    assert detect_company(clues("字节跳动 2022 企业社会责任报告")) == "bytedance"
    assert detect_company(clues("中国平安 2022 可持续发展报告")) == "pingan"
    assert detect_company(clues("")) == "xyz"
    assert slugify("北京") == "北京"


def test_slugs_keep_chinese_names_distinct_and_are_capped() -> None:
    assert slugify("字节跳动") == "字节跳动"
    assert len({slugify(n) for n in ("字节跳动", "腾讯", "阿里巴巴")}) == 3
    assert slugify("Société Générale") == "societe-generale"
    assert slugify("ＡＢＣ Ｇroup") == "abc-group"  # full-width letters
    assert slugify("!!! ***") == "unknown"
    long_a, long_b = slugify("a" * 10_000), slugify("a" * 9_999 + "b")
    assert len(long_a) <= 48 and len(long_b) <= 48 and long_a != long_b


def test_digital_fixture_identity() -> None:
    doc = load_document(FIXTURE)
    assert (doc.company, doc.report_year, doc.page_count) == ("bytedance", 2021, 102)


@pytest.mark.slow
def test_scan_without_metadata_is_identified_from_its_ocr_cover(tmp_path: Path) -> None:
    """No text layer, no metadata, a meaningless file name: the cover is read by OCR."""
    with pymupdf.open(ROOT / "fixtures" / "bytedance_csr_2021_scanned.pdf") as doc:
        doc.set_metadata({})
        doc.select([0, 1])
        doc.save(tmp_path / "scan0001.pdf")
    found = load_document(tmp_path / "scan0001.pdf")
    assert (found.company, found.report_year) == ("bytedance", 2021)
