"""Checks of a printed (PDF) PV on its own and against its EML, and of an EML's signature.

A PV prints what the EML leaves out: H (total votes cast) and the list totals E.i as boxes,
apart from the candidate tables. So on the PV alone: F.201 (A + B + C = D), F.202 (the E.i add
up to E), F.402 (the candidates add up to the table's list total), and what only the PV allows,
Abacus F.203 (E + F + G = H) and F.403 (the table's list total = E.i). Against the EML:
PV.HASH (the footer is the SHA-256 of the EML's bytes), PV.NUMBER (every printed number equals
the EML's total), PV.ORIGINAL (a Na 14-2's original numbers equal the earlier 510b), PV.SEATS
(a P 22-2's seats per list equal the recomputed allocation), PV.ELECTED (its elected, by name,
are the recomputed elected, where the files establish the names) and PV.LOTS (the lots it
prints are between the lists the recomputation needed lots between). The signature: SIG.* (see
``check_signature``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from osv_verify.checks.elected_order import ElectedNames
from osv_verify.checks.registry import rule
from osv_verify.checks.rule import PartKey
from osv_verify.checks.tally import Context, check_admitted, check_lists, check_valid
from osv_verify.core.findings import Finding, Location
from osv_verify.core.model import Tally
from osv_verify.core.text import Text
from osv_verify.io.pdf_pv import PdfPv, Printed
from osv_verify.io.signature import Certificate, Signature, certificate, verifies
from osv_verify.seats.groups import GroupResult, PartyInput, elect
from osv_verify.seats.names import identify
from osv_verify.seats.rules import SeatRules

#: The printed boxes as count keys of ``core.model.COUNT_FIELDS``.
BOX_KEYS = {"Z": "eligible", "A": "poll_cards", "B": "proxy_certificates", "C": "voter_cards", "D": "admitted",
            "E": "valid", "F": "blank", "G": "invalid", "H": "ballots_found", "I": "more_ballots", "J": "fewer_ballots"}


def grouped(digest: str) -> str:
    """A SHA-256 as a PV prints it: 16 groups of 4 hex digits."""
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def as_tally(printed: Printed) -> Tally:
    """The printed numbers as a ``Tally`` (candidates keyed by list and number, like a 510b)."""
    return Tally(counts={BOX_KEYS[b]: v for b, v in printed.boxes.items()}, lists=dict(printed.lists),
                 candidates={(n, str(c), None): v for n, votes in printed.candidates.items() for c, v in votes.items()})


def check_pv(pv: PdfPv, location: Location) -> Iterator[Finding]:
    """The PV on its own: F.201, F.202, F.402, F.203, F.403, for each column it prints."""
    for printed in (pv.printed, pv.original) if pv.original is not None else (pv.printed,):
        tally = as_tally(printed)
        ctx = Context(location, pv.source, None, station=False)
        for check in (check_admitted, check_valid):
            for f in check(tally, ctx):
                yield replace(f, part=PartKey.PRINTED.value)
        by_table = tally.model_copy(update={"lists": dict(printed.list_table_totals)})
        for f in check_lists(by_table, ctx):
            yield replace(f, part=PartKey.PRINTED.value)
        b = printed.boxes
        if all(k in b for k in "EFGH") and b["E"] + b["F"] + b["G"] != b["H"]:
            yield rule("F.203").finding(location, field="ballots_found", expected=b["E"] + b["F"] + b["G"],
                                        actual=b["H"], derivation="E + F + G", source=pv.source)
        for n, total in sorted(printed.list_table_totals.items()):
            if n in printed.lists and printed.lists[n] != total:
                yield rule("F.403").finding(replace(location, list=n), field=f"list {n}", expected=printed.lists[n],
                                            actual=total, derivation=f"E.{n}", source=pv.source, list=n)


def check_hash(pv: PdfPv, eml_source: str, eml_digest: str, digests: Mapping[str, str],
               location: Location) -> Iterator[Finding]:
    """PV.HASH: the footer is the SHA-256 of the EML the PV is about; when it is another input's,
    say whose."""
    if pv.hash == eml_digest:
        return
    other = next((s for s, d in digests.items() if d == pv.hash), None)
    whose = (Text(f" (de vingerafdruk van {Path(other).name})", f" (the fingerprint of {Path(other).name})") if other
             else Text(" (van geen enkel gegeven bestand)", " (of no file given)"))
    yield rule("PV.HASH").finding(location, field="sha256", expected=grouped(eml_digest), actual=grouped(pv.hash),
                                  source=pv.source, pv=Path(pv.source).name, eml=Path(eml_source).name, other=whose)


def compare_numbers(pv: PdfPv, printed: Printed, total: Tally, eml_source: str, location: Location,
                    code: str = "PV.NUMBER") -> Iterator[Finding]:
    """Every printed number against the EML's total: the boxes the EML has (not H), the list
    totals and every candidate's votes. ``code`` PV.ORIGINAL for a Na 14-2's original column.
    A number the EML has that the PV does not print is PV.MISSING: a PV that prints less cannot
    be said to agree (C, voter cards, is not printed when it is 0, as for a municipal election);
    a list or candidate it prints that the EML lacks is PV.EXTRA (a PV that prints more neither)."""
    words = {"pv": Path(pv.source).name, "eml": Path(eml_source).name}
    keys = {key: box for box, key in BOX_KEYS.items()}
    for key, expected in sorted(total.counts.items()):
        box = keys.get(key)
        if box is None or box == "H":
            continue
        if box not in printed.boxes:
            if key != "voter_cards" or expected:
                yield rule("PV.MISSING").finding(location, field=key, expected=expected, source=pv.source, **words)
        elif printed.boxes[box] != expected:
            yield rule(code).finding(location, field=key, expected=expected, actual=printed.boxes[box], source=pv.source, **words)
    for n, expected in sorted(total.lists.items()):
        if n not in printed.lists:
            yield rule("PV.MISSING").finding(replace(location, list=n), field=f"list {n}", expected=expected, source=pv.source, **words)
        elif printed.lists[n] != expected:
            yield rule(code).finding(replace(location, list=n), field=f"list {n}", expected=expected, actual=printed.lists[n],
                                     source=pv.source, **words)
    for (n, c, _), expected in sorted(total.candidates.items(), key=lambda kv: (kv[0][0], int(kv[0][1] or 0))):
        value = printed.candidates.get(n, {}).get(int(c)) if c and c.isdigit() else None
        where = replace(location, list=n, candidate=c)
        if value is None:
            yield rule("PV.MISSING").finding(where, field=f"candidate {n}.{c}", expected=expected, source=pv.source, **words)
        elif value != expected:
            yield rule(code).finding(where, field=f"candidate {n}.{c}", expected=expected, actual=value, source=pv.source, **words)
    if code != "PV.NUMBER":
        return
    for n, value in sorted(printed.lists.items()):
        if n not in total.lists:
            yield rule("PV.EXTRA").finding(replace(location, list=n), field=f"list {n}", actual=value, source=pv.source, **words)
    known = {(n, c) for n, c, _ in total.candidates}
    for n, votes in sorted(printed.candidates.items()):
        for c, value in sorted(votes.items()):
            if (n, str(c)) not in known:
                yield rule("PV.EXTRA").finding(replace(location, list=n, candidate=str(c)), field=f"candidate {n}.{c}",
                                               actual=value, source=pv.source, **words)


def check_seats(pv: PdfPv, seats: Mapping[int, int], location: Location) -> Iterator[Finding]:
    """PV.SEATS: a P 22-2's seats per list against the recomputed allocation."""
    for n, printed in sorted(pv.seats.items()):
        if seats.get(n, 0) != printed:
            yield rule("PV.SEATS").finding(replace(location, list=n), field=f"list {n}", expected=seats.get(n, 0),
                                           actual=printed, source=pv.source, pv=Path(pv.source).name)


