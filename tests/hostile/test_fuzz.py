"""Fuzz targets (issue 25): each reader, fed a valid file damaged at random (bytes flipped,
inserted, deleted, cut short, spliced), either reads it or raises ``InputError``; any other
exception is a bug. Each runs a bounded number of examples in the suite (``FUZZ_EXAMPLES``);
set it higher to fuzz for longer.

The zip target goes through the whole walk (``discover`` and ``load``), the others through
their reader. PDF is not a target here: no PDF reader is on this branch (``odt.is_pdf`` only
recognises one); the lead adds it after merging, in the same shape as ``test_odt_reader``.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
import pytest
from pathlib import Path

from conftest import STATIONS, make_510b
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_corpus import CSV

from osv_verify.core.errors import InputError
from osv_verify.io import neighbourhoods, odt, osv_csv
from osv_verify.io.discover import discover, load

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pv"))
from odt_builder import content, odt as make_odt, row  # noqa: E402

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
fuzz = settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def damaged(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few random edits: flip, insert, delete, cut, or splice in a copy of itself."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        edit = draw(st.sampled_from(["flip", "insert", "delete", "cut", "splice"]))
        if edit == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif edit == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif edit == "cut":
            del data[at:]
        else:
            start = draw(st.integers(0, max(len(data) - 1, 0)))
            data[at:at] = data[start:start + draw(st.integers(1, 256))]
    return bytes(data)


def reads_or_refuses(read: object, *args: object) -> None:
    """``read(*args)`` returns, or raises ``InputError``: any other exception fails the test."""
    try:
        read(*args)  # type: ignore[operator]
    except InputError:
        pass


def zip_bytes(members: dict[str, bytes], deflate: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


COUNT = make_510b(STATIONS)
ARCHIVE = zip_bytes({"Telling.eml.xml": COUNT, "inner.zip": zip_bytes({"osv.csv": CSV.encode()}), "notes.txt": b"x"})
PV = make_odt(content("31-1", {"NieuweTelling": [row("1", "Stadhuis", "1234 AB"), row("2", "School")]}))
def parquet(columns: dict[str, list[str]]) -> bytes:
    """A small Parquet file written by pyarrow (the 'parquet' extra the CBS table is read with)."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    buf = io.BytesIO()
    pq.write_table(pa.table(columns), buf)
    return buf.getvalue()


NEIGHBOURHOODS = parquet({"zip_code": ["1234AB", "1235AC"], "neighbourhood_code": ["WK1", "WK2"], "ambiguous": ["0", "1"]})


@fuzz
@given(data=st.one_of(damaged(ARCHIVE), st.builds(zip_bytes, st.dictionaries(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=20), st.one_of(damaged(COUNT), damaged(CSV.encode()), st.binary(max_size=64)), max_size=5))))
def test_zip_walk(data: bytes, tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "set.zip"
    path.write_bytes(data)
    inventory = discover([path])
    assert all(isinstance(p, InputError) for p in inventory.problems)
    for entry in inventory.entries:
        reads_or_refuses(load, entry)


@fuzz
@given(data=damaged(CSV.encode()))
def test_csv_reader(data: bytes) -> None:
    reads_or_refuses(osv_csv.read_osv_csv, data, "fuzz.csv")


@fuzz
@given(data=st.one_of(damaged(PV), st.builds(lambda c: make_odt(c), damaged(content("31-1", {"NieuweTelling": [row("1", "A")]})))))
def test_odt_reader(data: bytes) -> None:
    reads_or_refuses(odt.read_pv, data, "fuzz.odt")


@fuzz
@given(data=damaged(NEIGHBOURHOODS))
def test_parquet_reader(data: bytes) -> None:
    reads_or_refuses(neighbourhoods.parse_neighbourhoods, data, "fuzz.parquet")
