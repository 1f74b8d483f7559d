"""Elected candidates by name, against a separate plain reading of the real files (issue 20).

Every real set with a 520 is run through ``osv-verify seats --format json`` as a citizen runs it,
and each elected row is compared with what the files themselves say, read here with lxml and the
csv module only (not the project's readers):

* the 520's elected candidates per list, with their names as the 520 writes them;
* who stands at which place on a list: the OSV4-3 CSV (``Volgnummer``; ``Naam kandidaat``), the
  230b (``CandidateIdentifier Id`` and the name), or nationally the ShortCode.

From the 510b and the 520 alone (what a citizen downloads for GR2022) no file says who stands at
which place: the 510b numbers the candidates, and the 520 numbers its elected 1..n in order of
election with their kind (Ranking). Where that order is proven for a list (as many elected, the
same kinds Id by Id, no equal votes), the product names the law's k-th elected with the 520's
k-th; the test checks each such name row by row against the OSV CSV of the same municipality.
With the CSV or 230b added, every elected row is named, and the names per list are exactly the
520's elected.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from osv_verify import cli

pytestmark = pytest.mark.realdata
N = {"e": "urn:oasis:names:tc:evs:schema:eml", "x": "urn:oasis:names:tc:ciq:xsdschema:xNL:2.0"}


def _letters(text: str) -> str:
    """Letters only, case-folded, accents removed: how a name is compared across spellings."""
    plain = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z]", "", "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold())


def _person(candidate: etree._Element) -> tuple[str, str]:
    """(prefix + last name, initials) of an EML Candidate."""
    last = " ".join(t for t in (candidate.findtext(".//x:NamePrefix", "", N), candidate.findtext(".//x:LastName", "", N)) if t)
    return last.strip(), candidate.findtext(".//x:NameLine[@NameType='Initials']", "", N)


def elected_in_520(path: Path) -> dict[int, list[tuple[str, str, str | None]]]:
    """list -> the 520's elected: (surname, initials, ShortCode)."""
    out: dict[int, list[tuple[str, str, str | None]]] = {}
    lst = 0
    for sel in etree.parse(str(path)).iterfind(".//e:Contest/e:Selection", N):
        aff = sel.find("e:AffiliationIdentifier", N)
        if aff is not None:
            lst = int(aff.get("Id"))
            continue
        cand = sel.find("e:Candidate", N)
        if cand is not None and sel.findtext("e:Elected", "", N) == "yes":
            out.setdefault(lst, []).append((*_person(cand), cand.find("e:CandidateIdentifier", N).get("ShortCode")))
    return out


def roster_from_csv(path: Path) -> dict[tuple[int, str], str]:
    """(list, place) -> name, from an OSV4-3 CSV's candidate rows."""
    roster: dict[tuple[int, str], str] = {}
    lst = 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            if row and row[0].isdigit():
                lst = int(row[0])
            elif len(row) > 3 and not row[0] and row[2].isdigit() and row[3]:
                roster[(lst, row[2])] = row[3]
    return roster


def roster_from_230b(path: Path) -> dict[tuple[int, str], str]:
    """(list, place) -> ``surname, initials`` from a 230b."""
    roster: dict[tuple[int, str], str] = {}
    for aff in etree.parse(str(path)).iterfind(".//e:Affiliation", N):
        lst = int(aff.find("e:AffiliationIdentifier", N).get("Id"))
        for cand in aff.iterfind("e:Candidate", N):
            last, initials = _person(cand)
            roster[(lst, cand.find("e:CandidateIdentifier", N).get("Id"))] = f"{last}, {initials}"
    return roster


def seats_json(capsys, *paths: Path) -> dict:
    cli.main(["seats", "--format", "json", *map(str, paths)])
    (election,) = json.loads(capsys.readouterr().out)["elections"]
    return election


