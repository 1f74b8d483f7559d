"""Corrections: a 510b published again after a later session ("volgende zitting", Model Na 14-2).

A corrected 510b is complete (every station; the ones not investigated carry their earlier
numbers) and, from EML_NL 1.3, marks each number it changed with a twin right before it: the
number before the correction. EML_NL 1.3 spells the twin ``kr:Initial*`` and means the first
session's number; rust-eml-nl (Abacus, "1.3.1") spells it ``kr:Previous*`` and means the
previous session's number. Both are read into ``Tally.initial``; with the earlier files at hand
the meaning that fits is said, not assumed (``shared/reference/abacus-2027.md`` 2.4-2.5).

What is checked, on one file: twins only in a corrigendum (CORR.NO_PHASE), an ``Initial*`` twin
only where the number changed (CORR.SAME_VALUE), each twin where the schema puts it
(CORR.MISPLACED), and the original numbers (current with the twins put back) under the same
arithmetic as the corrected ones (CORR.ORIGINAL). Given two or more versions of one count,
ordered by content (``order_versions``: phase, then creation time; never the file name): every
twin equals the earlier file, every changed number has a twin (CORR.EARLIER, CORR.UNMARKED), no
station disappears (CORR.GONE), a new one is named (CORR.NEW_UNIT). Above the municipality the
newest version must be the one used (CORR.OUTDATED, in ``aggregate.check_levels``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from osv_verify.checks import aggregate
from osv_verify.checks.registry import rule
from osv_verify.checks.tally import Context, check_tally
from osv_verify.core.findings import Finding, Severity
from osv_verify.core.model import CountFile, Level, Tally
from osv_verify.core.text import Text, count as n_of
from osv_verify.io.eml_counts import ALLOWED, KNOWN_SCHEMAS

CORRIGENDUM = "corrigendum"


def _has_twins(count: CountFile) -> bool:
    return any(t.initial for t in _tallies(count))


def _tallies(count: CountFile) -> list[Tally]:
    return ([count.total] if count.total is not None else []) + list(count.units)


def check_file(count: CountFile) -> Iterator[Finding]:
    """The checks of one count file's corrigendum marks and its other ``kr:`` notes."""
    yield from _notes(count)
    if not _has_twins(count):
        return
    if count.twin_spelling and "+" in count.twin_spelling:
        yield rule("CORR.MIXED_SPELLING").finding(aggregate.file_location(count), field="kr:Initial*/kr:Previous*",
                                                  source=count.source)
    if count.phase != CORRIGENDUM:
        n = sum(1 for t in _tallies(count) if t.initial)
        yield rule("CORR.NO_PHASE").finding(aggregate.file_location(count), field="kr:Phase", actual=count.phase or "-",
                                            units=Text(n_of(n, "eenheid", "eenheden"), n_of(n, "unit", "units")),
                                            source=count.source)
    if count.twin_spelling == "Initial":  # EML_NL 1.3: only where the number changed; rust-eml-nl's Previous* may repeat it
        for t in _tallies(count):
            now = _numbers(t)
            for key, before in t.initial.items():
                if now.get(key) == before:
                    yield rule("CORR.SAME_VALUE").finding(aggregate.file_location(count, t.id), field=key, actual=before,
                                                          source=count.source, element=t.element)
    yield from _original(count)


def _notes(count: CountFile) -> Iterator[Finding]:
    unknown: Counter[str] = Counter()
    first: dict[str, str] = {}
    for kind, element, place in count.notes:
        if kind == "misplaced":
            yield rule("CORR.MISPLACED").finding(aggregate.file_location(count), field=element, source=count.source,
                                                 element=place)
        elif kind in _SCHEMA_NOTES:
            yield rule("META.SCHEMA_VALUE").finding(aggregate.file_location(count), field=element, why=_SCHEMA_NOTES[kind](element),
                                                    source=count.source, element=place, variant="version" if kind == "version" else None)
        else:
            unknown[element] += 1
            first.setdefault(element, place)
    for element, n in sorted(unknown.items()):
        yield rule("META.UNKNOWN_ELEMENT").finding(aggregate.file_location(count), field=element, actual=n,
                                                   source=count.source, element=first[element])


