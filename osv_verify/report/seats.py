"""Render a seat allocation: table, step log (``--explain``), JSON, Markdown, CSV."""

from __future__ import annotations

from fractions import Fraction

from osv_verify.report.output import Format, to_csv, to_json, to_markdown
from osv_verify.seats.apportion import Allocation
from osv_verify.seats.groups import GroupResult

HEADER = ["list", "name", "votes", "full_seats", "residual_seats", "seats"]


def mixed(value: Fraction) -> str:
    """A fraction as a mixed number, the way the PV prints a quota: ``340 1/5``."""
    whole, rest = divmod(value.numerator, value.denominator)
    return f"{whole} {rest}/{value.denominator}" if rest else str(whole)


def allocation_rows(allocation: Allocation) -> list[list[object]]:
    return [[ls.number, ls.name, ls.votes, ls.full_seats, ls.residual_seats, ls.seats] for ls in allocation.lists]


def elected_rows(outcome: GroupResult | None, names: dict[tuple[int, str], str]) -> list[dict[str, object]]:
    if outcome is None:
        return []
    rows = []
    for party in outcome.parties:
        for e in party.elected:
            rows.append({"list": party.number, "candidate": e.candidate,
                         "name": names.get((party.number, e.candidate), e.candidate),
                         "reason": e.reason.value, "sublist": e.sublist})
    return rows


def to_data(allocation: Allocation, outcome: GroupResult | None, names: dict[tuple[int, str], str],
            lots: tuple[object, ...] = ()) -> dict[str, object]:
    """The documented JSON shape of ``osv-verify seats --format json``."""
    need = outcome.lots_required if outcome is not None else allocation.lots_required
    return {
        "seats": allocation.rules.seats,
        "votes": allocation.total_votes,
        "quota": str(allocation.quota),
        "quota_mixed": mixed(allocation.quota),
        "allocation": [dict(zip(HEADER, row)) for row in allocation_rows(allocation)],
        "steps": [
            {"article": s.article, "kind": s.kind.value, "list": s.list_number, "change": s.change,
             "value": str(s.value), "seat": s.seat, "tied": list(s.tied), "from_list": s.from_list,
             "description": s.description}
            for s in allocation.steps
        ],
        "lots_drawn": list(lots),
        "lots_required": [] if need is None else [
            {"article": need.article, "kind": need.kind, "options": list(need.options),
             "seats_at_stake": need.seats_at_stake, "description": need.description}],
        "warnings": [{"code": w.code, "message": w.message} for w in allocation.warnings],
        "law_notes": list(allocation.rules.notes),  # e.g. the law's preference threshold used instead of the 110a's
        "elected": elected_rows(outcome, names),
    }


def render(allocation: Allocation, outcome: GroupResult | None, names: dict[tuple[int, str], str], fmt: Format,
           explain: bool, lots: tuple[object, ...] = (), title: str = "") -> str:
    data = to_data(allocation, outcome, names, lots)
    if fmt is Format.JSON:
        return to_json(data)
    if fmt is Format.CSV:
        return to_csv(HEADER, allocation_rows(allocation))
    lines: list[str] = [f"# {title}", ""] if title and fmt is Format.MARKDOWN else ([title, ""] if title else [])
    lines.append(f"seats {allocation.rules.seats}, votes on lists {allocation.total_votes}, quota (kiesdeler) {mixed(allocation.quota)}")
    lines.append("")
    if fmt is Format.MARKDOWN:
        lines.append(to_markdown(HEADER, allocation_rows(allocation)))
    else:
        widths = [4, max([4, *(len(ls.name) for ls in allocation.lists)]), 9, 10, 14, 5]
        lines.append("  ".join(h.ljust(w) for h, w in zip(HEADER, widths)))
        for row in allocation_rows(allocation):
            lines.append("  ".join(str(v).ljust(w) for v, w in zip(row, widths)))
    if explain:
        lines += ["", "steps:" if fmt is not Format.MARKDOWN else "## steps", ""]
        lines += [f"- {s['article']}: {s['description']}" for s in data["steps"]]  # type: ignore[union-attr]
        lines += [f"- law: {note}" for note in allocation.rules.notes]
    for w in data["warnings"]:  # type: ignore[union-attr]
        lines.append(f"warning {w['code']}: {w['message']}")
    for need in data["lots_required"]:  # type: ignore[union-attr]
        lines.append(f"LOTS REQUIRED {need['description']} (give the drawn outcome with --lots FILE)")
    if data["elected"]:
        lines += ["", "elected:" if fmt is not Format.MARKDOWN else "## elected", ""]
        lines += [f"- list {e['list']}: {e['name']} ({e['reason']})" for e in data["elected"]]  # type: ignore[union-attr]
    return "\n".join(lines) + "\n"
