"""Part A of the Kiesraad's control protocol (Controleprotocol Centraal Stembureau), computed
the way the Kiesraad's helper HCP computes it, station by station.

A central bureau looks at every municipality's count file (510b) before it accepts the totals.
Each rule below is one column of HCP's spreadsheets (``report/hcp.py`` writes them):

* **a** (unexplained differences): 'geen verklaring' as recorded, and the explanations missing
  for the difference in its own direction;
* **b** (everything else): no votes at all; >= 3 % invalid; >= 3 % blank; a difference of >= 15
  or >= 2 %; a list >= 50 points off the rest of the municipality; possibly switched candidates;
* **c**: every list's deviation from the rest of the municipality, in percentage points.

Every decision is exact (integers and ``Fraction``); a percentage is only turned into a
decimal number for display (``report/hcp.py``). osv-verify's own statistics (list swaps,
implausible zeros) live in ``checks/plausibility.py``; ``verify --plausibility`` reports the
protocol's findings from here.

HCP's rules, as its source (kiesraad/HCP, ``protocol_checks.py``, ``eml.py``,
``neighbourhood.py``) defines them:

* the votes of a station are valid + blank + invalid; percentages of invalid, blank and of the
  difference are taken of those votes;
* the difference is |votes - admitted voters|; >= 15 is reported as a number, otherwise
  >= 2 % as a percentage;
* a list's share is its votes / the valid votes (``TotalCounted``); the reference is the
  municipality's total (``TotalVotes``) minus the station;
* expected candidate votes = the station's list votes x the candidate's share of its list in
  the reference (the municipality, or with a neighbourhood table the station's CBS wijk when
  it holds at least 5 stations, both without the station itself); the municipality needs at
  least 2 stations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from osv_verify.checks.thresholds import DEFAULTS, Thresholds
from osv_verify.io.numbers import ascii_digits
from osv_verify.core.model import FIELD_BY_KEY, CandidateKey, CountFile, Tally
from osv_verify.core.text import Text

#: Explanations of a difference, per direction (the PV's two lists). More ballots than
#: admitted voters is explained by too many ballots handed out; fewer by ballots taken away,
#: too few handed out, empty postal envelopes or lost ballots. Both directions list 'geen
#: verklaring' and 'andere verklaring'.
EXPLAINS_MORE = ("too_many_issued", "too_many_postal_ballots", "no_explanation", "other_explanation")
EXPLAINS_FEWER = ("taken_home", "too_few_issued", "no_postal_ballot", "lost_ballots", "no_explanation",
                  "other_explanation")


@dataclass(frozen=True)
class CandidateDeviation:
    """One candidate's votes in a station and the votes expected from the reference."""

    key: CandidateKey
    votes: int
    expected: Fraction

    @property
    def number(self) -> str:
        """The candidate's number on the list (its Id), or its ShortCode."""
        return str(int(self.key[1])) if ascii_digits(self.key[1]) else str(self.key[1] or self.key[2])


@dataclass(frozen=True)
class SwitchedPair:
    """Two candidates of one list, one far above and one far below their expected votes."""

    list_number: int
    list_name: str
    more: CandidateDeviation
    fewer: CandidateDeviation


@dataclass(frozen=True)
class Difference:
    """Admitted voters and votes differ: by ``votes`` (>= the absolute threshold) or, when
    that does not fire, by ``share`` of the votes (>= the percentage)."""

    votes: int
    share: Fraction | None  # None: reported as a number of votes


@dataclass
class StationProtocol:
    """Every column of the protocol for one station; None (or False, or empty) = not flagged,
    or not computable because the file lacks a count the column reads: ``MunicipalityProtocol.not_run``
    says which columns, for which stations and why."""

    id: str
    number: str
    name: str
    zero_votes: bool = False
    no_explanation: int | None = None
    missing_explanations: int | None = None
    invalid_share: Fraction | None = None
    blank_share: Fraction | None = None
    difference: Difference | None = None
    lists_off: list[tuple[int, Fraction]] = field(default_factory=list)  # flagged lists: deviation in points / 100
    shares: dict[int, tuple[Fraction, Fraction]] = field(default_factory=dict)  # list -> (here, rest)
    switched: list[SwitchedPair] = field(default_factory=list)
    recounted: bool = False

    @property
    def on_a(self) -> bool:
        """Unexplained differences to look into (a recounted station is already done)."""
        return bool(self.no_explanation or self.missing_explanations) and not self.recounted

    @property
    def on_b(self) -> bool:
        return bool(self.zero_votes or self.invalid_share is not None or self.blank_share is not None
                    or self.difference is not None or self.lists_off or self.switched)


