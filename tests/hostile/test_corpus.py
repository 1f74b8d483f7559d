"""A corpus of hostile and broken inputs, generated here, run through the real command line.

Every row says what the file is, the exact exit code and a fragment of the message (on stderr
for exit 2, on stdout otherwise). For every row: no traceback, exactly one ``osv-verify: ...``
stderr line per bad file (naming that file) and none for a good one, the secret next to the
inputs never shown, and the inputs untouched (same bytes, nothing created, moved or deleted
next to them: zips are read in place, never extracted). ``inspect`` must agree on every row.

The zip bomb is a real one (200 MB of zeros in ~200 kB) but is never inflated: the declared
size/ratio check refuses it. Every product bug this suite found has been fixed; the rows and
tests that found them stay as regression tests.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import os
import resource
import struct
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import NS, STATIONS, make_510b

from osv_verify import cli

# ---------------------------------------------------------------- shared helpers


@pytest.fixture(autouse=True)
def _plain_output(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every file below ``root`` (symlinks by their target text, not followed)."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if p.is_symlink():
            out[rel] = "link:" + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        elif p.is_dir():
            out[rel] = "dir"
    return out


def run(capsys, *args: object) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def line_of(data: bytes, marker: bytes) -> int:
    return data[: data.index(marker)].count(b"\n") + 1


# ---------------------------------------------------------------- inputs

#: A valid 510b (3 stations, GR2030_Testdorp), one element per line so that line numbers mean something.
GOOD = make_510b(STATIONS).replace(b"><", b">\n<")
OTHER = make_510b(STATIONS, election="GR2030_Other", authority="0998").replace(b"><", b">\n<")
SECRET = "S3CRET-d0c5-4f1e-9b7a-NOT-FOR-OUTPUT"

#: A valid OSV4-3 CSV of another election, two stations, consistent (exit 0). Row numbers:
#: 8 opgeroepenen ... 19 list 1, 20 Jansen, 21 Pietersen, 22 list 2, 23 Klaassen.
CSV = (
    '\ufeff"Verkiezing";;"Gemeenteraad Anderdorp 2030"\n'
    '"Datum";;"2030-03-20"\n'
    '"Gebied";;"Gemeente Anderdorp"\n'
    '"Nummer";;"0997"\n'
    "\n"
    '"Lijstnummer";"Aanduiding";"Volgnummer";"Naam kandidaat";"Totaal";"Stembureau 1";"Stembureau 2"\n'
    '"Gebiednummer";;;;;"1";"2"\n'
    ';"opgeroepenen";;;"1000";"500";"500"\n'
    ';"geldige stempas";;;"200";"100";"100"\n'
    ';"geldig volmachtbewijs";;;"4";"2";"2"\n'
    ';"geldige kiezerspas";;;"0";"0";"0"\n'
    ';"toegelaten kiezers";;;"204";"102";"102"\n'
    ';"geldige stembiljetten";;;"200";"100";"100"\n'
    ';"blanco stembiljetten";;;"2";"1";"1"\n'
    ';"ongeldige stembiljetten";;;"2";"1";"1"\n'
    ';"aangetroffen stembiljetten";;;"204";"102";"102"\n'
    ';"meer stembiljetten dan toegelaten kiezers";;;"0";"0";"0"\n'
    ';"minder stembiljetten dan toegelaten kiezers";;;"0";"0";"0"\n'
    '"1";"Partij A";;;"120";"60";"60"\n'
    ';;"1";"Jansen, A.";"100";"50";"50"\n'
    ';;"2";"Pietersen, B.";"20";"10";"10"\n'
    '"2";"Partij B";;;"80";"40";"40"\n'
    ';;"1";"Klaassen, C.";"80";"40";"40"\n'
)


def sub(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old
    return data.replace(old, new, 1)


def csv_sub(old: str, new: str) -> bytes:
    assert old in CSV, old
    return CSV.replace(old, new, 1).encode()


FIRST_CAST = b"<Cast>500</Cast>"  # the first station's Cast (the total's is 1500)
FIRST_LIST_VOTES = b"<ValidVotes>75</ValidVotes>"  # list 1 of SB1 (50 + 20 + 5)
CAND = b'<Selection>\n<Candidate>\n<CandidateIdentifier Id="1">\n</CandidateIdentifier>\n</Candidate>\n<ValidVotes>9</ValidVotes>\n</Selection>\n'
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE EML [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, b"".join(b"&lol%s;" % (b"" if i == 1 else str(i - 1).encode()) for _ in range(10)))
        for i in range(1, 10)
    )
    + b']>\n<EML xmlns="urn:oasis:names:tc:evs:schema:eml" Id="510b">&lol9;</EML>\n'
)
DEEP = b'<EML xmlns="urn:oasis:names:tc:evs:schema:eml" Id="510b">' + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</EML>"


def with_doctype(doctype: bytes) -> bytes:
    return b'<?xml version="1.0"?>\n' + doctype + b"\n" + GOOD


def small_eml(kind: str, body: str) -> bytes:
    return f'<EML {NS} Id="{kind}">\n{body}\n</EML>\n'.encode()


# ---------------------------------------------------------------- zip builders


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", compression) as z:
        warnings.simplefilter("ignore")  # duplicate names are deliberate in one case
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def write(d: Path, name: str, data: bytes) -> Path:
    p = d / name
    p.write_bytes(data)
    return p


@functools.lru_cache(maxsize=1)
def bomb_bytes() -> bytes:
    """A real zip bomb: one member of 200 MB of zeros, about 200 kB compressed (~1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("Telling_bomb.eml.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                f.write(chunk)
    return buf.getvalue()


def patch_headers(data: bytes, local_offset: int, central_offset: int, value: bytes) -> bytes:
    """Overwrite the same field in the (first) local header and central directory entry."""
    b = bytearray(data)
    i, j = b.find(b"PK\x03\x04"), b.find(b"PK\x01\x02")
    b[i + local_offset : i + local_offset + len(value)] = value
    b[j + central_offset : j + central_offset + len(value)] = value
    return bytes(b)


def zip_bomb(d: Path) -> Path:
    return write(d, "bomb.zip", bomb_bytes())


def zip_declared_huge(d: Path) -> Path:
    """A member whose central directory claims 5 GB (ratio below the limit is irrelevant)."""
    p = d / "declared.zip"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("Telling.eml.xml", GOOD)
        z.filelist[0].file_size = 5 * 1024**3
    return p


def zip_liar(d: Path) -> Path:
    """Headers claim 200 kB, the deflate stream holds 16 MB: reading stops at the claim (bad CRC)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, z.open("Telling.eml.xml", "w") as f:
        f.write(GOOD[:-7])
        for _ in range(16):
            f.write(b" " * (1 << 20))
        f.write(b"</EML>\n")
    claim = struct.pack("<I", 200_000)
    return write(d, "liar.zip", patch_headers(buf.getvalue(), 22, 24, claim))


def zip_traversal(d: Path) -> Path:
    return write(d, "traversal.zip", zip_bytes({
        "../../evil.eml.xml": GOOD,
        "/abs/evil-absolute.eml.xml": OTHER,
        "..\\..\\evil-windows.txt": b"notes",
    }))


def zip_nested(d: Path) -> Path:
    return write(d, "outer.zip", zip_bytes({"inner.zip": zip_bytes({"Telling.eml.xml": GOOD}, zipfile.ZIP_DEFLATED)}))


def zip_nested_two(d: Path) -> Path:
    return write(d, "outer2.zip", zip_bytes({"a.zip": zip_bytes({"b.zip": zip_bytes({"Telling.eml.xml": GOOD})})}))


def zip_nested_three(d: Path) -> Path:
    deepest = zip_bytes({"Telling.eml.xml": GOOD})
    return write(d, "outer3.zip", zip_bytes({"a.zip": zip_bytes({"b.zip": zip_bytes({"c.zip": deepest})})}))


def zip_nested_bomb(d: Path) -> Path:
    return write(d, "nestedbomb.zip", zip_bytes({"inner.zip": bomb_bytes()}))


def zip_fake_inner(d: Path) -> Path:
    return write(d, "fakeinner.zip", zip_bytes({"inner.zip": b"this is not a zip archive"}))


def zip_encrypted(d: Path) -> Path:
    data = zip_bytes({"Telling.eml.xml": GOOD})
    b = bytearray(data)
    i, j = b.find(b"PK\x03\x04"), b.find(b"PK\x01\x02")
    b[i + 6] |= 1  # general purpose flag bit 0: encrypted
    b[j + 8] |= 1
    return write(d, "encrypted.zip", bytes(b))


def zip_bad_crc(d: Path, name: str = "badcrc.zip", member: str = "Telling.eml.xml", data: bytes = GOOD) -> Path:
    raw = zip_bytes({member: data}, zipfile.ZIP_DEFLATED)
    b = bytearray(raw)
    i, j = b.find(b"PK\x03\x04"), b.find(b"PK\x01\x02")
    for off in (i + 14, j + 16):  # CRC-32 in both headers
        b[off] ^= 0xFF
    return write(d, name, bytes(b))


def zip_bad_crc_small(d: Path) -> Path:
    return zip_bad_crc(d, "badcrc-small.zip", "osv4-3_telling.csv", CSV.encode())


def zip_symlink(d: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("Telling.eml.xml")
        info.external_attr = 0o120777 << 16  # S_IFLNK | 0777
        z.writestr(info, "/etc/passwd")
    return write(d, "symlink.zip", buf.getvalue())


def zip_method(d: Path) -> Path:
    return write(d, "method.zip", patch_headers(zip_bytes({"Telling.eml.xml": GOOD}), 8, 10, b"\x61\x00"))


def zip_bad_local(d: Path) -> Path:
    data = zip_bytes({"Telling.eml.xml": GOOD})
    return write(d, "badlocal.zip", b"XXXX" + data[4:])


def zip_bad_central(d: Path) -> Path:
    data = zip_bytes({"Telling.eml.xml": GOOD})
    j = data.find(b"PK\x01\x02")
    return write(d, "badcentral.zip", data[:j] + b"XXXX" + data[j + 4 :])


def zip_truncated(d: Path) -> Path:
    return write(d, "truncated.zip", zip_bytes({"Telling.eml.xml": GOOD}, zipfile.ZIP_DEFLATED)[:-10])


def zip_truncated_in_folder(d: Path) -> Path:
    folder = d / "download"
    folder.mkdir()
    write(folder, "Telling_GR2030_Testdorp.eml.xml", GOOD)
    write(folder, "truncated.zip", zip_bytes({"Telling.eml.xml": OTHER}, zipfile.ZIP_DEFLATED)[:-10])
    return folder


def zip_empty(d: Path) -> Path:
    return write(d, "empty.zip", zip_bytes({}))


def zip_notes_only(d: Path) -> Path:
    return write(d, "notes.zip", zip_bytes({"README.txt": b"nothing to see", "img.png": b"\x89PNG\r\n"}))


def folder_links_out(d: Path) -> Path:
    """Symlinks (a file and a folder) pointing out of the input folder, at a valid 510b."""
    outside = d / "outside"
    outside.mkdir()
    (outside / "Telling.eml.xml").write_bytes(make_510b(STATIONS, election="GR2030_OUTSIDE"))
    folder = d / "inputs"
    folder.mkdir()
    (folder / "Telling.eml.xml").write_bytes(GOOD)
    os.symlink(outside / "Telling.eml.xml", folder / "link.eml.xml")
    os.symlink(outside, folder / "linkdir")
    return folder


# ---------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Case:
    id: str
    make: bytes | Callable[[Path], Path]  # the file's bytes, or a builder returning the path to verify
    code: int
    fragment: str  # on stderr when code is 2, on stdout otherwise
    suffix: str = ".eml.xml"
    bad: tuple[str, ...] | None = None  # names each stderr line must mention (default: the path)
    absent: tuple[str, ...] = ()  # must appear nowhere in the output

    def build(self, d: Path) -> Path:
        if isinstance(self.make, bytes):
            return write(d, self.id + self.suffix, self.make)
        return self.make(d)


def xml(id, data, code, fragment, **kw) -> Case:
    return Case(id, data, code, fragment, ".eml.xml", **kw)


def csv_case(id, data, code, fragment, **kw) -> Case:
    return Case(id, data, code, fragment, ".csv", **kw)


def built(id, builder, code, fragment, **kw) -> Case:
    return Case(id, builder, code, fragment, "", **kw)


DOCTYPE = "has a DOCTYPE/DTD; EML files never do, so it is refused"
NOT_A_NUMBER = "is not a whole non-negative number"
TOO_BIG = "is larger than any real count (max 999999999)"
NEITHER = "neither an EML_NL XML file nor an OSV4-3 CSV export"
NOT_EML = "not an EML_NL file (no EML root in namespace urn:oasis:names:tc:evs:schema:eml)"
L_CAST = line_of(GOOD, FIRST_CAST)
L_LIST = line_of(GOOD, FIRST_LIST_VOTES)

CASES: list[Case] = [
    # -- XML attacks: refused or inert, never expanded or fetched
    xml("billion-laughs", BILLION_LAUGHS, 2, DOCTYPE),
    xml("xxe-file", with_doctype('<!DOCTYPE EML [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()), 2, DOCTYPE),
    xml("xxe-parameter-entity", with_doctype(b'<!DOCTYPE EML [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'), 2, DOCTYPE),
    xml("external-dtd", with_doctype(b'<!DOCTYPE EML SYSTEM "file:///etc/passwd">'), 2, DOCTYPE),
    xml("public-dtd", with_doctype(b'<!DOCTYPE EML PUBLIC "-//X//DTD X//EN" "http://127.0.0.1:9/x.dtd">'), 2, DOCTYPE),
    xml("xinclude-inert",
        sub(GOOD, b"<TransactionId>1</TransactionId>",
            b'<TransactionId>1</TransactionId><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret}" parse="text"/>'),
        0, "GR2030_Testdorp: 1 bestand, 4 eenheden gecontroleerd, 0 fouten"),
    xml("stylesheet-pi-inert", b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="file:///etc/passwd"?>\n' + GOOD,
        0, "GR2030_Testdorp: 1 bestand,"),
    xml("deep-nesting", DEEP, 2, "the elements are nested deeper than 256 levels; no EML file is that deep"),
    xml("huge-attribute", sub(GOOD, b'Id="510b"', b'Id="510b" Junk="' + b"A" * (20 * 1024**2) + b'"'), 2, "not well-formed XML"),
    xml("huge-text-node", sub(GOOD, b"<TransactionId>1<", b"<TransactionId>" + b"1" * (11 * 1024**2) + b"<"), 2, "not well-formed XML"),
    xml("cdata-unterminated", sub(GOOD, FIRST_CAST, b"<Cast><![CDATA[500</Cast>"), 2, "not well-formed XML: CData section not finished"),
    xml("undefined-entity", sub(GOOD, FIRST_CAST, b"<Cast>&foo;</Cast>"), 2, f"line {L_CAST}, column"),
    # -- broken XML: one line naming the file and the place
    xml("truncated", GOOD[: len(GOOD) // 2], 2, "not well-formed XML"),
    xml("truncated-in-tag", GOOD[: GOOD.index(FIRST_CAST) + 3], 2, f"line {L_CAST}, column"),
    xml("trailing-garbage", GOOD + b"<EML/>", 2, "not well-formed XML: Extra content at the end of the document"),
    xml("not-xml", b"Dit is geen XML maar gewone tekst.\n", 2, NEITHER),
    xml("binary", bytes(range(256)) * 8, 2, NEITHER),
    xml("html", b"<!doctype html>\n<html><body>404</body></html>\n", 2, "an HTML page, not an EML file"),  # a saved web page or a report: said so (fix-misc 1)
    xml("wrong-root", b'<?xml version="1.0"?>\n<Verkiezing Id="510b"/>\n', 2, NOT_EML),
    xml("wrong-namespace", sub(GOOD, b'xmlns="urn:oasis:names:tc:evs:schema:eml"', b'xmlns="urn:example:eml"'), 2, NOT_EML),
    xml("no-namespace", b'<EML Id="510b"><Count/></EML>', 2, NOT_EML),
    xml("root-without-id", sub(GOOD, b' Id="510b"', b""), 2, "EML root without Id"),
    xml("eml-630", sub(GOOD, b'Id="510b"', b'Id="630"'), 2, "EML message '630' is not supported (supported: 110a, 110b, 230b, 510a, 510b, 510c, 510d, 520)"),
    xml("eml-210", sub(GOOD, b'Id="510b"', b'Id="210"'), 2, "EML message '210' is not supported"),
    xml("eml-630-bare", small_eml("630", "<TransactionId>1</TransactionId>"), 2, "EML message '630' is not supported"),
    xml("latin1-undeclared", sub(GOOD, b"Testdorp</AuthorityIdentifier>", "Tëstdorp</AuthorityIdentifier>".encode("latin-1")),
        2, f"line {line_of(GOOD, b'Testdorp</AuthorityIdentifier>')}, column"),
    xml("utf16", GOOD.decode().encode("utf-16"), 2, "UTF-16"),
    xml("empty", b"", 2, "empty file"),
    xml("whitespace-only", b" \r\n\t\n", 2, "empty file"),
    xml("no-election-identifier", GOOD.replace(GOOD[GOOD.index(b"<ElectionIdentifier"):GOOD.index(b"</ElectionIdentifier>") + 21], b""),
        2, "no ElectionIdentifier"),
    xml("bad-election-date", sub(GOOD, b"2030-03-20", b"2030-13-45"), 2, "date '2030-13-45' is not YYYY-MM-DD"),
    xml("bad-creation-time", sub(GOOD, b"2030-03-21T10:00:00.000", b"gisteren"), 2, "date-time 'gisteren' is not ISO 8601"),
    # -- counts: non-numeric, negative, over 10^9, absurdly long
    xml("negative-count", sub(GOOD, FIRST_CAST, b"<Cast>-5</Cast>"), 2, f"line {L_CAST}: Cast: count '-5' {NOT_A_NUMBER}"),
    xml("text-count", sub(GOOD, FIRST_CAST, b"<Cast>vijfhonderd</Cast>"), 2, f"line {L_CAST}: Cast: count 'vijfhonderd' {NOT_A_NUMBER}"),
    xml("plus-sign", sub(GOOD, FIRST_CAST, b"<Cast>+500</Cast>"), 2, NOT_A_NUMBER),
    xml("decimal", sub(GOOD, FIRST_CAST, b"<Cast>500.0</Cast>"), 2, NOT_A_NUMBER),
    xml("fullwidth-digits", sub(GOOD, FIRST_CAST, "<Cast>５00</Cast>".encode()), 2, NOT_A_NUMBER),
    xml("empty-count", sub(GOOD, FIRST_CAST, b"<Cast></Cast>"), 2, f"line {L_CAST}: Cast: count"),
    xml("count-over-1e9", sub(GOOD, FIRST_CAST, b"<Cast>1000000000</Cast>"), 2, f"line {L_CAST}: Cast: count 1000000000 {TOO_BIG}"),
    xml("votes-over-1e9", sub(GOOD, FIRST_LIST_VOTES, b"<ValidVotes>1000000000</ValidVotes>"), 2, f"line {L_LIST}: ValidVotes of list 1"),
    xml("count-5000-digits", sub(GOOD, FIRST_CAST, b"<Cast>" + b"9" * 5000 + b"</Cast>"), 2, TOO_BIG),
    # was exit 3 once (int() of 5000 digits in an earlier fast path of the 510 reader)
    xml("votes-5000-digits", sub(GOOD, FIRST_LIST_VOTES, b"<ValidVotes>" + b"9" * 5000 + b"</ValidVotes>"), 2, f"line {L_LIST}: ValidVotes of list 1: count 9999"),
    xml("negative-votes", sub(GOOD, FIRST_LIST_VOTES, b"<ValidVotes>-75</ValidVotes>"), 2, f"line {L_LIST}: ValidVotes of list 1: count '-75' {NOT_A_NUMBER}"),
    # -- harmless oddities that must be read as the numbers they are
    xml("cdata-count", sub(GOOD, FIRST_CAST, b"<Cast><![CDATA[500]]></Cast>"), 0, "GR2030_Testdorp: 1 bestand, 4 eenheden gecontroleerd, 0 fouten"),
    xml("char-ref-count", sub(GOOD, FIRST_CAST, b"<Cast>&#53;00</Cast>"), 0, "0 fouten"),
    xml("spaces-around-count", sub(GOOD, FIRST_CAST, b"<Cast> 500\n</Cast>"), 0, "0 fouten"),
    xml("comment-in-count", sub(GOOD, FIRST_CAST, b"<Cast>5<!-- x -->00</Cast>"), 0, "0 fouten"),
    xml("declared-latin1", b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + sub(GOOD, b"Testdorp</AuthorityIdentifier>", "Tëstdorp</AuthorityIdentifier>".encode("latin-1")),
        0, "0 fouten"),
    xml("leading-zeros", sub(GOOD, FIRST_CAST, b"<Cast>0000000000000500</Cast>"), 0, "0 fouten"),
    # -- duplicates, candidates without a list
    xml("duplicate-list", sub(GOOD, b'<AffiliationIdentifier Id="2">', b'<AffiliationIdentifier Id="1">'), 2, "list 1 appears twice in one unit"),
    xml("duplicate-candidate", sub(GOOD, b'<CandidateIdentifier Id="2">', b'<CandidateIdentifier Id="1">'), 2, "candidate 1.1 appears twice in one unit"),
    xml("duplicate-count", sub(GOOD, FIRST_CAST, FIRST_CAST * 2), 2, "Cast 'eligible' appears twice in one unit"),
    xml("duplicate-unit", GOOD.replace(b"0999::SB2", b"0999::SB1"), 1, "AGG.DUPLICATE_UNIT"),
    xml("second-total", sub(GOOD, b"</TotalVotes>", b"</TotalVotes>\n<TotalVotes><Cast>1</Cast></TotalVotes>"), 2, "a second TotalVotes"),
    xml("unit-without-id", sub(GOOD, b'<ReportingUnitIdentifier Id="0999::SB1">Stembureau 0999::SB1</ReportingUnitIdentifier>', b""),
        2, "ReportingUnitVotes without ReportingUnitIdentifier Id"),
    xml("candidate-before-any-list", sub(GOOD, b"<TotalVotes>\n", b"<TotalVotes>\n" + CAND), 2, "candidate votes before any list"),
    xml("candidate-before-any-list-in-unit", sub(GOOD, b"</ReportingUnitIdentifier>\n", b"</ReportingUnitIdentifier>\n" + CAND), 2,
        "candidate votes before any list"),
    xml("list-id-not-a-number", sub(GOOD, b'<AffiliationIdentifier Id="2">', b'<AffiliationIdentifier Id="twee">'), 2, "AffiliationIdentifier Id: count 'twee'"),
    xml("selection-neither", sub(GOOD, b"<TotalVotes>\n", b"<TotalVotes>\n<Selection><ValidVotes>1</ValidVotes></Selection>\n"), 2,
        "Selection is neither one list nor one candidate"),
    xml("230b-duplicate-list", small_eml("230b", '<CandidateList><Election><ElectionIdentifier Id="GR2030_Testdorp"/><Contest>'
        '<ContestIdentifier Id="geen"/><Affiliation><AffiliationIdentifier Id="1"/></Affiliation>'
        '<Affiliation><AffiliationIdentifier Id="1"><RegisteredName>B</RegisteredName></AffiliationIdentifier></Affiliation>'
        '</Contest></Election></CandidateList>'), 2, "list 1 appears twice, with different content"),
    xml("520-candidate-before-any-list", small_eml("520", '<Result><Election><ElectionIdentifier Id="GR2030_Testdorp"/><Contest>'
        '<ContestIdentifier Id="geen"/><Selection><Candidate><CandidateIdentifier Id="1"/></Candidate><Elected>yes</Elected>'
        "</Selection></Contest></Election></Result>"), 2, "candidate before any list"),
    xml("110a-seats-over-1e9", small_eml("110a", '<ElectionEvent><Election><ElectionIdentifier Id="GR2030_Testdorp"/>'
        "<kr:NumberOfSeats>99999999999</kr:NumberOfSeats></Election></ElectionEvent>"), 2, TOO_BIG),
    # -- OSV4-3 CSV
    csv_case("csv-comma", CSV.replace(";", ",").encode(), 2, "row 1, column 1: the delimiter is ','; an OSV4-3 CSV uses ';'"),
    csv_case("csv-tab", CSV.replace(";", "\t").encode(), 2, "the delimiter is '\\t'"),
    csv_case("csv-cp1252", CSV.removeprefix("\ufeff").replace("Jansen", "Jänsen").encode("cp1252"), 2,
             "line 20: byte 0xe4 is not UTF-8 (save the file as UTF-8)"),
    csv_case("csv-utf16", CSV.removeprefix("\ufeff").encode("utf-16"), 2, "UTF-16"),
    csv_case("csv-empty", b"", 2, "empty file"),
    csv_case("csv-bom-and-semicolons", b"\xef\xbb\xbf;;;\r\n;;\r\n", 2, NEITHER),
    csv_case("csv-header-only", b'"Verkiezing";;"X 2030"\n', 2, "no column header row"),
    csv_case("csv-referendum", csv_sub('"Volgnummer";"Naam kandidaat";"Totaal"', '"Vraag";"Antwoord";"Totaal"'), 2, "row 6: column header is not"),
    csv_case("csv-no-nummer", csv_sub('"Nummer";;"0997"\n', ""), 2, "no Nummer row"),
    csv_case("csv-bad-date", csv_sub("2030-03-20", "20 maart"), 2, "row 2, column 3: date '20 maart' is neither YYYY-MM-DD nor DD-MM-YYYY"),
    csv_case("csv-negative", csv_sub('"Jansen, A.";"100";"50"', '"Jansen, A.";"100";"-50"'), 2, f"row 20, column 6: count '-50' {NOT_A_NUMBER}"),
    csv_case("csv-text", csv_sub('"Jansen, A.";"100";"50"', '"Jansen, A.";"100";"vijftig"'), 2, f"row 20, column 6: count 'vijftig' {NOT_A_NUMBER}"),
    csv_case("csv-over-1e9", csv_sub('"Jansen, A.";"100";"50"', '"Jansen, A.";"100";"1000000000"'), 2, f"row 20, column 6: count 1000000000 {TOO_BIG}"),
    csv_case("csv-5000-digits", csv_sub('"Jansen, A.";"100";"50"', '"Jansen, A.";"100";"' + "9" * 5000 + '"'), 2, "row 20, column 6: count 9999"),
    csv_case("csv-list-number-text", csv_sub('"2";"Partij B"', '"B";"Partij B"'), 2, "row 22, column 1: list number 'B'"),
    csv_case("csv-duplicate-list", csv_sub('"2";"Partij B"', '"1";"Partij B"'), 2, "row 22, column 1: list 1 appears twice (also row 19)"),
    csv_case("csv-duplicate-candidate", csv_sub(';;"2";"Pietersen', ';;"1";"Pietersen'), 2, "row 21, column 3: candidate '1' of list 1 appears twice (also row 20)"),
    csv_case("csv-duplicate-statistic", csv_sub(';"ongeldige stembiljetten"', ';"blanco stembiljetten"'), 2, "row 15, column 2: row 'blanco stembiljetten' appears twice (also row 14)"),
    csv_case("csv-duplicate-region", csv_sub('"Gebiednummer";;;;;"1";"2"', '"Gebiednummer";;;;;"1";"1"'), 1, "AGG.DUPLICATE_UNIT"),  # as in EML (bf1b47a)
    csv_case("csv-candidate-before-any-list",
             csv_sub('"1";"Partij A"', ';;"1";"Weesje, W.";"1";"1";"0"\n"1";"Partij A"'), 2, "row 19, column 3: candidate row before any list row"),
    csv_case("csv-truncated-in-quote", CSV.encode()[: CSV.encode().index(b"Pietersen") + 3], 2, "row 21, column 4: not valid CSV"),
    csv_case("csv-unclosed-quote", csv_sub('"Klaassen, C."', '"Klaassen, C.'), 2, "row 23, column 4: not valid CSV"),
    csv_case("csv-beyond-header", csv_sub('"Klaassen, C.";"80";"40";"40"', '"Klaassen, C.";"80";"40";"40";"7"'), 2,
             "row 23, column 8: value '7' beyond the last column of the header"),
    csv_case("csv-numbers-without-label", csv_sub('"2";"Partij B"', ';;;;"1";"1";"0"\n"2";"Partij B"'), 2, "row 22: numbers without a label"),
    # -- archives: read in place, bombs refused by their declared size, damage reported per member
    built("zip-bomb-ratio", zip_bomb, 2, "bomb.zip!Telling_bomb.eml.xml: archive member compresses", bad=("bomb.zip!Telling_bomb.eml.xml",)),
    built("zip-declared-5gb", zip_declared_huge, 2, "archive member claims 5368709120 bytes, over the limit (zip bomb?)"),
    built("zip-header-lies", zip_liar, 2, "liar.zip!Telling.eml.xml: cannot read"),
    built("zip-path-traversal", zip_traversal, 0, "GR2030_Testdorp: 1 bestand,"),
    built("zip-nested-valid-510b", zip_nested, 0, "GR2030_Testdorp: 1 bestand, 4 eenheden gecontroleerd, 0 fouten"),
    built("zip-nested-two-levels", zip_nested_two, 0, "GR2030_Testdorp: 1 bestand,"),
    built("zip-nested-three-levels", zip_nested_three, 2, "outer3.zip!a.zip!b.zip!c.zip: archive nested more than two levels deep"),
    built("zip-nested-bomb", zip_nested_bomb, 2, "nestedbomb.zip!inner.zip!Telling_bomb.eml.xml: archive member compresses"),
    built("zip-inner-not-a-zip", zip_fake_inner, 2, "fakeinner.zip!inner.zip: not a readable zip archive"),
    built("zip-encrypted", zip_encrypted, 2, "encrypted.zip!Telling.eml.xml: archive member is encrypted"),
    built("zip-bad-crc", zip_bad_crc, 2, "badcrc.zip!Telling.eml.xml: cannot read: Bad CRC-32"),
    built("zip-bad-crc-small-member", zip_bad_crc_small, 2, "badcrc-small.zip!osv4-3_telling.csv: cannot read: Bad CRC-32"),
    built("zip-symlink", zip_symlink, 2, "symlink.zip!Telling.eml.xml: archive member is a symbolic link; not followed", absent=("root:",)),
    built("zip-unknown-compression", zip_method, 2, "method.zip!Telling.eml.xml: cannot read from the archive: That compression method is not supported"),
    built("zip-bad-local-header", zip_bad_local, 2, "badlocal.zip!Telling.eml.xml: cannot read from the archive"),
    built("zip-bad-central-directory", zip_bad_central, 2, "badcentral.zip: not a readable zip archive"),
    built("zip-truncated", zip_truncated, 2, "not a readable zip archive"),
    built("zip-truncated-in-folder", zip_truncated_in_folder, 2, "truncated.zip", bad=("truncated.zip",)),
    built("zip-empty", zip_empty, 2, "no election files found"),
    built("zip-only-notes", zip_notes_only, 2, "no election files found"),
    # -- folders
    built("folder-symlinks-out", folder_links_out, 2, "symbolic link out of the folder; not followed",
          bad=("link.eml.xml", "linkdir"), absent=("GR2030_OUTSIDE",)),
]


def _params() -> list:
    return [
        pytest.param(c, id=c.id)
        for c in CASES
    ]


def materialise(case: Case, d: Path, secret: Path) -> Path:
    if isinstance(case.make, bytes) and b"{secret}" in case.make:
        case = dataclasses.replace(case, make=case.make.replace(b"{secret}", str(secret).encode()))
    return case.build(d)


@pytest.fixture
def world(tmp_path):
    """``inputs`` (the files under test) and ``private`` (a secret next to them, never an input)."""
    inputs, private = tmp_path / "inputs", tmp_path / "private"
    inputs.mkdir()
    private.mkdir()
    secret = private / "secret.txt"
    secret.write_text(SECRET)
    return inputs, secret


@pytest.mark.parametrize("case", _params())
def test_corpus_verify(case: Case, world, capsys):
    inputs, secret = world
    path = materialise(case, inputs, secret)
    before = snapshot(inputs.parent)
    code, out, err = run(capsys, "verify", path)
    assert "Traceback" not in err + out
    assert snapshot(inputs.parent) == before, "an input was written, moved, deleted or extracted next to"
    assert SECRET not in out + err
    for text in case.absent:
        assert text not in out + err
    assert code == case.code, f"exit {code}\nstdout: {out[-2000:]}\nstderr: {err[-2000:]}"
    if code == 2:
        lines = err.splitlines()
        assert all(line.startswith(("osv-verify: invoerfout: ", "osv-verify: fout: ")) for line in lines), err  # Dutch by default
        err = run(capsys, "verify", path, "--lang", "en")[2]  # the fragments are the English messages
        assert case.fragment in err, err
        names = case.bad or (path.name,)
        assert len(lines) == len(names), lines
        for name in names:
            assert sum(name in line for line in lines) == 1, (name, lines)
        for line in lines:
            assert line.startswith("osv-verify: "), line
            assert len(line) < 600, "one short line, not a dump of the input"
    else:
        assert err == "", err
        assert case.fragment in out, out


@pytest.mark.parametrize("case", _params())
def test_corpus_inspect(case: Case, world, capsys):
    """``inspect`` reads the same files: the same verdict (input error or not), never a traceback."""
    inputs, secret = world
    path = materialise(case, inputs, secret)
    before = snapshot(inputs.parent)
    code, out, err = run(capsys, "inspect", path, "--format", "json")
    assert "Traceback" not in err + out and SECRET not in out + err
    assert snapshot(inputs.parent) == before
    if case.fragment.startswith("no election files found"):
        assert code in (0, 2)  # inspect lists what is there; finding nothing is not an error for it
        return
    assert code == (2 if case.code == 2 else 0), err
    if code == 2:
        assert all(line.startswith("osv-verify: ") for line in err.splitlines())
        assert case.fragment in run(capsys, "inspect", path, "--format", "json", "--lang", "en")[2]


def test_path_traversal_members_are_read_in_place(tmp_path, capsys):
    """Names like ../../evil.eml.xml and /abs/... are only labels: nothing is written anywhere."""
    inputs = tmp_path / "a" / "b" / "inputs"
    inputs.mkdir(parents=True)
    path = zip_traversal(inputs)
    before = snapshot(tmp_path)
    code, out, err = run(capsys, "verify", path, "--format", "json")
    assert code == 0 and err == ""
    assert snapshot(tmp_path) == before
    assert not Path("/abs").exists() and not (tmp_path / "evil.eml.xml").exists()
    data = json.loads(out)
    assert {e["election"] for e in data["summary"]["elections"]} == {"GR2030_Testdorp", "GR2030_Other"}
    assert data["summary"]["skipped"] == [f"{path}!..\\..\\evil-windows.txt"]


def test_duplicate_member_names_do_not_hide_a_member(tmp_path, capsys):
    wrong = make_510b(STATIONS, total_override={"blank": 4})
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as z:
        warnings.simplefilter("ignore")
        z.writestr("Telling.eml.xml", wrong)
        z.writestr("Telling.eml.xml", make_510b(STATIONS))
    path = write(tmp_path, "dup.zip", buf.getvalue())
    code, out, err = run(capsys, "verify", path)
    assert "Traceback" not in err
    assert code in (1, 2), out
    assert "geen fouten gevonden" not in out


# ---------------------------------------------------------------- one bad file among many


BAD_SET: dict[str, bytes | Callable[[Path], Path]] = {
    "truncated.eml.xml": GOOD[: len(GOOD) // 3],
    "laughs.eml.xml": BILLION_LAUGHS,
    "eml630.eml.xml": sub(GOOD, b'Id="510b"', b'Id="630"'),
    "comma.csv": CSV.replace(";", ",").encode(),
    "negative.csv": csv_sub('"Jansen, A.";"100";"50"', '"Jansen, A.";"100";"-50"'),
    "empty.eml.xml": b"",
    "bomb.zip": zip_bomb,
    "encrypted.zip": zip_encrypted,
}


def test_one_bad_file_does_not_stop_the_run(tmp_path, capsys):
    folder = tmp_path / "mixed"
    folder.mkdir()
    write(folder, "Telling_GR2030_Testdorp.eml.xml", GOOD)
    write(folder, "osv4-3_telling_anderdorp.csv", CSV.encode())
    write(folder, "notes.txt", b"not an election file: skipped, not an error")
    for name, make in BAD_SET.items():
        if isinstance(make, bytes):
            write(folder, name, make)
        else:
            make(folder)
    before = snapshot(tmp_path)
    code, out, err = run(capsys, "verify", folder)
    assert code == 2
    assert snapshot(tmp_path) == before
    assert "Traceback" not in err
    assert "GR2030_Testdorp: 1 bestand, 4 eenheden gecontroleerd, 0 fouten" in out
    assert "GR2030_Anderdorp: 1 bestand, 3 eenheden gecontroleerd, 0 fouten" in out
    lines = err.splitlines()
    assert len(lines) == len(BAD_SET), lines
    for name in BAD_SET:
        assert sum(name in line for line in lines) == 1, (name, lines)
    assert all(line.startswith("osv-verify: invoerfout: ") for line in lines)

    # the same run as JSON: both elections, every input error listed, and each named file on the command line too
    files = sorted(p for p in folder.iterdir())
    code, out, err = run(capsys, "verify", *files, "--format", "json", "--lang", "en")
    data = json.loads(out)
    assert code == 2 and len(err.splitlines()) == len(BAD_SET) + 1  # + notes.txt: named explicitly, so an error
    assert {e["election"] for e in data["summary"]["elections"]} >= {"GR2030_Testdorp", "GR2030_Anderdorp"}
    assert len(data["summary"]["input_errors"]) == len(BAD_SET) + 1
    assert snapshot(tmp_path) == before


def test_unread_election_is_not_reported_clean(tmp_path, capsys):
    path = write(tmp_path, "Telling.eml.xml", sub(GOOD, FIRST_CAST, b"<Cast>-5</Cast>"))
    code, out, err = run(capsys, "verify", path)
    assert code == 2 and "aantal '-5'" in err
    assert "geen fouten gevonden" not in out


# ---------------------------------------------------------------- --output never overwrites an input


def test_output_never_overwrites_an_input(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    xml_path = write(folder, "Telling.eml.xml", GOOD)
    csv_path = write(folder, "osv.csv", CSV.encode())
    zip_path = zip_nested(folder)
    os.symlink(xml_path, tmp_path / "alias.json")
    before = snapshot(tmp_path)
    for inputs, target in [
        ([xml_path], xml_path),
        ([xml_path, csv_path], csv_path),
        ([zip_path], zip_path),
        ([folder], csv_path),  # an existing file inside an input folder
        ([xml_path], tmp_path / "alias.json"),  # a symlink to an input
        ([xml_path], folder / ".." / "in" / "Telling.eml.xml"),  # another spelling of the input
    ]:
        for fmt in ("json", "csv", "markdown", "table"):
            code, out, err = run(capsys, "verify", *inputs, "--format", fmt, "--output", target)
            assert code == 2 and "zou een invoerbestand overschrijven" in err, (inputs, target, fmt, err)
            assert len(err.splitlines()) == 1 and "Traceback" not in err
            assert snapshot(tmp_path) == before, (inputs, target, fmt)
    # a new file next to the inputs is fine, and the inputs stay as they were
    target = tmp_path / "report.json"
    code, out, err = run(capsys, "verify", folder, "--format", "json", "--output", target)
    assert code == 0 and out == "" and json.loads(target.read_text())["summary"]["errors"] == 0
    after = snapshot(tmp_path)
    del after["report.json"]
    assert after == before


# ---------------------------------------------------------------- no tracebacks; internal errors are one line


def test_internal_error_is_one_line_exit_3_and_debug_shows_the_traceback(tmp_path, capsys, monkeypatch):
    import osv_verify.app.verify

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    path = write(tmp_path, "Telling.eml.xml", GOOD)
    monkeypatch.setattr(osv_verify.app.verify, "verify", boom)
    code, out, err = run(capsys, "verify", path, "--lang", "en")
    assert code == 3 and "Traceback" not in err
    assert err.splitlines() == [
        "osv-verify: internal error: RuntimeError: simulated bug (please report this, with the --debug output, to the osv-verify developers)"
    ]
    code, out, err = run(capsys, "verify", path, "--debug", "--lang", "en")
    assert code == 3 and "Traceback" in err and "please report" in err


# ---------------------------------------------------------------- memory and time stay bounded (subprocess)


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(NO_COLOR="1", COLUMNS="200")
    return env


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS and /dev/zero semantics are Linux")
def test_hostile_folder_under_a_1gb_memory_cap(tmp_path):
    """The attacks that would blow up memory, together, in a child limited to 1 GB address space."""
    folder = tmp_path / "attacks"
    folder.mkdir()
    write(folder, "laughs.eml.xml", BILLION_LAUGHS)
    write(folder, "deep.eml.xml", b'<EML xmlns="urn:oasis:names:tc:evs:schema:eml" Id="510b">' + b"<a>" * 1_000_000)
    write(folder, "attr.eml.xml", sub(GOOD, b'Id="510b"', b'Id="510b" A="' + b"x" * (64 * 1024**2) + b'"'))
    zip_bomb(folder)
    zip_nested_bomb(folder)
    before = snapshot(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "osv_verify", "verify", str(folder)],
        capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory, env=_clean_env(), cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 5, proc.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(sys.platform != "linux", reason="Linux device files and FIFOs")
@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_non_regular_file_is_an_input_error(tmp_path, kind):
    if kind == "dev-zero":
        path = Path("/dev/zero")
        if not path.exists():
            pytest.skip("no /dev/zero")
    else:
        path = tmp_path / "pipe.eml.xml"
        os.mkfifo(path)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "osv_verify", "verify", str(path)],
            capture_output=True, text=True, timeout=3, preexec_fn=_limit_memory, env=_clean_env(), cwd=tmp_path,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"verify {path} did not finish in 3 s")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and str(path) in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- a unit reads the same whatever precedes it


def _sel_list(n: int, votes: int) -> str:
    return (f'<Selection><AffiliationIdentifier Id="{n}"><RegisteredName>Lijst {n}</RegisteredName>'
            f"</AffiliationIdentifier><ValidVotes>{votes}</ValidVotes></Selection>")


def _sel_cand(i: int, votes: int) -> str:
    return f'<Selection><Candidate><CandidateIdentifier Id="{i}"/></Candidate><ValidVotes>{votes}</ValidVotes></Selection>'


def _unit(sb: str, body: str) -> str:
    return f'<ReportingUnitVotes><ReportingUnitIdentifier Id="0999::{sb}">Stembureau {sb}</ReportingUnitIdentifier>{body}<Cast>100</Cast></ReportingUnitVotes>'


def _count_doc(units: str) -> bytes:
    return (f'<EML {NS} Id="510b"><ManagingAuthority><AuthorityIdentifier Id="0999">Testdorp</AuthorityIdentifier>'
            f'</ManagingAuthority><Count><Election><ElectionIdentifier Id="GR2030_Testdorp"><ElectionName>Gemeenteraad Testdorp 2030'
            f'</ElectionName><ElectionCategory>GR</ElectionCategory></ElectionIdentifier><Contests><Contest>'
            f'<ContestIdentifier Id="geen"/>{units}</Contest></Contests></Election></Count></EML>').encode()


#: SB1: list 1 (candidates 1, 2), list 2 (candidate 1). SB2: list 1 (candidate 1), an element the
#: reader ignores, list 2 (candidates 2, 1). Same candidate Ids in the same order, list 2 at the
#: same child index: the shape a layout cache keyed on child positions cannot tell apart.
SB1 = _unit("SB1", _sel_list(1, 30) + _sel_cand(1, 10) + _sel_cand(2, 20) + _sel_list(2, 5) + _sel_cand(1, 5))
SB2 = _unit("SB2", _sel_list(1, 11) + _sel_cand(1, 11) + "<kr:Opmerking/>" + _sel_list(2, 7) + _sel_cand(2, 3) + _sel_cand(1, 4))




@pytest.mark.parametrize("neighbours", [
    pytest.param((), id="alone"),
    pytest.param((SB1,), id="after-SB1"),
    pytest.param((SB1, SB1.replace("SB1", "SB3")), id="after-SB1-SB3"),
])
def test_a_unit_reads_the_same_whatever_units_precede_it(neighbours):
    from osv_verify.io.eml import read_count

    count = read_count(io.BytesIO(_count_doc("".join(neighbours) + SB2)), "t.eml.xml")
    sb2 = next(u for u in count.units if u.id == "0999::SB2")
    assert sb2.lists == {1: 11, 2: 7}
    assert sb2.candidates == {(1, "1", None): 11, (2, "2", None): 3, (2, "1", None): 4}




def test_candidate_shortcodes_are_read_per_unit():
    from osv_verify.io.eml import read_count

    def cand(i: int, code: str, votes: int) -> str:
        return (f'<Selection><Candidate><CandidateIdentifier Id="{i}" ShortCode="{code}"/></Candidate>'
                f"<ValidVotes>{votes}</ValidVotes></Selection>")

    def unit(hsb: str, body: str) -> str:
        return f'<ReportingUnitVotes><ReportingUnitIdentifier Id="{hsb}">{hsb}</ReportingUnitIdentifier>{body}</ReportingUnitVotes>'

    hsb1 = unit("HSB1", _sel_list(1, 30) + cand(1, "RutteM", 20) + cand(2, "JansenA", 10))
    hsb2 = unit("HSB2", _sel_list(1, 30) + cand(1, "RutteM", 25) + cand(2, "PietersB", 5))
    doc = _count_doc(hsb1 + hsb2).replace(b'Id="510b"', b'Id="510d"')
    count = read_count(io.BytesIO(doc), "t.eml.xml")
    assert count.units[1].candidates == {(1, "1", "RutteM"): 25, (1, "2", "PietersB"): 5}
