"""``osv-verify explain CODE``: one rule of the catalogue, every field (``report/catalogue.py``)."""

from __future__ import annotations

from difflib import get_close_matches
from enum import StrEnum
from typing import Annotated

import typer

from osv_verify.cli.common import Lang, command
from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text
from osv_verify.report.output import Format


class ExplainFormat(StrEnum):
    """The formats of one rule: text for people, JSON for programs."""

    TABLE = Format.TABLE.value
    JSON = Format.JSON.value


@command()
def explain(
    code: Annotated[str, typer.Argument(help="A check code, e.g. F.201 or AGG.TOTAL (see verify --list-checks).",
                                        show_default=False)],
    fmt: Annotated[ExplainFormat, typer.Option("--format", "-f", help="table (text) or json.",
                                               case_sensitive=False)] = ExplainFormat.TABLE,
    lang: Lang = Lang.NL,
) -> None:
    """Print one rule: code, severity, part, family, status, title, why, the Kiesraad rule it
    mirrors, law article, scope and a minimal example that gives exactly this code.

    Example: osv-verify explain W.203 --lang en
    """
    from osv_verify.checks.registry import RULES
    from osv_verify.report.catalogue import render_rule

    rule = RULES.get(code.upper())
    if rule is None:
        shown = repr(code if len(code) <= 40 else code[:40] + "…")  # an error line stays one short line
        close = ", ".join(get_close_matches(code.upper()[:40], RULES, n=3, cutoff=0.5))
        raise UsageError(Text(f"onbekende controlecode {shown}{f' (bedoelt u {close}?)' if close else ''}; "
                              "zie osv-verify verify --list-checks",
                              f"unknown check code {shown}{f' (did you mean {close}?)' if close else ''}; "
                              "see osv-verify verify --list-checks"))
    typer.echo(render_rule(rule, Format(fmt.value), lang), nl=False)
