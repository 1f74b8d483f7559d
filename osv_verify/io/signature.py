"""Read an EML signature (``Telling_....eml.xml.signature``) and the certificates to check it with.

The format OSV2020-U and Abacus both write: a DER PKCS#7/CMS ``ContentInfo`` of type
``signedData`` over the exact bytes of the EML (no canonicalisation): digest SHA-256, one
``SignerInfo`` without signed or unsigned attributes, ``rsaEncryption`` (RSA PKCS#1 v1.5, a
4096-bit key gives 512 bytes), and a copy of the signing certificate embedded. The certificate
is self-signed, subject ``C=NL, L=<gemeente>, O=<election id>, OU=<software>, CN=Gemeente
<name>, UID=PSB<gemeentecode>``, valid until three months after election day.

A signature that is not in that format is refused here (``InputError``) with what is wrong;
whether it verifies, and against which certificate, is decided in ``checks/signed.py``. The
certificate inside a signature proves nothing about who signed: trust comes only from a
certificate the user obtained independently (``--trust``), read by ``read_certificates``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text, visible

#: A signature file is about 2 KB (512 bytes of signature and a certificate); a certificate
#: file about 2 KB. Anything far larger is not one.
MAX_SIGNATURE_BYTES = 64 * 1024
MAX_CERTIFICATE_BYTES = 64 * 1024
MAX_TRUSTED = 10_000  # certificates read from one --trust folder
MAX_KEY_BITS = 8192  # Abacus and OSV use RSA-4096
#: A trusted certificate with a smaller RSA key is refused: a 1024-bit key can be factored, so a
#: signature under it proves nothing (NIST SP 800-131A: at least 2048 bits).
MIN_KEY_BITS = 2048

#: DER ``SEQUENCE`` followed, within the first bytes, by the OID of CMS signedData.
_SIGNED_DATA_OID = bytes.fromhex("06092a864886f70d010702")
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def looks_like_signature(head: bytes) -> bool:
    """A CMS SignedData in DER, by its first bytes (a signature file is recognised by content)."""
    return head[:1] == b"\x30" and _SIGNED_DATA_OID in head[:24]


@dataclass(frozen=True)
class Signature:
    """A signature in the documented format: the RSA signature value and the embedded
    certificate (DER). ``digest`` is the SHA-256 the signature carries, recovered with the
    embedded certificate's public key (None when that key does not open it)."""

    source: str
    value: bytes
    certificate: bytes
    digest: bytes | None


@dataclass(frozen=True)
class Certificate:
    """A certificate to trust (``--trust``) or one embedded in a signature: its subject fields,
    validity and key, for ``checks/signed.py``."""

    source: str
    subject: dict[str, str]  # C, L, O, OU, CN, UID as given
    not_before: dt.datetime
    not_after: dt.datetime
    der: bytes
    rsa_bits: int | None  # the size of its RSA key (None: another kind of key, which never verifies here)

    def describe(self) -> str:
        """``Gemeente Ameland (PSB0060, GR2022_Ameland)``."""
        s = self.subject
        return f"{s.get('CN', '?')} ({s.get('UID', '?')}, {s.get('O', '?')})"


def _bad(source: str, nl: str, en: str) -> InputError:
    return InputError(source, Text(f"geen handtekening in het vastgelegde formaat: {nl}",
                                   f"not a signature in the documented format: {en}"))


def read_signature(data: bytes, source: str) -> Signature:
    """The signature in ``data``; anything but the documented format is one InputError saying
    what differs (not DER, more than one signer, signed attributes, another digest)."""
    from asn1crypto import cms

    if len(data) > MAX_SIGNATURE_BYTES:
        raise _bad(source, f"groter dan {MAX_SIGNATURE_BYTES} bytes", f"larger than {MAX_SIGNATURE_BYTES} bytes")
    try:
        info = cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != "signed_data":
            raise _bad(source, "geen CMS SignedData", "not CMS SignedData")
        signed = info["content"]
        signers = signed["signer_infos"]
        certificates = signed["certificates"]
        if len(signers) != 1:
            raise _bad(source, f"{len(signers)} ondertekenaars in plaats van één", f"{len(signers)} signers instead of one")
        signer = signers[0]
        if signer["signed_attrs"].native is not None or signer["unsigned_attrs"].native is not None:
            raise _bad(source, "met ondertekende of extra attributen (de handtekening moet direct over het EML-bestand gaan)",
                       "with signed or unsigned attributes (the signature must be over the EML file itself)")
        if signer["digest_algorithm"]["algorithm"].native != "sha256":
            raise _bad(source, f"digest {signer['digest_algorithm']['algorithm'].native} in plaats van SHA-256",
                       f"digest {signer['digest_algorithm']['algorithm'].native} instead of SHA-256")
        if signer["signature_algorithm"]["algorithm"].native not in ("rsassa_pkcs1v15", "sha256_rsa"):
            raise _bad(source, f"algoritme {signer['signature_algorithm']['algorithm'].native} in plaats van RSA PKCS#1 v1.5",
                       f"algorithm {signer['signature_algorithm']['algorithm'].native} instead of RSA PKCS#1 v1.5")
        if certificates.native is None or len(certificates) != 1:
            raise _bad(source, "niet precies één ingesloten certificaat", "not exactly one embedded certificate")
        value = signer["signature"].native
        embedded = certificates[0].chosen.dump()
    except InputError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, RecursionError) as err:
        raise _bad(source, f"geen geldige DER-structuur ({type(err).__name__})",
                   f"no valid DER structure ({type(err).__name__})") from None
    certificate(embedded, source)  # its key must be readable before anything is checked with it
    return Signature(source, value, embedded, recover_digest(value, embedded))


