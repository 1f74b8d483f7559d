"""Output formats shared by every command, and the one safe way to write a file.

Writing (``open_atomic``, ``write_atomic``) keeps these promises, for every command:

- ``-o -`` is stdout; ``-o`` naming a device, FIFO or socket streams into it (never replaces it:
  ``-o /dev/null`` as root stays the machine's ``/dev/null``).
- A regular file is written to a temporary file in the same folder and moved into place only
  when complete; the temporary file is removed on any error, Ctrl-C or SIGTERM (``cli.main``
  turns SIGTERM into an exit that runs the same clean-up).
- No existing file is replaced without ``--force``, checked at the moment of the move (a hard
  link, which refuses an existing name, not a check at start); never an input file, even with
  ``--force``.
- No symbolic link is written through, dangling or not, and no folder is made: a file in a
  folder that does not exist is refused (only ``protocol`` makes the folder it is given).
- Every failure (a folder, an empty name, a parent that is a file, no permission, disk full) is a
  ``WriteError``: one line naming the output, exit 2.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO

from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text
from osv_verify.core.escape import csv_cell, md_cell


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"
    HTML = "html"  # one self-contained page (osv_verify.report.html): verify, compare, seats, protocol


def to_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


#: A byte order mark first, so a Dutch spreadsheet opens a ``;`` CSV as UTF-8.
BOM = "\ufeff"


def to_csv(header: list[str], rows: list[list[object]]) -> str:
    """CSV as a Dutch spreadsheet opens it: UTF-8 with BOM, ``;``, absent values empty."""
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def to_markdown(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


class WriteError(UsageError):
    """The output cannot be written where the user asked (exit 2, one line)."""


EMPTY_OUTPUT = Text("--output is leeg; geef een bestandsnaam (of - voor de standaarduitvoer)",
                    "--output is empty; give a file name (or - for standard output)")


def output_path(value: str) -> Path:
    """``--output`` as given: an empty one is refused here, before it reads as ``.`` (a folder)."""
    if not value:
        raise WriteError(EMPTY_OUTPUT)
    return Path(value)


def _refusal(path: Path | str, nl: str, en: str) -> WriteError:
    return WriteError(Text(f"kan niet schrijven naar {path}: {nl}", f"cannot write to {path}: {en}"))


#: Dutch for the reasons the operating system gives for not writing.
_OS_WRITE_NL = {errno.EACCES: "geen toegang", errno.EPERM: "geen toestemming", errno.ENOSPC: "de schijf is vol",
                errno.EDQUOT: "de schijfruimte (quota) is op", errno.EROFS: "het bestandssysteem is alleen-lezen",
                errno.EISDIR: "is een map", errno.ENOTDIR: "een deel van het pad is geen map",
                errno.ENOENT: "de map bestaat niet", errno.ENAMETOOLONG: "naam te lang", errno.EEXIST: "bestaat al",
                errno.ELOOP: "te veel symbolische links", errno.EIO: "schrijffout (I/O)", errno.EFBIG: "bestand te groot",
                errno.ENXIO: "niets leest aan de andere kant (socket?)"}


def os_refusal(path: Path | str, err: OSError) -> WriteError:
    """The one-line ``WriteError`` for what the operating system refused."""
    why = err.strerror or type(err).__name__
    return _refusal(path, _OS_WRITE_NL.get(err.errno or -1, f'"{why}"'), why)


def _is_stream(path: Path) -> bool:
    """``path`` is a device, FIFO or socket (after following links): written into, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_output(path: Path, inputs: Iterable[Path] = (), force: bool = False) -> None:
    """Refuse at once what can never be written (before a long run): an empty name, a folder, a
    symbolic link, an input file, a file in a folder that does not exist, and an existing file
    without ``force``. ``open_atomic``
    checks again at the moment of writing."""
    name = str(path)
    if name == "-" or (name and _is_stream(path)):
        return
    if not name:
        raise WriteError(EMPTY_OUTPUT)
    target = path.absolute()
    for p in inputs:
        try:
            if p.resolve() == target.resolve() or (p.is_dir() and target.resolve().is_relative_to(p.resolve()) and target.exists()):
                raise UsageError(Text(f"--output {path} zou een invoerbestand overschrijven; kies een andere naam",
                                      f"--output {path} would overwrite an input file; choose another name"))
        except OSError:
            continue
    if path.is_symlink():
        raise _refusal(path, "is een symbolische link; osv-verify schrijft daar niet doorheen",
                       "is a symbolic link; osv-verify does not write through one")
    if path.is_dir():
        raise _refusal(path, "is een map; geef een bestandsnaam", "is a folder; give a file name")
    if path.exists() and not force:
        raise _refusal(path, "bestaat al; geef --force om het te vervangen", "exists; give --force to replace it")
    folder = next((p for p in path.absolute().parents if p.exists() or p.is_symlink()), None)
    if folder is not None and not folder.is_dir():
        raise _refusal(path, f"{folder} is geen map", f"{folder} is not a folder")
    if not path.absolute().parent.is_dir():  # never a folder the user did not name
        raise _refusal(path, f"de map {path.parent} bestaat niet; maak die eerst", f"the folder {path.parent} does not exist; make it first")


def write_atomic(path: Path, data: str | bytes, inputs: Iterable[Path] = (), force: bool = False) -> None:
    """Write ``data`` to ``path`` as ``open_atomic`` does."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with open_atomic(path, inputs, binary=True, force=force) as f:
        f.write(payload)


def _mode(target: Path) -> int:
    """The permissions the file would get from a plain ``open``: the existing file's, else 0666 - umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def open_atomic(path: Path, inputs: Iterable[Path] = (), binary: bool = False, force: bool = False) -> Iterator[IO]:
    """A file to write ``path`` through (UTF-8 text unless ``binary``), with the promises of
    this module's docstring; the file appears only when the block ends without an exception."""
    if str(path) == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    if _is_stream(path):
        with _open_stream(path, binary) as f:
            yield f
        return
    check_output(path, inputs, force)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as err:
        raise os_refusal(path, err) from None
    try:
        os.chmod(tmp, _mode(path))  # mkstemp makes the file private (0600); a written report is not
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as f:
            yield f
        _move_into_place(tmp, path, force)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise os_refusal(path, err) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: What ``link`` says on a file system without hard links (FAT, some network file systems).
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK}


def _move_into_place(tmp: str, path: Path, force: bool) -> None:
    """Rename ``tmp`` to ``path``; without ``force`` only when ``path`` does not exist at this
    moment (a hard link fails on an existing name; where the file system has none, an
    exclusive create claims the name first)."""
    if force:
        if path.is_symlink() or path.is_dir():
            check_output(path, (), force)
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise _refusal(path, "bestaat al (zojuist gemaakt); geef --force om het te vervangen",
                       "exists (just made); give --force to replace it") from None
    except OSError as err:
        if err.errno not in _NO_HARD_LINKS:
            raise
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW))
        os.replace(tmp, path)
        return
    os.unlink(tmp)


@contextmanager
def _open_stream(path: Path, binary: bool) -> Iterator[IO]:
    """``path`` (a device, FIFO or socket) opened for writing, never created or truncated."""
    try:
        fd = os.open(path, os.O_WRONLY)
        if stat.S_ISREG(os.fstat(fd).st_mode):  # replaced by a file since we looked: not ours to write into
            os.close(fd)
            raise _refusal(path, "werd net een gewoon bestand; probeer opnieuw", "just became a regular file; try again")
        f = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
    except OSError as err:
        raise os_refusal(path, err) from None
    try:
        with f:
            yield f
    except OSError as err:
        raise os_refusal(path, err) from None
