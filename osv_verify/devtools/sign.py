"""Make keys, certificates and EML signatures in exactly the format Abacus and OSV2020-U write,
for tests (``osv_verify.io.signature`` reads them).

The certificate: self-signed X.509 v3 with ``sha256WithRSAEncryption``, no extensions, subject
``C=NL, L=<name>, O=<election id>, OU=<software>, CN=Gemeente <name>, UID=PSB<code>``. The
signature: DER CMS ``ContentInfo``/``signedData`` v1, digest sha256 (NULL parameters), an
``id-data`` encapsulated content that is present but empty, the certificate embedded, one
``SignerInfo`` v1 by issuer and serial, no signed or unsigned attributes, ``rsaEncryption``,
the RSA PKCS#1 v1.5 signature over the EML's exact bytes. ``signers`` and ``signed_attrs``
make the variants the format forbids (for the hostile-input tests).
"""

from __future__ import annotations

import datetime as dt

from asn1crypto import algos, cms, core, x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID


def new_key(bits: int = 4096) -> rsa.RSAPrivateKey:
    """An RSA key (4096 bits as Abacus makes them; slow, so make one per test session)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def make_certificate(key: rsa.RSAPrivateKey, election_id: str, authority_id: str, name: str,
                     not_before: dt.datetime, not_after: dt.datetime, software: str = "Abacus test") -> bytes:
    """A self-signed certificate (PEM) with the subject layout of Abacus's ``subject.rs``."""
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, election_id),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, software),
        x509.NameAttribute(NameOID.COMMON_NAME, f"Gemeente {name}"),
        x509.NameAttribute(NameOID.USER_ID, f"PSB{authority_id}"),
    ])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM)


def sign(eml: bytes, key: rsa.RSAPrivateKey, certificate_pem: bytes, signers: int = 1, signed_attrs: bool = False) -> bytes:
    """The ``.signature`` of ``eml`` (DER CMS SignedData), as Abacus writes it."""
    cert = asn1_x509.Certificate.load(x509.load_pem_x509_certificate(certificate_pem).public_bytes(serialization.Encoding.DER))
    value = key.sign(eml, padding.PKCS1v15(), hashes.SHA256())
    sha256 = algos.DigestAlgorithm({"algorithm": "sha256", "parameters": core.Null()})
    signer = {
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": cert.issuer, "serial_number": cert.serial_number})}),
        "digest_algorithm": sha256,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15", "parameters": core.Null()}),
        "signature": value,
    }
    if signed_attrs:
        signer["signed_attrs"] = cms.CMSAttributes([cms.CMSAttribute({"type": "content_type", "values": ["data"]})])
    signed = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [sha256],
        "encap_content_info": {"content_type": "data", "content": b""},
        "certificates": [cert],
        "signer_infos": [cms.SignerInfo(signer)] * signers,
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
