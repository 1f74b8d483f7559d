"""The ballot (lists, candidates, and the weights their votes are drawn with) and ``PV``, the
numbers of one proces-verbaal as the generator handles them before they become a ``Tally``."""

from __future__ import annotations

import itertools
import operator
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from osv_verify.core.model import Candidate, CandidateKey, PartyList, Tally
from osv_verify.devtools.synth.names import FIRST_F, FIRST_M, LAST, PARTIES, PREFIXED, PREFIXES


@dataclass
class PV:
    """One proces-verbaal's numbers: counts, list totals, candidate votes (flattened)."""

    counts: dict[str, int]
    lists: dict[int, int]
    vec: list[int]

    def copy(self) -> PV:
        return PV(dict(self.counts), dict(self.lists), list(self.vec))

    def tally(self, keys: Sequence[CandidateKey], *, tid: str | None = None, name: str | None = None,
              drop: frozenset[str] = frozenset()) -> Tally:
        """The model's ``Tally`` of these numbers, candidates keyed by ``keys``, without the counts in ``drop``."""
        counts = {k: v for k, v in self.counts.items() if k not in drop}
        return Tally.model_construct(id=tid, name=name, counts=counts, lists=dict(self.lists),
                                     candidates=dict(zip(keys, self.vec)), investigations={}, element=None)


def sum_pvs(pvs: Iterable[PV], n: int) -> PV:
    counts: dict[str, int] = {}
    lists: dict[int, int] = {}
    vec = [0] * n
    for pv in pvs:
        for k, v in pv.counts.items():
            counts[k] = counts.get(k, 0) + v
        for k, v in pv.lists.items():
            lists[k] = lists.get(k, 0) + v
        vec = list(map(operator.add, vec, pv.vec))
    return PV(counts, lists, vec)


def ballots_found(t: Tally) -> int:
    c = t.counts
    return c["valid"] + c["blank"] + c["invalid"]


@dataclass
class Ballot:
    lists: list[PartyList]
    offsets: list[int]  # start of each list's candidates in the flattened vector
    sizes: list[int]
    n: int
    keys_pos: list[CandidateKey]  # (list, position, None): 510b, 510c
    keys_unit: list[CandidateKey]  # (list, position, ShortCode): units of a TK 510d
    keys_code: list[CandidateKey]  # (list, None, ShortCode): the TK 510d total
    weights: list[float]  # candidate weights, each list's summing to 1
    shares: list[float]  # national list shares

    def list_totals(self, vec: Sequence[int]) -> dict[int, int]:
        return {pl.number: sum(vec[o:o + k]) for pl, o, k in zip(self.lists, self.offsets, self.sizes)}

    def names(self) -> dict[CandidateKey, str]:
        out: dict[CandidateKey, str] = {}
        for pl in self.lists:
            for c in pl.candidates:
                out[(pl.number, str(c.number), None)] = c.display_name
        return out


def make_ballot(rng: random.Random, category: str, n_lists: int, n_candidates: int, places: Sequence[str]) -> Ballot:
    party_names = list(PARTIES)
    rng.shuffle(party_names)
    if n_lists > len(party_names):
        party_names += [f"Lijst {i}" for i in range(len(party_names) + 1, n_lists + 1)]
    codes: set[str] = set()
    lists: list[PartyList] = []
    weights: list[float] = []
    tk = category == "TK"
    for number in range(1, n_lists + 1):
        cands = [_candidate(rng, pos, tk, codes, places) for pos in range(1, n_candidates + 1)]
        lists.append(PartyList(
            number=number, name=party_names[number - 1],
            type="stel gelijkluidende lijsten" if tk else "op zichzelf staande lijst",
            set_number=str(number) if tk else None, candidates=tuple(cands),
        ))
        weights += _candidate_weights(rng, n_candidates, tk)
    raw = [rng.lognormvariate(0, 0.4) / (i + 1) ** (1.2 if tk else 0.45) for i in range(n_lists)]
    total = sum(raw)
    shares = [x / total for x in raw]
    sizes = [n_candidates] * n_lists
    offsets = list(itertools.accumulate([0] + sizes[:-1]))
    keys_pos = [(pl.number, str(c.number), None) for pl in lists for c in pl.candidates]
    keys_unit = [(pl.number, str(c.number), c.short_code) for pl in lists for c in pl.candidates]
    keys_code = [(pl.number, None, c.short_code) for pl in lists for c in pl.candidates]
    return Ballot(lists, offsets, sizes, len(keys_pos), keys_pos, keys_unit, keys_code, weights, shares)


def _candidate(rng: random.Random, pos: int, tk: bool, codes: set[str], places: Sequence[str]) -> Candidate:
    """An invented candidate; for TK with a ShortCode not in ``codes`` (added to it)."""
    female = rng.random() < 0.45
    first = rng.choice(FIRST_F if female else FIRST_M)
    initials = first[0] + "." + "".join(rng.choice("ABCDEGHJKLMNPRSTW") + "." for _ in range(rng.choice((0, 0, 1, 2))))
    if rng.random() < 0.3:
        last, prefix = rng.choice(PREFIXED), rng.choice(PREFIXES)
    else:
        last, prefix = rng.choice(LAST), None
    short = None
    if tk:
        base = re.sub(r"[^A-Za-zÀ-ÿığşçĞŞİ]", "", last)[:12] + initials.replace(".", "")
        short, i = base, 1
        while short in codes:
            i += 1
            short = f"{base}{i}"
        codes.add(short)
    return Candidate(number=pos, short_code=short, initials=initials, first_name=first, prefix=prefix,
                     last_name=last, gender="female" if female else "male", locality=rng.choice(places))


def _candidate_weights(rng: random.Random, n: int, tk: bool) -> list[float]:
    """One list's candidate weights, summing to 1: skewed to the list leader, sometimes a
    popular candidate further down."""
    w = [rng.lognormvariate(0, 0.5 if tk else 0.4) / (j + 1) ** (1.3 if tk else 1.2) for j in range(n)]
    w[0] *= rng.uniform(10, 50) if tk else rng.uniform(1.5, 3.0)
    if n > 3 and rng.random() < 0.2:  # a popular candidate further down the list
        w[rng.randrange(2, n)] *= rng.uniform(2, 4)
    s = sum(w)
    return [x / s for x in w]
