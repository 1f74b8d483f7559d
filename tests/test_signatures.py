"""EML signatures in the documented format (RSA-4096 PKCS#1 v1.5 over SHA-256 of the exact bytes,
DER CMS SignedData without signed attributes, one signer, the certificate embedded), made here
with our own keys: a valid one verifies against a trusted certificate with the right subject,
and each tampering case gives its own code."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from osv_verify.app.verify import verify
from osv_verify.checks.printed import check_signature, expected_subject, grouped
from osv_verify.checks.rule import PartKey
from osv_verify.core.findings import Location
from osv_verify.devtools.sign import make_certificate, new_key, sign
from osv_verify.io.signature import certificate, read_certificates, read_signature
from tests.conftest import STATIONS, make_510b

EML_NAME = "Telling_GR2030_Testdorp.eml.xml"
VALID = (dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2030, 6, 20, tzinfo=dt.timezone.utc))


@pytest.fixture(scope="session")
def keys():
    """Two RSA-4096 keys, made once per session: the municipality's and another one's."""
    return new_key(), new_key()


@pytest.fixture(scope="session")
def certs(keys):
    own, other = keys
    return {
        "own": make_certificate(own, "GR2030_Testdorp", "0999", "Testdorp", *VALID),
        "wrong_key": make_certificate(other, "GR2030_Testdorp", "0999", "Testdorp", *VALID),
        "expired": make_certificate(own, "GR2030_Testdorp", "0999", "Testdorp",
                                    dt.datetime(2029, 1, 1), dt.datetime(2029, 12, 31)),
        "other_town": make_certificate(other, "GR2030_Testdorp", "0888", "Anderdorp", *VALID),
    }


def publish(tmp_path: Path, eml: bytes, signature: bytes, trusted: dict[str, bytes]) -> tuple[Path, list[Path]]:
    folder = tmp_path / "zip"
    folder.mkdir()
    (folder / EML_NAME).write_bytes(eml)
    (folder / f"{EML_NAME}.signature").write_bytes(signature)
    crts = []
    for name, pem in trusted.items():
        crts.append(tmp_path / f"public_key_{name}.crt")
        crts[-1].write_bytes(pem)
    return folder, crts


def sig_codes(folder: Path, crts: list[Path]) -> tuple[list[str], object]:
    problems = []
    result = verify([folder], trust=read_certificates(crts, problems))
    assert problems == []
    assert result.input_errors == []
    report, = result.elections
    part = next(p for p in report.verdict.parts if p.key is PartKey.PRINTED)
    return sorted(f.code for f in report.findings if f.code.startswith("SIG.")), part


EML = make_510b(STATIONS)


def test_a_valid_signature_verifies_against_the_trusted_certificate(tmp_path, keys, certs):
    folder, crts = publish(tmp_path, EML, sign(EML, keys[0], certs["own"]), {"own": certs["own"]})
    codes, part = sig_codes(folder, crts)
    assert codes == []
    assert part.done and part.errors == 0
    assert "ondertekend door Gemeente Testdorp (PSB0999, GR2030_Testdorp)" in part.what.nl


def test_without_trust_it_is_only_consistent_with_its_own_certificate(tmp_path, keys, certs):
    folder, _ = publish(tmp_path, EML, sign(EML, keys[0], certs["own"]), {})
    codes, part = sig_codes(folder, [])
    assert codes == ["SIG.SELF_ONLY"]
    assert not part.done and "--trust" in part.needs.en
    assert "signed by" not in part.what.en and "not confirmed with a trusted certificate" in part.what.en


def test_a_tampered_eml(tmp_path, keys, certs):
    changed = EML.replace(b"<ValidVotes>50</ValidVotes>", b"<ValidVotes>51</ValidVotes>", 1)
    assert changed != EML
    folder, crts = publish(tmp_path, changed, sign(EML, keys[0], certs["own"]), {"own": certs["own"]})
    assert sig_codes(folder, crts)[0] == ["SIG.CHANGED"]


def test_a_tampered_signature(tmp_path, keys, certs):
    signature = bytearray(sign(EML, keys[0], certs["own"]))
    signature[-5] ^= 0x01  # inside the RSA value, the last field of the structure
    folder, crts = publish(tmp_path, EML, bytes(signature), {"own": certs["own"]})
    assert sig_codes(folder, crts)[0] == ["SIG.INVALID"]


def test_a_certificate_with_the_right_subject_but_another_key(tmp_path, keys, certs):
    folder, crts = publish(tmp_path, EML, sign(EML, keys[0], certs["own"]), {"wrong_key": certs["wrong_key"]})
    assert sig_codes(folder, crts)[0] == ["SIG.UNTRUSTED"]


def test_an_expired_certificate(tmp_path, keys, certs):
    folder, crts = publish(tmp_path, EML, sign(EML, keys[0], certs["expired"]), {"expired": certs["expired"]})
    assert sig_codes(folder, crts)[0] == ["SIG.EXPIRED"]


def test_another_municipalitys_signature(tmp_path, keys, certs):
    folder, crts = publish(tmp_path, EML, sign(EML, keys[1], certs["other_town"]),
                           {"own": certs["own"], "other_town": certs["other_town"]})
    codes, part = sig_codes(folder, crts)
    assert codes == ["SIG.SUBJECT", "SIG.SUBJECT"]  # UID and L
    assert part.errors == 2


def test_the_digest_inside_must_be_the_hash_on_the_pv(keys, certs):
    signature = read_signature(sign(EML, keys[0], certs["own"]), "x.signature")
    assert signature.digest == hashlib.sha256(EML).digest()
    trusted = [certificate(certs["own"], "own.crt")]
    subject = expected_subject("GR2030_Testdorp", "0999", "Testdorp")
    findings, used = check_signature(signature, EML, EML_NAME, subject, dt.datetime(2030, 3, 21), trusted,
                                     {"pv.pdf": "ab" * 32, "same.pdf": hashlib.sha256(EML).hexdigest()}, Location("e"))
    assert used is not None
    assert [(f.code, f.expected_text) for f in findings] == [("SIG.PV_DIGEST", grouped("ab" * 32))]


def test_trust_on_the_command_line(tmp_path, keys, certs):
    from osv_verify.cli import main

    folder, crts = publish(tmp_path, EML, sign(EML, keys[0], certs["own"]), {"own": certs["own"]})
    assert main(["verify", str(folder), "--trust", str(tmp_path), "--lang", "en", "--format", "json"]) == 0
    not_a_cert = tmp_path / "notes.crt"
    not_a_cert.write_text("hello")
    assert main(["verify", str(folder), "--trust", str(not_a_cert)]) == 2


def test_without_a_creation_time_the_validity_is_said_not_checked(tmp_path, keys, certs):
    eml = EML.replace(b"<kr:CreationDateTime>2030-03-21T10:00:00.000</kr:CreationDateTime>", b"")
    assert eml != EML
    folder, crts = publish(tmp_path, eml, sign(eml, keys[0], certs["expired"]), {"expired": certs["expired"]})
    codes, part = sig_codes(folder, crts)
    assert codes == []  # the expired certificate cannot be caught without a time to check it at
    assert not part.done and "whether the certificate was valid then was not checked" in part.what.en
