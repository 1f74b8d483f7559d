"""The Abacus PDF PVs in ../shared/data/abacus-pv read to exactly the numbers of the JSON each
was rendered from (its answer key); and the printed formats (thousands, ``-``, fractions, the
wrapped footer hash) parse as Abacus prints them."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from osv_verify.core.errors import InputError
from osv_verify.io.pdf_pv import NotAPvPdf, Printed, fraction, number, parse_pv, read_pdf_pv

BOX_KEYS = {"A": ("voters_counts", "poll_card_count"), "B": ("voters_counts", "proxy_certificate_count"),
            "C": ("voters_counts", "voter_card_count"), "D": ("voters_counts", "total_admitted_voters_count"),
            "E": ("votes_counts", "total_votes_candidates_count"), "F": ("votes_counts", "blank_votes_count"),
            "G": ("votes_counts", "invalid_votes_count"), "H": ("votes_counts", "total_votes_cast_count")}


def expected(summary: dict, voters: int | None, tables: list[dict], previous: bool) -> Printed:
    """What the PV must print, from its JSON: the boxes, list totals and candidate votes."""
    want = Printed()
    if voters is not None:
        want.boxes["Z"] = voters
    for letter, (group, key) in BOX_KEYS.items():
        if key in summary.get(group, {}):
            want.boxes[letter] = summary[group][key]
    diffs = summary.get("differences_counts", {})
    for letter, key in (("I", "more_ballots_count"), ("J", "fewer_ballots_count")):
        if key in diffs:
            want.boxes[letter] = diffs[key]["count"]
    want.lists = {g["number"]: g["total"] for g in summary["votes_counts"]["political_group_total_votes"]}
    prefix = "previous_" if previous else ""
    for table in tables:
        want.candidates[table["number"]] = {v["candidate"]["number"]: v[prefix + "votes"]
                                            for column in table["columns"] for v in column["votes"]}
        want.list_table_totals[table["number"]] = table[prefix + "total"]
    return want


def pdfs() -> list[Path]:
    from tests.conftest import REAL
    return sorted((REAL / "abacus-pv").rglob("*.pdf")) if (REAL / "abacus-pv").is_dir() else []


@pytest.mark.realdata
@pytest.mark.parametrize("pdf", pdfs(), ids=lambda p: p.name)
def test_every_shared_pdf_reads_to_its_json(pdf: Path) -> None:
    key = json.loads(pdf.with_suffix(".json").read_text())
    pv = read_pdf_pv(pdf.read_bytes(), pdf.name)
    assert pv.hash == key["hash"].replace(" ", "")
    assert pv.created == key["creation_date_time"]
    election = key["election"]
    voters = election.get("number_of_voters") if "summary" in key and "number_of_voters" not in key["summary"] else key["summary"].get("number_of_voters")
    tables = key.get("votes_tables", [])
    want = expected(key["summary"], voters, tables, previous=False)
    assert pv.printed.boxes == want.boxes
    assert pv.printed.lists == want.lists
    assert pv.printed.candidates == want.candidates
    assert pv.printed.list_table_totals == want.list_table_totals
    if pv.model == "na14-2":
        before = expected(key["previous_summary"], voters, tables, previous=True)
        assert pv.original is not None
        assert pv.original.boxes == before.boxes
        assert pv.original.lists == before.lists
        assert pv.original.candidates == before.candidates
        assert pv.original.list_table_totals == before.list_table_totals
    if pv.model == "na31-2":
        assert pv.authority_id == election["authority_id"]
        assert pv.stations == [(s["number"], " ".join(filter(None, (s["name"], s["address"], s["postal_code"], s["locality"]))))
                               for s in key["polling_stations"]]
    if pv.model == "p22-2":
        nominations = key["candidate_nomination"]["list_candidate_nomination"]
        assert pv.seats == {n["list_number"]: n["list_seats"] for n in nominations}
        assert {n: len(names) for n, names in pv.elected.items()} == {n["list_number"]: n["list_seats"] for n in nominations}
        assert pv.lots == ('"drawn_lots"' in pdf.with_suffix(".json").read_text())  # P 7 lots between lists
        quota = key["seat_assignment"]["quota"]
        assert pv.quota == quota["integer"] + Fraction(quota["numerator"], quota["denominator"])


def test_printed_numbers() -> None:
    assert number("16.202") == 16202
    assert number("-") == 0
    assert number("0") == 0
    assert fraction("340 4⁄15") == Fraction(340 * 15 + 4, 15)
    assert fraction("80") == 80


FOOTER = ("Datum: 16-03-2022 23:43:17. Digitale vingerafdruk van EML-telbestand bij dit PV:\n"
          "76e5 35f2 cced d5a3 cadd 4a40 1db1 9b86 2948 c3cf 9286 09d6 7122 b075 4e35 {last}\n"
          "Proces-verbaal van een gemeentelijk stembureau\nModel Na 31-2 centrale stemopneming (versie 2027) Pagina {n} van 10\n")


def page(body: str, n: int, last: str = "112f") -> str:
    return f"Gemeente 0060 Ameland\n{body}\n" + FOOTER.format(last=last, n=n)


def test_the_hash_joins_across_a_wrapped_line_and_every_page_must_agree() -> None:
    pages = [page("Model Na 31-2\n3.054 Z Kiesgerechtigden", 1), page("", 10, last="\n112f")]
    pv = parse_pv(pages, "pv.pdf")
    assert pv.hash.endswith("4e35112f") and len(pv.hash) == 64
    assert pv.printed.boxes == {"Z": 3054}
    with pytest.raises(InputError, match="different fingerprints"):
        parse_pv([pages[0], page("", 2, last="1130")], "pv.pdf")
    with pytest.raises(InputError, match="page 2 has no digital fingerprint"):
        parse_pv([pages[0], "Gemeente 0060 Ameland\nno footer"], "pv.pdf")


def test_a_pdf_that_is_not_a_pv_is_said_so() -> None:
    with pytest.raises(NotAPvPdf):
        parse_pv(["Jaarverslag 2022\nPagina 1"], "brief.pdf")


def test_candidate_rows_take_the_last_numbers_of_a_wrapped_name() -> None:
    body = ("Model Na 31-2\n3.054 Z Kiesgerechtigden\nLijst 2 VVD\nKandidaat Stemmen\n"
            "Jagtenberg- Poulussen, E.M. (El-\nlen) (v) 1 619\nSweep, E.H. (Erik) (m) 2 -\n"
            "Subtotaal kolom 1: 619\nTotaal lijst (kolom 1) 619\n1 Ballum 9162 EA")
    pv = parse_pv([page(body, 1)], "pv.pdf")
    assert pv.printed.candidates == {2: {1: 619, 2: 0}}
    assert pv.printed.list_table_totals == {2: 619}
    assert pv.stations == []  # a station row only counts under the table's header
