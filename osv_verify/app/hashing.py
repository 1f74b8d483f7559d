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
    sha256: str  # as a PV prints it (``sha256_groups``)
    matches: bool | None  # whether it is the expected hash; None when none was given


def sha256_groups(data: bytes) -> str:
    """SHA-256 as printed on a proces-verbaal: 16 groups of 4 hex digits."""
    digest = hashlib.sha256(data).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4))


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
                data = path.read_bytes()
            except OSError as err:
                raise unreadable(str(path), err) from None
        except InputError as err:
            errors.append(err)
            continue
        printed = sha256_groups(data)
        match = None if expect is None else normalise_hash(printed) == normalise_hash(expect)
        hashes.append(FileHash(str(path), printed, match))
    return hashes, errors
