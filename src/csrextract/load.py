"""Stage 1 — load: open and check a PDF, fingerprint it, find whose report of which year it is.

Why the checks here: every later stage reopens the file by path (page tasks run in other
processes), so a file that cannot be ingested must be refused once, up front, with a one-line
reason a user can act on (``InputError``), instead of failing 100 page tasks.

Identity (company slug, report year) is read from the document itself so a folder of
arbitrarily named PDFs ingests correctly: the metadata title/subject first, then the cover
pages' largest text, then the file name. A shipped alias table maps Chinese/English company
names to stable slugs; otherwise an ASCII slug is made from an English name. Detection never
raises: the worst case is ``unknown`` / a year from the file name, and both are overridable.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pymupdf

from csrextract.errors import InputError
from csrextract.models import Document

logger = logging.getLogger(__name__)

COVER_PAGES = 2
"""Pages whose large text is read for identity: the cover and, often, an inner title page."""

COVER_TITLE_SHARE = 0.6
"""Cover lines set at least this share of the largest size make up the cover title."""

UNKNOWN_COMPANY = "unknown"

_REPORT_WORDS = re.compile(
    r"报告|年度|年报|可持续发展|社会责任|环境|ESG|CSR|Report|Sustainability|Responsibility|Annual",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_DATE_AFTER_YEAR = re.compile(r"^\s*(?:年\s*\d{1,2}\s*月|[-/.]\s*\d{1,2}(?:\D|$))")
_DATE_BEFORE_YEAR = re.compile(r"(?:日期|发布|印刷|Date|Published|©|Copyright)\W{0,3}$", re.I)
_ENGLISH_NAME = re.compile(
    r"([A-Z][A-Za-z0-9&.\-']*(?:\s+[A-Z][A-Za-z0-9&.\-']*){0,4}?)\s+"
    r"(?:\d{4}\s+)?(?:Corporate|Sustainability|Sustainable|ESG|Environmental|Social|CSR|"
    r"Annual|Responsibility|Report)\b"
)
_SLUG_STOPWORDS = frozenset(
    {
        "report",
        "reports",
        "csr",
        "esg",
        "sustainability",
        "sustainable",
        "development",
        "corporate",
        "social",
        "responsibility",
        "annual",
        "environmental",
        "governance",
        "final",
        "cn",
        "en",
        "zh",
        "chinese",
        "english",
        "co",
        "ltd",
        "inc",
        "limited",
        "group",
        "the",
        "and",
        "of",
    }
)


@dataclass(frozen=True, slots=True)
class Clues:
    """The texts identity is read from, most trustworthy first (pure data, so testable)."""

    title: str
    subject: str
    author: str
    cover_lines: tuple[str, ...]  # lines of the first pages, largest font first
    cover_text: str  # all text of the first pages, in reading order
    filename: str
    cover_title: str = ""  # the cover's large lines in reading order


# --- opening and checking -----------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a PDF file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise InputError(f"{path}: empty file")
    return data


def _check_header(path: Path, data: bytes) -> None:
    """Refuse what is not a PDF at all."""
    if b"%PDF-" not in data[:1024]:
        raise InputError(f"{path}: not a PDF (no %PDF header)")


def _is_cut_short(data: bytes) -> bool:
    """True when the file stops before its end: no ``%%EOF`` at all, or PDF objects after the
    last one (an interrupted incremental save or linearized file). Junk or padding after the
    final ``%%EOF`` is tolerated, as PDF readers do."""
    last = data.rfind(b"%%EOF")
    if last < 0:
        return True
    tail = data[last + 5 :]
    return b"endobj" in tail or b" obj" in tail or b"stream" in tail


def _open(path: Path, data: bytes) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises FileDataError/RuntimeError variants
        raise InputError(f"{path}: {_damaged(data)}, cannot be opened ({exc})") from exc
    try:
        problem = _problem(doc, data)
    except Exception as exc:  # a broken page tree fails even the page count
        problem = f"{_damaged(data)} ({exc})"
    if problem:
        doc.close()
        raise InputError(f"{path}: {problem}")
    return doc


def _damaged(data: bytes) -> str:
    return "truncated or corrupt PDF" if _is_cut_short(data) else "corrupt PDF"


def _problem(doc: pymupdf.Document, data: bytes) -> str | None:
    """Why an opened document cannot be ingested, or None."""
    if doc.needs_pass:
        return "encrypted PDF (password required)"
    if doc.page_count == 0:
        return "PDF has no readable pages (empty, truncated or corrupt)"
    if doc.is_repaired and _is_cut_short(data):
        # A file that needed repair and lacks its end: its last pages are missing or empty.
        return "truncated or corrupt PDF (no end-of-file marker)"
    return None


def _metadata(doc: pymupdf.Document) -> dict[str, str]:
    raw: dict[str, Any] = doc.metadata or {}
    return {str(k): str(v).strip() for k, v in raw.items() if v not in (None, "")}


def _cover_lines(doc: pymupdf.Document) -> tuple[tuple[str, ...], str, str]:
    """Lines of the first pages, largest font first (ties in reading order), their text, and
    the cover title: the first page's lines set at least ``COVER_TITLE_SHARE`` of its largest
    size, in reading order (a title is often split over a company line and a report line)."""
    sized: list[tuple[float, int, str]] = []
    texts: list[str] = []
    first_page: list[tuple[float, str]] = []
    for index, page in enumerate(doc.pages(0, min(COVER_PAGES, doc.page_count))):
        try:
            blocks = page.get_text("dict")["blocks"]
        except Exception:  # a broken page must not stop identity detection
            continue
        for block in blocks:
            for line in block.get("lines", []):
                text = " ".join("".join(s["text"] for s in line["spans"]).split())
                if not text:
                    continue
                size = max(span["size"] for span in line["spans"])
                sized.append((-round(size, 1), len(sized), text))
                texts.append(text)
                if index == 0:
                    first_page.append((size, text))
    sized.sort()
    largest = max((size for size, _ in first_page), default=0.0)
    title = " ".join(t for size, t in first_page if size >= COVER_TITLE_SHARE * largest)
    return tuple(text for _, _, text in sized), "\n".join(texts), title


def load_document(path: Path, company: str | None = None, year: int | None = None) -> Document:
    """Open, check and fingerprint ``path``; detect company slug and report year unless given.

    Raises ``InputError`` (one line, naming the file) for a missing, empty, non-PDF, truncated,
    corrupt or password-protected file.
    """
    path = Path(path)
    data = _read_bytes(path)
    _check_header(path, data)
    doc = _open(path, data)
    try:
        metadata = _metadata(doc)
        cover_lines, cover_text, cover_title = _cover_lines(doc)
        page_count = int(doc.page_count)
    finally:
        doc.close()
    clues = Clues(
        title=metadata.get("title", ""),
        subject=metadata.get("subject", ""),
        author=metadata.get("author", ""),
        cover_lines=cover_lines,
        cover_text=cover_text,
        filename=path.stem,
        cover_title=cover_title,
    )
    if _needs_cover_ocr(clues, company, year):
        clues = _with_ocr_cover(path, page_count, clues)
    return Document(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=page_count,
        title=detect_title(clues),
        metadata=metadata,
        company=slugify(company) if company else detect_company(clues),
        report_year=_checked_year(year, path) if year is not None else detect_year(clues),
    )


def _needs_cover_ocr(clues: Clues, company: str | None, year: int | None) -> bool:
    """A scan (no text on the cover) whose metadata does not say whose report it is."""
    wanted = company is None or year is None
    return wanted and not clues.cover_text.strip() and not (clues.title or clues.subject)


def _with_ocr_cover(path: Path, page_count: int, clues: Clues) -> Clues:
    """``clues`` with the cover pages' text read by OCR (unchanged if OCR is unavailable).

    The OCR cache keys on the page image, so the OCR stage later reuses this work.
    """
    try:
        from csrextract.layout import read_page_content
        from csrextract.ocr import ocr_page_content

        lines = [
            line
            for number in range(1, min(COVER_PAGES, page_count) + 1)
            for line in ocr_page_content(path, read_page_content(path, number)).lines
        ]
    except Exception as exc:  # identity then falls back to the file name
        logger.warning("%s: cannot OCR the cover for identity: %s", path, exc)
        return clues
    if not lines:
        return clues
    by_size = sorted(lines, key=lambda ln: -ln.font_size)
    largest = by_size[0].font_size
    return replace(
        clues,
        cover_lines=tuple(ln.text for ln in by_size),
        cover_text="\n".join(ln.text for ln in lines),
        cover_title=" ".join(
            ln.text for ln in lines if ln.font_size >= COVER_TITLE_SHARE * largest
        ),
    )


def _checked_year(year: int, path: Path) -> int:
    if not 1900 <= int(year) <= 2100:
        raise InputError(f"{path}: report year {year} is out of range (1900-2100)")
    return int(year)


# --- identity detection (pure) -----------------------------------------------------------------


def detect_title(clues: Clues) -> str:
    """Metadata title, else the cover's large lines, else its largest line, else the file name."""
    if clues.title and not _looks_like_filename(clues.title):
        return clues.title
    return clues.cover_title or " ".join(clues.cover_lines[:1]) or clues.filename