@dataclass(frozen=True)
class NotRun:
    """A column the file's fields do not allow, and why: ``column`` is the field of
    ``StationProtocol`` the column shows (``report/hcp.py`` names it), ``why`` says for
    which stations and what the file lacks."""

    column: str
    why: Text


@dataclass
class MunicipalityProtocol:
    """The protocol for one municipality's count file: what ``report/hcp.py`` writes."""

    source: str
    election_id: str
    election_name: str
    election_date: str
    contest_id: str
    authority_id: str
    authority_name: str
    created: str
    list_names: dict[int, str]
    stations: list[StationProtocol]
    thresholds: Thresholds
    not_run: list[NotRun] = field(default_factory=list)
    pv_used: bool = False
    neighbourhoods_used: bool = False
    part_b: tuple[str, str] | None = None  # (nl, en): the additions recomputed, and what was found
    notes: list[Text] = field(default_factory=list)  # what a reader must know to read the sheets (a mobile station)

    @property
    def a_rows(self) -> list[StationProtocol]:
        return [s for s in self.stations if s.on_a]

    @property
    def b_rows(self) -> list[StationProtocol]:
        return [s for s in self.stations if s.on_b]


# --- the rules, one function each -------------------------------------------------------------


def votes(u: Tally) -> int | None:
    """valid + blank + invalid: the ballots the station counted."""
    return u.votes_cast


def check_zero_votes(u: Tally) -> bool:
    """Zero votes: the station counted no ballot at all (valid, blank and invalid all 0)."""
    return votes(u) == 0


def blank_invalid_limit(ballots: int, t: Thresholds) -> int:
    """The smallest count of blank (or invalid) votes among ``ballots`` that reaches the
    threshold: ceil(``blank_invalid_pct`` % of them), or just above it with
    ``blank_invalid_strict`` = 1 (exact integers: Abacus's W.201 vectors, 3 of 100 fires)."""
    pct = t.blank_invalid_pct
    return (pct * ballots) // 100 + 1 if t.blank_invalid_strict else -(-pct * ballots // 100)


def check_share(u: Tally, key: str, t: Thresholds) -> Fraction | None:
    """W.201 / W.202, and the protocol's columns >= 3 % invalid / >= 3 % blank: ``key``'s share
    of the votes, when it is above 0 and reaches the threshold (``blank_invalid_limit``)."""
    n = votes(u)
    if not n or key not in u.counts:
        return None
    count = u.counts[key]
    return Fraction(count, n) if count and count >= blank_invalid_limit(n, t) else None


def check_difference(u: Tally, t: Thresholds) -> Difference | None:
    """W.203, and the protocol's column 'a difference of >= 15 or >= 2 %': |votes - admitted
    voters|, as a number when it reaches ``difference_votes``, else as a share of the votes
    when that reaches ``difference_pct`` (either fires, as Abacus and HCP implement it).

    Runs only where both numbers are published: an absent count is unknown, never 0 (Abacus's
    W.203 takes D and H; before this was one rule, the protocol read a station without admitted
    voters as a difference of all its votes). No votes with admitted voters always fires
    (Abacus: the division gives infinity); the difference is then reported as a number.
    """
    n, admitted = votes(u), u.counts.get("admitted")
    if n is None or admitted is None:
        return None
    diff = abs(n - admitted)
    if diff >= t.difference_votes:
        return Difference(diff, None)
    if diff and 100 * diff >= t.difference_pct * n:
        return Difference(diff, Fraction(diff, n) if n else None)
    return None