def _allowed(element: str) -> Text:
    values = ", ".join(repr(v) for v in ALLOWED[element.split(" ", 1)[0].removeprefix("kr:")])
    return Text(f"het schema staat alleen {values} toe; niet gebruikt", f"the schema allows only {values}; not used")


#: Why a ``kr:`` value the reader noted is a finding (META.SCHEMA_VALUE), per kind of note.
_SCHEMA_NOTES = {
    "invalid": _allowed,
    "repeated": lambda _: Text("staat meer dan eens, het schema staat één keer toe; welke zitting het bestand is, is dus niet gebruikt",
                               "appears more than once, the schema allows it once; so which session the file is was not used"),
    "version": lambda _: Text(f"een versie die osv-verify niet kent (wel: {', '.join(KNOWN_SCHEMAS)}); gelezen als EML_NL 1.3",
                              f"a version osv-verify does not know (it does: {', '.join(KNOWN_SCHEMAS)}); read as EML_NL 1.3"),
}


def _numbers(t: Tally) -> dict[str, int]:
    """Every number of a tally by the field key the twins use (a count key, 'list 3', 'candidate 3.7')."""
    return {aggregate.field_name(k): v for k, v in aggregate.values(t, "id").items()}


def original(t: Tally) -> Tally:
    """The tally as it was before the correction: its twins put back in place of the numbers."""
    if not t.initial:
        return t
    counts, lists, candidates = dict(t.counts), dict(t.lists), dict(t.candidates)
    by_field = {f"candidate {k[0]}.{k[1] or k[2]}": k for k in candidates}
    for key, value in t.initial.items():
        if key.startswith("list "):
            lists[int(key[5:])] = value
        elif key in by_field:
            candidates[by_field[key]] = value
        else:
            counts[key] = value
    return t.model_copy(update={"counts": counts, "lists": lists, "candidates": candidates, "initial": {}})


def _original(count: CountFile) -> Iterator[Finding]:
    """CORR.ORIGINAL: the numbers before the correction break a rule the corrected ones keep.

    A session's numbers passed these same checks when they were made (Abacus refuses a PV with
    an F error), so a twin that makes them fail was written wrongly, or with another twin left
    out. Errors the corrected numbers have as well are reported once, for the corrected ones.
    """
    station = count.level in (Level.MUNICIPALITY, Level.STATION)
    before = count.model_copy(update={"total": original(count.total) if count.total else None,
                                      "units": [original(u) for u in count.units]})

    def errors(file: CountFile, tallies: list[tuple[Tally, bool]]) -> dict[tuple, Finding]:
        out: dict[tuple, Finding] = {}
        for t, is_station in tallies:
            ctx = Context(aggregate.file_location(file, t.id), file.source, t.element, is_station)
            for f in check_tally(t, ctx):
                out.setdefault((f.code, f.location, f.field), f)
        for f in aggregate.check_total(file):
            out.setdefault((f.code, f.location, f.field), f)
        return {k: f for k, f in out.items() if f.severity is Severity.ERROR}

    def marked(file: CountFile, reference: CountFile) -> list[tuple[Tally, bool]]:
        pairs = [(file.total, reference.total, False)] + [(u, r, station) for u, r in zip(file.units, reference.units)]
        return [(t, s) for t, r, s in pairs if t is not None and r is not None and r.initial]

    now = errors(count, marked(count, count))
    for key, f in errors(before, marked(before, count)).items():
        if key not in now:
            yield rule("CORR.ORIGINAL").finding(f.location, field=f.field, expected=f.expected, actual=f.actual,
                                                check=f.code, said=Text(f.message_nl, f.message_en),
                                                source=count.source, element=f.element)


# ------------------------------------------------------------------ versions of one count

_PHASE_RANK = {None: 0, "eerste zitting": 0, CORRIGENDUM: 1}


def _when(count: CountFile) -> tuple[int, dt.datetime] | None:
    """A version's place in time: its phase, then its creation time as the clock on the wall
    showed it (Abacus writes a UTC offset, OSV2020-U local time without one)."""
    if count.created is None:
        return None
    return _PHASE_RANK.get(count.phase, 1), count.created.replace(tzinfo=None)


