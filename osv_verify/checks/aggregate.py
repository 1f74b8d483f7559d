"""Aggregation: a total equals the sum of its units, and each level equals the level above.

Long because it holds every rule of adding up, inside a file and across levels and
publications, and they share the field keys and the comparison of two tallies.

Candidates are matched by what both sides carry: the list position (``Id``) where every
candidate on both sides has one, else the ``ShortCode`` (national totals of TK/EK/PS2 give
only that; positions differ per kieskring there, so a ShortCode identifies the person).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from operator import itemgetter

from osv_verify.core import text as i18n
from osv_verify.core.text import Text
from osv_verify.checks.registry import rule
from osv_verify.checks.rule import PartKey
from osv_verify.checks.tally import check_station_eligible
from osv_verify.core.findings import Finding, Location
from osv_verify.core.identity import MUNICIPAL
from osv_verify.core.model import CandidateKey, CountFile, Definition, Level, Tally

#: "list 3" / "candidate 3.7" / a count key: the fields two tallies are compared on.
FieldKey = tuple[str, object]

_POSITION, _SHORT_CODE = itemgetter(1), itemgetter(2)


def _candidate_basis(*tallies: Tally) -> str | None:
    """'id' if every candidate in every tally has a position, else 'code' if all have a
    ShortCode, else None (not comparable)."""
    if not any(None in map(_POSITION, t.candidates) for t in tallies):  # in C: millions of keys nationally
        return "id"
    if not any(None in map(_SHORT_CODE, t.candidates) for t in tallies):
        return "code"
    return None


def candidate_view(t: Tally, basis: str) -> dict[tuple[int, str], int]:
    i = 1 if basis == "id" else 2
    return {(k[0], k[i]): v for k, v in t.candidates.items()}  # type: ignore[misc]


def field_name(key: FieldKey) -> str:
    """The stable field key of a finding: a count key, "list 3" or "candidate 3.7"."""
    kind, value = key
    if kind == "count":
        return str(value)
    if kind == "list":
        return f"list {value}"
    lst, cand = value  # type: ignore[misc]
    return f"candidate {lst}.{cand}"


def values(t: Tally, basis: str | None) -> dict[FieldKey, int]:
    """Every number of a tally under a comparable key."""
    out: dict[FieldKey, int] = {("count", k): v for k, v in t.counts.items()}
    out.update({("list", k): v for k, v in t.lists.items()})
    if basis is not None:
        out.update({("candidate", k): v for k, v in candidate_view(t, basis).items()})
    return out


def _loc_for(key: FieldKey, base: Location) -> Location:
    kind, value = key
    if kind == "list":
        return Location(**{**base.__dict__, "list": value})
    if kind == "candidate":
        lst, cand = value  # type: ignore[misc]
        return Location(**{**base.__dict__, "list": lst, "candidate": str(cand)})
    return base


@dataclass(frozen=True)
class Difference:
    key: FieldKey
    a: int | None  # None: absent on that side
    b: int | None


def differences(a: Tally, b: Tally) -> list[Difference]:
    """Field-level differences between two tallies of the same PV; absent on one side is
    reported with ``None`` (not comparable), never as a difference with 0."""
    basis = _candidate_basis(a, b)
    va, vb = values(a, basis), values(b, basis)
    # H is derived (E + F + G); only the OSV CSV prints it. Where one side lacks it, nothing
    # is missing: TALLY.BALLOTS_FOUND checks it against E + F + G on the side that has it.
    h = ("count", "ballots_found")
    if (h in va) != (h in vb):
        va.pop(h, None)
        vb.pop(h, None)
    out = [Difference(k, va.get(k), vb.get(k)) for k in va.keys() | vb.keys() if va.get(k) != vb.get(k)]
    return sorted(out, key=lambda d: (("count", "list", "candidate").index(d.key[0]), str(d.key[1])))


UNIT_WORDS = {
    Level.STATION: ("polling stations", "stembureaus"),
    Level.MUNICIPALITY: ("municipalities", "gemeenten"),
    Level.DISTRICT: ("electoral districts", "kieskringen"),
}


def _units_words(level: Level, n: int, leaving_out: str | None = None, twice: str | None = None) -> Text:
    """"the 23 polling stations" in Dutch and English, for AGG.TOTAL messages."""
    en, nl = UNIT_WORDS.get(level, ("units", "eenheden"))
    if leaving_out:
        return Text(f"{n} {nl} behalve {leaving_out}", f"{n} {en} other than {leaving_out}")
    if twice:
        return Text(f"{n} {nl}, met {twice} dubbel", f"{n} {en}, with {twice} twice")
    return Text(f"{n} {nl}", f"{n} {en}")


def file_location(count: CountFile, unit: str | None = None) -> Location:
    return Location(election=count.election.id, contest=count.contest_id, authority=count.authority_id, unit=unit)


def check_duplicates(count: CountFile) -> Iterator[Finding]:
    for unit, n in sorted(Counter(u.id for u in count.units).items()):
        if n > 1:
            yield rule("AGG.DUPLICATE_UNIT").finding(file_location(count, unit), field="unit", actual=n, unit=unit,
                                                    source=count.source)


def check_total(count: CountFile) -> Iterator[Finding]:
    """AGG.TOTAL: every number of the total equals the sum over the units that give it."""
    total, units = count.total, count.units
    if total is None or not units:
        return
    basis = _candidate_basis(total, *units)
    wanted = values(total, basis)
    expected, missing = _sum_units(units, basis, wanted, ballots_differ=count.level is Level.CENTRAL)
    where = file_location(count)
    words = _units_words(count.unit_level, len(units))
    off: dict[FieldKey, tuple[int, int]] = {}
    for key, n in sorted(expected.items(), key=lambda kv: _order(kv[0])):
        if key in missing:
            continue
        if key == ("count", "eligible") and count.unit_level is Level.STATION and n == 0 and wanted[key]:
            yield rule("AGG.NOT_COMPARABLE").finding(
                where, field=field_name(key), source=count.source,
                why=Text("elk stembureau geeft 0 kiesgerechtigden (OSV schrijft 0 als het onbekend is)",
                         "every station gives 0 eligible voters (OSV writes 0 when unknown)"))
            continue
        if wanted[key] != n:
            off[key] = (n, wanted[key])
    explained = _one_unit(count, basis, off)
    if explained is not None:
        how, unit = explained
        vu = values(unit, basis)
        sign = -1 if how == "twice" else 1
        rest = {k: (n - sign * vu.get(k, 0), actual) for k, (n, actual) in off.items() if n - sign * vu.get(k, 0) != actual}
        if how != "duplicate":
            yield rule("AGG.UNIT_LEFT_OUT" if how == "left out" else "AGG.UNIT_TWICE").finding(
                file_location(count, unit.id), field="unit", unit=unit.id, actual=len(off) - len(rest),
                source=count.source, element=total.element)
        # what the unit does not explain: compared with the sum the total apparently made
        off = rest
        words = (_units_words(count.unit_level, len(units) - 1, leaving_out=unit.id) if sign == 1
                 else _units_words(count.unit_level, len(units), twice=unit.id))
    for key, (n, actual) in off.items():
        yield rule("AGG.TOTAL").finding(
            _loc_for(key, where), field=field_name(key), expected=n, actual=actual,
            derivation="sum of the " + words.en, units=words,
            source=count.source, element=total.element)
    yield from _missing_counts(count, missing, where)


def _sum_units(units: list[Tally], basis: str | None, wanted: Mapping[FieldKey, int], *,
               ballots_differ: bool) -> tuple[dict[FieldKey, int], dict[FieldKey, list[str]]]:
    """The sum over the units of every number the total gives, and which units lack one.

    Kieskringen have different ballots (a list may stand in some only), so a national total
    (``ballots_differ``) sums the kieskringen that have a list or candidate; everywhere else
    every unit had the same ballot, and a list or candidate missing from a unit is an error.

    The candidate votes of a file's units nearly always come in one key order (the reader
    builds them from one layout): then they are summed column by column in C, which is what
    makes a national set of ~12 million candidate counts quick. Otherwise key by key.
    """
    expected: dict[FieldKey, int] = {}
    missing: dict[FieldKey, list[str]] = {}
    keys = tuple(units[0].candidates)
    columnar = basis is not None and all(tuple(u.candidates) == keys for u in units[1:])
    per_unit = [k for k in wanted if k[0] != "candidate"] if columnar else list(wanted)
    for u in units:
        vu = values(u, None) if columnar else values(u, basis)
        for key in per_unit:
            if key in vu:
                expected[key] = expected.get(key, 0) + vu[key]
            elif not (ballots_differ and key[0] != "count"):
                missing.setdefault(key, []).append(u.id or "?")
    if columnar and keys:
        i = 1 if basis == "id" else 2
        sums = map(sum, zip(*(u.candidates.values() for u in units)))
        have = {("candidate", (k[0], k[i])): n for k, n in zip(keys, sums)}
        for key in wanted:
            if key[0] != "candidate":
                continue
            if key in have:
                expected[key] = have[key]
            elif not ballots_differ:
                missing[key] = [u.id or "?" for u in units]
    return expected, missing


def _one_unit(count: CountFile, basis: str | None, off: Mapping[FieldKey, tuple[int, int]]) -> tuple[str, Tally] | None:
    """Which single unit, if any, explains (nearly) all differences between total and units.

    A unit is left out of the total when units minus total equals that unit's numbers in
    (nearly) every field that differs, and every non-zero number of the unit is among those
    fields; it is counted twice when total minus units equals them. "Nearly": at least 80 %
    of the differing fields, and at least three, so that another fault elsewhere in the same
    file does not hide the pattern; the fields it does not explain are reported one by one.
    When the unit left out appears twice among the units, AGG.DUPLICATE_UNIT already says so.
    """
    if len(off) < 3:
        return None
    seen = Counter(u.id for u in count.units)
    best: tuple[int, str, Tally] | None = None
    for sign, how in ((1, "left out"), (-1, "twice")):
        gap = {k: sign * (n - actual) for k, (n, actual) in off.items()}
        for u in count.units:
            vu = values(u, basis)
            if any(v and k not in gap for k, v in vu.items() if k[0] != "count" or k in off):
                continue  # leaving u out would have made another number differ
            score = sum(vu.get(k, 0) == v for k, v in gap.items())
            if score >= 3 and 5 * score >= 4 * len(off) and (best is None or score > best[0]):
                best = (score, "duplicate" if how == "left out" and seen[u.id] > 1 else how, u)
    return (best[1], best[2]) if best else None


def _missing_counts(count: CountFile, missing: Mapping[FieldKey, list[str]], where: Location) -> Iterator[Finding]:
    """A count the total has but some units lack: an error for lists and candidates (the
    unit is incomplete), 'not comparable' for the PV counts (levels publish different ones)."""
    per_unit: dict[str, list[FieldKey]] = {}
    for key, unit_ids in missing.items():
        if key[0] == "count":
            yield rule("AGG.NOT_COMPARABLE").finding(
                where, field=field_name(key), source=count.source,
                why=Text(f"{len(unit_ids)} van de {len(count.units)} eenheden geven het niet",
                         f"{len(unit_ids)} of {len(count.units)} units do not give it"))
        else:
            for u in unit_ids:
                per_unit.setdefault(u, []).append(key)
    for unit, keys in sorted(per_unit.items()):
        names = ", ".join(field_name(k) for k in sorted(keys, key=_order)[:5])
        more = f" (+{len(keys) - 5})" if len(keys) > 5 else ""
        yield rule("AGG.MISSING_COUNT").finding(file_location(count, unit), field=names + more, source=count.source)


def _order(key: FieldKey) -> tuple:
    return (("count", "list", "candidate").index(key[0]), str(key[1]))


def check_zeros(count: CountFile) -> Iterator[Finding]:
    """W.ZERO: a gemeente or kieskring total with 0 blank or invalid votes where the rate in
    the rest of the file predicts at least 14 (the chance of 0 is then below e^-14 < 10^-6).

    Exact: the prediction is a Fraction (other units' count / their ballots * this unit's
    ballots); the bound P(0) <= exp(-expected) needs no floating point to decide.
    """
    if count.unit_level is Level.STATION or len(count.units) < 3:
        return
    for key in ("invalid", "blank"):
        rows = [(u, u.counts.get(key), u.votes_cast) for u in count.units]
        rows = [(u, v, h) for u, v, h in rows if v is not None and h]
        total_v = sum(v for _, v, _ in rows)
        total_h = sum(h for _, _, h in rows)
        for u, v, h in rows:
            if v != 0:
                continue
            rest_h = total_h - h
            if rest_h <= 0:
                continue
            predicted = Fraction(total_v, rest_h) * h
            if predicted >= 14:
                yield rule("W.ZERO").finding(
                    file_location(count, u.id), field=key, expected=round(predicted), actual=0, total=h,
                    derivation="rate in the other units of this file", source=count.source, element=u.element)


def check_created(count: CountFile) -> Iterator[Finding]:
    date = count.election.date
    if count.created is not None and date is not None and count.created.date() < date:
        yield rule("META.CREATED_EARLY").finding(
            file_location(count), field="kr:CreationDateTime", expected=date.isoformat(),
            actual=count.created.isoformat(sep=" "), source=count.source)


def _authority_code(code: str) -> str:
    return code.strip().upper().removeprefix("GM").lstrip("0")


def check_unit_authority(count: CountFile) -> Iterator[Finding]:
    """AGG.UNIT_AUTHORITY: a 510b's station ids (``0999::SB1``) carry the code of the
    municipality whose file it is; a station of another municipality does not belong in its count."""
    if count.kind != "510b" or not count.authority_id:
        return
    own = _authority_code(count.authority_id)
    for u in count.units:
        prefix, sep, _ = (u.id or "").partition("::")
        if sep and _authority_code(prefix) != own:
            yield rule("AGG.UNIT_AUTHORITY").finding(file_location(count, u.id), field="unit", unit=u.id,
                                                     expected=count.authority_id, actual=prefix, source=count.source,
                                                     element=u.element)


FILE_CHECKS = (check_duplicates, check_total, check_zeros, check_created, check_station_eligible, check_unit_authority)


def check_file(count: CountFile) -> Iterator[Finding]:
    for check in FILE_CHECKS:
        yield from check(count)


# ------------------------------------------------------------------ across files


@dataclass(frozen=True)
class Summary:
    """What stays in memory of a count file once its own checks are done."""

    source: str
    kind: str
    level: Level
    election: str
    contest: str | None
    authority: str | None
    total: Tally | None
    units: Mapping[str, Tally]  # unit code -> tally; only kept for files above station level
    unit_ids: tuple[str, ...]
    list_names: Mapping[int, str]
    candidate_names: Mapping[CandidateKey, str]
    phase: str | None = None  # kr:Phase: a corrigendum given without its earlier version is said in the verdict

    @classmethod
    def of(cls, count: CountFile) -> Summary:
        keep = count.level is not Level.MUNICIPALITY
        return cls(
            source=count.source,
            kind=count.kind,
            level=count.level,
            election=count.election.id,
            contest=count.contest_id,
            authority=count.authority_id,
            total=count.total,
            units={u.code or "": u for u in count.units} if keep else {},
            unit_ids=tuple(u.id or "" for u in count.units),
            list_names=count.list_names,
            candidate_names=count.candidate_names,
            phase=count.phase,
        )


ABOVE = {Level.STATION: Level.MUNICIPALITY, Level.MUNICIPALITY: Level.DISTRICT, Level.DISTRICT: Level.CENTRAL}

#: What file the level above is, per level below: (Dutch, English).
UPPER_FILE = {
    Level.MUNICIPALITY: ("de kieskringtelling (510c of de OSV4-3-CSV van de kieskring)",
                         "the kieskring count (510c, or the kieskring's OSV4-3 CSV)"),
    Level.DISTRICT: ("de totaaltelling (510d, Totaaltelling_...)", "the central count (510d, Totaaltelling_...)"),
}
WATER_BOARD = "AB"  # a water board has no kieskring: its municipal counts go straight into the 510d


def upper_file(level: Level, category: str | None) -> Text:
    """The file that holds the level above ``level`` in an election of ``category``."""
    if level is Level.MUNICIPALITY and (category or "").upper() == WATER_BOARD:
        return Text("de totaaltelling van het waterschap (510d, Totaaltelling_...)",
                    "the water board's central count (510d, Totaaltelling_...)")
    return Text(*UPPER_FILE[level])


@dataclass
class LevelLinks:
    """How the count files of one election link up, by what the files say.

    ``compared``: (lower, upper, the lower's unit in the upper) pairs; ``missing``: (lower,
    upper) where the upper should list the lower but does not; ``orphans``: files whose level
    above is not among the inputs, so their upward comparison could not be made.
    """

    compared: list[tuple[Summary, Summary, Tally]]
    missing: list[tuple[Summary, Summary]]
    orphans: list[Summary]


def _kieskring_of_upper(upper: Summary) -> str | None:
    if upper.contest and upper.contest.isdigit():
        return upper.contest
    if upper.authority and upper.authority.upper().startswith("HSB"):
        return upper.authority[3:]
    return None


def _home_kieskring(lower: Summary, definition: Definition | None) -> str | None:
    """The kieskring a gemeente file belongs to: the 110a's election tree (a GEMEENTE region's
    superior KIESKRING), else the file's own contest (a TK 510b names it); None when neither
    says. The tree comes first: Abacus writes ``ContestIdentifier Id="geen"`` in every 510b,
    also in a province with several kieskringen (``shared/reference/abacus-2027.md`` 2.4)."""
    home = _kieskring_in_tree(lower.authority, definition)
    if home is not None:
        return home
    if lower.contest and lower.contest.isdigit():
        return lower.contest
    return None


def _kieskring_in_tree(authority: str | None, definition: Definition | None) -> str | None:
    """The kieskring above a gemeente in the 110a's election tree."""
    if definition is None or not authority:
        return None
    for r in definition.regions:
        if r.category == "GEMEENTE" and r.superior_category == "KIESKRING" and r.number.zfill(4) == authority.zfill(4):
            return r.superior_number
    return None