def check_elected(pv: PdfPv, outcome: GroupResult, names: ElectedNames,
                  location: Location) -> tuple[list[Finding], dict[int, Text]]:
    """PV.ELECTED: a P 22-2's elected per list, by name as printed, against the law's elected
    (``outcome``, complete), only on lists where every one of the law's elected has a name a file
    establishes (``names``: 230b, OSV CSV, ShortCode, or the 520's proven order). Returns the
    findings and, per list not compared, why. A printed name is the law's elected when it
    identifies (``seats.names.identify``) one of them among the names of that list; where a lot
    the files cannot show decided a place (``names.undecided``), any of the places it was between
    is accepted."""
    law = {p.number: [e.candidate for e in p.elected] for p in outcome.parties}
    found: list[Finding] = []
    skipped: dict[int, Text] = {}
    name = Path(pv.source).name
    for n, printed in sorted(pv.elected.items()):
        elected = law.get(n, [])
        if not printed and not elected:
            continue
        missing = [c for c in elected if (n, c) not in names.names]
        if missing:
            skipped[n] = names.unnamed.get(n) or Text(
                f"geen 230b, OSV4-3-CSV of 520 stelt de naam vast van plaats {', '.join(missing)}",
                f"no 230b, OSV4-3 CSV or 520 establishes the name of place {', '.join(missing)}")
            continue
        roster = {c: v for (lst, c), v in names.names.items() if lst == n}
        allowed = {c: {c, *names.undecided.get((n, c), ())} for c in elected}
        matched: set[str] = set()
        where = replace(location, list=n)
        for shown in printed:
            who = identify(shown, roster)
            hit = next((c for c in elected if c not in matched and who is not None and set(who.keys) & allowed[c]), None)
            if hit is not None:
                matched.add(hit)
                continue
            what = (Text(f"noemt {shown} als gekozen op lijst {n}, maar die is volgens de wet niet gekozen (plaats {', '.join(who.keys)})",
                         f"names {shown} as elected on list {n}, but by law they are not elected (place {', '.join(who.keys)})")
                    if who is not None else
                    Text(f"noemt {shown} als gekozen op lijst {n}, een naam die niet op die lijst staat",
                         f"names {shown} as elected on list {n}, a name not on that list"))
            found.append(rule("PV.ELECTED").finding(where, field=f"list {n}", actual=shown, source=pv.source, pv=name, why=what))
        for c in elected:
            if c not in matched:
                found.append(rule("PV.ELECTED").finding(
                    replace(where, candidate=c), field=f"list {n}", expected=names.names[(n, c)], source=pv.source, pv=name,
                    why=Text(f"noemt {names.names[(n, c)]} (plaats {c}) niet als gekozen, maar de wet kiest die op lijst {n}",
                             f"does not name {names.names[(n, c)]} (place {c}) as elected, but the law elects them on list {n}")))
    return found, skipped


