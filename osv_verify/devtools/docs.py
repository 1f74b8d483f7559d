"""Regenerate the generated documentation: ``python -m osv_verify.devtools.docs`` (``make docs``).

``docs/checks.md`` comes from the check catalogue, ``docs/cli.md`` from ``--help`` of every
command, ``docs/schema/<kind>.json`` from the output shapes in ``osv_verify/report/schema.py``;
a test fails when any of them is stale.
"""

from __future__ import annotations

import os
from pathlib import Path

from osv_verify.report.catalogue import checks_markdown

ROOT = Path(__file__).resolve().parents[2]


def commands() -> list[str]:
    """Every command of the CLI, in ``--help`` order (so none can be left out of the docs)."""
    import typer

    from osv_verify.cli import app

    group = typer.main.get_command(app)
    return list(group.commands)  # type: ignore[attr-defined]


def cli_markdown() -> str:
    from typer.testing import CliRunner

    from osv_verify.cli import app

    runner = CliRunner()
    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    parts = ["# Command-line reference", "", "Generated from `--help` by `make docs`; do not edit by hand.", ""]
    for args in ((), *((c,) for c in commands())):
        result = runner.invoke(app, [*args, "--help"], env=env, prog_name="osv-verify", terminal_width=100)
        title = "osv-verify " + " ".join(args) if args else "osv-verify"
        parts += [f"## {title}", "", "```", result.output.rstrip(), "```", ""]
    return "\n".join(parts)


def schema_files() -> dict[Path, str]:
    """One JSON Schema file per JSON output."""
    import json

    from osv_verify.report.schema import OUTPUTS, json_schema

    return {ROOT / "docs" / "schema" / f"{kind}.json": json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
            for kind in OUTPUTS}


def generated() -> dict[Path, str]:
    os.environ.setdefault("COLUMNS", "100")
    return {ROOT / "docs" / "checks.md": checks_markdown(), ROOT / "docs" / "cli.md": cli_markdown(), **schema_files()}


if __name__ == "__main__":
    for path, text in generated().items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