def order_versions(counts: Sequence[CountFile]) -> list[CountFile] | None:
    """The EML versions of one count, oldest first, by what the files say (phase, then creation
    time); None when the files do not say (no creation time, or two alike), or name the authority
    differently: they are then taken as two publications of one count, and compared as such."""
    keyed = [(_when(c), c) for c in counts]
    if any(k is None for k, _ in keyed) or len({k for k, _ in keyed}) < len(keyed):
        return None
    if len({c.authority_name for c in counts if c.authority_name}) > 1:
        return None  # another municipality's name under this code: not a version of it (AGG.AUTHORITY_NAME)
    return [c for _, c in sorted(keyed, key=lambda kc: kc[0])]  # type: ignore[arg-type, return-value]


def newest_versions(counts: Sequence[CountFile]) -> list[CountFile]:
    """The counts with every earlier version of a count left out (``order_versions``), in their
    order; versions their content does not order are all kept."""
    groups: dict[tuple, list[CountFile]] = {}
    for c in counts:
        groups.setdefault((c.election.id, c.kind, c.level, c.authority_id or c.source), []).append(c)
    outdated: set[int] = set()
    for group in groups.values():
        ordered = order_versions(group) if len(group) > 1 else None
        outdated.update(id(c) for c in (ordered or [])[:-1])
    return [c for c in counts if id(c) not in outdated]


def as_original(count: CountFile) -> CountFile | None:
    """A corrigendum's original numbers (its twins put back) as a count of their own, the
    earlier version it says it replaces; None for a file without twins."""
    if not _has_twins(count):
        return None
    return count.model_copy(update={"total": original(count.total) if count.total is not None else None,
                                    "units": [original(u) for u in count.units]})


def same_download(a: str, b: str) -> bool:
    """Two sources read from one downloaded zip (the outer zip of ``zip!member``)."""
    return "!" in a and "!" in b and a.split("!", 1)[0] == b.split("!", 1)[0]


def check_earlier_publication(publication: CountFile, version: Text, newest: CountFile, replaced: bool) -> Finding:
    """CORR.EARLIER_PUBLICATION: ``publication`` equals an earlier version (``version`` names
    it), not ``newest``: an error in the download of the newest; elsewhere a warning, or only a
    notice where another publication of the newest version is at hand (``replaced``)."""
    beside = same_download(publication.source, newest.source)
    return rule("CORR.EARLIER_PUBLICATION").finding(
        aggregate.file_location(publication), publication=_published_as(publication.source) + _member(publication.source),
        version=version, newest=_published_as(newest.source) + _member(newest.source),
        beside=(Text(", in dezelfde download", ", in the same download") if beside else
                Text("; de nieuwste versie is ook als CSV gepubliceerd", "; the newest version is published as a CSV too") if replaced
                else Text("; geen CSV van de nieuwste versie bij de invoer", "; no CSV of the newest version among the inputs")),
        variant=None if beside else "replaced" if replaced else "apart", source=publication.source)


def _member(source: str) -> str:
    inner = source.rsplit("!", 1)
    return f" ({Path(inner[1]).name})" if len(inner) == 2 else ""


def earlier_versions(versions: Sequence[CountFile]) -> list[tuple[CountFile, Text]]:
    """Every earlier version of a count a publication may equal, named: the earlier files, then
    the newest file's original numbers (``as_original``)."""
    out = [(v, Text(_published_as(v.source) + _member(v.source), _published_as(v.source) + _member(v.source)))
           for v in versions[:-1]]
    before = as_original(versions[-1])
    if before is not None:
        name, spelling = _published_as(versions[-1].source), versions[-1].twin_spelling
        twins = f"kr:{spelling}*" if spelling in ("Initial", "Previous") else "kr:Initial*/kr:Previous*"
        out.append((before, Text(f"de oorspronkelijke getallen ({twins}) van {name}", f"the original numbers ({twins}) of {name}")))
    return out


@dataclass(frozen=True)
class Sessions:
    """The story of one count's versions, for the verdict: which files, in which order, what
    changed and which meaning of the original numbers fits, in plain words."""

    authority: str
    files: tuple[str, ...]  # oldest first
    story: Text
    marked: bool  # the newest marks its corrections (EML_NL 1.3), so they could be checked