def check_no_explanation(u: Tally) -> int | None:
    """'Geen verklaring': how many ballots the station itself could not explain (None when the
    file does not carry the field, as Abacus's files do not)."""
    return u.counts.get("no_explanation")


def check_missing_explanations(u: Tally) -> int | None:
    """Missing explanations: how far the explanations of the difference's own direction fall
    short of (or exceed) the difference. Where the votes equal the admitted voters there is
    nothing to explain (explanations filled in anyway are F.305's contradiction, not this).
    None when the difference needs explaining but the file carries no explanations."""
    n = votes(u)
    if n is None or "admitted" not in u.counts:
        return None
    diff = n - u.counts["admitted"]
    if diff == 0:
        return 0
    keys = EXPLAINS_MORE if diff > 0 else EXPLAINS_FEWER
    if not any(k in u.counts for k in keys):
        return None
    return abs(abs(diff) - sum(u.counts.get(k, 0) for k in keys))


def list_shares(u: Tally, total: Tally) -> dict[int, tuple[Fraction, Fraction]]:
    """Every list's share of the valid votes here and in the rest of the municipality (the
    municipality's total minus this station); a share of nothing is 0."""
    here_n = u.counts.get("valid", 0)
    rest_n = total.counts.get("valid", 0) - here_n
    out = {}
    for lst, v in sorted(u.lists.items()):
        rest = total.lists.get(lst, 0) - v
        out[lst] = (Fraction(v, here_n) if here_n else Fraction(0), Fraction(rest, rest_n) if rest_n else Fraction(0))
    return out


def check_lists_off(shares: Mapping[int, tuple[Fraction, Fraction]], t: Thresholds) -> list[tuple[int, Fraction]]:
    """Lists >= 50 points off: here minus the rest, in points, at least ``party_share_pp`` either way."""
    return [(lst, here - rest) for lst, (here, rest) in shares.items() if abs(here - rest) * 100 >= t.party_share_pp]


def expected_votes(u: Tally, rest: Tally) -> list[CandidateDeviation]:
    """Each candidate's votes and expected votes: the station's list votes x the candidate's
    share of its list in ``rest`` (the reference without the station); 0 when ``rest`` has
    none. The one formula of the protocol's candidate check and of P.CANDIDATE_SWAP_FIT."""
    out = []
    for key, v in u.candidates.items():
        cand_rest, list_rest = rest.candidates.get(key, 0), rest.lists.get(key[0], 0)
        share = Fraction(cand_rest, list_rest) if cand_rest > 0 and list_rest > 0 else Fraction(0)
        out.append(CandidateDeviation(key, v, share * u.lists.get(key[0], 0)))
    return out


def without(reference: Tally, u: Tally) -> Tally:
    """The reference (lists, candidates and counts) with the station's own numbers taken off:
    the rest of the municipality."""
    return Tally.model_construct(lists={k: v - u.lists.get(k, 0) for k, v in reference.lists.items()},
                                 candidates={k: v - u.candidates.get(k, 0) for k, v in reference.candidates.items()},
                                 counts={k: v - u.counts.get(k, 0) for k, v in reference.counts.items()})


def check_switched(u: Tally, reference: Tally, list_names: Mapping[int, str], t: Thresholds) -> list[SwitchedPair]:
    """Possibly switched candidates (the protocol's rule, as HCP applies it): on one list, a
    candidate with at least ``candidate_min_votes`` votes and at least ``candidate_factor``
    times the expected (or any, when nothing was expected), and a candidate expected at least
    ``candidate_min_votes`` with at most 1/``candidate_factor`` of that. Every such pair is
    reported, the one above first."""
    f, m = t.candidate_factor, t.candidate_min_votes
    more, fewer = [], []
    for c in expected_votes(u, without(reference, u)):
        if c.votes >= m and (c.expected == 0 or c.votes >= f * c.expected):
            more.append(c)
        elif c.expected >= m and f * c.votes <= c.expected:
            fewer.append(c)
    return [SwitchedPair(hi.key[0], list_names.get(hi.key[0], ""), hi, lo)
            for hi in more for lo in fewer if hi.key[0] == lo.key[0]]


