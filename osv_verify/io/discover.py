"""Find, classify and group the published files of elections.

Any mix of files, folders (searched recursively) and .zip archives (read in place, never
extracted; ``sources`` walks them). Files are classified by content, never by name: the EML root ``Id`` and
``ElectionIdentifier``, the OSV CSV header, or the header of a Kiesraad research CSV
(``io.kiesraad_csv``). Inside folders and archives, files that are
neither XML nor an OSV CSV (notes, PDFs, images, HTML pages such as this tool's own report) are
skipped and listed; a file named on the
command line that cannot be read is an input error.

A municipality's PV (``Model_Na31-1.odt``/``Model_Na31-2.odt`` as OSV2020 writes it, also inside
OSV2020's "definitieve documenten" zip beside the inner zip with the 510b) is classified as
kind ``na31-1``/``na31-2``, and an Abacus PV in PDF form (Na 31-1, Na 31-2, Na 14-2, P 22-2,
read by ``io.pdf_pv``) as ``pv-pdf``: they are listed in ``Inventory.pvs``; ``protocol`` reads
the ODT ones and ``verify`` compares the PDF ones with their EML. A PDF that is not a PV is
skipped inside a folder or archive; a damaged or hostile one is an input error. An EML's
signature (DER CMS SignedData, ``io.signature``) is kind ``signature``, in ``Inventory.signatures``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from osv_verify.core.errors import InputError, unreadable
from osv_verify.core.text import Text
from osv_verify.core.identity import election_key
from osv_verify.io import eml, kiesraad_csv, odt, osv_csv, pdf_pv, signature
from osv_verify.io.eml_common import COUNT_LEVELS, KNOWN_IDS
from osv_verify.io.archive import READ_ERRORS
from osv_verify.io.sources import Source, iter_sources
from osv_verify.core.model import Document, ElectionRef, Level

#: The kinds of a municipality's PV: the two ODT models, and Abacus's PDF (recognised, not read).
PV_KINDS = (odt.PvModel.NA31_1.value, odt.PvModel.NA31_2.value, "pv-pdf")


#: An HTML page (a report of this tool, a saved web page): ``<!DOCTYPE html`` or ``<html``
#: first, after an optional XML declaration and comments. Case-insensitive, as HTML is.
_HTML = re.compile(rb"(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html\b|html[\s>])", re.IGNORECASE | re.DOTALL)


def sniff(head: bytes) -> str | None:
    """'xml', 'html', 'csv', 'utf16', 'utf32', 'bom2' (a byte order mark twice) or None, from the
    first bytes of a file."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if head.startswith(b"\xef\xbb\xbf\xef\xbb\xbf"):
        return "bom2"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML.match(text):
        return "html"
    if text.startswith(b"<"):
        return "xml"
    if osv_csv.looks_like_osv_csv(head):
        return "csv"
    return None


@dataclass
class Entry:
    """A classified input: what it is and which election it belongs to."""

    source: Source
    kind: str  # 110a, 110b, 230b, 510a-d, 520, osv4-3; a PV: na31-1, na31-2, pv-pdf; kr-uitslag, kr-stembureaus
    election: ElectionRef | None
    authority: str | None = None
    level: Level | None = None  # of a count file
    named: str | None = None  # the election id the file itself gives, when grouped under another (identity)
    from_name: bool = False  # a research CSV whose election only its (zip's or folder's) name gives
    pv: odt.MunicipalityPv | None = None  # of an ODT PV (kind na31-1/na31-2), as read
    pdf: pdf_pv.PdfPv | None = None  # of an Abacus PDF PV (kind pv-pdf), as read
    signature: signature.Signature | None = None  # of an EML signature (kind signature), as read


@dataclass
class Inventory:
    """All classified inputs of a run, grouped per election id."""

    entries: list[Entry] = field(default_factory=list)
    skipped: list[Source] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    pvs: list[Entry] = field(default_factory=list)  # municipality PVs (kinds PV_KINDS): protocol reads the ODT, verify the PDF
    signatures: list[Entry] = field(default_factory=list)  # EML signatures (kind signature)
    copies: list[tuple[str, str]] = field(default_factory=list)  # (copy, the file read instead): the same bytes

    def elections(self) -> dict[str, list[Entry]]:
        groups: dict[str, list[Entry]] = {}
        for e in self.entries:
            groups.setdefault(e.election.id if e.election else "?", []).append(e)
        return dict(sorted(groups.items()))


