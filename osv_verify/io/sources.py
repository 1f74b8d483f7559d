"""Every input file below the paths a user gives: files, folders (searched recursively) and
.zip archives (read in place, never extracted; a zip inside a zip too, two levels at most).

What a file is, is decided later by its content (``discover``); here a path or an archive that
cannot be walked becomes an ``InputError`` in ``problems``, and everything else is still found.
"""

from __future__ import annotations

import errno
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from osv_verify.core.errors import InputError, unreadable
from osv_verify.core.text import Text
from osv_verify.io.archive import BAD_ZIP, READ_ERRORS, is_opendocument, open_member, open_nested

#: What ``Source.head`` reads to classify a file.
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
        return open_member(self.path, self.members, self.name)

    def head(self, n: int = SNIFF_BYTES) -> bytes:
        with self.open() as f:
            return f.read(n)

    def read(self) -> bytes:
        with self.open() as f:
            return f.read()


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
            problems.append(InputError(name, Text("bestand in het archief is een symbolische link; niet gevolgd",
                                                  "archive member is a symbolic link; not followed")))
            continue
        if _is_zip(archive, info) or inner.lower().endswith(".zip"):  # a name that promises a zip and is none: an error
            if len(members) >= 2:
                if not inner.lower().endswith(".zip"):  # an ODT (a PV) at the deepest level: classify reads it
                    yield Source(name=name, path=path, members=members + ((inner, index),))
                    continue
                problems.append(InputError(name, Text("archieven meer dan twee lagen diep genest; niet gelezen",
                                                      "archive nested more than two levels deep; not read")))
                continue
            try:
                nested = open_nested(archive, info, name)
            except InputError as err:
                problems.append(err)
                continue
            except BAD_ZIP as err:
                problems.append(InputError(name, Text(f"geen leesbaar zip-archief: {err}",
                                                      f"not a readable zip archive: {err}")))
                continue
            except READ_ERRORS as err:  # the nested archive's own bytes are damaged (CRC, deflate, cut short)
                why = str(err) or type(err).__name__
                problems.append(InputError(name, Text(f"niet te lezen uit het archief: {why}",
                                                      f"cannot read from the archive: {why}")))
                continue
            yield from _zip_sources(path, name, members + ((inner, index),), nested, problems)
            continue
        yield Source(name=name, path=path, members=members + ((inner, index),))


def _is_zip(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A member that is itself a zip, by its first bytes (never by its name: Abacus names its
    inner ``Telling_...zip``, but a renamed or downloaded copy need not end in .zip). A member
    that cannot be opened is not one; reading it later gives the one-line error."""
    if info.file_size < 22:  # smaller than the end record every zip has
        return False
    try:
        with archive.open(info) as f:
            return f.read(4) in (b"PK\x03\x04", b"PK\x05\x06")
    except (*BAD_ZIP, *READ_ERRORS, RuntimeError):
        return False


def iter_sources(paths: Iterable[str | Path], problems: list[InputError]) -> Iterator[Source]:
    """Every candidate input file below the given paths, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append(InputError(str(raw), Text("bestand of map bestaat niet", "no such file or folder")))
            continue
        if not path.is_dir() and not path.is_file():
            problems.append(InputError(str(raw), Text("geen gewoon bestand (een apparaat, pipe of socket wordt nooit gelezen)",
                                                      "not a regular file (a device, pipe or socket is never read)")))
            continue
        if path.is_dir():
            for p in _files_below(path, problems):
                yield from _file_sources(p, explicit=False, problems=problems)
        else:
            yield from _file_sources(path, explicit=True, problems=problems)


def _files_below(folder: Path, problems: list[InputError]) -> list[Path]:
    """Every file below ``folder`` (sorted as paths), symbolic links included only when they
    lead to a file inside it. A subfolder that cannot be read, a link out of the folder and a
    link that loops are each an input error in ``problems``; the rest is still found."""
    def cannot_list(err: OSError) -> None:
        problems.append(unreadable(str(err.filename or folder), err))

    root = folder.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=cannot_list):
        found += [Path(dirpath, name) for name in filenames]
        found += [Path(dirpath, name) for name in dirnames if Path(dirpath, name).is_symlink()]
    files = []
    for p in sorted(found):
        if p.is_symlink():
            try:
                target = p.resolve(strict=True)
            except (OSError, RuntimeError) as err:  # dangling, or a loop (RuntimeError before Python 3.13)
                why = err if isinstance(err, OSError) else OSError(errno.ELOOP, "Symlink loop")
                problems.append(unreadable(str(p), why))
                continue
            if not target.is_relative_to(root):
                problems.append(InputError(str(p), Text("symbolische link buiten de map; niet gevolgd",
                                                        "symbolic link out of the folder; not followed")))
                continue
            if not target.is_file():
                continue  # a link to a folder inside: its files are found there
        elif not p.is_file():
            continue  # a FIFO, socket or device inside the folder is never read
        files.append(p)
    return files


def _file_sources(path: Path, explicit: bool, problems: list[InputError]) -> Iterator[Source]:
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as err:
        problems.append(unreadable(str(path), err))
        return
    if magic == b"PK\x03\x04" and not zipfile.is_zipfile(path):
        problems.append(InputError(str(path), Text("geen leesbaar zip-archief (beschadigd of afgebroken)",
                                                   "not a readable zip archive (damaged or cut short)")))
        return
    # a zip starts with its signature or is named so: zipfile also finds one appended to any file, so
    # a PDF PV (or an EML) with a zip on its end was read as that zip, the file named never read
    if (magic[:2] == b"PK" or path.name.lower().endswith(".zip")) and zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                yield from _zip_sources(path, str(path), (), archive, problems, explicit)
        except BAD_ZIP as err:
            problems.append(InputError(str(path), Text(f"geen leesbaar zip-archief: {err}",
                                                       f"not a readable zip archive: {err}")))
        return
    yield Source(name=str(path), path=path, explicit=explicit)
