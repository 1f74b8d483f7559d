"""The 510a-d count writer: ``Cast`` is the number of eligible voters, ``TotalCounted`` the sum
of the list totals, ``RejectedVotes`` ``ongeldig`` then ``blanco``, ``UncountedVotes`` in OSV's
order (``UNCOUNTED_ORDER``); only the counts a ``Tally`` has are written (absent stays absent).

A count the EML format cannot carry (``ballots_found``, which only the OSV CSV prints) is a
``ValueError`` unless ``skip_unwritable=True``.

510 files can be large (a national set is 1-2 GB); ``iter_count`` yields the file in chunks
(one reporting unit at a time) so it can be streamed to disk, and the vote groups are written
from one cached template per ballot shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import IO

from osv_verify.core.model import CandidateKey, CountFile, Tally
from osv_verify.devtools.eml_write import contest_identifier, count_text, election_identifier, element, header, text
from osv_verify.io.eml_common import REJECTED_REASONS, UNCOUNTED_REASONS

#: model key -> ReasonCode, in the order the published files give them.
REJECTED_ORDER: tuple[tuple[str, str], ...] = (("invalid", "ongeldig"), ("blank", "blanco"))
UNCOUNTED_ORDER: tuple[tuple[str, str], ...] = tuple(
    (UNCOUNTED_REASONS[code], code)
    for code in (
        "geldige stempassen",
        "geldige volmachtbewijzen",
        "geldige kiezerspassen",
        "toegelaten kiezers",
        "meer getelde stembiljetten",
        "minder getelde stembiljetten",
        "meegenomen stembiljetten",
        "te weinig uitgereikte stembiljetten",
        "te veel uitgereikte stembiljetten",
        "geen verklaring",
        "andere verklaring",
        "kwijtgeraakte stembiljetten",
        "te veel briefstembiljetten",
        "geen briefstembiljetten",
    )
)
WRITABLE_COUNTS = frozenset({"eligible", "valid"} | set(REJECTED_REASONS.values()) | set(UNCOUNTED_REASONS.values()))
assert len(UNCOUNTED_ORDER) == len(UNCOUNTED_REASONS)

_Plan = tuple[bytes, list[tuple[int, object]]]
_Shape = tuple[tuple[tuple[int, str], ...], tuple[int, ...], tuple[CandidateKey, ...]]
#: Templates of the last few shapes, shared by all files (a national set has hundreds of files
#: with the same ballot).
_PLANS: dict[_Shape, _Plan] = {}
_MAX_PLANS = 16


class _VoteWriter:
    """Writes vote groups; caches one ``%``-template per shape of selections, so a national
    file with millions of candidate counts costs one C-level formatting call per unit."""

    def __init__(self, list_names: Mapping[int, str], skip_unwritable: bool) -> None:
        self.list_names = list_names
        self.names_key = tuple(list_names.items())
        self.skip_unwritable = skip_unwritable
        self._last: tuple[tuple[int, ...], tuple[CandidateKey, ...]] | None = None
        self._plan: _Plan | None = None

    def _make_plan(self, lkeys: tuple[int, ...], ckeys: tuple[CandidateKey, ...]) -> tuple[str, list[tuple[int, object]]]:
        by_list: dict[int, list[int]] = {n: [] for n in lkeys}
        for i, key in enumerate(ckeys):
            if key[0] not in by_list:
                raise ValueError(f"candidate {key} has votes but list {key[0]} has no total in this unit")
            if key[1] is None and key[2] is None:
                raise ValueError(f"candidate {key} has neither a position nor a ShortCode")
            by_list[key[0]].append(i)
        parts: list[str] = []
        plan: list[tuple[int, object]] = []
        for n in sorted(lkeys):
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise ValueError(f"list number {n!r} is not a whole non-negative number")
            name = self.list_names.get(n)
            ident = element("AffiliationIdentifier", element("RegisteredName", text(name) if name else None), Id=n)
            parts.append(f"<Selection>{ident}<ValidVotes>\0</ValidVotes></Selection>")
            for i in by_list[n]:
                _, cid, code = ckeys[i]
                cand = element("Candidate", element("CandidateIdentifier", None, Id=cid, ShortCode=code))
                parts.append(f"<Selection>{cand}<ValidVotes>\0</ValidVotes></Selection>")
            idx = by_list[n]
            if idx and idx == list(range(idx[0], idx[0] + len(idx))):
                plan.append((n, slice(idx[0], idx[0] + len(idx))))
            else:
                plan.append((n, tuple(idx)))
        template = "".join(parts).replace("%", "%%").replace("\0", "%d").encode("utf-8")
        return template, plan

    def selections(self, t: Tally) -> bytes:
        lkeys, ckeys = tuple(t.lists), tuple(t.candidates)
        sig = (lkeys, ckeys)
        if self._last is None or self._last != sig:
            shape = (self.names_key, lkeys, ckeys)
            plan = _PLANS.get(shape)
            if plan is None:
                if len(_PLANS) >= _MAX_PLANS:
                    _PLANS.pop(next(iter(_PLANS)))
                plan = _PLANS[shape] = self._make_plan(lkeys, ckeys)
            self._last, self._plan = sig, plan
        template, plan_ = self._plan  # type: ignore[misc]
        lists = t.lists
        cv = list(t.candidates.values())
        values: list[int] = []
        for n, where in plan_:
            values.append(lists[n])
            if isinstance(where, slice):
                values.extend(cv[where])
            else:
                values.extend(cv[i] for i in where)  # type: ignore[attr-defined]
        if values:
            if set(map(type, values)) != {int}:
                bad = next(v for v in values if type(v) is not int)
                raise ValueError(f"unit {t.id or 'total'}: {bad!r} is not a count")
            for v in (min(values), max(values)):
                count_text(v, f"unit {t.id or 'total'}")
        return template % tuple(values)

    def counts(self, t: Tally) -> bytes:
        c = t.counts
        unknown = set(c) - WRITABLE_COUNTS
        if unknown and not self.skip_unwritable:
            raise ValueError(f"unit {t.id or 'total'}: EML cannot carry {', '.join(sorted(unknown))}")
        parts = []
        if "eligible" in c:
            parts.append(f"<Cast>{count_text(c['eligible'], 'Cast')}</Cast>")
        if "valid" in c:
            parts.append(f"<TotalCounted>{count_text(c['valid'], 'TotalCounted')}</TotalCounted>")
        for key, code in REJECTED_ORDER:
            if key in c:
                parts.append(f'<RejectedVotes ReasonCode="{code}">{count_text(c[key], code)}</RejectedVotes>')
        for key, code in UNCOUNTED_ORDER:
            if key in c:
                parts.append(f'<UncountedVotes ReasonCode="{code}">{count_text(c[key], code)}</UncountedVotes>')
        if t.investigations:
            parts.append(
                "<kr:ReportingUnitInvestigations>"
                + "".join(
                    element("kr:Investigation", "true" if v else "false", ReasonCode=k) for k, v in t.investigations.items()
                )
                + "</kr:ReportingUnitInvestigations>"
            )
        return "".join(parts).encode("utf-8")

    def group(self, tag: str, t: Tally, *, unit: bool) -> bytes:
        ident = ""
        if unit or t.id is not None or t.name is not None:
            if unit and not t.id:
                raise ValueError("a reporting unit needs an Id")
            ident = element("ReportingUnitIdentifier", text(t.name) if t.name else None, Id=t.id)
        return b"".join((f"<{tag}>{ident}".encode("utf-8"), self.selections(t), self.counts(t), f"</{tag}>".encode()))


def iter_count(
    count: CountFile,
    units: Iterable[Tally] | None = None,
    *,
    total: Tally | None = None,
    skip_unwritable: bool = False,
) -> Iterator[bytes]:
    """A 510a/b/c/d file as UTF-8 chunks: the header, the total, then one chunk per unit.

    ``units`` and ``total`` default to ``count.units`` and ``count.total``; pass a generator
    to stream units that are never all in memory. ``count.kind`` gives the message id.
    """
    if count.kind not in ("510a", "510b", "510c", "510d"):
        raise ValueError(f"kind {count.kind!r} is not a 510 count")
    total = count.total if total is None else total
    units = count.units if units is None else units
    w = _VoteWriter(count.list_names, skip_unwritable)
    head = header(count.kind, count.authority_id, count.authority_name, count.created,
                   schema_version=count.schema_version)
    phase = element("kr:Phase", None, PhaseCode=count.phase) if count.phase is not None else ""
    head += (
        f"<Count><EventIdentifier></EventIdentifier>{phase}<Election>{election_identifier(count.election)}"
        f"<Contests><Contest>{contest_identifier(count.contest_id, count.contest_name)}"
    )
    yield head.encode("utf-8")
    if total is not None:
        yield w.group("TotalVotes", total, unit=False)
    for u in units:
        yield w.group("ReportingUnitVotes", u, unit=True)
    yield b"</Contest></Contests></Election></Count></EML>"


def write_count(count: CountFile, *, skip_unwritable: bool = False) -> bytes:
    """A 510a/b/c/d file (``count.kind``) in the published canonical style."""
    return b"".join(iter_count(count, skip_unwritable=skip_unwritable))


def write_count_to(stream: IO[bytes], count: CountFile, units: Iterable[Tally] | None = None, **kw: object) -> int:
    """Stream a 510 file to ``stream``; returns the number of bytes written."""
    n = 0
    for chunk in iter_count(count, units, **kw):  # type: ignore[arg-type]
        stream.write(chunk)
        n += len(chunk)
    return n

