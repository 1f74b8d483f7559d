"""Seats and elected candidates recomputed (Kieswet chapter P) and compared with the 520."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from osv_verify.checks.registry import rule
from osv_verify.findings import Finding, Location, Severity
from osv_verify.i18n import count as n_of
from osv_verify.model import CandidateLists, Level, ResultFile
from osv_verify.seats.from_counts import explore_lots, parties_for
from osv_verify.seats.groups import GroupResult, UnsupportedCase
from osv_verify.seats.nominate import Reason
from osv_verify.seats.rules import SeatRules, rules_for

if TYPE_CHECKING:
    from osv_verify.checks.aggregate import Summary
    from osv_verify.verify import ElectionData

MUNICIPAL = {"GR", "ER", "BC", "GC"}


def normal_name(name: str) -> str:
    """Names as the 230b, the 520 and the OSV CSV write them ("van Dreumel, C.G.H.M."),
    compared without spaces and dots: sources differ in "S. E. M", "S.E.M." and "SEM"."""
    return re.sub(r"[\s.]", "", name).casefold()


def _not_run(data: ElectionData, why: str, why_nl: str) -> Finding:
    return rule("CHECK.NOT_RUN").finding(Location(election=data.id), field="SEATS", check="SEATS", why=why, why_nl=why_nl)


def _top(data: ElectionData, category: str | None) -> Summary | None:
    """The count covering the whole election: the national 510d, or a municipality's total."""
    central = [s for s in data.summaries if s.level is Level.CENTRAL and s.total is not None]
    if central:
        return central[0]
    if category in MUNICIPAL:
        gemeente = sorted((s for s in data.summaries if s.level is Level.MUNICIPALITY and s.total is not None),
                          key=lambda s: s.kind == "osv4-3")
        if len({s.authority for s in gemeente}) == 1:
            return gemeente[0]
    return None


def _names(data: ElectionData, top: Summary) -> dict[tuple[int, str], str]:
    """(list, position) -> candidate name, from a 230b of the contest or an OSV CSV."""
    names: dict[tuple[int, str], str] = {}
    for s in data.summaries:
        for (lst, cid, code), name in s.candidate_names.items():
            if cid is not None:
                names.setdefault((lst, cid), name)
    lists: list[CandidateLists] = [c for c in data.lists if c.contest_id in (top.contest, None, "geen", "alle")] or data.lists
    for doc in lists[:1]:
        for pl in doc.lists:
            for c in pl.candidates:
                if c.number is not None:
                    names[(pl.number, str(c.number))] = c.display_name
    return names


def _names_in_result(result: ResultFile | None) -> dict[tuple[int, str], str]:
    """(list, position) -> name of each elected candidate, as the 520 names them."""
    if result is None:
        return {}
    return {(e.list_number, str(e.candidate.number)): e.candidate.display_name
            for e in result.elected if e.candidate.number is not None}


@dataclass
class SeatComputation:
    """The recomputed seats of one election, kept for ``osv-verify seats`` to show."""

    rules: SeatRules
    outcome: GroupResult  # complete, or stopped where a lot is needed
    lots: tuple[object, ...]  # the draw the outcome used (given, or the one matching the 520)
    names: dict[tuple[int, str], str]
    source: str  # the count it was computed from
    seats_from: str


def compute(data: ElectionData, result: ResultFile | None) -> tuple[SeatComputation | None, list[Finding]]:
    """Recompute the seats from the counts; compare with the 520 when there is one."""
    notes: list[Finding] = []
    ref = data.definition.election if data.definition else (result.election if result else data.refs[0][1] if data.refs else None)
    category = ((ref.category if ref else None) or "").upper()
    top = _top(data, category)
    if top is None:
        return None, [_not_run(data, "needs the count that covers the whole election (510d, or the municipality's 510b)",
                               "heeft de telling nodig die de hele verkiezing dekt (510d, of de 510b van de gemeente)")]
    seats, seats_from = (data.definition.seats, "110a") if data.definition and data.definition.seats else (None, "")
    if seats is None and result is not None:
        seats, seats_from = len(result.elected), "520"
        notes.append(_not_run(data, "number of seats not published (no 110a): taken from the 520, so only the "
                                    "distribution over the lists is checked, not the number",
                              "aantal zetels niet gepubliceerd (geen 110a): overgenomen uit de 520, dus alleen de "
                              "verdeling over de lijsten is gecontroleerd, niet het aantal"))
    if seats is None:
        return None, [_not_run(data, "number of seats unknown (no 110a or 520)", "aantal zetels onbekend (geen 110a of 520)")]
    try:
        rules = rules_for(category, seats, election_date=ref.date if ref else None,
                          preference_threshold_pct=data.definition.preference_threshold if data.definition else None)
        parties = parties_for(top.level, top.total, list(top.units.values()), dict(top.list_names))
        first, outcomes = explore_lots(parties, rules, data.lots)
    except (ValueError, UnsupportedCase) as err:
        return None, [_not_run(data, f"seat allocation cannot be computed: {err}",
                                      f"zetelverdeling niet te berekenen (melding: \"{err}\")")]
    names = _names(data, top)
    # for showing the elected by name, the 520's own names fill in what the 230b/CSV do not give
    shown = {**_names_in_result(result), **names}
    computation = SeatComputation(rules, first, tuple(data.lots), shown, top.source, seats_from)
    if result is None:
        return computation, notes
    published = result.seats_per_list()
    where = Location(election=data.id, contest=result.contest_id, authority=result.authority_id)

    def differences(outcome: GroupResult) -> list[Finding]:
        return [*_compare_seats(outcome, published, where, result), *_compare_elected(outcome, result, where, names, top)]

    if first.complete:
        return computation, notes + differences(first)
    if not outcomes:
        return computation, notes + [_not_run(data, "lots are needed and too many draws are possible to try",
                                             "er moet geloot worden en er zijn te veel mogelijke lotingen om te proberen")]
    # The law needs lots: the published result shows what was drawn. Find the draw that
    # explains it; osv-verify never picks one itself.
    assert first.lots_required is not None
    graded = sorted(((sum(f.severity is Severity.ERROR for f in d), i, o, d)
                     for i, (o, d) in enumerate((o, differences(o.result)) for o in outcomes)), key=lambda t: t[:2])
    errors, _, best, found = graded[0]
    need = first.lots_required
    need_nl = f"{need.article}: loting tussen {', '.join(map(str, need.options))} om {n_of(need.seats_at_stake, 'zetel', 'zetels')}"
    if errors == 0:
        note = rule("SEATS.LOTS").finding(
            where, field="lots", source=result.source,
            why=f"{need.description}; the published result matches drawing {list(best.lots)}",
            why_nl=f"{need_nl}; de uitslag past bij de loting {list(best.lots)}")
    else:
        note = rule("SEATS.LOTS").finding(
            where, field="lots", source=result.source,
            why=f"{need.description}; no draw explains the published result (closest: {list(best.lots)})",
            why_nl=f"{need_nl}; geen loting verklaart de uitslag (het dichtst bij: {list(best.lots)})")
    computation.outcome, computation.lots = best.result, best.lots
    return computation, notes + [note, *found]