def with_home_kieskring(count: CountFile, definition: Definition | None) -> CountFile:
    """A municipality's count with the kieskring the 110a tree gives it, where the file names
    none (Abacus writes ``geen``): so findings and the protocol show the kieskring established."""
    if count.level is not Level.MUNICIPALITY or (count.contest_id or "").isdigit():
        return count
    home = _kieskring_in_tree(count.authority_id, definition)
    return count if home is None else count.model_copy(update={"contest_id": home})


def _belongs(lower: Summary, upper: Summary, definition: Definition | None) -> bool:
    """Should ``upper`` list ``lower``? Only where a file says so: every kieskring is in the
    central total; a gemeente is in the kieskring its file or the 110a names."""
    if lower.level is Level.DISTRICT or upper.level is Level.CENTRAL:
        return True  # (a central count that lists municipal parts lists every one: ``_is_above``)
    home = _home_kieskring(lower, definition)
    return home is not None and home == _kieskring_of_upper(upper)


def lists_municipalities(upper: Summary) -> bool:
    """A central count whose units are municipal parts (a water board's 510d: AB has no
    kieskring level, and OSV2020-U lists every municipality there), not kieskringen (HSBn)."""
    return upper.level is Level.CENTRAL and any(code.isdigit() for code in upper.units)


