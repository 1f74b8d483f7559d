"""Find, classify and group the published files of elections.

Any mix of files, folders (searched recursively) and .zip archives (read in place, never
extracted). Files are classified by content, never by name: the EML root ``Id`` and
``ElectionIdentifier``, or the OSV CSV header. Inside folders and archives, files that are
neither XML nor an OSV CSV (notes, PDFs, images) are skipped and listed; a file named on the
command line that cannot be read is an input error.

A municipality's PV (``Model_Na31-1.odt``/``Model_Na31-2.odt`` as OSV2020 writes it, also inside
OSV2020's "definitieve documenten" zip beside the inner zip with the 510b) is classified as
kind ``na31-1``/``na31-2``, and an Abacus PV in PDF form as ``pv-pdf``: they are listed in
``Inventory.pvs`` (for ``protocol``) and, since no other command reads them, in ``skipped`` too.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from osv_verify.errors import InputError
from osv_verify.io import eml, odt, osv_csv
from osv_verify.model import Document, ElectionRef, Level

#: The kinds of a municipality's PV: the two ODT models, and Abacus's PDF (recognised, not read).
PV_KINDS = (odt.PvModel.NA31_1.value, odt.PvModel.NA31_2.value, "pv-pdf")

#: What opening a damaged or hostile zip can raise: zipfile refuses an unknown "version needed
#: to extract" with NotImplementedError, and some damaged headers with ValueError.
BAD_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError)

#: Archive limits: a published election set is at most a few GB unpacked; a member that
#: claims more, or packs more than 200:1, is treated as a zip bomb.
MAX_MEMBER_BYTES = 4 * 1024**3
MAX_RATIO = 200
MAX_NESTED_BYTES = 256 * 1024**2
SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Source:
    """One input file: a path on disk, or a member of a zip archive (possibly nested).

    Members are kept by their position in the archive as well as their name: an archive may
    hold two members with the same name, and each must be read.
    """

    name: str
    path: Path
    members: tuple[tuple[str, int], ...] = ()
    explicit: bool = False

    def open(self) -> IO[bytes]:
        if not self.members:
            return open(self.path, "rb")
        return _open_member(self.path, self.members, self.name)

    def head(self, n: int = SNIFF_BYTES) -> bytes:
        with self.open() as f:
            return f.read(n)

    def read(self) -> bytes:
        with self.open() as f:
            return f.read()


def _open_member(path: Path, members: tuple[tuple[str, int], ...], name: str) -> IO[bytes]:
    try:
        archive = zipfile.ZipFile(path)
        for _, index in members[:-1]:
            archive = zipfile.ZipFile(io.BytesIO(bounded_read(archive, archive.infolist()[index], name, MAX_NESTED_BYTES)))
        info = archive.infolist()[members[-1][1]]
        check_member(info, name)
        return archive.open(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, RuntimeError, NotImplementedError) as err:
        raise InputError(name, f"cannot read from the archive: {err}") from None


def check_member(info: zipfile.ZipInfo, name: str) -> None:
    """Refuse an encrypted member or a zip bomb (claimed size or compression ratio over the limits)."""
    if info.flag_bits & 0x1:
        raise InputError(name, "archive member is encrypted", nl="archiefbestand is versleuteld")
    if info.file_size > MAX_MEMBER_BYTES:
        raise InputError(name, f"archive member claims {info.file_size} bytes, over the limit (zip bomb?)",
                         nl=f"archiefbestand claimt {info.file_size} bytes, boven de grens (zipbom?)")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        ratio = info.file_size // info.compress_size
        raise InputError(name, f"archive member compresses {ratio}:1, over the limit of {MAX_RATIO}:1 (zip bomb?)",
                         nl=f"archiefbestand is {ratio}:1 gecomprimeerd, boven de grens van {MAX_RATIO}:1 (zipbom?)")


def bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int) -> bytes:
    check_member(info, name)
    with archive.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise InputError(name, f"archive member larger than {limit} bytes", nl=f"archiefbestand groter dan {limit} bytes")
    return data


def is_opendocument(archive: zipfile.ZipFile) -> bool:
    """An ODT/ODS (a PV as OSV2020 writes it) is a zip too, but one document, not an archive of
    election files: it has ``content.xml`` and ``META-INF/manifest.xml`` (and usually, though
    not always first, a ``mimetype`` member naming an OpenDocument type). One with a manifest and
    a ``mimetype`` but no ``content.xml`` is a damaged document, not an archive to open."""
    names = set(archive.namelist())
    return "META-INF/manifest.xml" in names and ("content.xml" in names or "mimetype" in names)


def _zip_sources(path: Path, prefix: str, members: tuple[tuple[str, int], ...], archive: zipfile.ZipFile,
                 problems: list[InputError], explicit: bool = False) -> Iterator[Source]:
    if is_opendocument(archive):
        yield Source(name=prefix, path=path, members=members, explicit=explicit)
        return
    for index, info in enumerate(archive.infolist()):
        if info.is_dir():
            continue
        inner = info.filename
        name = f"{prefix}!{inner}"
        if info.external_attr >> 28 == 0o12:  # a symlink stored in the archive
            problems.append(InputError(name, "archive member is a symbolic link; not followed"))
            continue
        if inner.lower().endswith(".zip"):
            if len(members) >= 2:
                problems.append(InputError(name, "archive nested more than two levels deep; not read"))
                continue
            try:
                nested = zipfile.ZipFile(io.BytesIO(bounded_read(archive, info, name, MAX_NESTED_BYTES)))
            except InputError as err:
                problems.append(err)
                continue
            except BAD_ZIP as err:
                problems.append(InputError(name, f"not a readable zip archive: {err}"))
                continue
            except READ_ERRORS as err:  # the nested archive's own bytes are damaged (CRC, deflate, cut short)
                problems.append(InputError(name, f"cannot read from the archive: {str(err) or type(err).__name__}"))
                continue
            yield from _zip_sources(path, name, members + ((inner, index),), nested, problems)
            continue
        yield Source(name=name, path=path, members=members + ((inner, index),))


def iter_sources(paths: Iterable[str | Path], problems: list[InputError]) -> Iterator[Source]:
    """Every candidate input file below the given paths, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append(InputError(str(raw), "no such file or folder"))
            continue
        if not path.is_dir() and not path.is_file():
            problems.append(InputError(str(raw), "not a regular file (a device, pipe or socket is never read)"))
            continue
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_symlink() and not p.resolve().is_relative_to(path.resolve()):
                    problems.append(InputError(str(p), "symbolic link out of the folder; not followed"))
                    continue
                if p.is_file():
                    yield from _file_sources(p, explicit=False, problems=problems)
        else:
            yield from _file_sources(path, explicit=True, problems=problems)


