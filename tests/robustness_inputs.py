"""Hostile inputs for the robustness tests: tiny files that are wrong in one way each.

Every builder writes one file and returns its path; nothing here is keyed to a real report.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import pymupdf
from core_pdfs import report_pdf
from tables_pdf import make_pdf, text


def raw_pdf(objects: list[bytes], streams: dict[int, tuple[bytes, bytes]] | None = None) -> bytes:
    """A minimal PDF from object bodies (1-based numbering) and stream objects, with a correct
    cross-reference table, so each case is broken only where it means to be."""
    streams = streams or {}
    out = bytearray(b"%PDF-1.7\n")
    offsets: list[int] = []
    total = len(objects) + len(streams)
    for number in range(1, total + 1):
        offsets.append(len(out))
        if number in streams:
            head, payload = streams[number]
            body = head + b"\nstream\n" + payload + b"\nendstream"
        else:
            body = objects[number - 1]
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (total + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (total + 1, xref)
    return bytes(out)


def zero_page_pdf(path: Path) -> Path:
    path.write_bytes(
        raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    )
    return path


def image_bomb_pdf(path: Path, side: int = 40_000) -> Path:
    """One A4 page drawing a side×side 1-bit image whose compressed stream is ~200 KB."""
    data = zlib.compress(b"\x00" * (side * side // 8), 9)
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Info 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
    ]
    image_head = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 1 /Filter /FlateDecode /Length %d >>" % (side, side, len(data))
    )
    streams = {
        4: (b"<< /Length %d >>" % len(content), content),
        5: (image_head, data),
    }
    path.write_bytes(raw_pdf(objects, streams))
    return path


def huge_page_pdf(path: Path, side: float = 14_400.0) -> Path:
    """One page of the largest size PDF allows, covered by one small image."""
    doc = pymupdf.open()
    page = doc.new_page(width=side, height=side)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 64, 64), False)
    pix.clear_with(180)
    page.insert_image(page.rect, pixmap=pix)
    doc.set_metadata({"title": "Huge Page Co 2021 Sustainability Report"})
    doc.save(path)
    doc.close()
    return path


def encrypted_pdf(path: Path, source: Path) -> Path:
    with pymupdf.open(source) as doc:
        aes256 = pymupdf.PDF_ENCRYPT_AES_256  # type: ignore[attr-defined]
        doc.save(path, encryption=aes256, user_pw="secret", owner_pw="o")
    return path


def yearless_pdf(path: Path) -> Path:
    def draw(page: pymupdf.Page) -> None:
        text(page, 60, 80, "Meeting notes, no date at all")

    return make_pdf(path, [draw])


def truncated(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def other_report(path: Path) -> Path:
    """A second report (another company) to prove other reports stay intact."""
    return report_pdf(path, title="Beta Corp 2022 Sustainability Report")


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A byte-level mutation: a few flipped, inserted, deleted or duplicated spans."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        where = rng.randrange(len(out))
        action = rng.choice(("flip", "insert", "delete", "duplicate", "zero"))
        size = rng.randint(1, 64)
        if action == "flip":
            for i in range(where, min(len(out), where + size)):
                out[i] ^= 1 << rng.randrange(8)
        elif action == "insert":
            out[where:where] = bytes(rng.randrange(256) for _ in range(size))
        elif action == "delete":
            del out[where : where + size]
        elif action == "duplicate":
            out[where:where] = out[where : where + size]
        else:
            out[where : where + size] = bytes(min(size, len(out) - where))
    return bytes(out)


def allocate(n_bytes: int) -> int:
    """Run in a worker process by the memory-cap test (importable by spawned workers)."""
    return len(bytearray(n_bytes))