def summed(units: Iterable[Tally]) -> Tally:
    """One tally with the numbers of ``units`` added up (lists, candidates and counts): a
    reference group's total (here, and in ``checks/plausibility.py``)."""
    lists: dict[int, int] = {}
    cands: dict[tuple, int] = {}
    counts: dict[str, int] = {}
    for u in units:
        for k, v in u.lists.items():
            lists[k] = lists.get(k, 0) + v
        for k, v in u.candidates.items():
            cands[k] = cands.get(k, 0) + v
        for k, v in u.counts.items():
            counts[k] = counts.get(k, 0) + v
    return Tally.model_construct(lists=lists, candidates=cands, counts=counts)  # the other fields: their defaults


# --- reference groups -----------------------------------------------------------------------


def neighbourhood_groups(units: list[Tally], wijk_of: Mapping[str, str | None]) -> dict[str, list[Tally]]:
    """Stations per CBS wijk (``wijk_of``: station id -> wijk code, None for a station in no
    wijk: ``osv_verify.io.neighbourhoods.wijk_of_stations`` also gives None to postal, mobile
    and other stations that draw voters from anywhere, as HCP does)."""
    groups: dict[str, list[Tally]] = {}
    for u in units:
        wijk = wijk_of.get(u.id or "")
        if wijk:
            groups.setdefault(wijk, []).append(u)
    return groups


def _switched_with_neighbourhood(u: Tally, total: Tally, group: list[Tally] | None, n_units: int,
                                 names: Mapping[int, str], t: Thresholds) -> list[SwitchedPair]:
    """HCP's combination: with a wijk of at least ``neighbourhood_min_stations`` stations
    (the station included), the pairs found against the wijk, each with the municipality's
    expectations when the municipality finds the same pair; otherwise the municipality's pairs."""
    city = check_switched(u, total, names, t) if n_units >= t.candidate_min_stations else []
    if group is None or len(group) < t.neighbourhood_min_stations:
        return city
    by_pair = {(p.more.key, p.fewer.key): p for p in city}
    return [by_pair.get((p.more.key, p.fewer.key), p) for p in check_switched(u, summed(group), names, t)]


# --- one municipality ----------------------------------------------------------------------------


def municipality_total(count: CountFile) -> Tally:
    """The reference of the list and candidate checks: the file's own total (``TotalVotes``, as
    HCP takes it), or the sum of the stations when the file has none."""
    if count.total is not None:
        return count.total
    units = [u for u in count.units if u.id]
    return summed(units)


def station_number(u: Tally) -> str:
    """The station's number as the PV prints it: ``SB12`` -> ``12``."""
    code = u.code or ""
    return code[2:] if code.upper().startswith("SB") else code


def run_protocol(count: CountFile, t: Thresholds = DEFAULTS, recounted: Iterable[str] = (),
                 wijk_of: Mapping[str, str | None] | None = None) -> MunicipalityProtocol:
    """Every column of the protocol for every station of one municipality's count file.

    ``recounted``: ids of stations the PV lists as already recounted (marked, left off a);
    ``wijk_of``: station id -> CBS wijk code, to take the candidate check's reference from the
    station's own wijk (None: the whole municipality).
    """
    units = [u for u in count.units if u.id]
    total = municipality_total(count)
    names = count.list_names
    groups = neighbourhood_groups(units, wijk_of) if wijk_of is not None else {}
    group_of = {u.id: g for g in groups.values() for u in g}
    done = set(recounted)
    stations = []
    for u in units:
        shares = list_shares(u, total)
        stations.append(StationProtocol(
            id=u.id or "", number=station_number(u), name=u.name or "",
            zero_votes=check_zero_votes(u),
            no_explanation=check_no_explanation(u),
            missing_explanations=check_missing_explanations(u),
            invalid_share=check_share(u, "invalid", t),
            blank_share=check_share(u, "blank", t),
            difference=check_difference(u, t),
            lists_off=check_lists_off(shares, t),
            shares=shares,
            switched=_switched_with_neighbourhood(u, total, group_of.get(u.id), len(units), names, t),
            recounted=u.id in done,
        ))
    return MunicipalityProtocol(
        source=count.source, election_id=count.election.id, election_name=count.election.name or "",
        election_date=count.election.date.isoformat() if count.election.date else "",
        contest_id=count.contest_id or "", authority_id=count.authority_id or "",
        authority_name=count.authority_name or "",
        created=count.created.isoformat(timespec="milliseconds") if count.created else "",
        list_names=dict(names), stations=stations, thresholds=t, not_run=_not_run(units),
        pv_used=False, neighbourhoods_used=wijk_of is not None,
    )


