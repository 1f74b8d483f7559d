"""Output formats shared by every command, and the one safe way to write a file."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO

from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text


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
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buf.getvalue()


def md_cell(value: object) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _target(path: Path, inputs: Iterable[Path]) -> Path:
    """The resolved output path, refused when it would overwrite an input file."""
    target = path.resolve()
    for p in inputs:
        try:
            if p.resolve() == target or (p.is_dir() and target.is_relative_to(p.resolve()) and target.exists()):
                raise UsageError(Text(f"--output {path} zou een invoerbestand overschrijven; kies een andere naam",
                                      f"--output {path} would overwrite an input file; choose another name"))
        except OSError:
            continue
    return target


def write_atomic(path: Path, data: str | bytes, inputs: list[Path] = ()) -> None:  # type: ignore[assignment]
    """Write via a temp file in the same folder and rename: a reader never sees half a file,
    and an input file is never overwritten."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with open_atomic(path, inputs, binary=True) as f:
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
def open_atomic(path: Path, inputs: Iterable[Path] = (), binary: bool = False) -> Iterator[IO]:
    """``write_atomic`` for a stream: write to the yielded file (UTF-8 text unless ``binary``);
    it replaces ``path`` only when the block ends without an exception."""
    target = _target(path, inputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.chmod(tmp, _mode(target))  # mkstemp makes the file private (0600); a written report is not
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as f:
            yield f
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
