"""Second red-team pass over PDF PVs and signatures (issue 25): look-alike digits, numbers no
count can hold, a number printed twice, forms that draw each other, pages that share one large
content stream, and trusted certificates with a weak or unreadable key."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from osv_verify.core.errors import InputError
from osv_verify.devtools.sign import make_certificate, new_key
from osv_verify.io.pdf_pv import NotAPvPdf, parse_pv, read_pdf_pv
from osv_verify.io.signature import read_certificates
from tests.hostile.test_pdf_signature import pdf, write_pdf

FOOTER = ("Datum: 16-03-2030 23:43:17. Digitale vingerafdruk van EML-telbestand bij dit PV:\n"
          + "76e5 " * 15 + "112f\nModel Na 31-2 Pagina 1 van 1")


def page(*boxes: str) -> list[str]:
    """The text of a one-page Na 31-2 with the given box lines."""
    return ["Gemeente 0999 Testdorp\nModel Na 31-2\n" + "\n".join(boxes) + "\n" + FOOTER]


def test_the_page_helper_reads() -> None:
    pv = parse_pv(page("2.159 E Totaal stemmen op kandidaten", "13 F Blanco stemmen"), "x.pdf")
    assert pv.printed.boxes == {"E": 2159, "F": 13}


@pytest.mark.parametrize("digits", ["٢.١٥٩", "２.１５９", "2.\u00a0159", "2\u00a0159", "2.159\u00a0"])
def test_look_alike_digits_and_nbsp_are_not_read_as_a_number(digits: str) -> None:
    pv = parse_pv(page(f"{digits} E Totaal stemmen op kandidaten", "13 F Blanco stemmen"), "x.pdf")
    assert "E" not in pv.printed.boxes  # not read, so reported missing, never agreeing


@pytest.mark.parametrize("text", ["1.000.000.000", "1" + ".000" * 2000])
def test_a_number_beyond_any_count_is_one_input_error(text: str) -> None:
    with pytest.raises(InputError, match="larger than any real count") as err:
        parse_pv(page(f"{text} F Blanco stemmen"), "x.pdf")
    assert err.value.message_in("en").startswith("x.pdf: ") and len(err.value.message_in("en")) < 200


def test_a_number_printed_twice_differently_is_refused() -> None:
    with pytest.raises(InputError, match="F is printed twice on the PV, with different numbers"):
        parse_pv(page("13 F Blanco stemmen", "99 F Blanco stemmen"), "x.pdf")
    assert parse_pv(page("13 F Blanco stemmen", "13 F Blanco stemmen"), "x.pdf").printed.boxes == {"F": 13}


def test_forms_that_draw_each_other_cost_no_time() -> None:
    import zlib

    # catalog, pages (200 references to one page), page, font, forms 5.. each drawing the next twice
    depth, pages = 16, 200
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join([b"3 0 R"] * pages), pages),
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
               b"/Resources << /Font << /F1 4 0 R >> /XObject << /X 5 0 R >> >> >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for k in range(depth):
        body = zlib.compress(b"/X Do /X Do" if k < depth - 1 else b"BT /F1 12 Tf (Model Na 31-2) Tj ET")
        objects.append(b"<< /Length %d /Filter /FlateDecode /Type /XObject /Subtype /Form /BBox [0 0 1 1] "
                       b"/Resources << /Font << /F1 4 0 R >> /XObject << /X %d 0 R >> >> >>\nstream\n" % (len(body), 6 + k)
                       + body + b"\nendstream")
    start = time.perf_counter()
    with pytest.raises(NotAPvPdf):  # the form's text is not read, so this is no PV
        read_pdf_pv(write_pdf(objects), "x.pdf")
    assert time.perf_counter() - start < 20  # was 2.3 s a page: 460 s for these 200 pages


def test_pages_that_share_one_large_content_stream_stop_at_the_content_limit(monkeypatch) -> None:
    monkeypatch.setattr("osv_verify.io.pdf_pv.MAX_CONTENT", 2 * 1024**2)  # the limit's size is a benchmark's matter
    text = b"BT /F1 12 Tf 14 TL " + (b"(" + b"A" * 200 + b") Tj T* ") * 5000 + b"ET"  # ~1 MB decoded
    pages = 2000  # one ~1 MB stream drawn by every page: was read 2000 times
    data = pdf(count=pages, kids=pages, content=text, flate=True)
    assert len(data) < 200_000
    with pytest.raises(InputError, match="bytes of content together"):
        read_pdf_pv(data, "x.pdf")


@pytest.fixture(scope="module")
def weak_certificate(tmp_path_factory) -> object:
    key = new_key(1024)
    path = tmp_path_factory.mktemp("trust") / "public_key_weak.crt"
    path.write_bytes(make_certificate(key, "GR2030_Testdorp", "0999", "Testdorp", dt.datetime(2030, 1, 1), dt.datetime(2030, 6, 20)))
    return path


def test_a_trusted_certificate_with_a_1024_bit_key_is_refused(weak_certificate) -> None:
    problems: list[InputError] = []
    assert read_certificates([weak_certificate], problems) == []
    assert [p.message_in("en") for p in problems] == [
        f"{weak_certificate}: an RSA key of 1024 bits is too weak to trust (at least 2048; Abacus uses 4096)"]


def test_a_trusted_certificate_with_an_unknown_key_type_is_one_input_error(weak_certificate, tmp_path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    der = x509.load_pem_x509_certificate(weak_certificate.read_bytes()).public_bytes(serialization.Encoding.DER)
    rsa = bytes.fromhex("06092a864886f70d0101010500")  # rsaEncryption, in the key info
    (tmp_path / "odd.crt").write_bytes(der.replace(rsa, bytes.fromhex("06092a864886f70d0101630500"), 1))
    problems: list[InputError] = []
    assert read_certificates([tmp_path / "odd.crt"], problems) == []
    assert [p.message_in("en").startswith(f"{tmp_path / 'odd.crt'}: not a readable X.509 certificate") for p in problems] == [True]


def test_a_bad_file_in_a_trust_folder_is_its_own_input_error_and_the_run_completes(tmp_path, weak_certificate) -> None:
    """One stray or broken .crt in the --trust folder stopped the whole run (exit 2, nothing checked)."""
    import os
    import subprocess
    import sys

    from osv_verify.devtools.sign import sign
    from tests.conftest import STATIONS, make_510b

    key, eml = new_key(2048), make_510b(STATIONS)
    good = make_certificate(key, "GR2030_Testdorp", "0999", "Testdorp", dt.datetime(2030, 1, 1), dt.datetime(2030, 6, 20))
    trust = tmp_path / "trust"
    trust.mkdir()
    (trust / "public_key_testdorp.crt").write_bytes(good)
    (trust / "notes.crt").write_bytes(b"not a certificate")
    (trust / "weak.crt").write_bytes(weak_certificate.read_bytes())
    os.symlink(trust, trust / "loop")
    (tmp_path / "Telling_GR2030_Testdorp.eml.xml").write_bytes(eml)
    (tmp_path / "Telling_GR2030_Testdorp.eml.xml.signature").write_bytes(sign(eml, key, good))
    run = subprocess.run([sys.executable, "-m", "osv_verify", "verify", "--lang", "en", str(tmp_path / "Telling_GR2030_Testdorp.eml.xml"),
                          str(tmp_path / "Telling_GR2030_Testdorp.eml.xml.signature"), "--trust", str(trust)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if "input error" in line]
    assert len(errors) == 2 and "notes.crt" in errors[0] and "weak.crt" in errors[1]
    assert "is signed by Gemeente Testdorp (PSB0999, GR2030_Testdorp)" in run.stdout


def test_control_characters_and_bidi_overrides_in_a_pv_never_reach_a_name() -> None:
    pv = parse_pv(["Gemeente 0999 Test\x1b]52;c;aGk=\x07dorp\x1b[2J\u202e\nModel Na 31-2\n13 F Blanco stemmen\n" + FOOTER], "x.pdf")
    assert pv.authority_name == "Test]52;c;aGk=dorp[2J"


def test_a_signing_certificate_with_markup_and_escapes_in_its_subject(tmp_path) -> None:
    """The certificate inside a signature is the signer's own: its subject reaches the findings
    table (SIG.SUBJECT, SIG.UNTRUSTED) and was rich markup there (exit 3) and raw ESC."""
    import subprocess
    import sys

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    from osv_verify.devtools.sign import sign
    from tests.conftest import STATIONS, make_510b

    eml, key = make_510b(STATIONS), new_key(2048)
    evil = "G [/]T[link=https://e]d[/link]\x1b]52;c;aGk=\x07\x1b[2J"
    name = x509.Name([x509.NameAttribute(NameOID.LOCALITY_NAME, evil), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "GR2030_Testdorp"),
                      x509.NameAttribute(NameOID.COMMON_NAME, evil), x509.NameAttribute(NameOID.USER_ID, "PSB0999")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(1)
            .not_valid_before(dt.datetime(2030, 1, 1)).not_valid_after(dt.datetime(2030, 6, 20)).sign(key, hashes.SHA256()))
    pem = cert.public_bytes(serialization.Encoding.PEM)
    (tmp_path / "Telling_GR2030_Testdorp.eml.xml").write_bytes(eml)
    (tmp_path / "Telling_GR2030_Testdorp.eml.xml.signature").write_bytes(sign(eml, key, pem))
    (tmp_path / "signer.crt").write_bytes(pem)
    run = subprocess.run([sys.executable, "-m", "osv_verify", "verify", str(tmp_path / "Telling_GR2030_Testdorp.eml.xml"),
                          str(tmp_path / "Telling_GR2030_Testdorp.eml.xml.signature"), "--trust", str(tmp_path / "signer.crt")],
                         capture_output=True)
    assert run.returncode == 1, run.stderr  # SIG.SUBJECT: L is not the municipality's name
    assert b"SIG.SUBJECT" in run.stdout and b"[/]" in run.stdout
    assert b"\x1b" not in run.stdout + run.stderr


def test_a_pdf_with_a_zip_on_its_end_is_read_as_the_pdf_named(tmp_path) -> None:
    """zipfile finds a zip appended to any file: such a polyglot was read as the count file
    hidden in it, and the PDF the user named was never read nor mentioned."""
    import io
    import zipfile

    from osv_verify.app.verify import verify
    from tests.conftest import STATIONS, make_510b

    hidden = io.BytesIO()
    with zipfile.ZipFile(hidden, "w") as z:
        z.writestr("Telling_GR2030_Testdorp.eml.xml", make_510b(STATIONS))
    (tmp_path / "pv.pdf").write_bytes(pdf() + hidden.getvalue())
    result = verify([tmp_path / "pv.pdf"])
    assert result.elections == []
    assert [e.message_in("en") for e in result.input_errors] == [f"{tmp_path / 'pv.pdf'}: a PDF, but not an Abacus PV (Model Na 31-1, Na 31-2, Na 14-2 or P 22-2)"]


def test_a_pv_that_prints_a_list_and_a_candidate_the_eml_lacks_does_not_agree() -> None:
    from osv_verify.checks.printed import compare_numbers
    from osv_verify.core.findings import Location
    from osv_verify.core.model import Tally

    pv = parse_pv(page("13 F Blanco stemmen", "20 E.1 Totaal lijst 1 - Een", "0 E.2 Totaal lijst 2 - Verzonnen",
                       "Lijst 1 Een", "Kandidaat Stemmen", "Alfa, A. 1 20", "Verzonnen, V. 2 -", "Totaal lijst (kolom 1) 20"), "x.pdf")
    eml = Tally(counts={"blank": 13}, lists={1: 20}, candidates={(1, "1", None): 20})
    found = [(f.code, f.field) for f in compare_numbers(pv, pv.printed, eml, "x.eml.xml", Location(election="GR2030_Testdorp"))]
    assert found == [("PV.EXTRA", "list 2"), ("PV.EXTRA", "candidate 1.2")]


def test_a_page_with_a_second_footer_and_another_hash_is_refused() -> None:
    other = FOOTER.replace("76e5 ", "0000 ")
    with pytest.raises(InputError, match="page 1 has 2 footers with a fingerprint"):
        parse_pv([page("13 F Blanco stemmen")[0] + "\n" + other], "x.pdf")


def test_a_number_printed_after_the_footer_is_read_too() -> None:
    """Text after the footer was dropped: a second, different F there went unseen."""
    with pytest.raises(InputError, match="F is printed twice"):
        parse_pv([page("13 F Blanco stemmen")[0] + "\n99 F Blanco stemmen"], "x.pdf")