#: The lots between lists a P 22-2 prints in 2.7 ("De lijsten ... hebben gelijke overschotten /
#: gemiddelden"): those for a residual seat. A lot for P 9 (which list gives up a seat) or
#: between candidates (P 15) is printed elsewhere, if at all, and is not compared.
RESIDUAL_LOTS = ("P 7", "P 8", "P 10")


def required_lots(parties: Sequence[PartyInput], rules: SeatRules, drawn: Sequence[int | str]) -> list[frozenset[int]]:
    """The lists each lot between lists was needed between, in order, on the way to the
    allocation with the lots ``drawn`` (the allocation run again with each prefix of the draw)."""
    needed: list[frozenset[int]] = []
    for i in range(len(drawn) + 1):
        need = elect(parties, rules, lots=tuple(drawn[:i])).lots_required
        if need is None:
            break
        if need.article in RESIDUAL_LOTS and all(isinstance(o, int) for o in need.options):
            needed.append(frozenset(int(o) for o in need.options))
    return needed


def printed_lots_fit(pv: PdfPv, parties: Sequence[PartyInput], rules: SeatRules, seats: Mapping[int, int],
                     limit: int = 256) -> bool:
    """Whether some draw reaches the recomputed seats per list (``seats``) with exactly the lots
    between lists the P 22-2 prints, in its order. Which list won each lot the PV does not print
    in 2.7, and several draws can reach the same seats, so every winner is tried (at most
    ``limit`` runs); lots of other kinds (P 9, P 15, P 16) are not printed there and may fall
    either way."""
    want = list(pv.lot_lists)
    pending: list[tuple[tuple[int | str, ...], int]] = [((), 0)]
    runs = 0
    while pending and runs < limit:
        drawn, used = pending.pop()
        runs += 1
        result = elect(parties, rules, lots=drawn)
        need = result.lots_required
        if need is None:
            if used == len(want) and {p.number: p.seats for p in result.parties if p.seats} == {n: v for n, v in seats.items() if v}:
                return True
            continue
        if need.article in RESIDUAL_LOTS and all(isinstance(o, int) for o in need.options):
            if used == len(want) or frozenset(int(o) for o in need.options) != want[used]:
                continue
            used += 1
        pending.extend((drawn + (o,), used) for o in need.options)
    return False