#: The votes of a station: valid (E), blank (F) and invalid (G); every column of a and b reads them.
VOTE_KEYS = ("valid", "blank", "invalid")
#: The counts each column reads, by the field of ``StationProtocol`` it fills (``NotRun.column``),
#: in the order of the paper form. 'Geen verklaring' is the file's own matter (below).
NEEDS: dict[str, tuple[str, ...]] = {
    "missing_explanations": ("admitted", *VOTE_KEYS),
    "zero_votes": VOTE_KEYS,
    "invalid_share": VOTE_KEYS,
    "blank_share": VOTE_KEYS,
    "difference": ("admitted", *VOTE_KEYS),
}
NO_EXPLANATIONS = Text("verschil tussen toegelaten kiezers en stemmen, maar het bestand noemt de verklaringen niet",
                       "admitted voters and votes differ, but the file records no explanations")


def absent_counts(u: Tally, keys: Iterable[str]) -> tuple[str, ...]:
    """Which of ``keys`` the station's file does not give (absent, never read as 0)."""
    return tuple(k for k in keys if k not in u.counts)


def count_label(key: str) -> Text:
    """A count as the paper form names it, with its letter: 'toegelaten kiezers (D)'."""
    f = FIELD_BY_KEY[key]
    letter = f" ({f.letter})" if f.letter else ""
    return Text(f.nl + letter, f.en + letter)


def _none_of(keys: tuple[str, ...]) -> Text:
    """'geen toegelaten kiezers (D) in het bestand', naming every count the file lacks."""
    labels = [count_label(k) for k in keys]
    nl = ", ".join(x.nl for x in labels[:-1]) + " of " + labels[-1].nl if len(labels) > 1 else labels[0].nl
    en = ", ".join(x.en for x in labels[:-1]) + " or " + labels[-1].en if len(labels) > 1 else labels[0].en
    return Text(f"geen {nl} in het bestand", f"no {en} in the file")


def _why_not(column: str, u: Tally) -> Text | None:
    """Why ``column`` could not be computed for station ``u`` (None: it was)."""
    gone = absent_counts(u, NEEDS[column])
    if gone:
        return _none_of(gone)
    if column == "missing_explanations" and check_missing_explanations(u) is None:
        return NO_EXPLANATIONS
    return None


def _not_run(units: list[Tally]) -> list[NotRun]:
    """The columns the file's fields did not allow: per column the stations, grouped by the
    reason (the counts the file lacks for them), or 'not checked for any station' when that
    reason holds for every station."""
    out = []
    if any(check_no_explanation(u) is None for u in units):
        out.append(NotRun("no_explanation", Text(
            "het bestand noemt geen 'geen verklaring' (geen verklaringen met reden, zoals in bestanden van Abacus)",
            "the file records no 'geen verklaring' (no explanations with a reason code, as in files from Abacus)")))
    for column in NEEDS:
        stations: dict[Text, list[str]] = {}
        for u in units:
            why = _why_not(column, u)
            if why is not None:
                stations.setdefault(why, []).append(station_number(u))
        for why, numbers in stations.items():
            if len(numbers) == len(units):
                out.append(NotRun(column, Text(f"bij geen enkel stembureau gecontroleerd: {why.nl}",
                                               f"not checked for any station: {why.en}")))
            else:
                out.append(NotRun(column, Text(f"stembureau {', '.join(numbers)}: {why.nl}",
                                               f"station {', '.join(numbers)}: {why.en}")))
    return out
