"""Hostile and broken PDFs and signatures, made here: each is one InputError naming the file,
within bounded time and memory, through the reader and through the command line (exit 2, one
line, no traceback)."""

from __future__ import annotations

import datetime as dt
import io
import resource
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from osv_verify.core.errors import InputError
from osv_verify.devtools.sign import make_certificate, new_key, sign
from osv_verify.io.pdf_pv import MAX_PAGES, NotAPvPdf, read_pdf_pv
from osv_verify.io.signature import read_signature


def pdf(page_extra: bytes = b"", content: bytes = b"BT /F1 12 Tf 72 712 Td (Hello) Tj ET", count: int = 1,
        flate: bool = False, kids: int = 1) -> bytes:
    """A small PDF with one page of text, written by hand with a correct xref."""
    stream = zlib.compress(content) if flate else content
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join([b"3 0 R"] * kids), count),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b">>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream), b" /Filter /FlateDecode" if flate else b"") + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return write_pdf(objects)


def write_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog) with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def encrypted() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_helper_makes_a_readable_pdf_that_is_not_a_pv() -> None:
    with pytest.raises(NotAPvPdf, match="not an Abacus PV"):
        read_pdf_pv(pdf(), "letter.pdf")


HOSTILE = {
    "decompression bomb (80 MB of zeros in a page)": (lambda: pdf(content=b"\0" * 80_000_000, flate=True), "not a readable PDF"),
    "deep nesting (200 000 arrays)": (lambda: pdf(page_extra=b"/Deep " + b"[" * 200_000 + b"]" * 200_000 + b" "),
                                      "not a readable PDF"),
    # pypdf counts the pages that are there, not the /Count the file claims
    "huge /Count": (lambda: pdf(count=10**9), "not an Abacus PV"),
    "too many pages": (lambda: pdf(count=MAX_PAGES + 1, kids=MAX_PAGES + 1), f"more than {MAX_PAGES} are not read"),
    "encrypted": (encrypted, "an encrypted PDF"),
    "truncated": (lambda: pdf()[:300], "not a readable PDF"),
    "not a PV": (pdf, "not an Abacus PV"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_pdf_is_one_input_error_in_bounded_time_and_memory(case: str) -> None:
    make, fragment = HOSTILE[case]
    data = make()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(InputError) as err:
        read_pdf_pv(data, "x.pdf")
    assert time.perf_counter() - start < 20
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 400 * 1024  # KB: well under 400 MB more
    message = err.value.message_in("en")
    assert message.startswith("x.pdf: ") and fragment in message and "\n" not in message
    assert err.value.problem.nl


@pytest.mark.parametrize("case", ["truncated", "encrypted", "not a PV"])
def test_the_command_line_says_one_line_and_exits_2(tmp_path: Path, case: str) -> None:
    bad = tmp_path / "Model_Na31-2.pdf"
    bad.write_bytes(HOSTILE[case][0]())
    run = subprocess.run([sys.executable, "-m", "osv_verify", "verify", str(bad)], capture_output=True, text=True)
    assert run.returncode == 2
    lines = [line for line in run.stderr.splitlines() if str(bad) in line]
    assert len(lines) == 1 and "Traceback" not in run.stderr


# ---------------------------------------------------------------- signatures


@pytest.fixture(scope="module")
def signed() -> tuple[object, bytes]:
    key = new_key(2048)  # the format, not the key size, is under test here
    return key, make_certificate(key, "GR2030_Testdorp", "0999", "Testdorp", dt.datetime(2030, 1, 1), dt.datetime(2030, 6, 20))


def test_a_signature_that_is_not_der(signed) -> None:
    with pytest.raises(InputError, match="no valid DER structure"):
        read_signature(b"\x30\x82\x01\x00" + bytes(range(40)), "x.signature")
    with pytest.raises(InputError, match="no valid DER structure"):
        read_signature(b"-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n", "x.signature")


def test_a_signature_with_two_signers(signed) -> None:
    key, cert = signed
    with pytest.raises(InputError, match="2 signers instead of one"):
        read_signature(sign(b"<EML/>", key, cert, signers=2), "x.signature")


def test_a_signature_with_signed_attributes(signed) -> None:
    key, cert = signed
    with pytest.raises(InputError, match="signed or unsigned attributes"):
        read_signature(sign(b"<EML/>", key, cert, signed_attrs=True), "x.signature")


def test_a_truncated_signature_beside_an_eml_is_an_input_error(tmp_path: Path, signed) -> None:
    key, cert = signed
    whole = sign(b"<EML/>", key, cert)
    (tmp_path / "x.eml.xml.signature").write_bytes(whole[: len(whole) // 2])
    run = subprocess.run([sys.executable, "-m", "osv_verify", "verify", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 2 and "x.eml.xml.signature" in run.stderr and "Traceback" not in run.stderr