def _looks_like_filename(text: str) -> bool:
    return bool(re.search(r"\.(docx?|indd|pdf|ai|psd)$", text, re.I)) or text.lower() in {
        "untitled",
        "microsoft word",
    }


@lru_cache(maxsize=1)
def company_aliases() -> tuple[tuple[str, str], ...]:
    """(alias, slug) pairs shipped with the package, longest alias first (most specific wins)."""
    text = files("csrextract").joinpath("data/company_aliases.csv").read_text(encoding="utf-8")
    rows = [(r["alias"].strip(), r["slug"].strip()) for r in csv.DictReader(text.splitlines())]
    return tuple(sorted((r for r in rows if r[0] and r[1]), key=lambda r: -len(r[0])))


def _alias_in(text: str, aliases: Sequence[tuple[str, str]]) -> str | None:
    """Slug of the longest alias found in ``text`` (case- and width-insensitive)."""
    folded = _fold(text)
    for alias, slug in aliases:
        needle = _fold(alias)
        if needle.isascii():
            if re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", folded):
                return slug
        elif needle in folded:
            return slug
    return None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


MAX_SLUG_CHARS = 48
"""Longest company slug: it names partition folders and report ids, and appears in every
message. Longer names are cut and given a hash suffix, so they stay distinct."""


