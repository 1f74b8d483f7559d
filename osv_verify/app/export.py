"""The tidy export: every published number as one row (``osv-verify export``, ``osv_verify.export``).

One row per number: a count of a proces-verbaal (``kind`` ``count``: eligible, admitted, blank,
...), a list total (``list``) or a candidate's votes (``candidate``), with where it was counted
and the file it was read from. A number a file does not give is no row at all, never 0.

Streaming: count files are read one at a time (as ``osv_verify.app.verify`` does) and their rows
are yielded as they are produced (``osv_verify.report.export_writer`` writes them as CSV or JSON), so a national set exports in the memory of its largest
file. Only the small documents (230b candidate lists, 110b polling stations) are kept whole,
for the names and postcodes.

One publication per count: when the same count is given twice (the EML 510 and its OSV CSV:
same level, same authority), the rows come from the first (the EML); the other is listed in
``Export.not_exported``, and read only to name the candidates when nothing else names them.
``osv-verify verify`` checks that both publications agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from osv_verify.app.counts import publications
from osv_verify.io.numbers import ascii_digits
from osv_verify.core.errors import InputError
from osv_verify.core.postcode import split_station_name
from osv_verify.io.discover import Entry, discover, load
from osv_verify.core.model import COUNT_FIELDS, CandidateKey, CandidateLists, CountFile, PollingStations, Tally

_COUNT_ORDER = {f.key: i for i, f in enumerate(COUNT_FIELDS)}


class Row(NamedTuple):
    """One published number. ``level`` is the level of the count (``stembureau`` for a
    station's PV, ``gemeente`` for a municipality's total, ...); ``unit`` the reporting unit id
    (``0668::SB1``), or the authority's own code for a file's total."""

    election: str
    level: str
    authority: str | None
    unit: str | None
    unit_name: str | None
    postcode: str | None
    kind: Literal["count", "list", "candidate"]
    field: str  # the count key (eligible, blank, ...), "list 3" or "candidate 3.7" (as in findings)
    list: int | None
    list_name: str | None
    candidate: str | None  # position on the list, or the ShortCode where a file has no position
    candidate_name: str | None
    value: int
    source: str


COLUMNS: tuple[str, ...] = Row._fields


@dataclass
class Names:
    """Names and postcodes from the small documents of one election (230b, 110b)."""

    lists: dict[tuple[str | None, int], str] = field(default_factory=dict)  # (contest, list) -> name
    candidates: dict[tuple[str | None, int, str], str] = field(default_factory=dict)  # (contest, list, position or code)
    stations: dict[tuple[str | None, str], tuple[str, str | None]] = field(default_factory=dict)  # (authority, SBn) -> name, postcode
    contests: set[str | None] = field(default_factory=set)
    named_contests: set[str | None] = field(default_factory=set)  # contests whose 230b names candidates

    def add_lists(self, doc: CandidateLists) -> None:
        self.contests.add(doc.contest_id)
        for pl in doc.lists:
            if pl.name:
                self.lists[(doc.contest_id, pl.number)] = pl.name
            for c in pl.candidates:
                for key in (str(c.number) if c.number is not None else None, c.short_code):
                    if key:
                        self.candidates[(doc.contest_id, pl.number, key)] = c.display_name
                        self.named_contests.add(doc.contest_id)

    def add_stations(self, doc: PollingStations) -> None:
        for s in doc.stations:
            self.stations[(doc.authority_id, f"SB{s.number}")] = (s.name, s.postcode)

    def contest(self, count: CountFile) -> str | None:
        """The 230b contest whose names apply to ``count``: its own, or the only one there is."""
        if count.contest_id in self.contests or len(self.contests) != 1:
            return count.contest_id
        return next(iter(self.contests))


@dataclass
class Export:
    """What an export run met besides its rows: input errors, files not exported."""

    input_errors: list[InputError] = field(default_factory=list)
    not_exported: list[tuple[str, str]] = field(default_factory=list)  # (file, the file whose numbers were exported)
    skipped: list[str] = field(default_factory=list)  # not election files
    rows: int = 0


def rows(paths: Iterable[str | Path], run: Export | None = None,
         progress: Callable[[str], None] | None = None) -> Iterator[Row]:
    """Every number in the count files below ``paths``, one ``Row`` each, file by file.

    Input errors do not stop the export: they are collected in ``run.input_errors`` (pass an
    ``Export`` to see them) and the other files are exported.
    """
    run = run if run is not None else Export()
    inventory = discover(paths)
    run.input_errors.extend(inventory.problems)
    run.skipped.extend(s.name for s in inventory.skipped)
    for eid, entries in inventory.elections().items():
        for row in _election_rows(eid, entries, run, progress):
            run.rows += 1
            yield row


def _load(entry: Entry, run: Export, progress: Callable[[str], None] | None) -> object | None:
    if progress:
        progress(entry.source.name)
    try:
        return load(entry)
    except InputError as err:
        run.input_errors.append(err)
        return None


def _election_rows(eid: str, entries: list[Entry], run: Export, progress: Callable[[str], None] | None) -> Iterator[Row]:
    names = Names()
    for entry in entries:
        if entry.kind in ("230b", "110b"):
            doc = _load(entry, run, progress)
            if isinstance(doc, CandidateLists):
                names.add_lists(doc)
            elif isinstance(doc, PollingStations):
                names.add_stations(doc)
    for group in publications(entries):  # verify's rule for "the same count, published twice"
        pending = iter(sorted(group, key=lambda e: e.kind == "osv4-3"))  # EML first
        first = next((d for e in pending if isinstance(d := _load(e, run, progress), CountFile)), None)
        if first is None:
            continue
        rest = list(pending)  # the other publications of this count
        others = []
        if rest and not first.candidate_names and names.contest(first) not in names.named_contests:
            # the other publication (an OSV CSV) is read only for the candidate names it may give
            others = [d for e in rest if isinstance(d := _load(e, run, progress), CountFile)]
        run.not_exported.extend((e.source.name, first.source) for e in rest)
        yield from count_rows(eid, first, names, others=others)


def count_rows(eid: str, count: CountFile, names: Names | None = None, others: Iterable[CountFile] = ()) -> Iterator[Row]:
    """The rows of one count file: its total, then each reporting unit in file order."""
    names = names or Names()
    contest = names.contest(count)
    list_names = {n: name for (c, n), name in names.lists.items() if c == contest}
    cand_names: dict[CandidateKey, str] = {}
    for doc in (*others, count):  # the exported file's own names win
        list_names.update(doc.list_names)
        cand_names.update(doc.candidate_names)

    def candidate_name(key: CandidateKey) -> str | None:
        lst, pos, code = key
        if key in cand_names:
            return cand_names[key]
        return next((names.candidates[(contest, lst, k)] for k in (pos, code) if k and (contest, lst, k) in names.candidates), None)

    tallies = ([(count.total, count.level.value, count.authority_id)] if count.total is not None else [])
    tallies += [(u, count.unit_level.value, u.id) for u in count.units]
    # the columns that depend only on the list or candidate, worked out once per file, in row order
    list_keys: set[int] = set()
    cand_keys: set[CandidateKey] = set()
    for tally, _, _ in tallies:
        list_keys.update(tally.lists)
        cand_keys.update(tally.candidates)
    lists = [(n, (f"list {n}", n, list_names.get(n), None, None)) for n in sorted(list_keys)]
    candidates = [(key, (f"candidate {key[0]}.{key[1] or key[2]}", key[0], list_names.get(key[0]), key[1] or key[2],
                         candidate_name(key))) for key in sorted(cand_keys, key=_candidate_order)]
    for tally, level, unit in tallies:
        unit_name, postcode = _unit_name(count, tally, names)
        head = (eid, level, count.authority_id, unit, unit_name, postcode)
        for key in sorted(tally.counts, key=lambda k: (_COUNT_ORDER.get(k, len(_COUNT_ORDER)), k)):
            yield Row(*head, "count", key, None, None, None, None, tally.counts[key], count.source)
        for n, described in lists:
            if n in tally.lists:
                yield Row(*head, "list", *described, tally.lists[n], count.source)
        for key, described in candidates:
            if key in tally.candidates:
                yield Row(*head, "candidate", *described, tally.candidates[key], count.source)


def _candidate_order(key: CandidateKey) -> tuple[int, int, str]:
    lst, pos, code = key
    return (lst, int(pos) if ascii_digits(pos) else 1 << 30, pos or code or "")


def _unit_name(count: CountFile, tally: Tally, names: Names) -> tuple[str | None, str | None]:
    """The unit's name without the ``Stembureau`` prefix and ``(postcode: ...)`` suffix an EML
    510 adds, and its postcode (from that suffix, or from the 110b)."""
    if tally is count.total:
        return count.authority_name, None
    name, postcode = tally.name, None
    if name:
        bare, postcode = split_station_name(name, at_end=True)
        if bare != name:  # the name ended in "(postcode: ...)"
            name = bare.removeprefix("Stembureau ")
    known = names.stations.get((count.authority_id, tally.code or ""))
    if known is not None:
        name = name or known[0] or None
        postcode = postcode or known[1]
    return name or None, postcode