def recover_digest(value: bytes, certificate_der: bytes) -> bytes | None:
    """The SHA-256 inside an RSA PKCS#1 v1.5 signature, opened with the certificate's public key
    (no signed attributes, so it is the EML's own hash); None when the key does not open it."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        key = x509.load_der_x509_certificate(certificate_der).public_key()
    except ValueError:
        return None
    if not isinstance(key, rsa.RSAPublicKey):
        return None
    numbers = key.public_numbers()
    size = (numbers.n.bit_length() + 7) // 8
    if numbers.n.bit_length() > MAX_KEY_BITS or len(value) != size:
        return None
    block = pow(int.from_bytes(value, "big"), numbers.e, numbers.n).to_bytes(size, "big")
    # 00 01 FF..FF 00 DigestInfo(sha256) and the 32-byte digest
    padding, separator, rest = block[2:].partition(b"\x00")
    if block[:2] != b"\x00\x01" or not separator or len(padding) < 8 or padding.strip(b"\xff"):
        return None
    if not rest.startswith(_SHA256_DIGEST_INFO) or len(rest) != len(_SHA256_DIGEST_INFO) + 32:
        return None
    return rest[len(_SHA256_DIGEST_INFO):]


def certificate(der: bytes, source: str) -> Certificate:
    """A certificate's subject and validity (DER or PEM bytes); a broken one is an InputError."""
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    names = {NameOID.COUNTRY_NAME: "C", NameOID.LOCALITY_NAME: "L", NameOID.ORGANIZATION_NAME: "O",
             NameOID.ORGANIZATIONAL_UNIT_NAME: "OU", NameOID.COMMON_NAME: "CN", NameOID.USER_ID: "UID"}
    try:
        cert = (x509.load_pem_x509_certificate(der) if der.lstrip().startswith(b"-----BEGIN")
                else x509.load_der_x509_certificate(der))
        subject = {names[a.oid]: visible(str(a.value)) for a in cert.subject if a.oid in names}
        key = cert.public_key()
        return Certificate(source, subject, cert.not_valid_before_utc, cert.not_valid_after_utc,
                           cert.public_bytes(_der_encoding()), key.key_size if isinstance(key, rsa.RSAPublicKey) else None)
    except (ValueError, UnsupportedAlgorithm) as err:
        raise InputError(source, Text("geen leesbaar X.509-certificaat", f"not a readable X.509 certificate ({err})")) from None


def _der_encoding():  # noqa: ANN202 - the cryptography enum, imported lazily
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def read_certificates(paths: list[str | Path], problems: list[InputError]) -> list[Certificate]:
    """The certificates to trust: each file given, and every ``.crt``/``.pem``/``.cer`` file in a
    folder given. A file that is not a certificate, cannot be read or holds a weak key is an
    InputError naming it, added to ``problems``; the others are still trusted."""
    found: list[Certificate] = []
    for path in map(Path, paths):
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".crt", ".pem", ".cer") and p.is_file()) \
            if path.is_dir() else [path]
        if len(files) > MAX_TRUSTED:
            problems.append(InputError(str(path), Text(f"meer dan {MAX_TRUSTED} certificaten; alleen de eerste {MAX_TRUSTED} gelezen",
                                                       f"more than {MAX_TRUSTED} certificates; only the first {MAX_TRUSTED} read")))
        for file in files[:MAX_TRUSTED]:
            try:
                found.append(_trusted(file))
            except InputError as err:
                problems.append(err)
    return found


def _trusted(file: Path) -> Certificate:
    if not file.is_file():  # a FIFO would block, a device never ends
        raise InputError(str(file), Text("bestaat niet of is geen gewoon bestand", "does not exist or is not a regular file"))
    try:
        with open(file, "rb") as f:
            data = f.read(MAX_CERTIFICATE_BYTES + 1)
    except OSError as err:
        raise InputError(str(file), Text(f"kan niet lezen: {err.strerror or err}", f"cannot read: {err.strerror or err}")) from None
    if len(data) > MAX_CERTIFICATE_BYTES:
        raise InputError(str(file), Text("te groot voor een certificaat", "too large for a certificate"))
    cert = certificate(data, str(file))
    _strong_enough(cert)
    return cert


def _strong_enough(cert: Certificate) -> None:
    if cert.rsa_bits is not None and cert.rsa_bits < MIN_KEY_BITS:
        raise InputError(cert.source, Text(f"een RSA-sleutel van {cert.rsa_bits} bits is te zwak om op te vertrouwen (minstens {MIN_KEY_BITS}; Abacus gebruikt 4096)",
                                           f"an RSA key of {cert.rsa_bits} bits is too weak to trust (at least {MIN_KEY_BITS}; Abacus uses 4096)"))


def verifies(signature: Signature, eml: bytes, certificate_der: bytes) -> bool:
    """Whether ``signature`` is a valid RSA PKCS#1 v1.5 / SHA-256 signature of ``eml`` under the
    key of the certificate ``certificate_der``."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = x509.load_der_x509_certificate(certificate_der).public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        key.verify(signature.value, eml, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