def check_lots(pv: PdfPv, parties: Sequence[PartyInput], rules: SeatRules, seats: Mapping[int, int],
               drawn: Sequence[int | str], location: Location) -> Iterator[Finding]:
    """PV.LOTS: the lots between lists a P 22-2 prints (2.7) are not those of any draw that
    reaches the recomputed seats (``printed_lots_fit``); ``drawn`` is the draw the recomputation
    used, to show the lots it needed."""
    if printed_lots_fit(pv, parties, rules, seats):
        return
    show = lambda lots: "; ".join("{" + ", ".join(map(str, sorted(s))) + "}" for s in lots) or "-"  # noqa: E731
    needed, printed = required_lots(parties, rules, drawn), list(pv.lot_lists)
    yield rule("PV.LOTS").finding(location, field="lots", expected=show(needed), actual=show(printed), source=pv.source,
                                  pv=Path(pv.source).name,
                                  why=Text(f"drukt lotingen tussen de lijsten {show(printed)}, de herberekening vraagt lotingen tussen {show(needed)}",
                                           f"prints lots between lists {show(printed)}, the recomputation calls for lots between {show(needed)}"))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def expected_subject(election_id: str, authority_id: str, authority_name: str | None) -> dict[str, str]:
    """The certificate subject an EML calls for: O = election id, UID = PSB + municipality code,
    L = the municipality's name (when the EML names it)."""
    want = {"O": election_id, "UID": f"PSB{authority_id}"}
    if authority_name:
        want["L"] = authority_name
    return want


def check_signature(signature: Signature, eml: bytes, eml_source: str, subject: Mapping[str, str],
                    created: dt.datetime | None, trusted: Sequence[Certificate], pv_digests: Mapping[str, str],
                    location: Location) -> tuple[list[Finding], Certificate | None]:
    """The findings on one EML's signature, and the trusted certificate it verified under.

    Without trusted certificates (``--trust``) the signature can only be checked against the
    certificate inside it, which anyone can make: SIG.SELF_ONLY says so. With them, the one that
    verifies must be for this EML (O, UID and L of its subject: SIG.SUBJECT) and valid when the
    EML was made (SIG.EXPIRED). A signature no certificate opens is SIG.CHANGED when the digest it
    carries is of other bytes (the EML changed after signing), SIG.UNTRUSTED when it verifies
    under its own certificate but no trusted one, and SIG.INVALID otherwise (the signature itself
    is damaged). The digest it carries must equal the hash on each PV of this EML (SIG.PV_DIGEST).
    """
    names = {"signature": Path(signature.source).name, "eml": Path(eml_source).name}
    embedded = certificate(signature.certificate, signature.source)
    used = next((c for c in trusted if verifies(signature, eml, c.der)), None)
    intact = used is not None or verifies(signature, eml, signature.certificate)
    digest = signature.digest.hex() if signature.digest is not None else None
    f: list[Finding] = []
    if used is None:
        if digest is not None and digest != sha256(eml):
            f.append(rule("SIG.CHANGED").finding(location, field="sha256", expected=grouped(digest), actual=grouped(sha256(eml)),
                                                 source=signature.source, **names))
        elif not intact:
            f.append(rule("SIG.INVALID").finding(location, source=signature.source, key=embedded.describe(), **names))
        elif trusted:
            f.append(rule("SIG.UNTRUSTED").finding(location, source=signature.source, key=embedded.describe(), **names))
        else:
            f.append(rule("SIG.SELF_ONLY").finding(location, source=signature.source, key=embedded.describe(), **names))
    else:
        for field, want in subject.items():
            if used.subject.get(field) != want:
                f.append(rule("SIG.SUBJECT").finding(location, field=field, expected=want, actual=used.subject.get(field, "-"),
                                                     source=signature.source, key=Path(used.source).name))
        if created is not None:
            when = created if created.tzinfo else created.replace(tzinfo=dt.timezone.utc)
            if not used.not_before <= when <= used.not_after:
                f.append(rule("SIG.EXPIRED").finding(
                    location, field="created", actual=when.isoformat(timespec="seconds"), source=signature.source,
                    key=Path(used.source).name, eml=names["eml"],
                    valid=f"{used.not_before.isoformat(timespec='seconds')} - {used.not_after.isoformat(timespec='seconds')}"))
    signed = sha256(eml) if intact else digest
    for pv_source, printed in sorted(pv_digests.items()):
        if signed is not None and printed != signed:
            f.append(rule("SIG.PV_DIGEST").finding(location, field="sha256", expected=grouped(printed), actual=grouped(signed),
                                                   source=signature.source, signature=names["signature"], pv=Path(pv_source).name))
    return f, used