def _version(count: CountFile) -> Text:
    when = count.created.strftime("%d-%m-%Y %H:%M") if count.created else "?"
    phase = {"eerste zitting": ("eerste zitting", "first session"), CORRIGENDUM: ("corrigendum", "corrigendum")}.get(
        count.phase or "", ("zitting niet genoemd", "session not named"))
    name = _published_as(count.source)
    return Text(f"{name} ({phase[0]}, {when})", f"{name} ({phase[1]}, {when})")


def _published_as(source: str) -> str:
    """The file a reader downloaded: a zip's own name for a member of it (the inner
    ``Telling_...eml.xml`` has the same name in every session), else the file's name."""
    return Path(source.split("!", 1)[0]).name


def check_versions(versions: Sequence[CountFile]) -> tuple[list[Finding], Sessions]:
    """The newest version against the earlier ones (``order_versions``, oldest first)."""
    first, previous, newest = versions[0], versions[-2], versions[-1]
    findings: list[Finding] = []
    ids_new = {u.id for u in newest.units}
    ids_old = {u.id for u in previous.units}
    for unit in sorted(ids_old - ids_new, key=str):
        findings.append(rule("CORR.GONE").finding(aggregate.file_location(newest, unit), field="unit", unit=unit,
                                                  earlier=previous.source, later=newest.source, source=newest.source))
    for unit in sorted(ids_new - ids_old, key=str):
        findings.append(rule("CORR.NEW_UNIT").finding(aggregate.file_location(newest, unit), field="unit", unit=unit,
                                                      earlier=previous.source, source=newest.source))
    changes = _changes(first, newest)
    marks = _has_twins(newest) or newest.phase == CORRIGENDUM
    fits = {name: not _mismatches(ref, newest) for name, ref in (("previous", previous), ("first", first))}
    if not marks:
        meaning = Text("het nieuwste bestand markeert geen correcties (geen kr:Phase corrigendum, geen kr:Initial*/Previous*), dus alleen de verschillen zijn vergeleken",
                       "the newest file marks no corrections (no kr:Phase corrigendum, no kr:Initial*/Previous*), so only the differences were compared")
    elif fits["previous"] and fits["first"]:
        meaning = (Text("de oorspronkelijke getallen in het nieuwste bestand zijn die van het eerdere bestand",
                        "the original numbers in the newest file are those of the earlier file") if len(versions) == 2 else
                   Text("de oorspronkelijke getallen passen bij de eerste en de vorige zitting", "the original numbers fit the first and the previous session"))
    elif fits["previous"]:
        meaning = Text("de oorspronkelijke getallen zijn die van de vorige zitting (zoals Abacus ze schrijft, kr:Previous*)",
                       "the original numbers are those of the previous session (as Abacus writes them, kr:Previous*)")
    elif fits["first"]:
        meaning = Text("de oorspronkelijke getallen zijn die van de eerste zitting (zoals EML_NL 1.3 ze bedoelt, kr:Initial*)",
                       "the original numbers are those of the first session (as EML_NL 1.3 means them, kr:Initial*)")
    else:
        own = first if newest.twin_spelling == "Initial" else previous
        hint = _gap(newest)
        meaning = Text(f"de oorspronkelijke getallen passen niet bij {_published_as(own.source)}{hint.nl}",
                       f"the original numbers do not fit {_published_as(own.source)}{hint.en}")
        for unit, key, twin, value in _mismatches(own, newest):
            where = aggregate.file_location(newest, unit)
            if twin is None:
                findings.append(rule("CORR.UNMARKED").finding(where, field=key, expected=value, actual=_numbers_of(newest, unit).get(key),
                                                              earlier=own.source, source=newest.source))
            else:
                findings.append(rule("CORR.EARLIER").finding(where, field=key, expected=value if value is not None else "-",
                                                             actual=twin, earlier=own.source, hint=hint, source=newest.source))
    numbers = sum(len(c) for c in changes.values())  # the total's changed numbers count too
    changed = sorted((u for u in changes if u is not None), key=str)
    units = len(changed)
    named = f" ({', '.join(changed[:5])}{f' +{units - 5}' if units > 5 else ''})" if changed else ""
    total = Text(f" en het totaal ({n_of(len(changes[None]), 'getal', 'getallen')})",
                 f" and the total ({n_of(len(changes[None]), 'number', 'numbers')})") if None in changes else Text("", "")
    steps = [_version(v) for v in versions]
    who = f"{newest.authority_name} ({newest.authority_id})" if newest.authority_name else newest.authority_id or "?"
    story = Text(f"{who}: {len(versions)} versies, " + " en daarna ".join(t.nl for t in steps)
                 + f"; de nieuwste verschilt van de eerste in {n_of(numbers, 'getal', 'getallen')}: "
                 + f"{n_of(units, 'eenheid', 'eenheden')}{named}{total.nl}{_gone_new(ids_old, ids_new).nl}; "
                 + f"{meaning.nl}; alleen de nieuwste is gebruikt",
                 f"{who}: {len(versions)} versions, " + " and then ".join(t.en for t in steps)
                 + f"; the newest differs from the first in {n_of(numbers, 'number', 'numbers')}: "
                 + f"{n_of(units, 'unit', 'units')}{named}{total.en}{_gone_new(ids_old, ids_new).en}; "
                 + f"{meaning.en}; only the newest is used")
    return findings, Sessions(newest.authority_id or "?", tuple(v.source for v in versions), story, marks)


