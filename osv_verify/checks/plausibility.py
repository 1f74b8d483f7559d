"""Plausibility (``verify --plausibility``): stations whose numbers add up but look wrong.

Arithmetic cannot see an error that is internally consistent: two parties' columns swapped,
two candidates swapped, a count left at 0. The central electoral committee's control
protocol (Controleprotocol Centraal Stembureau, part A, as the Kiesraad's HCP tool applies it;
``shared/reference/peers.md`` section 3) flags stations for a look at the paper PV or a recount.
Each station is compared with the rest of its municipality (the station itself left out of
the reference). Every finding here is a warning with its evidence; none proves an error.

All statistics are exact (integers and ``fractions.Fraction``); logarithms appear only in the
wording ("about 10^k times"), never in a decision.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import dataclass
from fractions import Fraction

from osv_verify.checks import protocol_rules as protocol
from osv_verify.checks.earlier import Earlier
from osv_verify.checks.measured import MEASURED, SMALL_MUNICIPALITY
from osv_verify.checks.registry import rule
from osv_verify.checks.swap import Neighbourhoods, SwapEvidence, conformal_threshold, named_pairs, pair_evidence
from osv_verify.checks.swap_reference import MEASURED_AT, REFERENCES, SMALL_STATIONS
from osv_verify.checks.unit_type import apart_findings, set_apart
from osv_verify.checks.thresholds import DEFAULTS, Thresholds
from osv_verify.core.findings import Finding, Location
from osv_verify.core.model import CountFile, Tally
from osv_verify.core.text import Text

#: 1 / ln(10), to express a bound e^-x as 10^-k in words only.
_LOG10_E = Fraction(4342944819, 10**10)


#: Words of the findings' messages.
MORE = Text("meer stembiljetten dan toegelaten kiezers", "more ballots than admitted voters")
FEWER = Text("minder stembiljetten dan toegelaten kiezers", "fewer ballots than admitted voters")
REVERSED = Text(" (andersom)", " (the other way round)")
ADJACENT = Text(" (opeenvolgende lijstnummers)", " (neighbouring list numbers)")


def _pct(x: Fraction) -> str:
    return f"{float(x * 100):.1f} %"  # display only


def _f(code: str, count: CountFile, u: Tally, **kw: object) -> Finding:
    loc = Location(election=count.election.id, contest=count.contest_id, authority=count.authority_id, unit=u.id,
                   list=kw.pop("list_number", None), candidate=kw.pop("candidate", None))  # type: ignore[arg-type]
    return rule(code).finding(loc, source=count.source, element=u.element, **kw)  # type: ignore[arg-type]


def check_no_explanation(count: CountFile, u: Tally, ref: Tally, t: Thresholds) -> Iterator[Finding]:
    """P.NO_EXPLANATION: the station recorded a difference it could not explain (the protocol's
    column, ``checks/protocol_rules.py``; needs no reference, so it runs in every file)."""
    n = protocol.check_no_explanation(u)
    if n:
        yield _f("P.NO_EXPLANATION", count, u, field="no_explanation", actual=n)


def check_missing_explanation(count: CountFile, u: Tally, ref: Tally, t: Thresholds) -> Iterator[Finding]:
    """P.MISSING_EXPLANATION: the explanations of the difference's own direction do not add up
    to it (the protocol's column, ``checks/protocol_rules.py``; needs no reference)."""
    missing = protocol.check_missing_explanations(u)
    if missing:
        diff = (u.votes_cast or 0) - u.counts.get("admitted", 0)
        explained = sum(u.counts.get(k, 0) for k in (protocol.EXPLAINS_MORE if diff > 0 else protocol.EXPLAINS_FEWER))
        yield _f("P.MISSING_EXPLANATION", count, u, field="explanations", expected=abs(diff), actual=explained,
                 missing=missing, direction=MORE if diff > 0 else FEWER)


def party_share_score(shares: dict[int, tuple[Fraction, Fraction]]) -> Fraction:
    """P.PARTY_SHARE's score of a station: the largest difference, either way, between a list's
    share here and in the rest of the municipality (0 to 1; ``protocol.list_shares``)."""
    return max((abs(here - rest) for here, rest in shares.values()), default=Fraction(0))


def check_party_share(count: CountFile, u: Tally, ref: Tally, t: Thresholds, earlier: Earlier | None = None
                      ) -> Iterator[Finding]:
    """P.PARTY_SHARE: a list's share of the valid votes in the station differs from the rest of
    the municipality by more than all but ``party_share_per_1000`` per 1,000 real untouched
    stations do (``calibrated_threshold``; issue 23). The protocol's own column (``party_share_pp``,
    50 points) stays in ``osv-verify protocol`` and ``--protocol-csv``: on real data it fired
    on 2 to 14 stations per 1,000 depending on the election, so a fixed number of points is no
    stated rate. With an ``earlier`` election a list is flagged only when its deviation also
    differs from the station's own deviation then by more than the threshold (``checks/earlier``:
    a station that always votes so is no anomaly); the finding says how the station was matched."""
    above = calibrated_threshold("P.PARTY_SHARE", t)
    if above is None:
        return
    shares = protocol.list_shares(u, protocol.municipality_total(count))
    for lst, (here, there) in sorted(shares.items()):
        if abs(here - there) <= above:
            continue
        rate = rate_text("P.PARTY_SHARE", t)
        match = earlier.match(count, u) if earlier is not None else None
        if match is not None:
            before = earlier.deviation(count, match.station, lst) if match.station else None  # type: ignore[union-attr]
            if before is not None and abs(here - there - before) <= above:
                continue  # the station deviated so in the earlier election too
            then = (Text(f"In {earlier.election} week het {_points(before)} af ({match.note.nl}).",  # type: ignore[union-attr]
                         f"In {earlier.election} it was {_points(before)} off ({match.note.en}).") if before is not None
                    else Text(f"Vorige verkiezing: {match.note.nl}" + ("; partij niet op naam gevonden." if match.station else "."),
                              f"Earlier election: {match.note.en}" + ("; party not found by name." if match.station else ".")))
            rate = Text(f"{rate.nl} {then.nl}", f"{rate.en} {then.en}")
        yield _f("P.PARTY_SHARE", count, u, field=f"list {lst}", list_number=lst, expected=_pct(there),
                 actual=_pct(here), threshold=f"{float(above * 100):.1f}", rate=rate)


def _points(x: Fraction) -> str:
    return f"{float(x * 100):+.1f} pp"  # display only


def check_candidate_swap(count: CountFile, u: Tally, ref: Tally, t: Thresholds) -> Iterator[Finding]:
    """P.CANDIDATE_SWAP: the protocol's rule (``checks/protocol_rules.check_switched``, as HCP applies
    it): on one list a candidate far above and one far below the votes expected from the rest of
    the municipality; every such pair."""
    if len(count.units) < t.candidate_min_stations:  # check_plausibility hands it the stations only
        return
    for pair in protocol.check_switched(u, protocol.municipality_total(count), count.list_names, t):
        hi, lo = pair.more, pair.fewer
        yield _f("P.CANDIDATE_SWAP", count, u, field=f"candidate {pair.list_number}.{hi.number}",
                 list_number=pair.list_number, candidate=hi.number, expected=round(hi.expected), actual=hi.votes,
                 other=f"{pair.list_number}.{lo.number}", other_actual=lo.votes, other_expected=round(lo.expected),
                 rate=protocol_rate(t))


#: The settings P.CANDIDATE_SWAP's measured rate holds for (the protocol's own values).
PROTOCOL_SETTINGS = ("candidate_factor", "candidate_min_votes", "candidate_min_stations")


def protocol_rate(t: Thresholds) -> Text:
    """How often the protocol's candidate rule fires on real stations (not calibrated: the
    protocol defines it; a workload, not an error rate), when the settings are the protocol's."""
    if all(getattr(t, s) == getattr(DEFAULTS, s) for s in PROTOCOL_SETTINGS):
        return MEASURED["P.CANDIDATE_SWAP"]
    return Text("Met andere instellingen dan die van het protocol: hoe vaak deze regel dan aanslaat, is niet gemeten.",
                "With other settings than the protocol's: how often this rule fires then was not measured.")


@dataclass(frozen=True)
class FitPair:
    """Two candidates of one list that look exchanged: ``high`` far above its expectation,
    ``low`` far below, each fitting the other's expectation; ``score`` = the smaller of the two
    factors by which they are off (plus one each, so that an expectation of 0 is no division by 0)."""

    high: protocol.CandidateDeviation
    low: protocol.CandidateDeviation
    score: Fraction


def candidate_fit_pairs(u: Tally, ref: Tally, t: Thresholds) -> list[FitPair]:
    """Every pair of candidates of one list in station u, one at least ``candidate_min_votes``
    above its expected votes and the other as far below, such that exchanging the two counts
    fits both (each within ``candidate_fit`` of the other's expectation), with its score.
    Expected votes of candidate c = the station's list total x c's share of the list in the
    rest of the municipality (``protocol.expected_votes``)."""
    rest_of_lists: dict[int, int] = {}  # each list's candidates (those of this station) in the rest
    for key in u.candidates:
        rest_of_lists[key[0]] = rest_of_lists.get(key[0], 0) + ref.candidates.get(key, 0)
    by_list: dict[int, list[protocol.CandidateDeviation]] = {}
    for c in protocol.expected_votes(u, Tally.model_construct(lists=rest_of_lists, candidates=ref.candidates)):
        by_list.setdefault(c.key[0], []).append(c)
    m, fit = t.candidate_min_votes, t.candidate_fit
    out = []
    for _, deviations in sorted(by_list.items()):
        high = [c for c in deviations if c.votes - c.expected >= m]
        low = [c for c in deviations if c.expected - c.votes >= m]
        for c in high:
            for o in low:
                if _fits(c.votes, o.expected, fit) and _fits(o.votes, c.expected, fit):
                    out.append(FitPair(c, o, min((c.votes + 1) / (c.expected + 1), (o.expected + 1) / (o.votes + 1))))
    return out


def check_candidate_swap_fit(count: CountFile, u: Tally, ref: Tally, t: Thresholds) -> Iterator[Finding]:
    """P.CANDIDATE_SWAP_FIT: osv-verify's stricter reading of P.CANDIDATE_SWAP, calibrated
    (issue 23): a pair of ``candidate_fit_pairs`` whose score (how many times both candidates
    are off) exceeds what all but ``candidate_fit_per_1000`` per 1,000 real untouched stations
    reach (``calibrated_threshold``), instead of the protocol's fixed factor 5, which fired on
    15 to 50 real stations per 1,000. The reference is that of municipalities of the same size
    class (``SIZE_CLASSES``): a candidate's expected votes rest on the rest of the municipality,
    so in a smaller one they are thinner and large factors commoner; one reference for all
    sizes gave the small ones the large cities' threshold (19.8 alarms per 1,000 in GR2022's
    small and middle municipalities). One finding per high candidate, with its highest-scoring
    partner."""
    above = calibrated_threshold("P.CANDIDATE_SWAP_FIT", t, len(count.units))
    if above is None:
        return
    best: dict[tuple, FitPair] = {}
    for pair in candidate_fit_pairs(u, ref, t):
        if pair.score > above and (pair.high.key not in best or pair.score > best[pair.high.key].score):
            best[pair.high.key] = pair
    for pair in best.values():
        k, k2 = pair.high.key, pair.low.key
        lst = k[0]
        yield _f("P.CANDIDATE_SWAP_FIT", count, u, field=f"candidate {lst}.{k[1] or k[2]}", list_number=lst,
                 candidate=str(k[1] or k[2]), expected=round(pair.high.expected), actual=pair.high.votes,
                 other=f"{lst}.{k2[1] or k2[2]}", other_actual=pair.low.votes, other_expected=round(pair.low.expected),
                 factor=f"{float(pair.score):.1f}", rate=rate_text("P.CANDIDATE_SWAP_FIT", t))


def _fits(observed: int, expected: Fraction, factor: int) -> bool:
    """``observed`` is within ``factor`` of ``expected`` either way (plus one, for small counts)."""
    return observed + 1 <= factor * (expected + 1) and expected + 1 <= factor * (observed + 1)


def _quarter_up(phi: Fraction) -> Fraction:
    """phi rounded up to a quarter, at least 1: small exact numbers for the decisions."""
    return max(Fraction(int(-(-phi * 4 // 1)), 4), Fraction(1))


@dataclass(frozen=True)
class _Spread:
    """Per-station Pearson residuals of one list's share (of all votes, or of a pair)."""

    residuals: dict[str | None, Fraction]
    total: Fraction

    def factor(self, without: str | None) -> Fraction:
        """The dispersion factor of the other stations (>= 1, rounded up to a quarter)."""
        n = len(self.residuals) - (without in self.residuals)
        if n <= 0:
            return Fraction(1)
        return _quarter_up((self.total - self.residuals.get(without, Fraction(0))) / n)


def _spread(units: list[Tally], a: int, b: int | None = None) -> _Spread:
    """How much list a's share (of all votes, or of the pair a + b) varies between stations
    beyond chance: with pi the share over all stations and m a station's votes (all lists, or
    a + b), each station's Pearson residual is (x_a - m pi)^2 / (m pi (1 - pi)). Their mean
    over the *other* stations is a quasi-likelihood dispersion factor: neighbourhoods vote
    differently, and without it every station with a local favourite would look swapped or
    empty; leaving the tested station out keeps its own error from hiding itself.
    """
    def base(u: Tally) -> int:
        return u.lists.get(a, 0) + u.lists.get(b, 0) if b is not None else sum(u.lists.values())

    ta, tm = sum(u.lists.get(a, 0) for u in units), sum(base(u) for u in units)
    if ta == 0 or ta == tm:
        return _Spread({}, Fraction(0))
    pi = Fraction(ta, tm)
    residuals = {u.id: (u.lists.get(a, 0) - base(u) * pi) ** 2 / (base(u) * pi * (1 - pi)) for u in units if base(u)}
    return _Spread(residuals, sum(residuals.values(), Fraction(0)))


def check_list_swap(count: CountFile, u: Tally, ref: Tally, t: Thresholds, units: list[Tally],
                    cache: dict) -> Iterator[Finding]:
    """P.LIST_SWAP: two lists whose columns look exchanged, judged against the stations most
    like this one on the other lists (``osv_verify.checks.swap``): a pair is named when its
    score exceeds what all but ``list_swap_per_1000`` per 1,000 real untouched stations reach
    (``swap.conformal_threshold`` on ``swap_reference``), so that rate, not a tuned constant,
    is what a user gets. Both lists need at least ``list_swap_min_votes`` votes. Adjacent list
    numbers (the usual slip on a paper form) are named."""
    if "neighbourhoods" not in cache:
        cache["neighbourhoods"] = Neighbourhoods(units)
        cache["threshold"] = calibrated_threshold("P.LIST_SWAP", t)
    if cache["threshold"] is None:
        return
    rate = rate_text("P.LIST_SWAP", t)
    if len(cache["neighbourhoods"].units) < SMALL_STATIONS and rate == MEASURED["P.LIST_SWAP"]:
        rate = Text(f"{rate.nl} {SMALL_MUNICIPALITY.nl}", f"{rate.en} {SMALL_MUNICIPALITY.en}")
    for ev in named_pairs(pair_evidence(cache["neighbourhoods"], u, t.list_swap_min_votes), cache["threshold"]):
        yield _f("P.LIST_SWAP", count, u, field=f"list {ev.a} / list {ev.b}", list_number=ev.a,
                 expected=f"{round(ev.expected_a)} / {round(ev.expected_b)}", actual=f"{ev.votes_a} / {ev.votes_b}",
                 a=ev.a, b=ev.b, xa=ev.votes_a, xb=ev.votes_b, ea=round(ev.expected_a), eb=round(ev.expected_b),
                 k=ev.neighbours, rate=rate, reversed=REVERSED if looks_reversed(ev) else "",
                 adjacent=ADJACENT if ev.b - ev.a == 1 else "")


def looks_reversed(ev: SwapEvidence) -> bool:
    """Whether "the other way round" may be said: each list's votes lie nearer the other list's
    expected votes than its own (an order that merely differs is not enough: 96 against 97
    expected is no reversal, whatever the other list does)."""
    return (abs(ev.votes_a - ev.expected_b) < abs(ev.votes_a - ev.expected_a)
            and abs(ev.votes_b - ev.expected_a) < abs(ev.votes_b - ev.expected_b))


#: The calibrated checks (issue 23): code -> (its rate setting, the other settings its reference was
#: measured with). Each flags a station whose score exceeds the k-th highest score of real untouched
#: stations (``swap_reference``, written by ``benchmarks/plausibility_real.py --write``).
CALIBRATED: dict[str, tuple[str, tuple[str, ...]]] = {
    "P.LIST_SWAP": ("list_swap_per_1000", ("list_swap_min_votes",)),
    "P.CANDIDATE_SWAP_FIT": ("candidate_fit_per_1000", ("candidate_min_votes", "candidate_fit")),
    "P.PARTY_SHARE": ("party_share_per_1000", ()),
}
#: Calibrated checks whose reference is split by the municipality's number of (fixed) stations:
#: code -> the class boundaries. Fixed by reasoning before measuring (issue 23, third round): the
#: failure measured was large cities against the rest, and a class must hold at least 999 real
#: stations to hold 1 per 1,000 at all (k >= 1), which the 416 stations of municipalities under
#: 20 stations do not; so two classes, under 100 stations and 100 or more.
SIZE_CLASSES: dict[str, tuple[int, ...]] = {"P.CANDIDATE_SWAP_FIT": (100,)}


def size_class(code: str, stations: int) -> str:
    """The reference class of a municipality of ``stations`` fixed stations for ``code``
    ("all" when the check has one reference)."""
    bounds = SIZE_CLASSES.get(code, ())
    if not bounds:
        return "all"
    lower = max((b for b in bounds if b <= stations), default=0)
    upper = min((b for b in bounds if b > stations), default=None)
    return f">= {lower}" if upper is None else f"< {upper}" if lower == 0 else f"{lower}-{upper - 1}"


def calibrated_threshold(code: str, t: Thresholds, stations: int = 0) -> Fraction | None:
    """The score a station must exceed for ``code`` at its rate setting (``swap.conformal_threshold``
    on the stored reference of its municipality's size class, ``stations`` fixed stations); None
    when that reference is too small for the rate."""
    setting = CALIBRATED[code][0]
    n, highest = REFERENCES[(code, size_class(code, stations))]
    return conformal_threshold(list(highest), n, getattr(t, setting), setting)


def rate_text(code: str, t: Thresholds) -> Text:
    """The measured rate, when the settings are those it was measured at; else says it is not."""
    setting, others = CALIBRATED[code]
    if getattr(t, setting) == MEASURED_AT and all(getattr(t, o) == getattr(DEFAULTS, o) for o in others):
        return MEASURED[code]
    now = "".join(f", {o} = {getattr(t, o)}" for o in others)
    then = "".join(f", {o} = {getattr(DEFAULTS, o)}" for o in others)
    return Text(f"Ingesteld op {getattr(t, setting)} per 1.000{now}; gemeten is alleen {MEASURED_AT} per 1.000{then}.",
                f"Set to {getattr(t, setting)} per 1,000{now}; measured only at {MEASURED_AT} per 1,000{then}.")


def check_zero(count: CountFile, u: Tally, ref: Tally, t: Thresholds, units: list[Tally],
               cache: dict) -> Iterator[Finding]:
    """P.ZERO: blank votes, invalid votes or a list at 0 where the rest of the municipality's
    rate predicts at least ``zero_expected``: the chance of 0 is then at most e^-14 < 10^-6
    (P(0) = (1 - p)^n <= e^(-np)). Lists are concentrated in neighbourhoods, so for a list the
    prediction must reach ``zero_expected`` times its dispersion factor (``_spread``)."""
    h = u.votes_cast
    rest_h = sum(ref.counts.get(k, 0) for k in ("valid", "blank", "invalid"))
    if not h or not rest_h:
        return
    items: list[tuple[str, int, int, int]] = []  # field, value, reference count, reference base
    for key in ("blank", "invalid"):
        if key in u.counts and key in ref.counts:
            items.append((key, u.counts[key], ref.counts[key], rest_h))
    n_lists, rest_lists = sum(u.lists.values()), sum(ref.lists.values())
    for lst, v in sorted(u.lists.items()):
        items.append((f"list {lst}", v, ref.lists.get(lst, 0), rest_lists))
    for name, value, ref_count, base in items:
        if value != 0 or base == 0:
            continue
        size = h if not name.startswith("list") else n_lists
        expected = Fraction(ref_count * size, base)
        phi = Fraction(1)
        if name.startswith("list") and expected >= t.zero_expected:
            lst = int(name[5:])
            if (lst, None) not in cache:
                cache[(lst, None)] = _spread(units, lst)
            phi = cache[(lst, None)].factor(u.id)
        if expected >= t.zero_expected * phi:
            yield _f("P.ZERO", count, u, field=name, list_number=int(name[5:]) if name.startswith("list") else None,
                     expected=round(expected), actual=0, total=size, power=int(expected * _LOG10_E))


#: Checks that need no reference: they run in every file, however few its stations.
OWN_CHECKS = (check_no_explanation, check_missing_explanation)
CHECKS = (check_candidate_swap, check_candidate_swap_fit)


def compared_stations(count: CountFile, t: Thresholds = DEFAULTS, only: Container[str] | None = None
                      ) -> Iterator[tuple[CountFile, Tally, Tally]]:
    """(the file as the comparing checks see it: its fixed stations only, and its total made
    once; a station; the rest of its municipality) for every fixed station (or those in
    ``only``), when the municipality has enough of them for a reference. Mobile and special
    stations (``kr:ReportingUnitType``, ``unit_type.set_apart``) are neither compared nor part
    of the reference, nor of a calibrated check's real reference stations."""
    units, apart = set_apart([u for u in count.units if u.id])
    if len(units) < t.min_reference_stations + 1:
        return
    everything = protocol.summed(units)  # the file's own total where it has one and no station is set apart
    count = count.model_copy(update={"units": units, "total": everything if count.total is None or apart else count.total})
    for u in units:
        if only is None or u.id in only:
            yield count, u, protocol.without(everything, u)


def check_plausibility(count: CountFile, t: Thresholds = DEFAULTS, only: Container[str] | None = None,
                       earlier: Earlier | None = None) -> Iterator[Finding]:
    """Every station of a municipality file (or those in ``only``) against the rest of that
    municipality (and, for P.PARTY_SHARE, against its own deviation in an ``earlier`` election);
    the checks that need no reference run for every station, whatever the number of stations
    (a mobile or special one too: they compare nothing), and a station set apart by its
    kr:ReportingUnitType is said to be (CHECK.UNIT_APART)."""
    apart = set_apart([u for u in count.units if u.id])[1]
    yield from apart_findings(count, [u for u in apart if only is None or u.id in only])
    empty = Tally.model_construct(lists={}, candidates={}, counts={})
    for u in count.units:
        if u.id and (only is None or u.id in only):
            for own in OWN_CHECKS:
                yield from own(count, u, empty, t)
    dispersion: dict = {}  # per-municipality models, built on first use
    for compared, u, ref in compared_stations(count, t, only):
        yield from check_party_share(compared, u, ref, t, earlier)
        for check in CHECKS:
            yield from check(compared, u, ref, t)
        yield from check_list_swap(compared, u, ref, t, compared.units, dispersion)
        yield from check_zero(compared, u, ref, t, compared.units, dispersion)
