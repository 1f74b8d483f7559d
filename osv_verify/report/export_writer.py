"""The tidy export written out (``osv-verify export``, ``osv_verify.write_export``): the rows of
``osv_verify.app.export`` as CSV (a Dutch spreadsheet's) or one JSON document, streamed."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from osv_verify.app import export
from osv_verify.app.export import COLUMNS, Export, Row
from osv_verify.core.escape import csv_cell
from osv_verify.core.version import __version__
from osv_verify.report.output import BOM
from osv_verify.report.schema import schema_id


def write_csv(rows: Iterable[Row], out: TextIO) -> None:
    """CSV as a Dutch spreadsheet opens it: UTF-8 with BOM, ``;``, absent values empty."""
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([csv_cell(v) for v in row] for row in rows)  # a name never runs as a formula


def write_json(rows: Iterable[Row], out: TextIO, run: Export) -> None:
    """One JSON document (``docs/schema/export.json``), streamed: ``rows`` is written one
    object a line as the rows come; ``input_errors`` and ``not_exported`` follow, once known."""
    out.write(f'{{"schema": "{schema_id("export")}", "tool": {json.dumps({"name": "osv-verify", "version": __version__})},\n"rows": [')
    sep = "\n"
    for row in rows:
        out.write(sep + json.dumps(row._asdict(), ensure_ascii=False))
        sep = ",\n"
    tail = {
        "input_errors": [str(e) for e in run.input_errors],
        "not_exported": [{"file": f, "exported": by} for f, by in run.not_exported],
        "skipped": run.skipped,
    }
    out.write("\n],\n" + json.dumps(tail, ensure_ascii=False)[1:] + "\n")


def write(paths: Iterable[str | Path], out: TextIO, fmt: str = "csv",
          progress: Callable[[str], None] | None = None) -> Export:
    """Export the numbers below ``paths`` to the open text stream ``out`` as ``csv`` or
    ``json``; returns what the run met (input errors, files not exported, row count)."""
    run = Export()
    produced = export.rows(paths, run, progress)
    if fmt == "csv":
        write_csv(produced, out)
    elif fmt == "json":
        write_json(produced, out, run)
    else:
        raise ValueError(f"unknown export format {fmt!r} (csv or json)")
    return run