def classify(source: Source) -> Entry | None:
    """Classify one source by content; None if it is not an election file (skipped)."""
    head = source.head()
    if not head.strip():
        # an empty file in a folder is only worth an error where its name promises an election file
        # (a 0-byte upload of a count); an empty note beside them is skipped
        if source.explicit or source.name.lower().endswith((".xml", ".csv", ".zip")):
            raise InputError(source.name, Text("leeg bestand", "empty file"))
        return None
    if head.startswith(b"PK\x03\x04"):  # only an OpenDocument reaches here as a zip (see _zip_sources)
        return _classify_pv(source)
    if odt.is_pdf(head):
        return _classify_pdf(source)
    if signature.looks_like_signature(head):
        with source.open() as f:
            data = f.read(signature.MAX_SIGNATURE_BYTES + 1)
        return Entry(source, "signature", None, signature=signature.read_signature(data, source.name))
    research = kiesraad_csv.kind_of(head, source.name)
    if research is not None:  # the Kiesraad's research CSVs; the election is in their file name only
        election = kiesraad_csv.election_of(source.name)
        return Entry(source, research, election, from_name=election is not None)
    what = sniff(head)
    if what == "html":  # no election file: skipped in a folder (like a report written beside the files)
        if source.explicit:
            raise InputError(source.name, Text("een HTML-pagina, geen EML-bestand (een rapport of opgeslagen webpagina?)",
                                               "an HTML page, not an EML file (a report or a saved web page?)"))
        return None
    if what == "xml":
        with source.open() as stream:
            kind, election, authority = eml.peek(stream, source.name)
        if kind not in KNOWN_IDS:
            known = ", ".join(KNOWN_IDS)
            raise InputError(source.name, Text(f"EML-bericht {kind!r} wordt niet ondersteund (wel: {known})",
                                               f"EML message {kind!r} is not supported (supported: {known})"))
        return Entry(source, kind, election, authority, COUNT_LEVELS.get(kind))
    if what in ("utf16", "utf32"):
        name = "UTF-16" if what == "utf16" else "UTF-32"
        raise InputError(source.name, Text(f"{name}-tekst; gepubliceerde verkiezingsbestanden zijn UTF-8 (sla het bestand op als UTF-8)",
                                           f"{name} text; published election files are UTF-8 (save the file as UTF-8)"))
    if what == "bom2":
        raise InputError(source.name, Text("begint met twee byte-order-marks (EF BB BF, twee keer): het bestand is twee keer "
                                           "als UTF-8 met BOM opgeslagen; verwijder er één",
                                           "starts with two byte order marks (EF BB BF, twice): the file was saved as UTF-8 "
                                           "with BOM twice; remove one"), "byte 4")
    if what == "csv":
        election, level, authority = osv_csv.peek_osv_csv(head, source.name)
        return Entry(source, "osv4-3", election, authority, level)
    if source.explicit:
        raise InputError(source.name, Text("geen EML_NL-XML-bestand en geen OSV4-3-CSV-export",
                                           "neither an EML_NL XML file nor an OSV4-3 CSV export"))
    return None


def _classify_pv(source: Source) -> Entry | None:
    """An OpenDocument: a Na 31-1/Na 31-2 PV, or (inside a folder or archive) skipped."""
    with source.open() as f:
        data = f.read(odt.MAX_PV_BYTES + 1)
    if len(data) > odt.MAX_PV_BYTES:
        raise odt.too_large(source.name)
    try:
        pv = odt.read_pv(data, source.name)
    except odt.NotAPv:
        # named on the command line, or named like a PV: saying nothing would hide its recounts
        if source.explicit or _NA31_MARK.search(Path(source.name).name.encode()):
            raise
        return None
    return Entry(source, pv.model.value, None, pv.municipality, pv=pv)


#: How an ODT named like a municipality's PV (Model_Na31-1.odt) shows itself: such a file that
#: does not read as a PV is an error, not skipped.
_NA31_MARK = re.compile(rb"(?<![a-z])Na[\s_]?31(?!\d)", re.IGNORECASE)


def _classify_pdf(source: Source) -> Entry | None:
    """An Abacus PV in PDF form, read whole; another PDF (a letter, a scan) is skipped inside a
    folder or archive and an error when named on the command line."""
    with source.open() as f:
        data = f.read(pdf_pv.MAX_PDF_BYTES + 1)
    try:
        pv = pdf_pv.read_pdf_pv(data, source.name)
    except pdf_pv.NotAPvPdf:
        if source.explicit:
            raise
        return None
    return Entry(source, "pv-pdf", None, pv.authority_id, pdf=pv)


def load_pv(entry: Entry) -> odt.MunicipalityPv:
    """The PV of a ``na31-1``/``na31-2`` entry (read during discovery). A ``pv-pdf`` entry raises
    the InputError saying that a PV in PDF form is not read yet."""
    if entry.kind == "pv-pdf":
        raise odt.pdf_not_read(entry.source.name)
    if entry.pv is None:
        raise InputError(entry.source.name, Text(f"geen proces-verbaal (soort {entry.kind})",
                                                 f"not a PV (kind {entry.kind})"))
    return entry.pv


