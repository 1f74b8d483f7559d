"""The check catalogue rendered for ``verify --list-checks`` and ``docs/checks.md``."""

from __future__ import annotations

from dataclasses import fields

from osv_verify.checks.measured import MEASURED
from osv_verify.checks.plausibility import DEFAULTS, SETTINGS_HELP
from osv_verify.checks.registry import RULES
from osv_verify.report.output import Format, to_csv, to_json, to_markdown

HEADER = ["code", "severity", "title", "titel", "mirrors", "law", "scope"]


def rows() -> list[list[object]]:
    return [[r.code, r.severity.value, r.title, r.titel, r.mirrors, r.law, r.scope] for r in RULES.values()]


def settings_rows() -> list[list[object]]:
    """The plausibility thresholds: name, default (the control protocol's value), meaning."""
    return [[f.name, getattr(DEFAULTS, f.name), SETTINGS_HELP[f.name]] for f in fields(DEFAULTS)]


SETTINGS_HEADER = ["setting", "default", "meaning"]
MEASURED_HEADER = ["code", "measured on real data", "gemeten op echte data"]


def measured_rows() -> list[list[object]]:
    """What each plausibility check does on real stations (``osv_verify.checks.measured``)."""
    return [[code, en, nl] for code, (en, nl) in MEASURED.items() if code in RULES]


def render_catalogue(fmt: Format) -> str:
    if fmt is Format.JSON:
        return to_json({"checks": [dict(zip(HEADER, row)) for row in rows()],
                        "plausibility_settings": [dict(zip(SETTINGS_HEADER, row)) for row in settings_rows()],
                        "plausibility_measured": [dict(zip(MEASURED_HEADER, row)) for row in measured_rows()]})
    if fmt is Format.CSV:
        return to_csv(HEADER, rows())
    if fmt is Format.MARKDOWN:
        return (to_markdown(HEADER, rows()) + "\n" + to_markdown(SETTINGS_HEADER, settings_rows()) + "\n"
                + to_markdown(MEASURED_HEADER, measured_rows()))
    width = max(len(r.code) for r in RULES.values())
    text = "".join(f"{r.code:<{width}}  {r.severity.value:<7}  {r.title}\n" for r in RULES.values())
    text += "\nplausibility settings (verify --plausibility --set NAME=VALUE):\n"
    text += "".join(f"  {name}={default}  {meaning}\n" for name, default, meaning in settings_rows())
    text += "\nmeasured on real data (benchmarks/plausibility_real.py, docs/plausibility.md):\n"
    return text + "".join(f"  {code}  {en}\n" for code, en, _ in measured_rows())


def checks_markdown() -> str:
    """The content of docs/checks.md (a test keeps the file in sync)."""
    intro = (
        "# Checks\n\n"
        "Generated from `osv_verify/checks/registry.py` by `make docs`; do not edit by hand.\n"
        "Kiesraad codes (F.xxx, W.xxx) have the meaning they have in Abacus; dotted codes are osv-verify's own.\n\n"
    )
    return (intro + to_markdown(HEADER, rows()) + "\n## Plausibility settings\n\n"
            "`osv-verify verify --plausibility --set NAME=VALUE`; the defaults are the control protocol's values.\n\n"
            + to_markdown(SETTINGS_HEADER, settings_rows())
            + "\n## Plausibility checks measured on real data\n\n"
            "`benchmarks/plausibility_real.py` on the real files in `../shared/data`; see docs/plausibility.md.\n\n"
            + to_markdown(MEASURED_HEADER, measured_rows()))
