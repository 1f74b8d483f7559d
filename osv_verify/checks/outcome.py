"""Seats and elected candidates recomputed (Kieswet chapter P) and compared with the 520."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from osv_verify.checks.aggregate import Summary
from osv_verify.checks.elected_order import ElectedNames, NameSource, by_order_of_election
from osv_verify.checks.registry import rule
from osv_verify.core.findings import Finding, Location, Severity
from osv_verify.core.text import Text
from osv_verify.core.model import CandidateLists, Definition, ElectedCandidate, ElectionRef, Level, ResultFile
from osv_verify.seats.from_counts import explore_lots, parties_for
from osv_verify.seats.groups import GroupResult, PartyInput, UnsupportedCase
from osv_verify.seats.names import How, Identified, identify
from osv_verify.seats.nominate import Reason
from osv_verify.seats.rules import SeatRules, rules_for

MUNICIPAL = {"GR", "ER", "BC", "GC"}


def _not_run(election: str, why: Text) -> Finding:
    return rule("CHECK.NOT_RUN").finding(Location(election=election), field="SEATS", check="SEATS", why=why)


def _top(summaries: Sequence[Summary], category: str | None) -> Summary | None:
    """The count covering the whole election: the national 510d, or a municipality's total."""
    central = [s for s in summaries if s.level is Level.CENTRAL and s.total is not None]
    if central:
        return central[0]
    if category in MUNICIPAL:
        gemeente = sorted((s for s in summaries if s.level is Level.MUNICIPALITY and s.total is not None),
                          key=lambda s: s.kind == "osv4-3")
        if len({s.authority for s in gemeente}) == 1:
            return gemeente[0]
    return None


def _names(summaries: Sequence[Summary], candidate_lists: Sequence[CandidateLists], top: Summary
           ) -> tuple[dict[tuple[int, str], str], dict[tuple[int, str], str], dict[tuple[int, str], NameSource]]:
    """(list, position) -> candidate name, from a 230b of the contest or an OSV CSV;
    (list, position) -> the file that name comes from; and the kind of that file."""
    names: dict[tuple[int, str], str] = {}
    sources: dict[tuple[int, str], str] = {}
    kinds: dict[tuple[int, str], NameSource] = {}
    for s in summaries:
        # a 510 only numbers the candidates: names in its summary were adopted from its OSV CSV
        named_in = Path(s.source).name if s.kind == "osv4-3" else "OSV CSV"
        for (lst, cid, code), name in s.candidate_names.items():
            if cid is not None and (lst, cid) not in names:
                names[(lst, cid)], sources[(lst, cid)], kinds[(lst, cid)] = name, named_in, NameSource.OSV_CSV
    lists = [c for c in candidate_lists if c.contest_id in (top.contest, None, "geen", "alle")] or candidate_lists
    for doc in lists[:1]:
        for pl in doc.lists:
            for c in pl.candidates:
                if c.number is not None:
                    key = (pl.number, str(c.number))
                    names[key], sources[key], kinds[key] = c.display_name, Path(doc.source).name, NameSource.CANDIDATE_LISTS
    return names, sources, kinds


def _names_in_result(result: ResultFile | None, names: dict[tuple[int, str], str]) -> ElectedNames:
    """The 520's names of its elected candidates, keyed the way the recomputation knows them,
    only where a source establishes who is who: (list, ShortCode) where the 520 gives one
    (national counts know candidates by ShortCode), and (list, position) where the 520's Ids are
    proven to be list positions (``_ids_are_positions``, against the 230b or OSV CSV ``names``).

    A 520's Id alone is never taken for a position: OSV's GR2022 520s number the elected in order
    of election, Abacus's in the new ranking (P 19), so the Id of the fifth elected says nothing
    about who stood fifth on the list."""
    established = ElectedNames()
    if result is None:
        return established
    for e in result.elected:
        if e.candidate.short_code:
            key = (e.list_number, e.candidate.short_code)
            established.names[key], established.sources[key] = e.candidate.display_name, NameSource.SHORTCODE
    if names and _ids_are_positions(result, names):
        for e in (e for e in result.elected if e.candidate.number is not None):
            key = (e.list_number, str(e.candidate.number))
            established.names[key], established.sources[key] = e.candidate.display_name, NameSource.RESULT_IDS
    return established


