"""The check catalogue rendered for ``verify --list-checks`` and ``docs/checks.md``."""

from __future__ import annotations

from osv_verify.checks.registry import RULES
from osv_verify.report.output import Format, to_csv, to_json, to_markdown

HEADER = ["code", "severity", "title", "titel", "mirrors", "law", "scope"]


def rows() -> list[list[object]]:
    return [[r.code, r.severity.value, r.title, r.titel, r.mirrors, r.law, r.scope] for r in RULES.values()]


def render_catalogue(fmt: Format) -> str:
    if fmt is Format.JSON:
        return to_json([dict(zip(HEADER, row)) for row in rows()])
    if fmt is Format.CSV:
        return to_csv(HEADER, rows())
    if fmt is Format.MARKDOWN:
        return to_markdown(HEADER, rows())
    width = max(len(r.code) for r in RULES.values())
    return "".join(f"{r.code:<{width}}  {r.severity.value:<7}  {r.title}\n" for r in RULES.values())


def checks_markdown() -> str:
    """The content of docs/checks.md (a test keeps the file in sync)."""
    intro = (
        "# Checks\n\n"
        "Generated from `osv_verify/checks/registry.py` by `make docs`; do not edit by hand.\n"
        "Kiesraad codes (F.xxx, W.xxx) have the meaning they have in Abacus; dotted codes are osv-verify's own.\n\n"
    )
    return intro + to_markdown(HEADER, rows())
