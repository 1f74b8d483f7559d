"""The municipality's PV (Model Na 31-1 / Na 31-2 as ODT): recounted stations, matching, hostile input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from odt_builder import content, odt, row, zip_of

from osv_verify.core.errors import InputError
from osv_verify.io import odt as pvodt
from osv_verify.io.eml import read_document
from osv_verify.core.model import CountFile, ElectionRef, Level, Tally

HOORNES, HOGE, VALKENBURG = (1, "Hoornes West", "2221 LA"), (2, "Hoge Mors", "2222 LB"), (3, "Valkenburg", "2222 LC")

# hcp/README.md, "Which stations a PV lists as already recounted"
EXPECTED = {
    "odts/3ru/Model_Na31-1.odt": ("na31-1", [HOORNES, HOGE, VALKENBURG]),
    "odts/3ru/Model_Na31-2.odt": ("na31-2", [HOORNES, HOGE, VALKENBURG]),
    "odts/3ru_spread/Model_Na31-1.odt": ("na31-1", [HOORNES, HOGE, VALKENBURG]),
    "odts/3ru_tk25/Model_Na31-2.odt": ("na31-2", [HOORNES, HOGE, VALKENBURG]),
    "odts/tk25/Model_Na31-2.odt": ("na31-2", [HOORNES, HOGE, VALKENBURG]),
    "odts/3ru_zipless/Model_Na31-1.odt": ("na31-1", [(1, "Hoornes West", None), HOGE, (3, "Valkenburg", None)]),
    "odts/3ru_zipless/Model_Na31-2.odt": ("na31-2", [(1, "Hoornes West", None), HOGE, (3, "Valkenburg", None)]),
    "odts/1ru_ep/Model_Na31-1.odt": ("na31-1", [(1, "Park Sallandse", "7451 BB")]),
    "odts/1ru_ep/Model_Na31-2.odt": ("na31-2", [(1, "Park Sallandse", "7451 BB")]),
    "odts/tk25/Model_Na31-1.odt": ("na31-1", [(1, "Tera Korá", "0000 BQ")]),
    "odts/empty_fields/Model_Na31-1.odt": ("na31-1", [VALKENBURG]),
    "FAKE_TEST_DATA_TK2023_DORDRECHT/Model_Na31-1.odt": ("na31-1", [(1, "Binnenstad", "3331 DA")]),
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_pv_lists_exactly_the_recounted_stations(real_data: Path, name: str) -> None:
    pv = pvodt.read_pv_file(real_data / "hcp" / name)
    model, stations = EXPECTED[name]
    assert pv.model == model
    assert [(s.number, s.name, s.postcode) for s in pv.recounted] == stations


@pytest.mark.realdata
def test_empty_fields_are_counted_not_guessed(real_data: Path) -> None:
    pv = pvodt.read_pv_file(real_data / "hcp/odts/empty_fields/Model_Na31-1.odt")
    # station 1 without a number and station 2 without a name, in each of the three tables
    assert pv.incomplete_rows == 6


@pytest.mark.realdata
def test_real_pv_names_its_municipality_and_election(real_data: Path) -> None:
    pv = pvodt.read_pv_file(real_data / "hcp/odts/tk25/Model_Na31-1.odt")
    assert (pv.municipality, pv.election_body, pv.election_date) == ("Saba", "Tweede Kamer der Staten-Generaal", "29 oktober 2025")


@pytest.mark.realdata
def test_dordrecht_station_1_is_recounted(real_data: Path) -> None:
    folder = real_data / "hcp/FAKE_TEST_DATA_TK2023_DORDRECHT"
    with open(folder / "Fake_test_data_Telling_TK2023_gemeente_Dordrecht.eml.xml", "rb") as f:
        count = read_document(f, "dordrecht.xml", "510b")
    pv = pvodt.read_pv_file(folder / "Model_Na31-1.odt")
    assert pvodt.pairing_problem(pv, count) is None
    assert pvodt.match_recounted(pv, count) == pvodt.RecountMatch(frozenset({"0505::SB1"}))
    katwijk = pvodt.read_pv_file(real_data / "hcp/odts/3ru/Model_Na31-1.odt")
    assert pvodt.pairing_problem(katwijk, count) == "the PV is for Katwijk, the count file for Dordrecht"
    paired, alone = pvodt.pair_pvs([pv, katwijk], [count])
    assert paired == {"dordrecht.xml": [pv]} and alone == [katwijk]


# ---------------------------------------------------------------- matching rules (synthetic)


def count_file(*units: tuple[str, str], authority: str = "Dordrecht", category: str = "TK",
               date: str = "2023-11-22") -> CountFile:
    return CountFile(
        source="510b.xml", kind="510b", level=Level.MUNICIPALITY, authority_name=authority,
        election=ElectionRef(id="TK2023", category=category, date=date),
        units=[Tally(id=i, name=n) for i, n in units],
    )


def pv_of(*stations: pvodt.PvStation, municipality: str | None = "Dordrecht", date: str | None = "november 2023") -> pvodt.MunicipalityPv:
    return pvodt.MunicipalityPv("pv.odt", pvodt.PvModel.NA31_1, tuple(stations), municipality=municipality,
                                election_body="Tweede Kamer der Staten-Generaal", election_date=date)


def test_number_and_name_must_both_match() -> None:
    count = count_file(("0505::SB1", "Stembureau Binnenstad (postcode: 3331 DA)"), ("0505::SB2", "Stembureau Oost"))
    match = pvodt.match_recounted(pv_of(
        pvodt.PvStation(1, "Binnenstad", "3331 DA"),   # matches
        pvodt.PvStation(2, "West"),                    # number matches, name does not
        pvodt.PvStation(3, "Oost"),                    # name of station 2, number absent
    ), count)
    assert match.recounted == {"0505::SB1"}
    assert [(u.station.number, u.unit_name) for u in match.unmatched] == [(2, "Stembureau Oost"), (3, None)]
    assert "telbestand noemt het 'Stembureau Oost'" in match.unmatched[0].text.render("nl")
    assert "has no station 3" in match.unmatched[1].text.render("en")


def test_names_compare_without_prefix_postcode_case_and_spacing_only() -> None:
    count = count_file(("0505::SB7", "Stembureau  De   Hoek (postcode: 3331 DA)"), ("0505::SB8", "Stembureau Café"))
    assert pvodt.match_recounted(pv_of(pvodt.PvStation(7, "de hoek")), count).recounted == {"0505::SB7"}
    # a different spelling is a different name; NFC and NFD forms of é are the same name
    assert pvodt.match_recounted(pv_of(pvodt.PvStation(7, "De Hoekje")), count).recounted == frozenset()
    assert pvodt.match_recounted(pv_of(pvodt.PvStation(8, "Cafe\u0301")), count).recounted == {"0505::SB8"}


def test_a_conflicting_postcode_is_another_station() -> None:
    count = count_file(("0505::SB1", "Stembureau Binnenstad (postcode: 3331 DA)"))
    assert pvodt.match_recounted(pv_of(pvodt.PvStation(1, "Binnenstad", "3331 DB")), count).recounted == frozenset()
    assert pvodt.match_recounted(pv_of(pvodt.PvStation(1, "Binnenstad", None)), count).recounted == {"0505::SB1"}


def test_station_number_only_for_stations() -> None:
    assert pvodt.station_number(Tally(id="0505::SB012")) == 12
    assert pvodt.station_number(Tally(id="HSB3::0505")) is None
    assert pvodt.station_number(Tally(id=None)) is None


@pytest.mark.parametrize(("pv", "problem"), [
    (pv_of(), None),
    (pv_of(municipality="dordrecht "), None),
    (pv_of(municipality="Zwijndrecht"), "the PV is for Zwijndrecht, the count file for Dordrecht"),
    (pv_of(municipality=None), "the PV does not name its municipality"),
    (pv_of(date="oktober 2023"), "the PV is for the election of oktober 2023, the count file for 2023-11-22"),
    (pv_of(date="21 november 2023"), "the PV is for the election of 21 november 2023, the count file for 2023-11-22"),
    (pv_of(date="22 november 2023"), None),
])
def test_pairing(pv: pvodt.MunicipalityPv, problem: str | None) -> None:
    assert pvodt.pairing_problem(pv, count_file()) == problem


def test_pairing_checks_the_election_body() -> None:
    assert pvodt.pairing_problem(pv_of(), count_file(category="GR")) == (
        "the PV is for Tweede Kamer der Staten-Generaal, the count file for a GR election")


# ---------------------------------------------------------------- the document itself (synthetic)


def test_model_comes_from_the_heading_and_tables_from_the_model() -> None:
    tables = {"NieuweTelling": [row("1", "A")], "CorrigendumGeenVerklaring": [row("2", "B")], "Tabelle3": [row("3", "C", "1234 ab")]}
    one = pvodt.read_pv(odt(content("31\u20111", tables)), "x.odt")
    assert one.model is pvodt.PvModel.NA31_1
    assert [(s.number, s.name, s.postcode) for s in one.recounted] == [(1, "A", None), (2, "B", None), (3, "C", "1234 AB")]
    two = pvodt.read_pv(odt(content("31-2", tables)), "x.odt")
    assert two.model is pvodt.PvModel.NA31_2
    assert [s.number for s in two.recounted] == [1]  # only the stations under 7


def test_a_station_listed_twice_counts_once() -> None:
    tables = {"NieuweTelling": [row("1", "A")], "Tabelle3": [row("1", "A")]}
    assert len(pvodt.read_pv(odt(content("31-1", tables)), "x.odt").recounted) == 1


def test_a_number_that_is_not_a_number_is_incomplete() -> None:
    pv = pvodt.read_pv(odt(content("31-1", {"NieuweTelling": [row("1a", "A"), row("2", "B")]})), "x.odt")
    assert [s.number for s in pv.recounted] == [2] and pv.incomplete_rows == 1


def encrypted(data: bytes) -> bytes:
    b = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = b.find(sig)
        while i >= 0:
            b[i + offset] |= 1
            i = b.find(sig, i + 4)
    return bytes(b)


def bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/manifest.xml", b"<manifest/>")
        z.writestr("content.xml", b"<a>" + b" " * (20 * 1024**2) + b"</a>")
    return buf.getvalue()


GOOD = odt(content("31-1", {"NieuweTelling": [row("1", "A")]}))
DOCTYPE = content("31-1").replace(b"<office:document-content",
                                  b'<!DOCTYPE x [<!ENTITY e "boom">]><office:document-content', 1)
ENTITY = content("31-1").replace(b"<office:document-content",
                                 b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><office:document-content', 1)


@pytest.mark.parametrize(("data", "fragment"), [
    (b"just some text", "not an ODT document (not a zip archive)"),
    (b"%PDF-1.7\n%...", "is a PDF, not an ODT; the recounts of a PV in PDF form are not read"),
    (GOOD[: len(GOOD) // 2], "not a readable ODT (damaged or cut short)"),
    (encrypted(GOOD), "archive member is encrypted"),
    (bomb(), "over the limit of 200:1 (zip bomb?)"),
    (odt(DOCTYPE), "x.odt: content.xml: has a DOCTYPE/DTD; an OpenDocument never needs one"),
    (odt(ENTITY), "x.odt: content.xml: has a DOCTYPE/DTD"),
    (odt(b"<office:document-content"), "x.odt: content.xml, line 1, column 25: not well-formed XML"),
    (odt(None), "x.odt: content.xml: no content.xml: not an OpenDocument text"),
    (odt(b"<a/>"), "content.xml is not an OpenDocument document"),
    (odt(content("32-1")), "not a Model Na 31-1 or Na 31-2 proces-verbaal"),
    (zip_of({"content.xml": b"<a/>", "inner.zip": GOOD}), "content.xml is not an OpenDocument document"),
])
def test_broken_or_hostile_pv_is_one_input_error(data: bytes, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        pvodt.read_pv(data, "x.odt")
    message = err.value.message
    assert message.startswith("x.odt: ") and fragment in message and "\n" not in message
    assert err.value.problem.nl  # every message is Dutch too


def test_pdf_notice_in_both_languages() -> None:
    err = pvodt.pdf_not_read("Model_Na31-2.pdf")
    assert err.message_in("en") == ("Model_Na31-2.pdf: the recount tick boxes of a PV in PDF form (as Abacus writes it) "
                                    "are not read: the stations it lists as recounted are not known")
    assert "worden de aangekruiste hertellingen niet gelezen" in err.message_in("nl")


def test_a_space_count_cannot_blow_up_memory() -> None:
    # <text:s text:c="..."/> is a run of spaces; names collapse spaces, so the count is never used
    huge = row("1", 'A<text:s text:c="999999999999"/>B')
    odd = row("2", 'C<text:s text:c="x"/>D')
    pv = pvodt.read_pv(odt(content("31-1", {"NieuweTelling": [huge, odd]})), "x.odt")
    assert [s.name for s in pv.recounted] == ["A B", "C D"]


def test_a_file_too_large_for_a_pv_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "Model_Na31-1.odt"
    path.write_bytes(GOOD)
    monkeypatch.setattr(pvodt, "MAX_PV_BYTES", len(GOOD) - 1)
    with pytest.raises(InputError, match=f"larger than {len(GOOD) - 1} bytes; a PV is far smaller"):
        pvodt.read_pv_file(path)


def test_every_truncation_and_byte_flip_is_a_read_or_one_input_error() -> None:
    import random

    rng = random.Random(7)
    variants = [GOOD[:n] for n in range(len(GOOD))]
    for i in range(len(GOOD)):
        b = bytearray(GOOD)
        b[i] ^= rng.randrange(1, 256)
        variants.append(bytes(b))
    for v in variants:
        try:
            pvodt.read_pv(v, "x.odt")
        except InputError as err:
            assert err.message.startswith("x.odt: ") and "\n" not in err.message
