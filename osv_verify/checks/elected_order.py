"""Names of the elected from the 510b and the 520 alone: by order of election, where it is proven.

A 520 numbers the elected of a list 1..n in their order of election (OSV's GR2022 and GR2026
files, Abacus by the new ranking of Kieswet P 19, which starts with the elected in that order),
and gives each a ``Ranking``: 1 elected on preference votes (P 15), 2 by list order (P 17).
The recomputation gives the same order for a list: the preference-elected by their votes, then
the others in list order. So the 520's k-th elected is the law's k-th elected, *if* the two
orders are the same order, and that is checked per list before a single name is taken:

* the 520's Ids of the list are exactly 1..n, and n is the number the law elects on the list;
* every Id has a Ranking, and Id by Id the Rankings are the law's kinds (preference / list order);
* no candidate above the preference threshold has the same votes as a preference-elected one
  (equal votes leave the order open, or a lot decided who got the seat: P 15).

Where that holds, the row is named by the 520 itself: the 520 is not verified by it (only the
number and kinds of its elected are). A name a file gives by place (230b, OSV CSV, ShortCode)
still wins; where both exist and disagree, SEATS.ELECTED (variant ``order``) says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from osv_verify.checks.registry import rule
from osv_verify.core.findings import Finding, Location
from osv_verify.core.model import ElectedCandidate, ResultFile
from osv_verify.core.text import Text
from osv_verify.seats.groups import GroupResult, PartyElection, PartyInput
from osv_verify.seats.names import identify
from osv_verify.seats.nominate import Reason
from osv_verify.seats.rules import SeatRules


class NameSource(StrEnum):
    """Which file establishes an elected candidate's name (the JSON ``name_source``)."""

    CANDIDATE_LISTS = "230b"
    OSV_CSV = "osv4-3"
    SHORTCODE = "520-shortcode"  # the 520's ShortCode is the count's
    RESULT_IDS = "520-id"  # the 520's Ids proven to be places on the list
    ORDER_OF_ELECTION = "520-order"  # this module

    @property
    def text(self) -> Text:
        return SOURCE_TEXT[self]


SOURCE_TEXT = {
    NameSource.CANDIDATE_LISTS: Text("naam volgens de 230b (kandidatenlijsten)", "name as given in the 230b (candidate lists)"),
    NameSource.OSV_CSV: Text("naam volgens de OSV4-3-CSV", "name as given in the OSV4-3 CSV"),
    NameSource.SHORTCODE: Text("naam volgens de 520, bij de ShortCode van de telling", "name as given in the 520, by the count's ShortCode"),
    NameSource.RESULT_IDS: Text("naam volgens de 520, waarvan de nummers aantoonbaar plaatsen op de lijst zijn",
                                "name as given in the 520, whose numbers are proven to be places on the list"),
    NameSource.ORDER_OF_ELECTION: Text("naam volgens de 520, op volgorde van verkiezing", "name as given in the 520, by order of election"),
}

#: What a name by order of election does and does not establish (said once under the table).
ORDER_NOTE = Text(
    "de 520 nummert de gekozenen van een lijst in de volgorde waarin ze gekozen zijn; per lijst is nagerekend dat die "
    "volgorde dezelfde is (evenveel gekozenen, Id voor Id dezelfde soort: voorkeurstemmen of lijstvolgorde, geen gelijke "
    "stemmen). De naam komt uit de 520 zelf: dat de 520 de juiste persoon noemt is daarmee niet gecontroleerd "
    "(geef de 230b of de OSV4-3-CSV erbij)",
    "the 520 numbers the elected of a list in the order they were elected; per list it was recomputed that this is "
    "the same order (as many elected, Id by Id the same kind: preference votes or list order, no equal votes). The "
    "name comes from the 520 itself: that the 520 names the right person is not checked by it "
    "(add the 230b or the OSV4-3 CSV)")


@dataclass
class ElectedNames:
    """The names shown for the law's elected: ``(list, candidate) -> name`` with the source of
    each, and per list why its elected could not be named by order of election."""

    names: dict[tuple[int, str], str] = field(default_factory=dict)
    sources: dict[tuple[int, str], NameSource] = field(default_factory=dict)
    unnamed: dict[int, Text] = field(default_factory=dict)
    undecided: dict[tuple[int, str], tuple[str, ...]] = field(default_factory=dict)
    """Elected shown at a place a lot decided that the files cannot show: the places it was between."""

    def get(self, key: tuple[int, str]) -> str | None:
        return self.names.get(key)


def _kinds(ranks: Sequence[int | None]) -> str:
    return "".join({1: "V", 2: "L"}.get(r or 0, "?") for r in ranks)