def _file_sources(path: Path, explicit: bool, problems: list[InputError]) -> Iterator[Source]:
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == b"PK\x03\x04" and not zipfile.is_zipfile(path):
        problems.append(InputError(str(path), "not a readable zip archive (damaged or cut short)"))
        return
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                yield from _zip_sources(path, str(path), (), archive, problems, explicit)
        except BAD_ZIP as err:
            problems.append(InputError(str(path), f"not a readable zip archive: {err}"))
        return
    yield Source(name=str(path), path=path, explicit=explicit)


def sniff(head: bytes) -> str | None:
    """'xml', 'csv', 'utf16' or None, from the first bytes of a file."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "xml"
    if osv_csv.looks_like_osv_csv(head):
        return "csv"
    return None


@dataclass
class Entry:
    """A classified input: what it is and which election it belongs to."""

    source: Source
    kind: str  # 110a, 110b, 230b, 510a-d, 520, osv4-3; a PV: na31-1, na31-2, pv-pdf
    election: ElectionRef | None
    authority: str | None = None
    level: Level | None = None  # of a count file
    pv: odt.MunicipalityPv | None = None  # of an ODT PV (kind na31-1/na31-2), as read


@dataclass
class Inventory:
    """All classified inputs of a run, grouped per election id."""

    entries: list[Entry] = field(default_factory=list)
    skipped: list[Source] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    pvs: list[Entry] = field(default_factory=list)  # municipality PVs (kinds PV_KINDS); only protocol reads them

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
            raise InputError(source.name, "empty file")
        return None
    if head.startswith(b"PK\x03\x04"):  # only an OpenDocument reaches here as a zip (see _zip_sources)
        return _classify_pv(source)
    if odt.is_pdf(head):
        if _is_pv_pdf(source):
            return Entry(source, "pv-pdf", None)
        if source.explicit:
            raise InputError(source.name, "a PDF, neither an EML_NL XML file nor an OSV4-3 CSV export",
                             nl="een PDF, geen EML_NL-XML-bestand en geen OSV4-3-CSV-export")
        return None
    what = sniff(head)
    if what == "xml":
        with source.open() as stream:
            kind, election, authority = eml.peek(stream, source.name)
        if kind not in eml.KNOWN_IDS:
            raise InputError(source.name, f"EML message {kind!r} is not supported (supported: {', '.join(eml.KNOWN_IDS)})")
        return Entry(source, kind, election, authority, eml.COUNT_LEVELS.get(kind))
    if what == "utf16":
        raise InputError(source.name, "UTF-16 text; published election files are UTF-8 (save the file as UTF-8)")
    if what == "csv":
        election, level, authority = osv_csv.peek_osv_csv(head, source.name)
        return Entry(source, "osv4-3", election, authority, level)
    if source.explicit:
        raise InputError(source.name, "neither an EML_NL XML file nor an OSV4-3 CSV export")
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


#: How a municipality's PV in PDF form (Model Na 31-1/31-2, as Abacus writes it) shows itself:
#: its model in the document's own (uncompressed) title or metadata, or in its file name.
#: Other PDFs, such as scans of a station's PV (N 10-1), are skipped like any document. An ODT
#: named like a PV that does not read as one is an error, not skipped.
_NA31_MARK = re.compile(rb"(?<![a-z])Na[\s_]?31(?!\d)", re.IGNORECASE)


def _is_pv_pdf(source: Source) -> bool:
    with source.open() as f:
        head = f.read(256 * 1024)
    return bool(_NA31_MARK.search(head) or _NA31_MARK.search(Path(source.name).name.encode()))


def load_pv(entry: Entry) -> odt.MunicipalityPv:
    """The PV of a ``na31-1``/``na31-2`` entry (read during discovery). A ``pv-pdf`` entry raises
    the InputError saying that a PV in PDF form is not read yet."""
    if entry.kind == "pv-pdf":
        raise odt.pdf_not_read(entry.source.name)
    if entry.pv is None:
        raise InputError(entry.source.name, f"not a PV (kind {entry.kind})", nl=f"geen proces-verbaal (soort {entry.kind})")
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
            inv.problems.append(InputError(source.name, f"cannot read: {getattr(err, 'strerror', None) or err}"))
            continue
        if entry is None:
            inv.skipped.append(source)
        elif entry.kind in PV_KINDS:
            inv.pvs.append(entry)
            inv.skipped.append(source)  # no command but protocol reads a PV
        else:
            inv.entries.append(entry)
    _adopt_csv_elections(inv)
    return inv


def _adopt_csv_elections(inv: Inventory) -> None:
    """Give an OSV CSV the id of the EML election with the same name and date, if any."""
    by_name = {
        (e.election.name, e.election.date): e.election
        for e in inv.entries
        if e.kind != "osv4-3" and e.election and e.election.name
    }
    for e in inv.entries:
        if e.kind == "osv4-3" and e.election:
            match = by_name.get((e.election.name, e.election.date))
            if match is not None:
                e.election = match


#: What reading a damaged archive member or file can raise besides our own InputError.
READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error)


def load(entry: Entry) -> Document:
    """Read a classified input completely; a damaged file or member becomes an InputError."""
    try:
        return _load(entry)
    except READ_ERRORS as err:
        raise InputError(entry.source.name, f"cannot read: {getattr(err, 'strerror', None) or err}") from None


def _load(entry: Entry) -> Document:
    if entry.kind == "osv4-3":
        count = osv_csv.read_osv_csv(entry.source.read(), entry.source.name)
        if entry.election is not None and count.election.id != entry.election.id:
            count = count.model_copy(update={"election": entry.election})
        return count
    with entry.source.open() as stream:
        return eml.read_document(stream, entry.source.name, entry.kind)  # type: ignore[return-value]
