"""osv-verify: independently verify published Dutch election results.

The Python API is the command line's own functions (docs/api.md)::

    import osv_verify

    report = osv_verify.verify(["uitslagen/"])       # what `osv-verify verify` reports
    for e in report.elections:
        print(e.id, e.count(osv_verify.Severity.ERROR))
    elections = osv_verify.load(["uitslagen/"])      # the election model, file by file
    for row in osv_verify.export(["uitslagen/"]):    # every published number, one row each
        ...

Importing ``osv_verify`` is cheap: lxml, pydantic, typer and rich are imported when a
function first needs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from osv_verify.core.version import __version__
__all__ = ["verify", "load", "export", "write_export", "Loaded", "Severity", "__version__"]

if TYPE_CHECKING:
    from osv_verify.core.errors import InputError
    from osv_verify.core.findings import Severity
    from osv_verify.app.export import Export, Row
    from osv_verify.core.model import Document


def __getattr__(name: str) -> Any:
    """Lazy attributes: ``verify`` (``osv_verify.app.verify.verify``) and ``Severity``."""
    import importlib

    if name == "verify":
        return importlib.import_module("osv_verify.app.verify").verify
    if name == "Severity":
        return importlib.import_module("osv_verify.core.findings").Severity
    raise AttributeError(f"module 'osv_verify' has no attribute {name!r}")


@dataclass
class Loaded:
    """What ``load`` read: the documents of each election, and what could not be read."""

    elections: dict[str, list[Document]] = field(default_factory=dict)  # election id -> documents
    input_errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files that are not election files


def load(paths: Iterable[str | Path]) -> Loaded:
    """Read every election file below ``paths`` (files, folders, .zip archives) into the
    election model (``osv_verify.core.model``): ``CountFile`` (510, OSV CSV), ``CandidateLists``
    (230b), ``Definition`` (110a), ``PollingStations`` (110b), ``ResultFile`` (520).

    Files are classified by content; a file that cannot be read is an ``InputError`` in
    ``Loaded.input_errors`` and the others are still read. Everything is kept in memory: for
    a national set use ``export`` or ``verify``, which read one count file at a time.
    """
    from osv_verify.core.errors import InputError
    from osv_verify.io.discover import discover
    from osv_verify.io.discover import load as load_entry

    inventory = discover(paths)
    loaded = Loaded(input_errors=list(inventory.problems), skipped=[s.name for s in inventory.skipped])
    for eid, entries in inventory.elections().items():
        docs = loaded.elections.setdefault(eid, [])
        for entry in entries:
            try:
                docs.append(load_entry(entry))
            except InputError as err:
                loaded.input_errors.append(err)
    return loaded


def export(paths: Iterable[str | Path], run: Export | None = None) -> Iterator[Row]:
    """Every published number below ``paths``, one ``Row`` (a named tuple) each, streamed file
    by file: ``election, level, authority, municipality_code, municipality, unit, field, list,
    candidate, value, source``. Absent numbers are absent rows.

    Pass an ``osv_verify.app.export.Export()`` as ``run`` to see, once the rows are read, the
    other tables (``run.table("sources")``, ``stations``, ``lists``, ``candidates``,
    ``elections``), the input errors (the export goes on past them) and the publications of the
    same count that were not exported (same numbers) or that disagree (both exported).
    ``pandas.DataFrame(osv_verify.export(paths))`` gives the table with named columns.
    """
    from osv_verify.app.export import rows

    return rows(paths, run)


def write_export(paths: Iterable[str | Path], out: IO, format: str = "csv") -> Export:
    """Write the export to an open stream as ``osv-verify export`` does: text (``newline=""``)
    for ``csv`` (UTF-8 with BOM, ``;``; the numbers) or ``json`` (one document with every
    table, ``docs/schema/export.json``), binary for ``parquet`` (the numbers) or ``duckdb``
    (every table and the findings of ``verify``); returns the run's tables and input errors."""
    from osv_verify.report.export_writer import write

    return write(paths, out, format)