def discover(paths: Iterable[str | Path]) -> Inventory:
    """Classify everything below ``paths``; problems are collected, never raised."""
    inv = Inventory()
    for source in iter_sources(paths, inv.problems):
        try:
            entry = classify(source)
        except InputError as err:
            inv.problems.append(err)
            continue
        except READ_ERRORS as err:
            inv.problems.append(unreadable(source.name, err))
            continue
        if entry is None:
            inv.skipped.append(source)
        elif entry.kind not in (*PV_KINDS, "signature"):
            inv.entries.append(entry)
        else:
            # a PV or a signature is no election file: listed as skipped until verify pairs it
            # with its count file (``app.printed.pair``); protocol reads the ODT PVs
            (inv.pvs if entry.kind in PV_KINDS else inv.signatures).append(entry)
            inv.skipped.append(source)
    _drop_copies(inv)
    _group_by_content(inv)
    _research_election(inv)
    return inv


def _research_election(inv: Inventory) -> None:
    """A research CSV whose name gives no election (renamed) belongs to the Tweede Kamer election
    of the run's other files when they hold exactly one (their content says which): its numbers
    are then compared with those counts instead of landing under election "?". Otherwise its
    election is the one its name, or its zip's or folder's, gives (``from_name``, said in the
    report as META.RESEARCH_ELECTION)."""
    elections = {e.election.id: e.election for e in inv.entries
                 if e.kind not in kiesraad_csv.KINDS and e.election is not None and e.election.category == "TK"}
    if len(elections) != 1:
        return
    (only,) = elections.values()
    for e in inv.entries:
        if e.kind in kiesraad_csv.KINDS and (e.election is None or e.election.id == only.id):
            e.election, e.from_name = only, False


def _drop_copies(inv: Inventory) -> None:
    """Read a file once, however often it is given (twice on the command line, or loose and in a
    zip): two inputs of the same kind and authority with the same bytes are one publication, not
    two that agree. Only such candidates are hashed, so a run without copies reads nothing extra."""
    groups: dict[tuple, list[Entry]] = {}
    for e in inv.entries:
        groups.setdefault((e.kind, e.authority, e.level, e.election.id if e.election else None), []).append(e)
    dropped: set[int] = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        seen: dict[bytes, Entry] = {}
        for e in group:
            try:
                digest = content_digest(e.source)
            except (InputError, *READ_ERRORS):
                continue  # reading it properly later gives the one-line error
            if digest in seen:
                dropped.add(id(e))
                inv.copies.append((e.source.name, seen[digest].source.name))
            else:
                seen[digest] = e
    inv.entries = [e for e in inv.entries if id(e) not in dropped]


def content_digest(source: Source) -> bytes:
    """The SHA-256 of a source's bytes, read in chunks."""
    digest = hashlib.sha256()
    with source.open() as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.digest()


def _group_by_content(inv: Inventory) -> None:
    """Give every file the election of the first file about the same election by content.

    The same election is the same category, date and domain (``identity.election_key``),
    whatever the id strings say: Nuenen's GR2022 files spell their id two ways. EML files come
    first, so an OSV CSV (whose id is derived from its election name) takes the EML's id; a CSV
    whose content does not say enough takes the id of the EML election with the same name and
    date. A file that takes another id keeps its own in ``named`` (META.ELECTION_ID, info).
    """
    by_key: dict[object, ElectionRef] = {}
    by_name: dict[object, ElectionRef] = {}
    for e in sorted(inv.entries, key=lambda e: e.kind == "osv4-3"):  # stable: EML first, in input order
        if e.election is None:
            continue
        key = election_key(e.election, e.level, e.authority)
        match = by_key.get(key) if key is not None else None
        if match is None and e.kind == "osv4-3":
            match = by_name.get((e.election.name, e.election.date))
        if match is None:
            if key is not None:
                by_key[key] = e.election
            if e.kind != "osv4-3" and e.election.name:
                by_name.setdefault((e.election.name, e.election.date), e.election)
            continue
        if match.id != e.election.id:
            e.named = e.election.id
            e.election = match


def load(entry: Entry) -> Document:
    """Read a classified input completely; a damaged file or member becomes an InputError."""
    try:
        return _load(entry)
    except READ_ERRORS as err:
        raise unreadable(entry.source.name, err) from None


def _load(entry: Entry) -> Document:
    if entry.kind in kiesraad_csv.KINDS:
        return kiesraad_csv.read(entry.source.read(), entry.source.name)  # type: ignore[return-value]
    if entry.kind == "osv4-3":
        doc: Document = osv_csv.read_osv_csv(entry.source.read(), entry.source.name)
    else:
        with entry.source.open() as stream:
            doc = eml.read_document(stream, entry.source.name, entry.kind)  # type: ignore[assignment]
    election = getattr(doc, "election", None)
    if entry.election is not None and isinstance(election, ElectionRef) and election.id != entry.election.id:
        doc = doc.model_copy(update={"election": entry.election})  # grouped by content (_group_by_content)
    return doc