def order_proof(party: PartyElection, votes: PartyInput, published: Sequence[ElectedCandidate],
                rules: SeatRules, quota: Fraction) -> Text | None:
    """Why the 520's order of ``published`` (one list) is not proven to be the law's order of
    election on ``party``; None when it is."""
    ids = [e.candidate.number for e in published]
    if sorted(i or 0 for i in ids) != list(range(1, len(ids) + 1)):
        return Text("de nummers (Id) van de gekozenen in de 520 zijn niet 1 tot en met hun aantal",
                    "the 520's numbers (Id) of the elected are not 1 up to their number")
    if len(published) != len(party.elected):
        return Text(f"de 520 noemt {len(published)} gekozenen, de wet kiest er {len(party.elected)}",
                    f"the 520 names {len(published)} elected, the law elects {len(party.elected)}")
    ranks = [e.ranking for e in sorted(published, key=lambda e: e.candidate.number or 0)]
    law = [1 if e.reason is Reason.PREFERENCE else 2 for e in party.elected]
    if ranks != law:
        return Text(f"de soorten in de 520 (Ranking, V = voorkeurstemmen, L = lijstvolgorde) zijn {_kinds(ranks)}, "
                    f"volgens de wet {_kinds(law)}",
                    f"the kinds in the 520 (Ranking, V = preference votes, L = list order) are {_kinds(ranks)}, "
                    f"by law {_kinds(law)}")
    above = [(c, votes.total_votes_for(c)) for c in votes.candidate_ids()
             if rules.passes_preference(votes.total_votes_for(c), quota)]
    for e in (e for e in party.elected if e.reason is Reason.PREFERENCE):
        v = votes.total_votes_for(e.candidate)
        equal = [c for c, w in above if w == v and c != e.candidate]
        if equal:
            places = ", ".join([e.candidate, *equal])
            return Text(f"gelijke stemmen: plaats {places} hebben elk {v} stemmen, dus de volgorde (of een loting) "
                        "volgt niet uit de bestanden",
                        f"equal votes: places {places} have {v} votes each, so the order (or a lot) does not "
                        "follow from the files")
    return None


def by_order_of_election(outcome: GroupResult, parties: Sequence[PartyInput], rules: SeatRules,
                         result: ResultFile, established: ElectedNames, where: Location) -> Iterator[Finding]:
    """Name the law's elected of each list from the 520 by order of election where
    :func:`order_proof` holds, into ``established`` (a name a file gives by place wins); yield
    SEATS.ELECTED (variant ``order``) where that name and the 520's are different people."""
    inputs = {p.number: p for p in parties}
    for party in outcome.parties:
        if not party.elected or len(inputs[party.number].sublists) != 1 or not all(e.candidate.isdigit() for e in party.elected):
            continue  # national counts (TK, PS) know their candidates by ShortCode, which names them
        published = sorted((e for e in result.elected if e.list_number == party.number),
                           key=lambda e: e.candidate.number or 0)
        why = order_proof(party, inputs[party.number], published, rules, outcome.allocation.quota)
        if why is not None:
            if any((party.number, e.candidate) not in established.names for e in party.elected):
                established.unnamed[party.number] = why
                yield from _preference_count(party, published, result, where)
            continue
        roster = {pos: n for (lst, pos), n in established.names.items() if lst == party.number}
        for law, e in zip(party.elected, published):
            key, name = (party.number, law.candidate), e.candidate.display_name
            if key not in established.names:
                established.names[key], established.sources[key] = name, NameSource.ORDER_OF_ELECTION
                continue
            ident = identify(name, roster)
            elected_here = {x.candidate for x in party.elected}
            if ident is not None and law.candidate not in ident.keys and set(ident.keys) <= elected_here:
                # another of the law's elected at this place (one not elected at all is SEATS.ELECTED's plain case)
                k = e.candidate.number
                yield _elected(where, party.number, "order", result, Text(
                    f"de 520 noemt als {k}e gekozene {name}, maar volgens de wet is de {k}e gekozene "
                    f"plaats {law.candidate}, {established.names[key]}",
                    f"the 520 names {name} as elected number {k}, but by law elected number {k} is "
                    f"place {law.candidate}, {established.names[key]}"))


def _preference_count(party: PartyElection, published: Sequence[ElectedCandidate], result: ResultFile,
                      where: Location) -> Iterator[Finding]:
    """SEATS.ELECTED (variant ``ranking``) on a list no file names: the 520 counts another number
    elected on preference votes (Ranking 1) than the law. Where names are established the same
    is said person by person (``outcome._compare_elected``)."""
    law = sum(e.reason is Reason.PREFERENCE for e in party.elected)
    found = sum(e.ranking == 1 for e in published)
    if len(published) == len(party.elected) and all(e.ranking in (1, 2) for e in published) and law != found:
        yield _elected(where, party.number, "ranking", result, Text(
            f"de 520 geeft {found} van de {len(published)} gekozenen als gekozen met voorkeurstemmen (Ranking 1), "
            f"volgens de wet zijn het er {law}",
            f"the 520 gives {found} of the {len(published)} elected as elected on preference votes (Ranking 1), "
            f"by law {law}"))


def _elected(where: Location, lst: int, variant: str, result: ResultFile, why: Text) -> Finding:
    """A SEATS.ELECTED warning on list ``lst`` of the 520."""
    return rule("SEATS.ELECTED").finding(Location(**{**where.__dict__, "list": lst}), field=f"list {lst}",
                                         variant=variant, source=result.source, why=why)
