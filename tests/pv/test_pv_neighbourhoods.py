"""The CBS postcode-to-wijk table and the postcode of a station."""

from __future__ import annotations

from pathlib import Path

import pytest

from osv_verify.core import postcode
from osv_verify.core.errors import InputError
from osv_verify.io import neighbourhoods as nb
from osv_verify.core.model import CountFile, ElectionRef, Level, PollingStations, Station, Tally


@pytest.mark.realdata
def test_valid_tiny_table(real_data: Path) -> None:
    table = nb.read_neighbourhoods(real_data / "hcp/neighbourhood_files/valid.csv")
    assert table.wijk == {"1234AB": "WK123", "1235AB": "WK123"} and table.rows == 2
    assert table.lookup("1234 ab") == "WK123" and table.lookup("9999ZZ") is None


@pytest.mark.realdata
@pytest.mark.parametrize(("name", "fragment"), [
    ("invalid.csv", "invalid.csv: line 1: the header is 'neighbourhood_code,ambiguous'; expected zip_code,neighbourhood_code,ambiguous"),
    ("wrong_filetype.txt", "wrong_filetype.txt: empty file; expected a CSV"),
])
def test_tiny_invalid_tables_are_one_line_errors(real_data: Path, name: str, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        nb.read_neighbourhoods(real_data / "hcp/neighbourhood_files" / name)
    assert fragment in err.value.message and "\n" not in err.value.message
    assert err.value.problem.nl


@pytest.mark.realdata
def test_cbs_table_keeps_only_what_is_wanted(real_data: Path) -> None:
    table = nb.read_neighbourhoods(real_data / "hcp/cbs/zip_to_neighbourhood_2024.csv", wanted={"1011 AB", "1011VX", "3311AA", "3331DA"})
    assert table.rows == 465_606
    # 3331DA (the fake Dordrecht station's postcode) is not in the table: no wijk, never a guess
    assert table.wijk == {"1011AB": "WK0363AF", "1011VX": "WK0363AF", "3311AA": "WK050501"}
    assert table.ambiguous == {"1011VX"}  # "yes, selected largest"


@pytest.mark.parametrize(("text", "fragment"), [
    ("zip_code,neighbourhood_code,ambiguous\n1234AB,WK1,no,extra\n", "line 2: 4 columns, expected 3"),
    ("zip_code,neighbourhood_code,ambiguous\n12345,WK1,no\n", "line 2, column 1: '12345' is not a postcode"),
    ("zip_code,neighbourhood_code,ambiguous\n1234AB,,no\n", "line 2, column 2: no wijk code"),
    ("zip_code,neighbourhood_code,ambiguous\n1234AB,WK1,no\n1234AB,WK2,no\n", "line 3: postcode 1234AB is given twice, in WK1 and WK2"),
    ("zip_code;neighbourhood_code;ambiguous\n", "line 1: the header is"),
])
def test_bad_rows(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        nb.parse_neighbourhoods(text.encode(), "t.csv")
    assert err.value.message.startswith("t.csv: ") and fragment in err.value.message


def test_not_utf8_and_bom() -> None:
    with pytest.raises(InputError, match="not UTF-8"):
        nb.parse_neighbourhoods(b"zip_code,neighbourhood_code,ambiguous\n1234AB,WK\xff,no\n", "t.csv")
    table = nb.parse_neighbourhoods("\ufeffzip_code,neighbourhood_code,ambiguous\r\n1234AB,WK1,no\r\n".encode(), "t.csv")
    assert table.wijk == {"1234AB": "WK1"}


def test_postcodes() -> None:
    assert postcode.normalise(" 1234 ab ") == "1234AB"
    assert postcode.normalise("1234ab", spaced=True) == "1234 AB"
    assert postcode.normalise("123AB") is None and postcode.normalise(None) is None
    bare, written = postcode.split_station_name("Stembureau X (postcode: 3331 DA)")
    assert (bare, postcode.normalise(written)) == ("Stembureau X", "3331DA")
    assert postcode.split_station_name("Stembureau X") == ("Stembureau X", None)


def test_the_three_readings_of_a_postcode_in_a_name() -> None:
    """Where they differ (core/postcode.py says why): a postcode that does not end the name, one
    that is not well-formed, and spaces inside the parentheses."""
    middle = "Stembureau X (postcode: 3331 DA) zaal 2"
    assert postcode.split_station_name(middle) == ("Stembureau X zaal 2", "3331 DA")
    assert postcode.split_station_name(middle, at_end=True) == (middle, None)
    assert postcode.without_postcodes(middle) == "Stembureau X  zaal 2"
    assert postcode.split_station_name("X (postcode: 33)", at_end=True) == ("X", "33")
    assert postcode.without_postcodes("X (postcode: 33)") == "X (postcode: 33)"
    assert postcode.without_postcodes("X ( postcode: 3331DA )") == "X "
    assert postcode.split_station_name("X ( postcode: 3331DA )") == ("X ( postcode: 3331DA )", None)


@pytest.mark.parametrize(("name", "outside"), [
    ("Stembureau Mobiel stembureau 1", True), ("Briefstembureau", True), ("Stembureau Station Centraal", True),
    ("Stembureau Tijdelijke unit", True), ("Stembureau Tentoonstellingshal", True),  # HCP's substring rule
    ("Stembureau Gemeentehuis (postcode: 3331 DA)", False), (None, False),
])
def test_stations_outside_every_wijk(name: str | None, outside: bool) -> None:
    assert nb.is_outside_wijk(name) is outside


def test_station_postcode_sources_in_order() -> None:
    count = CountFile(source="c", kind="510b", level=Level.MUNICIPALITY, election=ElectionRef(id="X"), units=[
        Tally(id="0505::SB1", name="Stembureau A (postcode: 1111 AA)", postcode="2222 BB"),  # CSV row wins
        Tally(id="0505::SB2", name="Stembureau B (postcode: 1111 AA)"),                       # 110b wins
        Tally(id="0505::SB3", name="Stembureau C (postcode: 3333 CC)"),                       # from the name
        Tally(id="0505::SB4", name="Stembureau D"),                                          # none
    ])
    stations = PollingStations(source="110b", election=ElectionRef(id="X"), stations=(Station(number="2", postcode="4444 DD"),))
    assert nb.station_postcodes(count, stations) == {"0505::SB1": "2222BB", "0505::SB2": "4444DD", "0505::SB3": "3333CC"}
    table = nb.NeighbourhoodTable("t", wijk={"2222BB": "WK1", "3333CC": "WK2"})
    count.units.append(Tally(id="0505::SB5", name="Mobiel stembureau (postcode: 3333 CC)"))
    assert nb.wijk_of_stations(count, table) == {
        "0505::SB1": "WK1", "0505::SB2": None, "0505::SB3": "WK2", "0505::SB4": None, "0505::SB5": None}


@pytest.mark.realdata
@pytest.mark.parametrize(("folder", "stations"), [("GR2022/WestMaasenWaal", 21), ("TK2025", 11)])
def test_csv_postcode_row_agrees_with_the_510b_names(real_data: Path, folder: str, stations: int) -> None:
    from osv_verify.io.discover import discover, load

    counts = {e.kind: load(e) for e in discover([real_data / folder]).entries if e.kind in ("510b", "osv4-3")}
    from_csv, from_names = (nb.station_postcodes(counts[k]) for k in ("osv4-3", "510b"))
    assert all(u.postcode for u in counts["osv4-3"].units)  # the CSV's Postcode row is kept
    assert len(from_csv) == stations and from_csv == from_names
