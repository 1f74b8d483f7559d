"""P.LIST_SWAP: two lists' columns exchanged in one station, judged against the stations most
like it (issue 15).

A municipality is not one electorate: villages and neighbourhoods vote differently, and a
station compared with the whole rest of its municipality looks odd for a legitimate reason
(the village party, the local candidate). A swap of two lists' columns (a typist on the wrong
list screen, a PV writer on the wrong list's page) has a precise signature that local
structure does not have:

* the other lists stay put: the stations most like this one on *the other lists* (its
  neighbours) predict what the two lists should have here;
* the two lists move by the same amount in opposite directions: list a has what list b should
  have and b what a should have, so the swapped reading fits both lists, where a local
  favourite fits neither way round;
* each list divides its votes over its candidates in its own way (a leader with 60 %, say),
  and a swapped column carries the other list's division.

For a station and a pair (a, b) the pair is judged twice, against two references of
``NEIGHBOURS`` other stations each, chosen on everything except lists a and b (which a swap
would have changed), and keeps the smaller score (a swap looks swapped against both; a village
pattern usually against only one; issue 23, fourth round):

* the stations nearest in the candidate votes of the other lists (the square root of each
  candidate's share of the station's votes): the same village or neighbourhood, whose local
  candidates it shares;
* the stations nearest in the shares of the other lists.

Against each, two measures, combined into one ``score``:

* **totals**: from the neighbours the expected votes E = n x P (P the pooled share of the list
  among them, n the station's votes) and a variance V = n P (1 - P) + n^2 tau^2 (chance plus
  the spread between the neighbours, measured on them). Misfit of a reading = the sum over
  both lists of (votes - E)^2 / V;
* **candidate columns**: each column's division over the positions both lists have (as
  shares of its total) is compared with the neighbours' division of that list (add-one
  smoothed) by the sum of absolute differences, against the local spread (how far the
  neighbours' own columns typically are from it: a village with a local favourite spreads
  widely) and against the gap between the two lists' divisions.

The totals count in either direction (they no longer veto a pair when they speak against the
swap: a swap of two lists with alike totals nearby moves them little either way). The score
has no threshold of its own (issue 23): tuned thresholds fitted the data they were
chosen on and fired three times as often on new municipalities. A station is flagged when its
score exceeds the k-th highest score of a reference of real untouched stations
(``conformal_threshold``, ``swap_reference``), so the rate a user gets is the rate asked for
wherever the tested station is like the reference stations; ``benchmarks/plausibility_real.py``
measures it leaving each data set out. Everything that decides is exact (integers and
fractions).
"""

from __future__ import annotations

import bisect
import math
import operator
from dataclasses import dataclass
from fractions import Fraction

from osv_verify.core.errors import UsageError
from osv_verify.core.model import Tally
from osv_verify.core.text import Text

PPM = 10**6
#: The stations in each of a pair's two references (nearest on the other lists' candidates, and
#: on their shares).
NEIGHBOURS = 10
#: The totals' gain (sum of squared z) that counts as much as one local spread of the columns ...
TOTALS_WEIGHT = 40
#: ... counted only when the swapped totals fit within this (same measure).
TOTALS_FIT = 9
#: Above this many stations, a station's neighbours are sought among the ``WINDOW`` stations on
#: either side of it in the order of each of the three largest lists' shares (linear in
#: stations); up to it, among all stations of the municipality.
WINDOW = 128


@dataclass(frozen=True)
class Expectation:
    """What the neighbours predict for one list in the tested station."""

    votes: Fraction  # expected votes E
    variance: Fraction  # V


@dataclass(frozen=True)
class SwapEvidence:
    """Why a pair looks swapped: the published and the expected votes, and the pair's score."""

    a: int
    b: int
    votes_a: int
    votes_b: int
    expected_a: Fraction
    expected_b: Fraction
    score: Fraction
    neighbours: int


@dataclass(frozen=True)
class Columns:
    """Distances (sum of absolute share differences, 0 to 2 per column) of a station's two
    candidate columns from the neighbours' divisions of the two lists."""

    published: Fraction  # column a from a's division + column b from b's
    swapped: Fraction  # column a from b's division + column b from a's
    spread: Fraction  # the same published distance, averaged over the neighbours themselves
    gap: Fraction  # how far the two lists' divisions are apart

    @property
    def improvement(self) -> Fraction:
        return self.published - self.swapped


@dataclass(frozen=True)
class Division:
    """How a list divides its votes over positions 1..m: share of position p = counts[p-1] / total."""

    counts: list[int]
    total: int