def _gone_new(ids_old: set, ids_new: set) -> Text:
    """The stations gone from the newest version and the ones new in it (CORR.GONE,
    CORR.NEW_UNIT), for the story."""
    gone, new = sorted(ids_old - ids_new, key=str), sorted(ids_new - ids_old, key=str)
    nl = (f"; verdwenen: {', '.join(map(str, gone))}" if gone else "") + (f"; nieuw: {', '.join(map(str, new))}" if new else "")
    en = (f"; gone: {', '.join(map(str, gone))}" if gone else "") + (f"; new: {', '.join(map(str, new))}" if new else "")
    return Text(nl, en)


def _gap(newest: CountFile) -> Text:
    """What fitting neither the first session nor the given earlier version may mean: with
    ``kr:Previous*`` (the previous session's numbers, rust-eml-nl 1.3.1) a session between the
    given versions may be missing from the inputs (sessions 1 and 3 without 2)."""
    if newest.twin_spelling != "Previous":
        return Text("", "")
    return Text("; misschien ontbreekt een zitting daartussen (kr:Previous* geeft de getallen van de vorige zitting): geef die 510b ook",
                "; a session in between may be missing (kr:Previous* gives the previous session's numbers): give that 510b too")


def _by_id(count: CountFile) -> dict[str | None, Tally]:
    return {None: count.total, **{u.id: u for u in count.units}} if count.total else {u.id: u for u in count.units}


def _numbers_of(count: CountFile, unit: str | None) -> dict[str, int]:
    t = _by_id(count).get(unit)
    return _numbers(t) if t is not None else {}


def _changes(old: CountFile, new: CountFile) -> dict[str | None, list[str]]:
    """Per unit (None: the total), the numbers that differ between two versions."""
    out: dict[str | None, list[str]] = {}
    olds = _by_id(old)
    for unit, t in _by_id(new).items():
        if unit in olds:
            a, b = _numbers(olds[unit]), _numbers(t)
            diff = [k for k in a.keys() | b.keys() if a.get(k) != b.get(k)]
            if diff:
                out[unit] = sorted(diff)
    return out


def _mismatches(reference: CountFile, newest: CountFile) -> list[tuple[str | None, str, int | None, int | None]]:
    """(unit, field, twin, the reference's number) where the newest file's marks do not fit
    ``reference``: a twin that is not its number, or a number that changed without a twin."""
    out = []
    refs = _by_id(reference)
    for unit, t in _by_id(newest).items():
        if unit not in refs:
            continue  # a new station: nothing earlier to compare (CORR.NEW_UNIT)
        then, now = _numbers(refs[unit]), _numbers(t)
        for key in sorted(then.keys() | now.keys() | t.initial.keys()):
            twin = t.initial.get(key)
            if twin is not None and twin != then.get(key):
                out.append((unit, key, twin, then.get(key)))
            elif twin is None and key in then and key in now and then[key] != now[key]:
                out.append((unit, key, None, then[key]))
    return out
