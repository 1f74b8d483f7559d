"""Double entry ("vier ogen"): compare two entries of the same proces-verbaal, field by field.

Following the Kiesraad's double-entry rules, any inequality is a difference (no tolerance).
A number filled in on one side and empty on the other is reported as *not filled in*, never
as a difference with 0. Each side is also checked on its own with the PV checks of
``verify``: two entries that agree on a wrong total are still wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from osv_verify.checks.aggregate import differences, field_name, file_location
from osv_verify.checks.registry import rule
from osv_verify.findings import Finding, Location, Severity
from osv_verify.identity import same_count
from osv_verify.model import CountFile, Tally
from osv_verify.verify import ElectionData, _check_count


@dataclass
class Comparison:
    a: CountFile
    b: CountFile
    findings: list[Finding] = field(default_factory=list)
    units_compared: int = 0
    units_identical: int = 0
    units_different: int = 0
    fields_different: int = 0

    @property
    def agree(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def summary(self) -> dict[str, object]:
        return {
            "a": self.a.source,
            "b": self.b.source,
            "units_compared": self.units_compared,
            "units_identical": self.units_identical,
            "units_with_differences": self.units_different,
            "fields_with_differences": self.fields_different,
            "errors": sum(f.severity is Severity.ERROR for f in self.findings),
            "warnings": sum(f.severity is Severity.WARNING for f in self.findings),
        }


def _name(count_a: CountFile, count_b: CountFile, key: tuple) -> str:
    """' (list name)' or ' (candidate name)' as on the paper PV, when either side knows it."""
    kind, value = key
    if kind == "list":
        name = count_a.list_names.get(value) or count_b.list_names.get(value)  # type: ignore[arg-type]
    elif kind == "candidate":
        lst, cand = value
        names = {**count_b.candidate_names, **count_a.candidate_names}
        name = next((n for k, n in names.items() if k[0] == lst and cand in (k[1], k[2])), None)
    else:
        name = None
    return f" ({name})" if name else ""


def _compare_tallies(a: CountFile, b: CountFile, ta: Tally, tb: Tally, where: Location) -> Iterator[Finding]:
    empty_a: list[str] = []
    empty_b: list[str] = []
    for d in differences(ta, tb):
        key = field_name(d.key)
        if d.a is None:
            empty_a.append(key)
        elif d.b is None:
            empty_b.append(key)
        else:
            loc = where
            if d.key[0] == "list":
                loc = Location(**{**where.__dict__, "list": d.key[1]})
            elif d.key[0] == "candidate":
                loc = Location(**{**where.__dict__, "list": d.key[1][0], "candidate": str(d.key[1][1])})
            yield rule("DOUBLE.DIFFERENT").finding(loc, field=key, expected=d.a, actual=d.b, name=_name(a, b, d.key),
                                                   source=b.source, element=tb.element)
    for side, keys, count in (("A", empty_a, a), ("B", empty_b, b)):
        if keys:
            yield rule("DOUBLE.EMPTY").finding(where, field=f"{len(keys)} fields", side=side,
                                               fields=", ".join(keys[:12]) + (f" (+{len(keys) - 12})" if len(keys) > 12 else ""),
                                               source=count.source)


def _same_count(a: CountFile, b: CountFile) -> Iterator[Finding]:
    """Are A and B entries of one count? Decided by content (``identity.same_count``); ids
    that only differ in spelling are an info finding, not a different count."""
    where = Location(election=a.election.id, authority=a.authority_id)
    if same_count(a, b):
        if a.election.id != b.election.id:
            yield rule("META.ELECTION_ID").finding(where, field="election", expected=a.election.id,
                                                   actual=b.election.id, first=a.source, second=b.source,
                                                   source=b.source)
        return
    for what, va, vb in (("election", a.election.id, b.election.id), ("authority", a.authority_id, b.authority_id)):
        if va and vb and va != vb:
            yield rule("DOUBLE.OTHER_COUNT").finding(where, field=what, expected=va, actual=vb, source=b.source)


def compare(a: CountFile, b: CountFile) -> Comparison:
    result = Comparison(a, b)
    result.findings.extend(_same_count(a, b))
    units_a = {u.id: u for u in a.units}
    units_b = {u.id: u for u in b.units}
    for uid in sorted(units_a.keys() ^ units_b.keys(), key=str):
        present = a.source if uid in units_a else b.source
        result.findings.append(rule("DOUBLE.UNIT_MISSING").finding(
            file_location(a, uid), field="unit", unit=uid, present=present, source=present))
    pairs = [(None, a.total, b.total)] + [(uid, units_a[uid], units_b[uid]) for uid in units_a if uid in units_b]
    for uid, ta, tb in pairs:
        if ta is None or tb is None:
            continue
        found = list(_compare_tallies(a, b, ta, tb, file_location(a, uid)))
        result.findings.extend(found)
        if uid is not None:
            result.units_compared += 1
            if found:
                result.units_different += 1
            else:
                result.units_identical += 1
        result.fields_different += sum(f.code == "DOUBLE.DIFFERENT" for f in found)
    for side in (a, b):
        result.findings.extend(_check_count(side, ElectionData(id=side.election.id)))
    result.findings.sort(key=Finding.sort_key)
    return result
