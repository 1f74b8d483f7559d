"""``osv-verify hash``: each file's SHA-256 as the proces-verbaal prints it, and whether it matches."""

from __future__ import annotations

from osv_verify.core.text import Text
from osv_verify.report.output import Format, to_csv, to_json, to_markdown

HEADER = ["file", "sha256", "matches"]
HEADER_NL = ["bestand", "sha256", "klopt"]
#: The verdict of ``--expect`` in the text output.
MATCHES = {True: Text("KLOPT", "MATCHES"), False: Text("KLOPT NIET", "DOES NOT MATCH")}


def render(rows: list[list[object]], fmt: Format, lang: str) -> str:
    """``rows`` of (file, printed hash, matches: ``None`` without ``--expect``) in ``fmt``."""
    if fmt is Format.JSON:
        from osv_verify.report.schema import schema_id

        return to_json({"schema": schema_id("hash"), "files": [dict(zip(HEADER, r)) for r in rows]})
    if fmt is Format.CSV:
        return to_csv(HEADER, rows)
    if fmt is Format.MARKDOWN:
        return to_markdown(HEADER_NL if lang == "nl" else HEADER, rows)
    lines = [f"{p}\n  {h}" + (f"\n  {MATCHES[m].render(lang)}" if m is not None else "") for p, h, m in rows]
    return "\n".join(lines) + "\n"