def check_seats(data: ElectionData) -> Iterator[Finding]:
    computation, findings = compute(data, data.results[0] if data.results else None)
    data.seats = computation
    if data.results or computation is None and data.definition is not None:
        yield from findings


def _compare_seats(outcome: GroupResult, published: dict[int, int], where: Location, result: ResultFile) -> Iterator[Finding]:
    computed = outcome.allocation.seats_per_list
    names = {ls.number: ls.name for ls in outcome.allocation.lists}
    for lst in sorted(set(computed) | set(published)):
        want, got = computed.get(lst, 0), published.get(lst, 0)
        if want != got:
            name = names.get(lst) or ""
            yield rule("SEATS.ALLOCATION").finding(
                Location(**{**where.__dict__, "list": lst}), field=f"list {lst}" + (f" ({name})" if name else ""),
                expected=want, actual=got, derivation="Kieswet P 5 - P 10", source=result.source)


def _compare_elected(outcome: GroupResult, result: ResultFile, where: Location,
                     names: dict[tuple[int, str], str], top: Summary) -> Iterator[Finding]:
    by_code = top.level is Level.CENTRAL and any(e.candidate.short_code for e in result.elected)
    if not by_code and not names:
        yield rule("CHECK.NOT_RUN").finding(where, field="SEATS.ELECTED", check="SEATS.ELECTED",
                                            why="no candidate names (230b or OSV CSV) to match the 520's elected candidates",
                                            why_nl="geen kandidaatnamen (230b of OSV-CSV) om de gekozenen van de 520 mee te vergelijken")
        return
    for party in outcome.parties:
        def ident(candidate: str) -> str:
            return candidate if by_code else normal_name(names.get((party.number, candidate), f"#{candidate}"))

        law = {ident(e.candidate): e for e in party.elected}
        published = {
            (e.candidate.short_code if by_code else normal_name(e.candidate.display_name)): e
            for e in result.elected if e.list_number == party.number
        }
        loc = Location(**{**where.__dict__, "list": party.number})
        for key in sorted(law.keys() - published.keys()):
            shown = names.get((party.number, law[key].candidate), law[key].candidate)
            yield rule("SEATS.ELECTED").finding(
                loc, field=f"list {party.number}", source=result.source,
                why=f"{shown} is elected by law ({law[key].reason.value}) but not in the 520",
                why_nl=f"{shown} is volgens de wet gekozen ({'voorkeur' if law[key].reason is Reason.PREFERENCE else 'lijstvolgorde'}) maar staat niet in de 520")
        for key in sorted(published.keys() - law.keys()):
            shown = published[key].candidate.display_name
            yield rule("SEATS.ELECTED").finding(
                loc, field=f"list {party.number}", source=result.source,
                why=f"{shown} is in the 520 but not elected by law", why_nl=f"{shown} staat in de 520 maar is volgens de wet niet gekozen")
        for key in sorted(law.keys() & published.keys()):
            pref_law = law[key].reason is Reason.PREFERENCE
            ranking = published[key].ranking
            if ranking in (1, 2) and pref_law != (ranking == 1):
                shown = published[key].candidate.display_name
                yield rule("SEATS.ELECTED").finding(
                    loc, field=f"list {party.number}", severity=Severity.WARNING, source=result.source,
                    why=f"{shown} is elected {'on preference votes' if pref_law else 'in list order'} by law, "
                        f"but the 520 gives Ranking {ranking}",
                    why_nl=f"{shown} is volgens de wet gekozen {'met voorkeurstemmen' if pref_law else 'op lijstvolgorde'}, "
                           f"maar de 520 geeft Ranking {ranking}")