def check(election: dict, in_520: dict[int, list[tuple[str, str, str | None]]],
          roster: dict[tuple[int, str], str], *, all_named: bool) -> list[str]:
    """What disagrees between the product's elected rows and the plain reading (empty: agrees)."""
    wrong = []
    rows = election["elected"]
    if Counter(r["list"] for r in rows) != Counter({lst: len(es) for lst, es in in_520.items()}):
        wrong.append("elected per list differ from the 520")
    for r in rows:
        key = (r["list"], r["candidate"])
        if r["name"] is None:
            if all_named:
                wrong.append(f"list {key[0]} place {key[1]}: no name, though the files give it")
            continue
        by_code = next((f"{s}, {i}" for s, i, code in in_520.get(r["list"], []) if code and code == r["candidate"]), None)
        truth = by_code or roster.get(key)
        if truth is None or _letters(r["name"]) != _letters(truth):
            wrong.append(f"list {key[0]} place {key[1]}: shown {r['name']!r}, the files say {truth!r}")
    if all_named:  # the law's elected are the 520's elected, person for person
        for lst, people in in_520.items():
            shown = sorted(_letters(r["name"] or "") for r in rows if r["list"] == lst)
            left, unmatched = list(shown), []
            for person in (_letters(s) for s, _, _ in people):  # one shown name for each, one each
                match = next((name for name in left if person in name), None)
                if match is None:
                    unmatched.append(person)
                else:
                    left.remove(match)
            if unmatched:
                wrong.append(f"list {lst}: the 520's {unmatched} not among the elected by law {shown}")
    return wrong


def gr2022_pairs(real: Path) -> list[tuple[str, Path, Path, Path | None]]:
    """Every GR2022 municipality with a 510b and a 520, and its OSV CSV where there is one (the
    bulk CSVs are named in lower case: matched case-insensitively)."""
    csvs = {p.name.casefold(): p for p in (real / "GR2022").rglob("*.csv")}
    pairs = []
    for result in sorted((real / "GR2022").rglob("Resultaat_GR2022_*.eml.xml")):
        if "broken_in_source" in result.parts:
            continue
        name = result.name.removeprefix("Resultaat_GR2022_").removesuffix(".eml.xml")
        count = result.with_name(f"Telling_GR2022_{name}.eml.xml")
        if count.exists():
            pairs.append((name, count, result, csvs.get(f"osv4-3_telling_gr2022_{name}.csv".casefold())))
    return pairs


def candidate_votes(count: Path) -> dict[tuple[int, str], int]:
    """(list, place) -> the municipality's total votes, from the 510b's TotalVotes."""
    votes: dict[tuple[int, str], int] = {}
    lst = 0
    for sel in etree.parse(str(count)).find(".//e:TotalVotes", N).iterfind("e:Selection", N):
        aff = sel.find("e:AffiliationIdentifier", N)
        if aff is not None:
            lst = int(aff.get("Id"))
        elif (cid := sel.find("e:Candidate/e:CandidateIdentifier", N)) is not None:
            votes[(lst, cid.get("Id"))] = int(sel.findtext("e:ValidVotes", "", N))
    return votes


def _row_problems(alone: dict, with_csv: dict, roster: dict[tuple[int, str], str]) -> list[str]:
    """Row by row, the 510b + 520 rows against the rows with the CSV added and the CSV's names."""
    unnamed = {u["list"] for u in alone["names_not_established"]}
    problems = [] if len(alone["elected"]) == len(with_csv["elected"]) else ["another number of elected rows"]
    for a, c in zip(alone["elected"], with_csv["elected"]):
        where = f"list {a['list']} place {a['candidate']}"
        if a["list"] != c["list"] or c["candidate"] not in (a["lot_between"] or [a["candidate"]]):
            problems.append(f"{where}: with the CSV list {c['list']} place {c['candidate']}")
        if a["name"] is not None:
            truth = roster.get((a["list"], a["candidate"]))
            if a["name_source"] != "520-order" or truth is None or _letters(a["name"]) != _letters(truth):
                problems.append(f"{where}: shown {a['name']!r} ({a['name_source']}), the CSV says {truth!r}")
        elif a["list"] not in unnamed:
            problems.append(f"{where}: no name and no reason")
    return problems