def slugify(name: str) -> str:
    """Slug: lower case, words joined by ``-``; accents dropped (``é`` → ``e``), letters of
    other scripts kept as they are, so Chinese-only names stay distinct (``字节跳动``, ``腾讯``).
    Capped at ``MAX_SLUG_CHARS``; a name with no letters or digits gives ``unknown``."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()
    slug = "-".join(re.findall(r"[^\W_]+", plain))
    if not slug:
        return UNKNOWN_COMPANY
    if len(slug) > MAX_SLUG_CHARS:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
        slug = f"{slug[: MAX_SLUG_CHARS - 9].rstrip('-')}-{digest}"
    return slug


def _english_name(text: str) -> str | None:
    """``ByteDance`` from ``ByteDance Corporate Social Responsibility Report 2021``."""
    for match in _ENGLISH_NAME.finditer(text):
        words = [w for w in match.group(1).split() if w.lower() not in _SLUG_STOPWORDS]
        if words and not all(w.isdigit() for w in words):
            return " ".join(words)
    return None


def _filename_slug(stem: str) -> str | None:
    """``pingan_bank_2021_sustainability`` → ``pingan-bank``: drop years and report words."""
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    words = [
        w for w in re.findall(r"[a-z]+", ascii_text) if w not in _SLUG_STOPWORDS and len(w) > 1
    ]
    return "-".join(words) or None


def detect_company(clues: Clues) -> str:
    """Company slug from the document; alias table first, then an English name, then filename."""
    aliases = company_aliases()
    sources = (clues.title, clues.subject, *clues.cover_lines[:8], clues.author, clues.filename)
    for text in sources:
        slug = _alias_in(text, aliases) if text else None
        if slug:
            return slug
    for text in (clues.subject, clues.title, *clues.cover_lines[:8]):
        name = _english_name(text) if text else None
        if name:
            return slugify(name)
    return _filename_slug(clues.filename) or UNKNOWN_COMPANY


def _report_years(text: str) -> Iterable[int]:
    """Years in ``text`` that are not part of a date (``2022年3月``, ``2022-03-10``)."""
    for match in _YEAR.finditer(text):
        after = text[match.end() :]
        before = text[: match.start()]
        if _DATE_AFTER_YEAR.match(after) or _DATE_BEFORE_YEAR.search(before):
            continue
        yield int(match.group(1))


def _year_near_report_word(text: str) -> int | None:
    """The first year in ``text`` when ``text`` is about a report (报告/年度/Report ...)."""
    if not _REPORT_WORDS.search(text):
        return None
    return next(iter(_report_years(text)), None)


def detect_year(clues: Clues) -> int:
    """Report year: title/subject, cover text, then the file name; 0 is never returned.

    A bare year set large on the cover (e.g. ``2021`` in 44 pt) counts when the cover is about
    a report. Falls back to the latest year on the cover, then raises ``InputError`` if there is
    none at all (the user must give ``--year``).
    """
    for text in (clues.title, clues.subject):
        found = _year_near_report_word(text) if text else None
        if found:
            return found
    cover_is_report = bool(_REPORT_WORDS.search(clues.cover_text))
    for line in clues.cover_lines[:10]:
        found = _year_near_report_word(line)
        if found is None and cover_is_report and re.fullmatch(r"\W*\d{4}\W*", line):
            found = next(iter(_report_years(line)), None)
        if found:
            return found
    found = _year_near_report_word(clues.filename.replace("_", " ")) or next(
        iter(_report_years(clues.filename)), None
    )
    if found:
        return found
    years = list(_report_years(clues.cover_text))
    if years:
        return max(years)
    raise InputError(
        f"{clues.filename}: cannot detect the report year from the document; give --year"
    )
