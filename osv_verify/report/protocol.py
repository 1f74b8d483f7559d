"""Per-municipality CSVs in the spirit of the control protocol's own lists: one row per
polling station that needs a look, one column per reason, for a central electoral committee
to hand to a municipality."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from osv_verify.findings import Finding
from osv_verify.report.output import to_csv, write_atomic
from osv_verify.verify import RunResult

#: The reasons, in the protocol's order, and the codes that give them.
REASONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("geen stemmen", ("W.204",)),
    ("blanco >= 3 %", ("W.201",)),
    ("ongeldig >= 3 %", ("W.202",)),
    ("verschil toegelaten/geteld", ("W.203", "F.305", "F.306", "F.307", "F.308", "F.309")),
    ("geen verklaring", ("P.NO_EXPLANATION",)),
    ("verklaringen kloppen niet", ("TALLY.EXPLANATIONS",)),
    ("partij wijkt >= 50 procentpunt af", ("P.PARTY_SHARE",)),
    ("mogelijk verwisselde kandidaten", ("P.CANDIDATE_SWAP",)),
    ("mogelijk verwisselde lijsten", ("P.LIST_SWAP",)),
    ("onwaarschijnlijke nul", ("P.ZERO",)),
)
CODE_TO_REASON = {code: i for i, (_, codes) in enumerate(REASONS) for code in codes}


def rows(findings: list[Finding]) -> dict[str, list[list[object]]]:
    """Per municipality (authority code): one row per station with at least one reason."""
    per_station: dict[tuple[str, str], list[list[str]]] = {}
    for f in findings:
        if f.location.unit is None or f.code not in CODE_TO_REASON:
            continue
        key = (f.location.authority or "", f.location.unit)
        cells = per_station.setdefault(key, [[] for _ in REASONS])
        detail = f.actual if isinstance(f.actual, int) and not (f.field or "").startswith(("list", "candidate")) else f.field
        cells[CODE_TO_REASON[f.code]].append(str(detail))
    out: dict[str, list[list[object]]] = {}
    for (authority, unit), cells in sorted(per_station.items()):
        out.setdefault(authority, []).append([unit, *("; ".join(sorted(set(c))) for c in cells)])
    return out


def write_protocol_csvs(result: RunResult, folder: Path, inputs: list[Path]) -> Iterator[Path]:
    header = ["stembureau", *(name for name, _ in REASONS)]
    for election in result.elections:
        for authority, table in rows(election.findings).items():
            target = folder / f"controleprotocol_{election.id}_{authority or 'onbekend'}.csv"
            write_atomic(target, "\ufeff" + to_csv(header, table), inputs)
            yield target