def _reason_problems(alone: dict, with_csv: dict, votes: dict[tuple[int, str], int]) -> list[str]:
    """Each list left unnamed is said with a reason that the 510b bears out: equal votes between a
    preference-elected candidate and another elected or not elected one."""
    problems = []
    for u in alone["names_not_established"]:
        lst = u["list"]
        rows = [r for r in with_csv["elected"] if r["list"] == lst]
        preferred = [votes[(lst, r["candidate"])] for r in rows if r["reason"] == "preference"]
        others = [v for (li, place), v in votes.items() if li == lst and place not in {r["candidate"] for r in rows}]
        tied = len(set(preferred)) < len(preferred) or bool(set(preferred) & set(others))
        if not (u["why"].startswith("equal votes") and tied):
            problems.append(f"list {lst}: not named ({u['why']}), but no equal votes among its preference-elected in the 510b")
    return problems


def test_gr2022_elected_names_from_510b_and_520_alone_equal_the_csvs(real_data, capsys):
    """Issue 20: from a 510b and a 520 alone (what a citizen downloads), every elected row of
    every GR2022 municipality here that also has its OSV CSV: the same list and place as with
    the CSV (or the places a lot was between, where no file shows the draw), and where a name is
    shown, by order of election, the name the CSV gives that place. Where none is shown, the list
    is said with its reason, and the 510b bears the reason out (equal votes)."""
    pairs = [p for p in gr2022_pairs(real_data) if p[3] is not None]
    assert len(pairs) >= 70
    wrong: dict[str, list[str]] = {}
    rows = named = lists_unnamed = 0
    for name, count, result, csv_path in pairs:
        alone, with_csv = seats_json(capsys, count, result), seats_json(capsys, count, result, csv_path)
        rows += len(alone["elected"])
        named += sum(r["name"] is not None for r in alone["elected"])
        lists_unnamed += len(alone["names_not_established"])
        if problems := _row_problems(alone, with_csv, roster_from_csv(csv_path)) + \
                _reason_problems(alone, with_csv, candidate_votes(count)):
            wrong[name] = problems
    print(f"\n{len(pairs)} municipalities, {rows} elected rows: {named} named by order of election, "
          f"{rows - named} not established ({lists_unnamed} lists with equal votes)")
    assert wrong == {}
    assert named > rows * 9 // 10  # measured: 1658 of 1708; the rest are on lists with equal votes


def test_gr2022_elected_names_with_the_csv_are_the_520s(real_data, capsys):
    """With the OSV CSV added every elected row is named from the CSV, and per list the law's
    elected are the 520's elected, person for person."""
    wrong = {}
    checked = 0
    for name, count, result, csv_path in gr2022_pairs(real_data):
        if csv_path is None:
            continue
        checked += 1
        election = seats_json(capsys, count, result, csv_path)
        if problems := check(election, elected_in_520(result), roster_from_csv(csv_path), all_named=True):
            wrong[name] = problems
    assert checked >= 60
    assert wrong == {}


@pytest.mark.parametrize("folder", ["GR2022/WestMaasenWaal", "GR2026/Vlieland", "GR2026/Renswoude"])
def test_other_sets_with_a_520_and_230b(real_data, capsys, folder):
    """Every other municipal set with a 520: named from the 230b with it; without it, from the
    510b and the 520 alone, every row named by order of election, each the 230b's name."""
    files = sorted((real_data / folder).iterdir())
    result = next(p for p in files if p.name.startswith("Resultaat_"))
    count = next(p for p in files if p.name.startswith("Telling_"))
    roster = roster_from_230b(next(p for p in files if p.name.startswith("Kandidatenlijsten_")))
    in_520 = elected_in_520(result)
    assert check(seats_json(capsys, *files), in_520, roster, all_named=True) == []
    alone = seats_json(capsys, count, result)
    assert check(alone, in_520, roster, all_named=True) == []
    assert {r["name_source"] for r in alone["elected"]} == {"520-order"}


def test_tk2021_elected_by_shortcode(real_data, capsys):
    """TK2021: the 510d and the 520 know candidates by ShortCode, which establishes the name from
    these two files alone; with the 230bs the same."""
    folder = real_data / "TK2021"
    in_520 = elected_in_520(folder / "Resultaat_TK2021.eml.xml")
    assert sum(map(len, in_520.values())) == 150
    for paths in ([folder / "Totaaltelling_TK2021.eml.xml", folder / "Resultaat_TK2021.eml.xml"], [folder]):
        assert check(seats_json(capsys, *paths), in_520, {}, all_named=True) == []