def _is_above(lower: Summary, upper: Summary) -> bool:
    """Is ``upper`` the level right above ``lower``: the next level, or for a municipality a
    central count that lists municipal parts."""
    if upper.election != lower.election:
        return False
    return upper.level is ABOVE[lower.level] or (lower.level is Level.MUNICIPALITY and lists_municipalities(upper))


def level_links(summaries: Iterable[Summary], definition: Definition | None = None,
                category: str | None = None) -> LevelLinks:
    """Each count file with a level above, linked to the files of that level among the inputs."""
    summaries = list(summaries)
    links = LevelLinks([], [], [])
    municipal = (category or "").upper() in MUNICIPAL
    for lower in summaries:
        if lower.total is None or lower.authority is None or lower.level not in UPPER_FILE:
            continue  # (a station's own 510a: the 510b above keeps no units once checked, see Summary.of)
        if municipal and lower.level is Level.MUNICIPALITY:
            continue  # the gemeente total is the top of a municipal election (nothing above it)
        linked = False
        for upper in summaries:
            if not _is_above(lower, upper):
                continue
            unit = upper.units.get(lower.authority)
            if unit is not None:
                links.compared.append((lower, upper, unit))
                linked = True
            elif _belongs(lower, upper, definition):
                links.missing.append((lower, upper))
                linked = True
        if not linked:
            links.orphans.append(lower)
    return links