@dataclass(frozen=True)
class Distance:
    """How far one other station (``index``) is from the tested one, per list: squared
    differences of the list shares (ppm) and of the candidates' root shares, with their sums."""

    index: int
    shares: list[int]
    shares_total: int
    candidates: list[int]
    candidates_total: int


class Neighbourhoods:
    """The stations of one municipality as list shares and candidate root shares, to find each
    station's neighbours."""

    def __init__(self, units: list[Tally]):
        self.units = [u for u in units if u.id and sum(u.lists.values())]
        self.totals = [sum(u.lists.values()) for u in self.units]
        self.shares = [{k: v * PPM // n for k, v in u.lists.items()} for u, n in zip(self.units, self.totals)]
        self.lists = sorted({k for u in self.units for k in u.lists})
        self.columns = [_columns(u) for u in self.units]
        self.length = dict.fromkeys(self.lists, 0)  # the highest candidate position of each list
        for columns in self.columns:
            for lst, column in columns.items():
                if lst in self.length:
                    self.length[lst] = max(self.length[lst], max(column))
        self.roots = [self._roots(c, n) for c, n in zip(self.columns, self.totals)]
        self.norms = [[sum(x * x for x in r) for r in roots] for roots in self.roots]
        largest = sorted(self.lists, key=lambda k: -sum(s.get(k, 0) for s in self.shares))[:3]
        self.orders = []  # (list, its shares in increasing order, the stations in that order)
        for lst in largest:
            order = sorted(range(len(self.units)), key=lambda i: (self.shares[i].get(lst, 0), i))
            self.orders.append((lst, [self.shares[i].get(lst, 0) for i in order], order))

    def _roots(self, columns: dict[int, dict[int, int]], n: int) -> list[tuple[int, ...]]:
        """Per list (in ``lists`` order): the square root of each candidate's share of the
        station's votes, in ppm (an integer square root), by position. Square roots, so
        that a village's own candidates with a few per cent weigh beside a list leader's 40."""
        return [tuple(math.isqrt(columns.get(lst, {}).get(p, 0) * PPM * PPM // n) for p in range(1, self.length[lst] + 1))
                for lst in self.lists]

    def distances(self, u: Tally) -> list[Distance]:
        """Every other station, or in a large municipality those near u in ``orders``, with
        its distances from u."""
        n = sum(u.lists.values())
        mine = {k: u.lists.get(k, 0) * PPM // n for k in self.lists}
        roots = self._roots(_columns(u), n)
        norms = [sum(x * x for x in r) for r in roots]
        out = []
        for i in self._candidates(u, mine):
            if self.units[i].id == u.id:
                continue
            shares = self.shares[i]
            terms = [(mine[k] - shares.get(k, 0)) ** 2 for k in self.lists]
            # sum of (x - y)^2 as |r|^2 + |s|^2 - 2 r.s: the same integers, the products in C
            cands = [nr + ns - 2 * sum(map(operator.mul, r, s))
                     for r, s, nr, ns in zip(roots, self.roots[i], norms, self.norms[i])]
            out.append(Distance(i, terms, sum(terms), cands, sum(cands)))
        return out

    def _candidates(self, u: Tally, mine: dict[int, int]) -> range | set[int]:
        if len(self.units) <= 2 * WINDOW + 1:
            return range(len(self.units))
        near: set[int] = set()
        for lst, keys, order in self.orders:
            at = bisect.bisect_left(keys, mine[lst])
            near.update(order[max(0, at - WINDOW):at + WINDOW + 1])
        return sorted(near)

    def nearest(self, dist: list[Distance], a: int, b: int, k: int, local: bool = False) -> list[int]:
        """Indexes of the k stations closest on every list except a and b (ties: file order),
        by the candidates' root shares (``local``) or by the lists' shares."""
        ia, ib = self.lists.index(a), self.lists.index(b)
        if local:
            keyed = ((d.candidates_total - d.candidates[ia] - d.candidates[ib], d.index) for d in dist)
        else:
            keyed = ((d.shares_total - d.shares[ia] - d.shares[ib], d.index) for d in dist)
        return [i for _, i in sorted(keyed)[:k]]

    def expect(self, neighbours: list[int], lst: int, n: int) -> Expectation:
        ys = [self.units[i].lists.get(lst, 0) for i in neighbours]
        ns = [self.totals[i] for i in neighbours]
        top, bottom = sum(ys) + 1, sum(ns) + 2  # P = top / bottom; add-one: a list unseen nearby is not impossible
        p = Fraction(top, bottom)
        chance = p * (1 - p)
        # spread = mean over the neighbours of (y/m - P)^2 - P (1 - P) / m, summed as integers:
        # each term is ((y B - A m)^2 - A (B - A) m) / (m B)^2, over the common denominator (L B)^2
        lcm = math.lcm(*ns)
        spread = Fraction(sum(((y * bottom - top * m) ** 2 - top * (bottom - top) * m) * (lcm // m) ** 2
                              for y, m in zip(ys, ns)), (lcm * bottom) ** 2 * len(ns))
        return Expectation(n * p, n * chance + n * n * max(spread, Fraction(0)))


    def column_distances(self, neighbours: list[int], mine: dict[int, dict[int, int]], a: int, b: int
                         ) -> Columns | None:
        """The candidate columns of a and b (``mine``, the station's ``_columns``) over the
        positions both lists have, measured against the neighbours' divisions; None without two
        such positions."""
        m = min(self.length[a], self.length[b])
        if m < 2:
            return None
        qa, qb = self._division(neighbours, a, m), self._division(neighbours, b, m)
        published, swapped = _both_readings(_column(mine, a, m), _column(mine, b, m), qa, qb)
        own = Fraction(0)  # the neighbours' own distances from the divisions
        for i in neighbours:
            own += _both_readings(_column(self.columns[i], a, m), _column(self.columns[i], b, m), qa, qb)[0]
        return Columns(published, swapped, own / len(neighbours), _l1_shares(qa, qb))

    def _division(self, neighbours: list[int], lst: int, m: int) -> Division:
        sums = [sum(self.columns[i].get(lst, {}).get(p, 0) for i in neighbours) for p in range(1, m + 1)]
        return Division([v + 1 for v in sums], sum(sums) + m)


def _position(key: tuple) -> int:
    return int(key[1]) if key[1] and str(key[1]).isdigit() else 0


def _columns(u: Tally) -> dict[int, dict[int, int]]:
    out: dict[int, dict[int, int]] = {}
    for k, v in u.candidates.items():
        if _position(k):
            out.setdefault(k[0], {})[_position(k)] = v
    return out


def _column(columns: dict[int, dict[int, int]], lst: int, m: int) -> list[int]:
    col = columns.get(lst, {})
    return [col.get(p, 0) for p in range(1, m + 1)]


def _l1_shares(p: Division, q: Division) -> Fraction:
    """Sum of absolute differences between two divisions (0 to 2)."""
    return _l1(p.counts, q)


def _both_readings(ca: list[int], cb: list[int], qa: Division, qb: Division) -> tuple[Fraction, Fraction]:
    """(published, swapped): _l1(ca, qa) + _l1(cb, qb) and _l1(ca, qb) + _l1(cb, qa), exact,
    summed as integers over the common denominator Ta Tb Da Db (an empty column counts 0)."""
    ta, tb = sum(ca) or 1, sum(cb) or 1  # an empty column: every numerator below is then 0
    da, db = qa.total, qb.total
    published = (tb * db * _l1_numerator(ca, ta, qa) + ta * da * _l1_numerator(cb, tb, qb))
    swapped = (tb * da * _l1_numerator(ca, ta, qb) + ta * db * _l1_numerator(cb, tb, qa))
    den = ta * tb * da * db
    return Fraction(published, den), Fraction(swapped, den)


def _l1_numerator(column: list[int], total: int, division: Division) -> int:
    """T D times _l1(column, division), for a column of total T (0 for an all-zero column)."""
    if not any(column):
        return 0
    d = division.total
    return sum(abs(v * d - c * total) for v, c in zip(column, division.counts))


def _l1(column: list[int], division: Division) -> Fraction:
    """Sum of absolute differences between a column's shares and a division (0 to 2), exact:
    |v/T - c/D| = |v D - c T| / (T D), so the sum is one fraction over T D (integers only;
    this runs for every neighbour of every pair, and Fraction per term was the cost)."""
    total = sum(column)
    if not total:
        return Fraction(0)
    d = division.total
    return Fraction(sum(abs(v * d - c * total) for v, c in zip(column, division.counts)), total * d)


def misfit(x: int, e: Expectation) -> Fraction:
    return (x - e.votes) ** 2 / e.variance


def score(totals_published: Fraction, totals_swapped: Fraction, columns: Columns) -> Fraction:
    """How swapped a pair looks, one number (0: not at all): the columns' improvement measured
    against the smaller of two yardsticks, the local spread and the distance between the two
    lists' divisions (a swap of two lists with similar divisions moves each column little),
    plus the totals' gain / ``TOTALS_WEIGHT`` where the swapped totals fit (misfit at most
    ``TOTALS_FIT``; a negative gain, totals that speak against the swap, lowers it). 0 when the
    swapped columns are not closer. No threshold here: a score is read by its rank among real untouched stations
    (``conformal_threshold``)."""
    imp, gain, yardstick = columns.improvement, totals_published - totals_swapped, min(columns.spread, columns.gap)
    if imp <= 0 or yardstick <= 0:
        return Fraction(0)
    return imp / yardstick + (gain / TOTALS_WEIGHT if totals_swapped <= TOTALS_FIT else 0)


def pair_evidence(hoods: Neighbourhoods, u: Tally, min_votes: int) -> list[SwapEvidence]:
    """Every pair of lists with at least ``min_votes`` votes each in station u whose score,
    the smaller of its two references' (module docstring), is positive, in list order."""
    n = sum(u.lists.values())
    big = sorted(lst for lst, v in u.lists.items() if v >= min_votes and lst in hoods.lists)
    if n == 0 or len(big) < 2 or len(hoods.units) < 3:
        return []
    dist = hoods.distances(u)
    mine = _columns(u)
    found = []
    for i, a in enumerate(big):
        for b in big[i + 1:]:
            if min(hoods.length[a], hoods.length[b]) < 2:
                continue  # no two candidate positions both lists have: nothing to compare
            ev = min((_judged(hoods, hoods.nearest(dist, a, b, NEIGHBOURS, local), mine, u, a, b, n)
                      for local in (True, False)), key=lambda e: e.score)
            if ev.score > 0:
                found.append(ev)
    return found


def _judged(hoods: Neighbourhoods, near: list[int], mine: dict[int, dict[int, int]], u: Tally, a: int, b: int,
            n: int) -> SwapEvidence:
    """Pair (a, b) of station u against one reference ``near`` (both lists have at least two
    candidate positions)."""
    xa, xb = u.lists[a], u.lists[b]
    ea, eb = hoods.expect(near, a, n), hoods.expect(near, b, n)
    published, swapped = misfit(xa, ea) + misfit(xb, eb), misfit(xb, ea) + misfit(xa, eb)
    columns = hoods.column_distances(near, mine, a, b)
    assert columns is not None  # pair_evidence skips pairs without two common positions
    return SwapEvidence(a, b, xa, xb, ea.votes, eb.votes, score(published, swapped, columns), len(near))


def station_score(evidence: list[SwapEvidence]) -> Fraction:
    """The station's score: that of its most swapped-looking pair (0 without one)."""
    return max((e.score for e in evidence), default=Fraction(0))


def named_pairs(evidence: list[SwapEvidence], above: Fraction) -> list[SwapEvidence]:
    """The pairs of one station that score above ``above``, highest first, each list in at
    most one pair."""
    used: set[int] = set()
    out = []
    for ev in sorted(evidence, key=lambda e: (-e.score, e.a, e.b)):
        if ev.score > above and ev.a not in used and ev.b not in used:
            used |= {ev.a, ev.b}
            out.append(ev)
    return out


def conformal_threshold(highest: list[Fraction], stations: int, per_1000: int, setting: str = "list_swap_per_1000"
                        ) -> Fraction | None:
    """The score a station must exceed so that an untouched station like the reference's
    (``stations`` real untouched stations, ``highest`` their highest scores, highest first) is
    flagged with chance at most ``per_1000`` / 1,000: the k-th highest, k = floor(rate x (N +
    1) / 1,000). For a new station exchangeable with the N, P(score > k-th highest of N) <=
    k / (N + 1) (a conformal bound, exact in ranks). None when N is too small for the rate
    (k = 0): the rate cannot be held, and nothing should fire. The same construction for every
    calibrated check (``setting`` names its rate in the error)."""
    k = per_1000 * (stations + 1) // 1000
    if k == 0:
        return None
    if k > len(highest):
        raise UsageError(Text(f"{setting}: hoogstens {len(highest) * 1000 // (stations + 1)} (de referentie bewaart de {len(highest)} hoogste scores)",
                              f"{setting}: at most {len(highest) * 1000 // (stations + 1)} (the reference keeps the {len(highest)} highest scores)"))
    return highest[k - 1]
