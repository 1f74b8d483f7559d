"""``osv-verify compare``: two entries of the same PVs, as JSON, CSV, Markdown, HTML or text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osv_verify.checks.registry import family
from osv_verify.checks.rule import Family
from osv_verify.core.text import Text
from osv_verify.core.text import count as n_of
from osv_verify.core.text import pick
from osv_verify.report.listing import COLUMNS, csv_row, markdown_row
from osv_verify.core.escape import md_cell
from osv_verify.report.output import Format, to_csv, to_json, to_markdown

if TYPE_CHECKING:
    from osv_verify.app.compare import Comparison
    from osv_verify.core.findings import Finding


def compare_summary(summary: dict, lang: str) -> str:
    """One line: how many units were compared and how they came out."""
    return pick(lang,
                f"{n_of(summary['units_compared'], 'eenheid', 'eenheden')} vergeleken: {summary['units_identical']} gelijk, "
                f"{summary['units_with_differences']} met verschillen, {summary['units_not_filled_in']} niet ingevuld; "
                f"{n_of(summary['fields_with_differences'], 'getal verschilt', 'getallen verschillen')}, "
                f"{n_of(summary['bad_cells'], 'onleesbare cel', 'onleesbare cellen')}",
                f"{n_of(summary['units_compared'], 'unit', 'units')} compared: {summary['units_identical']} identical, "
                f"{summary['units_with_differences']} with differences, {summary['units_not_filled_in']} not filled in; "
                f"{n_of(summary['fields_with_differences'], 'number differs', 'numbers differ')}, "
                f"{n_of(summary['bad_cells'], 'unreadable cell', 'unreadable cells')}")


#: The words of the plain-text body: agree, differ, checks, none, empty.
COMPARE_WORDS = (
    Text("De invoeren komen overeen.", "The entries agree."),
    Text("Verschillen tussen A en B:", "Differences between A and B:"),
    Text("Controles op invoer", "Checks on entry"),
    Text("geen bevindingen", "no findings"),
    Text("niets ingevuld: niet gecontroleerd", "nothing filled in: not checked"),
)


def _sections(result, findings, lang: str) -> list[str]:
    """Plain-text body of ``compare``: first the differences, then each side's own checks."""
    agree, differ, checks, none, empty = (words.render(lang) for words in COMPARE_WORDS)
    double = [f for f in findings if family(f.code) is Family.DOUBLE]
    out = ["", differ] + [f"  {f.code:<20} {f.message(lang)}" for f in double] if double else ["", agree]
    for side, count in (("A", result.a), ("B", result.b)):
        own = [f for f in findings if family(f.code) is not Family.DOUBLE and f.source == count.source]
        filled = any(t.counts or t.lists or t.candidates for t in [count.total, *count.units] if t is not None)
        out += ["", f"{checks} {side}:"] + ([f"  {f.code:<20} {f.message(lang)}" for f in own] or [f"  {none if filled else empty}"])
    return out


def render(result: Comparison, a: str, b: str, findings: list[Finding], fmt: Format, lang: str) -> str:
    """The comparison of entries ``a`` and ``b`` with the ``findings`` shown, in ``fmt``."""
    if fmt is Format.JSON:
        from osv_verify.report.schema import schema_id

        return to_json({"schema": schema_id("compare"), "summary": result.summary(),
                        "findings": [{**f.to_dict(lang), "election": f.location.election} for f in findings]})
    if fmt is Format.CSV:
        return to_csv(COLUMNS, [csv_row(f, f.location.election, lang) for f in findings])
    if fmt is Format.HTML:
        from osv_verify.report.html.compare_page import render_compare

        return render_compare(result, a, b, findings, lang)
    lines = [f"A: {a}", f"B: {b}", compare_summary(result.summary(), lang)]
    if fmt is Format.MARKDOWN:
        return "# osv-verify compare\n\n" + "  \n".join(map(md_cell, lines)) + "\n\n" + to_markdown(
            ["code", pick(lang, "ernst", "severity"), pick(lang, "plaats", "location"), pick(lang, "veld", "field"),
             "A", "B", pick(lang, "melding", "message")],
            [markdown_row(f, lang) for f in findings])
    return "\n".join(lines + _sections(result, findings, lang)) + "\n"