def check_levels(summaries: Iterable[Summary], definition: Definition | None = None,
                 category: str | None = None, superseded: Sequence[Summary] = ()) -> Iterator[Finding]:
    """AGG.LEVEL and AGG.MISSING_UNIT between each file and the file of the level above, and
    AGG.NO_LEVEL_ABOVE (once per level) where that file is not among the inputs.

    A unit is expected in a total only where a file says it belongs there (``_belongs``): the
    TK2023 kieskring CSVs beside Rotterdam's gemeente CSV do not miss Rotterdam.
    """
    links = level_links(summaries, definition, category)
    for lower, upper in links.missing:
        where = Location(election=lower.election, contest=lower.contest, authority=upper.authority,
                         unit=_unit_id(upper, lower.authority or ""))
        yield rule("AGG.MISSING_UNIT").finding(
            where, field="unit", what="gemeente" if lower.level is Level.MUNICIPALITY else "kieskring",
            unit=lower.authority, reference=lower.source, source=upper.source, part=PartKey.LEVELS)
    for lower, upper, unit in links.compared:
        where = Location(election=lower.election, contest=lower.contest, authority=upper.authority,
                         unit=_unit_id(upper, lower.authority or ""))
        found = [d for d in differences(lower.total, unit) if d.a is not None and d.b is not None]  # type: ignore[arg-type]
        old = next((s for s in superseded if found and (s.election, s.level, s.authority) == (lower.election, lower.level, lower.authority)
                    and s.total is not None and not any(d.a is not None and d.b is not None for d in differences(s.total, unit))), None)
        if old is not None:  # the level above copied an earlier session's version (issue 21)
            yield rule("CORR.OUTDATED").finding(where, field="unit", upper=upper.source, old=old.source, new=lower.source,
                                                source=upper.source, element=unit.element)
            continue
        for d in found:
            yield rule("AGG.LEVEL").finding(
                _loc_for(d.key, where), field=field_name(d.key), expected=d.a, actual=d.b,
                lower=lower.source, upper=upper.source, derivation=f"total of {lower.source}",
                source=upper.source, element=unit.element)
    for level in UPPER_FILE:
        orphans = [s for s in links.orphans if s.level is level]
        if not orphans:
            continue
        codes = sorted({s.authority or "?" for s in orphans})
        listed = ", ".join(codes[:10]) + (f" (+{len(codes) - 10})" if len(codes) > 10 else "")
        one, many = LOWER_WORDS[level]
        yield rule("AGG.NO_LEVEL_ABOVE").finding(
            Location(election=orphans[0].election), field="AGG.LEVEL", actual=len(orphans),
            files=Text(f"{i18n.count(len(orphans), one[0], many[0])} ({listed})",
                       f"{i18n.count(len(orphans), one[1], many[1])} ({listed})"),
            needs=upper_file(level, category))