@dataclass
class SeatComputation:
    """The recomputed seats of one election, kept for ``osv-verify seats`` to show."""

    rules: SeatRules
    outcome: GroupResult  # complete, or stopped where a lot is needed
    lots: tuple[object, ...]  # the draw the outcome used (given, or the one matching the 520)
    names: ElectedNames  # only names a source establishes (never a 520 Id taken for a position)
    source: str  # the count it was computed from
    seats_from: str
    parties: tuple[PartyInput, ...] = ()  # the votes it was computed from


def check_seats(election: str, summaries: Sequence[Summary], *, definitions: Sequence[Definition],
                definition: Definition | None, lists: Sequence[CandidateLists], result: ResultFile | None,
                named: ElectionRef | None, lots: tuple[int | str, ...],
                unasked: list[Finding] | None = None) -> tuple[SeatComputation | None, list[Finding]]:
    """The seats of ``election`` recomputed from the summaries of its counts, and the findings:
    the differences with the 520 (``result``) when there is one, and why the seats could not be
    computed when a 520 or a 110a (``definition``: the agreed one of ``definitions``) calls for them.
    ``named`` is the election as the first file read names it; ``lots`` the drawn lots, in order.
    Where nothing calls for the seats (no 520, no 110a) the findings are left out, and put in
    ``unasked`` when given: why they could not be computed, for ``seats`` to say."""
    computation, findings = _compute(election, summaries, definitions, definition, lists, result, named, lots)
    if computation is not None and result is not None and computation.outcome.complete:
        where = Location(election=election, contest=result.contest_id, authority=result.authority_id)
        findings += by_order_of_election(computation.outcome, computation.parties, computation.rules, result,
                                         computation.names, where)
    wanted = result is not None or computation is None and definition is not None
    if not wanted and unasked is not None:
        unasked.extend(findings)
    return computation, findings if wanted else []


