"""Zip archives, read in place and never extracted: the limits every reader of a zip obeys.

Published election sets come as zips (sometimes a zip inside a zip), and an ODT (a PV as
OSV2020 writes it) is a zip too. Both ``discover`` (finding the files) and ``odt`` (reading a
PV) open members only through here, so an encrypted member, a zip bomb or an over-large
nested archive is refused the same way everywhere.
"""

from __future__ import annotations

import functools
import io
import zipfile
import zlib
from pathlib import Path
from typing import IO

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text

#: What opening a damaged or hostile zip can raise: zipfile refuses an unknown "version needed
#: to extract" with NotImplementedError, and some damaged headers with ValueError.
BAD_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError)
#: What reading a damaged archive member or file can raise besides our own InputError.
READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error)

#: Archive limits: a published election set is at most a few GB unpacked; a member that
#: claims more, or packs more than 200:1, is treated as a zip bomb.
MAX_MEMBER_BYTES = 4 * 1024**3
MAX_RATIO = 200
MAX_NESTED_BYTES = 256 * 1024**2


def check_member(info: zipfile.ZipInfo, name: str) -> None:
    """Refuse an encrypted member or a zip bomb (claimed size or compression ratio over the limits)."""
    if info.flag_bits & 0x1:
        raise InputError(name, Text("bestand in het archief is versleuteld", "archive member is encrypted"))
    if info.file_size > MAX_MEMBER_BYTES:
        raise InputError(name, Text(f"bestand in het archief zegt {info.file_size} bytes groot te zijn, boven de grens (zipbom?)",
                                    f"archive member claims {info.file_size} bytes, over the limit (zip bomb?)"))
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        ratio = info.file_size // info.compress_size
        raise InputError(name, Text(f"bestand in het archief is {ratio}:1 gecomprimeerd, boven de grens van {MAX_RATIO}:1 (zipbom?)",
                                    f"archive member compresses {ratio}:1, over the limit of {MAX_RATIO}:1 (zip bomb?)"))


def bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int) -> bytes:
    """A member's bytes (checked by ``check_member``), refused when there are more than ``limit``."""
    check_member(info, name)
    with archive.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise InputError(name, Text(f"archief in het archief groter dan {limit} bytes",
                                    f"nested archive larger than {limit} bytes"))
    return data


def open_nested(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> zipfile.ZipFile:
    """A zip inside a zip, read into memory (at most ``MAX_NESTED_BYTES``)."""
    return zipfile.ZipFile(io.BytesIO(bounded_read(archive, info, name, MAX_NESTED_BYTES)))


def open_member(path: Path, members: tuple[tuple[str, int], ...], name: str) -> IO[bytes]:
    """The member at ``members`` (name and position, one per level of nesting) of the zip at ``path``."""
    try:
        archive = _archive(path, _identity(path), members[:-1])
        info = archive.infolist()[members[-1][1]]
        check_member(info, name)
        return archive.open(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, RuntimeError, NotImplementedError) as err:
        raise InputError(name, Text(f"niet te lezen uit het archief: {err}", f"cannot read from the archive: {err}")) from None


def _identity(path: Path) -> tuple[int, int, int, int]:
    """What tells one version of a file from another (a zip rewritten in place is read anew)."""
    st = path.stat()
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


@functools.lru_cache(maxsize=4)
def _archive(path: Path, identity: tuple[int, int, int, int], levels: tuple[tuple[str, int], ...]) -> zipfile.ZipFile:
    """The zip at ``path`` (and the nested zip at ``levels`` in it), its directory read once for
    all its members: opening it per member made a zip of n members cost n^2 (10,000 members:
    minutes). A few are kept, for the nested zips a walk goes in and out of."""
    archive = zipfile.ZipFile(path)
    name = str(path)
    for inner, index in levels:
        name += f"!{inner}"
        archive = open_nested(archive, archive.infolist()[index], name)
    return archive


def is_opendocument(archive: zipfile.ZipFile) -> bool:
    """An ODT/ODS (a PV as OSV2020 writes it) is a zip too, but one document, not an archive of
    election files: it has ``content.xml`` and ``META-INF/manifest.xml`` (and usually, though
    not always first, a ``mimetype`` member naming an OpenDocument type). One with a manifest and
    a ``mimetype`` but no ``content.xml`` is a damaged document, not an archive to open."""
    names = set(archive.namelist())
    return "META-INF/manifest.xml" in names and ("content.xml" in names or "mimetype" in names)
