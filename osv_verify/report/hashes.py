"""``osv-verify hash``: each file's SHA-256 as the proces-verbaal prints it, and whether it matches."""

from __future__ import annotations

from osv_verify.core.text import Text
from osv_verify.report.output import Format, to_csv, to_json, to_markdown

HEADER = ["file", "sha256", "matches"]
HEADER_NL = ["bestand", "sha256", "klopt"]
#: The verdict of ``--expect`` in the text output.
MATCHES = {True: Text("KLOPT", "MATCHES"), False: Text("KLOPT NIET", "DOES NOT MATCH")}
EXPECTED = Text("verwacht", "expected")


def render(rows: list[list[object]], fmt: Format, lang: str, expected: str | None = None) -> str:
    """``rows`` of (file, printed hash, matches: ``None`` without ``--expect``) in ``fmt``;
    ``expected`` is the hash given with ``--expect`` as the PV prints it, shown beside a mismatch."""
    if fmt is Format.JSON:
        from osv_verify.report.schema import schema_id

        return to_json({"schema": schema_id("hash"), "expected": expected, "files": [dict(zip(HEADER, r)) for r in rows]})
    if fmt is Format.CSV:
        return to_csv(HEADER, rows)
    if fmt is Format.MARKDOWN:
        return to_markdown(HEADER_NL if lang == "nl" else HEADER, rows)
    def verdict(m: object) -> str:
        if m is None:
            return ""
        if m or expected is None:
            return f"\n  {MATCHES[bool(m)].render(lang)}"
        return f"\n  {MATCHES[False].render(lang)}; {EXPECTED.render(lang)}:\n  {expected}"

    lines = [f"{p}\n  {h}{verdict(m)}" for p, h, m in rows]
    return "\n".join(lines) + "\n"