def _compute(election: str, summaries: Sequence[Summary], definitions: Sequence[Definition],
             definition: Definition | None, lists: Sequence[CandidateLists], result: ResultFile | None,
             named: ElectionRef | None, lots: tuple[int | str, ...]) -> tuple[SeatComputation | None, list[Finding]]:
    """Recompute the seats from the counts; compare with the 520 when there is one."""
    notes: list[Finding] = []
    ref = definition.election if definition else (result.election if result else named)
    category = ((ref.category if ref else None) or "").upper()
    top = _top(summaries, category)
    if top is None:
        if category in MUNICIPAL:
            whole = Text("de 510b of OSV4-3-CSV van de gemeente, met haar totaal", "the municipality's 510b or OSV4-3 CSV, with its total")
        elif category:  # PS, AB, TK, ...: a municipality's count is only part of it
            whole = Text("de totaaltelling (510d, Totaaltelling_...)", "the central count (510d, Totaaltelling_...)")
        else:
            whole = Text("de 510d, of de 510b van de gemeente", "the 510d, or the municipality's 510b")
        return None, [_not_run(election, Text(f"heeft de telling nodig die de hele verkiezing dekt, en die ontbreekt: {whole.nl}",
                                              f"needs the count that covers the whole election, and it is missing: {whole.en}"))]
    seats, seats_from = (definition.seats, "110a") if definition and definition.seats else (None, "")
    if seats is None and result is not None:
        seats, seats_from = len(result.elected), "520"
        no_110a = (Text("de 110a-bestanden verschillen (DEF.CONFLICT)", "the 110a files differ (DEF.CONFLICT)")
                   if definitions and not definition else Text("niet gepubliceerd (geen 110a)", "not published (no 110a)"))
        notes.append(_not_run(election, Text(f"aantal zetels {no_110a.nl}: overgenomen uit de 520, dus alleen de "
                                             "verdeling over de lijsten is gecontroleerd, niet het aantal",
                                             f"number of seats {no_110a.en}: taken from the 520, so only the "
                                             "distribution over the lists is checked, not the number")))
    if seats is None:
        return None, [_not_run(election, Text("aantal zetels onbekend (geen 110a of 520)", "number of seats unknown (no 110a or 520)"))]
    try:
        rules = rules_for(category, seats, election_date=ref.date if ref else None,
                          preference_threshold_pct=definition.preference_threshold if definition else None)
        parties = parties_for(top.level, top.total, list(top.units.values()), dict(top.list_names))
        first, outcomes = explore_lots(parties, rules, lots)
    except (ValueError, UnsupportedCase) as err:
        return None, [_not_run(election, Text(f"zetelverdeling niet te berekenen (melding: \"{err}\")",
                                              f"seat allocation cannot be computed: {err}"))]
    names, name_sources, kinds = _names(summaries, lists, top)
    # for showing the elected by name, the 520's own names fill in what the 230b/CSV do not give,
    # where its ShortCodes or its Ids (proven to be positions) say who they are (and, after the
    # outcome is settled, its order of election: check_seats)
    shown = _names_in_result(result, names)
    shown.names.update(names)
    shown.sources.update(kinds)
    computation = SeatComputation(rules, first, tuple(lots), shown, top.source, seats_from, tuple(parties))
    if result is None:
        if first.lots_required is not None:  # no 520 shows the draw: the seats stay open until --lots gives it
            need = first.lots_required.text
            n = rules.seats - sum(ls.seats for ls in first.allocation.lists)
            why = Text(f"{need.nl}; {n} van de {rules.seats} zetels blijven open tot de uitkomst van de loting is gegeven (--lots)",
                       f"{need.en}; {n} of the {rules.seats} seats stay open until the drawn outcome is given (--lots)")
            notes.append(rule("SEATS.LOTS").finding(Location(election=election), field="lots", source=top.source, why=why))
        return computation, notes
    published = result.seats_per_list()
    where = Location(election=election, contest=result.contest_id, authority=result.authority_id)

    def differences(outcome: GroupResult) -> list[Finding]:
        return [*_compare_seats(outcome, published, where, result), *_compare_elected(outcome, result, where, names, name_sources, top)]

    if first.complete:
        return computation, notes + differences(first)
    if not outcomes:
        return computation, notes + [_not_run(election, Text("er moet geloot worden en er zijn te veel mogelijke lotingen om te proberen",
                                                             "lots are needed and too many draws are possible to try"))]
    # The law needs lots: the published result shows what was drawn. Find the draw that
    # explains it; osv-verify never picks one itself.
    assert first.lots_required is not None
    graded = sorted(((sum(f.severity is Severity.ERROR for f in d), i, o, d)
                     for i, (o, d) in enumerate((o, differences(o.result)) for o in outcomes)), key=lambda t: t[:2])
    errors, _, best, found = graded[0]
    need = first.lots_required.text
    matching = [o for e, _, o, _ in graded if e == 0]
    if len(matching) > 1:  # e.g. a lot between candidates, and no file names them: the 520 cannot show the draw
        why = Text(f"{need.nl}; de uitslag past bij meer dan één loting ({', '.join(str(list(o.lots)) for o in matching)}): "
                   "welke getrokken is blijkt niet uit deze bestanden (de gekozenen noemen de plaatsen waartussen geloot is)",
                   f"{need.en}; the published result matches more than one draw ({', '.join(str(list(o.lots)) for o in matching)}): "
                   "which was drawn does not follow from these files (the elected name the places the lot was between)")
    elif errors == 0:
        why = Text(f"{need.nl}; de uitslag past bij de loting {list(best.lots)}",
                   f"{need.en}; the published result matches drawing {list(best.lots)}")
    else:
        why = Text(f"{need.nl}; geen loting verklaart de uitslag (het dichtst bij: {list(best.lots)})",
                   f"{need.en}; no draw explains the published result (closest: {list(best.lots)})")
    note = rule("SEATS.LOTS").finding(where, field="lots", source=result.source, why=why)
    computation.outcome, computation.lots = best.result, best.lots
    computation.names.undecided.update(_undecided(best.result, [o.result for o in matching]))
    return computation, notes + [note, *found]


