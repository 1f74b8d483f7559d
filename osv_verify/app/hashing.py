"""``osv-verify hash``: the SHA-256 of published files as a proces-verbaal prints it, and
whether it matches the one printed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from osv_verify.core.errors import InputError, unreadable
from osv_verify.core.text import Text


@dataclass(frozen=True)
class FileHash:
    file: str
    sha256: str  # as a PV prints it (``groups``)
    matches: bool | None  # whether it is the expected hash; None when none was given


def groups(digest: str) -> str:
    """A SHA-256 hex digest as printed on a proces-verbaal: 16 groups of 4 hex digits."""
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4))


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path``, read in 1 MB pieces (any size in bounded memory)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def normalise_hash(text: str) -> str:
    """A hash as typed or printed, without its spaces and in lower case, to compare."""
    return "".join(text.split()).lower()


def hash_files(files: Iterable[Path], expect: str | None = None) -> tuple[list[FileHash], list[InputError]]:
    """The hash of each file, compared with ``expect`` when given; a path that is not a
    readable regular file is an ``InputError``, and the other files are still hashed."""
    hashes: list[FileHash] = []
    errors: list[InputError] = []
    for path in files:
        try:
            if not path.is_file():
                if path.exists():
                    raise InputError(str(path), Text("geen gewoon bestand", "not a regular file"))
                raise InputError(str(path), Text("bestand bestaat niet", "no such file"))
            try:
                printed = groups(file_sha256(path))
            except OSError as err:
                raise unreadable(str(path), err) from None
        except InputError as err:
            errors.append(err)
            continue
        match = None if expect is None else normalise_hash(printed) == normalise_hash(expect)
        hashes.append(FileHash(str(path), printed, match))
    return hashes, errors
