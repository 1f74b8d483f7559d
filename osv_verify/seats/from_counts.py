"""From published counts to the input of the seat allocation, and a search over lots.

The seat allocation is recomputed from the highest level that covers the whole election: the
national total (510d) with its kieskring units, where lists may differ per kieskring (list
groups, P 3); or, for a municipal election, the municipality's total. Candidates are known by
ShortCode where the file gives it (a person, nationally), else by their position on the list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from osv_verify.core.model import Level, Tally
from osv_verify.seats.apportion import LotOutcome
from osv_verify.seats.groups import GroupResult, PartyInput, SubList, elect
from osv_verify.seats.rules import SeatRules


def _position(cid: str | None) -> int:
    return int(cid) if cid and cid.isascii() and cid.isdigit() else 0


def parties_from_total(total: Tally, names: dict[int, str]) -> list[PartyInput]:
    """One district: each list is one party with one list; candidates by position."""
    per_list: dict[int, list[tuple[int, str, int]]] = {}
    for (lst, cid, code), votes in total.candidates.items():
        per_list.setdefault(lst, []).append((_position(cid), cid or code or "?", votes))
    parties = []
    for lst in sorted(set(total.lists) | set(per_list)):
        cands = tuple((ident, v) for _, ident, v in sorted(per_list.get(lst, [])))
        parties.append(PartyInput(lst, (SubList((1,), cands),), names.get(lst, "")))
    return parties


def parties_from_districts(units: Iterable[Tally], names: dict[int, str]) -> list[PartyInput]:
    """Several kieskringen (units ``HSBn`` of a 510d): a party's identical candidate sequences
    in several kieskringen form one list (a *stel*, P 2), different ones a list group (P 3).
    Candidates are identified by ShortCode."""
    per_party: dict[int, dict[int, list[tuple[int, str, int]]]] = {}
    for unit in units:
        kieskring = int("".join(ch for ch in (unit.code or "") if "0" <= ch <= "9") or 0)
        for (lst, cid, code), votes in unit.candidates.items():
            per_party.setdefault(lst, {}).setdefault(kieskring, []).append((_position(cid), code or cid or "?", votes))
    parties = []
    for lst in sorted(per_party):
        stels: dict[tuple[str, ...], list[int]] = {}
        for kieskring, cands in per_party[lst].items():
            stels.setdefault(tuple(ident for _, ident, _ in sorted(cands)), []).append(kieskring)
        sublists = []
        for idents, kringen in stels.items():
            votes = dict.fromkeys(idents, 0)
            for k in kringen:
                for _, ident, v in per_party[lst][k]:
                    votes[ident] += v
            sublists.append(SubList(tuple(sorted(kringen)), tuple((i, votes[i]) for i in idents)))
        parties.append(PartyInput(lst, tuple(sorted(sublists, key=lambda s: s.key)), names.get(lst, "")))
    return parties


def parties_for(level: Level, total: Tally | None, units: Sequence[Tally], names: dict[int, str]) -> list[PartyInput]:
    if level is Level.CENTRAL and units and all(k[2] for u in units for k in u.candidates):
        return parties_from_districts(units, names)
    if total is None:
        raise ValueError("no total to allocate seats from")
    return parties_from_total(total, names)


@dataclass(frozen=True)
class Outcome:
    """A complete result reached with the lots in ``lots``."""

    lots: tuple[LotOutcome, ...]
    result: GroupResult


def explore_lots(parties: Sequence[PartyInput], rules: SeatRules, lots: Sequence[LotOutcome] = (),
                 limit: int = 64) -> tuple[GroupResult, list[Outcome]]:
    """Run the allocation; where the law needs lots that were not given, try every option.

    Returns the first result (possibly stopped at a lot) and every complete outcome reachable
    by drawing lots (at most ``limit``), so a published result can be matched to the draw that
    produced it. osv-verify never picks one itself.
    """
    first = elect(parties, rules, lots=lots)
    outcomes: list[Outcome] = []
    pending = [tuple(lots)]
    while pending and len(outcomes) < limit:
        drawn = pending.pop(0)
        result = first if drawn == tuple(lots) else elect(parties, rules, lots=drawn)
        if result.complete:
            outcomes.append(Outcome(drawn, result))
        elif result.lots_required is not None:
            pending.extend(drawn + (o,) for o in result.lots_required.options)
    return first, outcomes
