"""Output formats shared by every command, and the one safe way to write a file."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from enum import StrEnum
from pathlib import Path

from osv_verify.errors import UsageError


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    CSV = "csv"
    HTML = "html"  # one self-contained page (osv_verify.report.html): verify, compare, seats


def to_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def to_csv(header: list[str], rows: list[list[object]]) -> str:
    buf = io.StringIO()
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


def write_atomic(path: Path, data: str | bytes, inputs: list[Path] = ()) -> None:  # type: ignore[assignment]
    """Write via a temp file in the same folder and rename: a reader never sees half a file,
    and an input file is never overwritten."""
    target = path.resolve()
    for p in inputs:
        try:
            if p.resolve() == target or (p.is_dir() and target.is_relative_to(p.resolve()) and target.exists()):
                raise UsageError(f"--output {path} would overwrite an input file; choose another name",
                                 nl=f"--output {path} zou een invoerbestand overschrijven; kies een andere naam")
        except OSError:
            continue
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