def _undecided(shown: GroupResult, matching: Sequence[GroupResult]) -> dict[tuple[int, str], tuple[str, ...]]:
    """The shown elected whom a lot the files cannot show decided: (list, candidate) -> every
    candidate of that list elected in one of the ``matching`` draws but not in all of them."""
    out: dict[tuple[int, str], tuple[str, ...]] = {}
    for party in shown.parties:
        drawn = [set(o.party(party.number).elected_ids) for o in matching if any(p.number == party.number for p in o.parties)]
        between = set().union(*drawn) - set.intersection(*drawn) if drawn else set()
        for e in (e for e in party.elected if e.candidate in between):
            out[(party.number, e.candidate)] = tuple(sorted(between, key=lambda c: (len(c), c)))
    return out


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


def _compare_elected(outcome: GroupResult, result: ResultFile, where: Location, names: dict[tuple[int, str], str],
                     name_sources: dict[tuple[int, str], str], top: Summary) -> Iterator[Finding]:
    """SEATS.ELECTED: the 520's elected candidates against the law's, per list.

    Nationally (510d with ShortCodes) candidates are the same person when their ShortCode is;
    otherwise each name in the 520 is identified with a position on the list (230b or OSV CSV)
    by ``osv_verify.seats.names.identify``: exactly, else by a loose rule that fits one candidate
    only, which gives SEATS.NAME_SPELLING (info), never SEATS.ELECTED.
    """
    by_code = top.level is Level.CENTRAL and any(e.candidate.short_code for e in result.elected)
    if not by_code and not names:
        yield rule("CHECK.NOT_RUN").finding(where, field="SEATS.ELECTED", check="SEATS.ELECTED",
                                            why=Text("geen kandidaatnamen (230b of OSV-CSV) om de gekozenen van de 520 mee te vergelijken; "
                                                     "namen die op volgorde van verkiezing getoond worden komen uit de 520 zelf, dus of de 520 "
                                                     "de juiste personen noemt is niet gecontroleerd (wel per lijst hun aantal en soort: Ranking)",
                                                     "no candidate names (230b or OSV CSV) to match the 520's elected candidates; names shown "
                                                     "by order of election come from the 520 itself, so whether the 520 names the right people "
                                                     "is not checked (per list their number and kind are: Ranking)"))
        return
    ids_are_positions = not by_code and _ids_are_positions(result, names)
    for party in outcome.parties:
        loc = Location(**{**where.__dict__, "list": party.number})
        law = {e.candidate: e for e in party.elected}
        roster = {pos: name for (lst, pos), name in names.items() if lst == party.number}
        found: dict[str, ElectedCandidate] = {}
        unknown: list[ElectedCandidate] = []
        namesakes: dict[tuple[str, ...], list[ElectedCandidate]] = {}  # one name, several people on the list
        for e in (e for e in result.elected if e.list_number == party.number):
            if by_code:
                ident = Identified((e.candidate.short_code,), How.EXACT) if e.candidate.short_code else None
            else:
                position = str(e.candidate.number) if ids_are_positions and e.candidate.number is not None else None
                ident = identify(e.candidate.display_name, roster, position)
            if ident is None or (len(ident.keys) == 1 and ident.keys[0] in found):
                unknown.append(e)
            elif len(ident.keys) > 1:
                namesakes.setdefault(ident.keys, []).append(e)
            else:
                key = ident.keys[0]
                found[key] = e
                if ident.how is not How.EXACT:
                    yield _spelling(loc, party.number, key, e.candidate.display_name, roster[key],
                                    name_sources.get((party.number, key), "?"), ident.how, result.source)
        for keys, published in namesakes.items():
            # the law's elected among the namesakes take the 520's entries of that name, in order;
            # a surplus on either side is reported below
            elected_here = [k for k in keys if k in law and k not in found]
            found.update(zip(elected_here, published))
            unknown.extend(published[len(elected_here):])
        for key in (k for k in law if k not in found):
            name = names.get((party.number, key))
            shown = (Text(name, name) if name else Text(f"de kandidaat op plaats {key}", f"the candidate at position {key}")
                     if key.isdigit() else Text(f"kandidaat {key}", f"candidate {key}"))
            yield rule("SEATS.ELECTED").finding(
                loc, field=f"list {party.number}", source=result.source,
                why=Text(f"{shown.nl} is volgens de wet gekozen ({'voorkeur' if law[key].reason is Reason.PREFERENCE else 'lijstvolgorde'}) "
                         "maar staat niet in de 520",
                         f"{shown.en} is elected by law ({law[key].reason.value}) but not in the 520"))
        for key in (k for k in found if k not in law):
            shown = found[key].candidate.display_name
            yield rule("SEATS.ELECTED").finding(
                loc, field=f"list {party.number}", source=result.source,
                why=Text(f"{shown} staat in de 520 maar is volgens de wet niet gekozen", f"{shown} is in the 520 but not elected by law"))
        for e in unknown:
            shown = e.candidate.display_name
            yield rule("SEATS.ELECTED").finding(
                loc, field=f"list {party.number}", source=result.source,
                why=Text(f"{shown} staat in de 520, maar is niet één kandidaat van deze lijst (geen ShortCode of naam past op precies één)",
                         f"{shown} is in the 520, but is not one candidate of this list (no ShortCode or name fits exactly one)"))
        for key in (k for k in law if k in found):
            pref_law = law[key].reason is Reason.PREFERENCE
            ranking = found[key].ranking
            if ranking in (1, 2) and pref_law != (ranking == 1):
                shown = found[key].candidate.display_name
                yield rule("SEATS.ELECTED").finding(
                    loc, field=f"list {party.number}", variant="ranking", source=result.source,
                    why=Text(f"{shown} is volgens de wet gekozen {'met voorkeurstemmen' if pref_law else 'op lijstvolgorde'}, "
                             f"maar de 520 geeft Ranking {ranking}",
                             f"{shown} is elected {'on preference votes' if pref_law else 'in list order'} by law, "
                             f"but the 520 gives Ranking {ranking}"))


