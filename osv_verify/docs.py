"""Regenerate the generated documentation: ``python -m osv_verify.docs`` (``make docs``)."""

from __future__ import annotations

from pathlib import Path

from osv_verify.checks.catalogue import checks_markdown

ROOT = Path(__file__).resolve().parent.parent


def generated() -> dict[Path, str]:
    return {ROOT / "docs" / "checks.md": checks_markdown()}


if __name__ == "__main__":
    for path, text in generated().items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
