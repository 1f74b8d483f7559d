"""The Python API (docs/api.md): the CLI's own functions, cheap to import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import osv_verify
from osv_verify import cli
from osv_verify.app.export import Export
from osv_verify.core.model import CandidateLists, CountFile, Definition, ResultFile

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"


def test_import_is_cheap():
    code = "import sys, osv_verify; print(sorted(m for m in ('lxml', 'typer', 'rich', 'pydantic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_verify_is_the_report_the_cli_renders(capsys):
    report = osv_verify.verify([DEMO], plausibility=None)
    cli.main(["verify", str(DEMO), "--format", "json", "--min-severity", "info"])
    doc = json.loads(capsys.readouterr().out)
    assert [e.id for e in report.elections] == [e["election"] for e in doc["summary"]["elections"]]
    assert [(f.code, f.field, f.expected, f.actual) for f in report.findings] == [
        (f["code"], f["field"], f["expected"], f["actual"]) for f in doc["findings"]]
    assert report.findings  # the demo has injected faults


def test_verify_stays_the_function_when_its_module_is_imported():
    import osv_verify.app.verify as module

    assert osv_verify.verify is module.verify
    assert len(osv_verify.verify([DEMO]).findings) == len(module.verify([DEMO]).findings)


def test_load_gives_the_election_model(tmp_path):
    (tmp_path / "broken.eml.xml").write_bytes(b"<EML")
    loaded = osv_verify.load([DEMO, tmp_path / "broken.eml.xml"])
    docs = loaded.elections["GR2026_Kleinbroek"]
    kinds = sorted(type(d).__name__ for d in docs)
    assert kinds == sorted(t.__name__ for t in (CandidateLists, ResultFile, CountFile, Definition, CountFile))
    assert [Path(e.source).name for e in loaded.input_errors] == ["broken.eml.xml"]


def test_export_rows_are_the_cli_export(capsys):
    run = Export()
    rows = list(osv_verify.export([DEMO], run))
    cli.main(["export", str(DEMO), "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert [r._asdict() for r in rows] == doc["numbers"] and run.rows == len(rows)
    assert doc["sources"] == [s._asdict() for s in run.sources]