def _ids_are_positions(result: ResultFile, names: dict[tuple[int, str], str]) -> bool:
    """Whether this 520's candidate Ids are list positions: true for every elected candidate whose
    name is on its list exactly once (OSV writes positions, Abacus the new ranking)."""
    rosters: dict[int, dict[str, str]] = {}
    for (lst, pos), name in names.items():
        rosters.setdefault(lst, {})[pos] = name
    seen = False
    for e in result.elected:
        ident = identify(e.candidate.display_name, rosters.get(e.list_number, {}))
        if ident is not None and ident.how is How.EXACT and len(ident.keys) == 1:
            if str(e.candidate.number) != ident.keys[0]:
                return False
            seen = True
    return seen


def _spelling(loc: Location, lst: int, position: str, published: str, listed: str, listed_in: str, how: How,
              source: str) -> Finding:
    """SEATS.NAME_SPELLING: one person, spelled differently in the 520 and the candidate list."""
    why = Text("de achternamen zijn gelijk en een van beide geeft geen voorletters",
               "the surnames agree and one of the two gives no initials") if how is How.SURNAME else \
        Text("dezelfde naam op tussenvoegsels, accenten, spaties of een herhaalde achternaam na",
             "the same name apart from prefixes, accents, spacing or a repeated surname")
    return rule("SEATS.NAME_SPELLING").finding(
        loc, field=f"candidate {lst}.{position}", expected=listed, actual=published, source=source,
        listed_in=listed_in, why=why)