#: A count file of each level, singular and plural: ((nl, en), (nl, en)).
LOWER_WORDS = {
    Level.MUNICIPALITY: (("gemeentetotaal", "municipal total"), ("gemeentetotalen", "municipal totals")),
    Level.DISTRICT: (("kieskringtotaal", "kieskring total"), ("kieskringtotalen", "kieskring totals")),
}


def _unit_id(upper: Summary, code: str) -> str:
    for uid in upper.unit_ids:
        if uid.rsplit("::", 1)[-1] == code:
            return uid
    return f"{upper.authority}::{code}" if upper.authority and upper.level is Level.DISTRICT else code


def _same_numbers(a: Tally, b: Tally) -> bool:
    """A quick (C-level) test that two tallies carry the same numbers, before ``differences``
    is asked where they differ. H, which only the OSV CSV prints, does not count."""
    if a.lists != b.lists or a.candidates != b.candidates:
        return False
    h = "ballots_found"
    return {k: v for k, v in a.counts.items() if k != h} == {k: v for k, v in b.counts.items() if k != h}


def check_same_count(a: CountFile, b: CountFile) -> Iterator[Finding]:
    """AGG.SOURCES: two publications of the same count (EML and CSV) agree in every number;
    AGG.AUTHORITY_NAME: two EML files of one count name the same authority (an OSV CSV may
    spell it otherwise)."""
    if a.kind == b.kind != "osv4-3" and a.authority_name and b.authority_name and a.authority_name != b.authority_name:
        yield rule("AGG.AUTHORITY_NAME").finding(file_location(a), field="AuthorityIdentifier", code=a.authority_id or "?",
                                                 expected=a.authority_name, actual=b.authority_name,
                                                 first=a.source, second=b.source, source=b.source)
    pairs = [(a.total, b.total, None)] + [
        (ua, ub, ua.id) for ua in a.units for ub in b.units if ua.id == ub.id
    ]
    ids_a, ids_b = {u.id for u in a.units}, {u.id for u in b.units}
    for unit in sorted(ids_a ^ ids_b, key=str):
        side, other = (a, b) if unit in ids_a else (b, a)
        yield rule("AGG.MISSING_UNIT").finding(file_location(other, unit), field="unit", what="stembureau",
                                               unit=unit, reference=side.source, source=other.source,
                                               part=PartKey.SOURCES)
    for ta, tb, unit in pairs:
        if ta is None or tb is None or _same_numbers(ta, tb):
            continue
        where = file_location(a, unit)
        for d in differences(ta, tb):
            if d.a is None or d.b is None:
                continue
            yield rule("AGG.SOURCES").finding(
                _loc_for(d.key, where), field=field_name(d.key), expected=d.a, actual=d.b,
                first=a.source, second=b.source, source=b.source, element=tb.element)
