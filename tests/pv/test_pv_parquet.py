"""The neighbourhood table as Parquet, read by osv-verify's own small reader (osv_verify.io.parquet)."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest
from parquet_builder import parquet

from osv_verify.core.errors import InputError
from osv_verify.io import neighbourhoods as nb
from osv_verify.io import parquet as pq

COLUMNS = {"zip_code": ["1234AB", "1235AB", "1236AB"], "neighbourhood_code": ["WK1", "WK1", "WK2"],
           "ambiguous": ["no", "yes, selected largest", "no"]}


@pytest.mark.parametrize(("codec", "optional"), [(0, True), (0, False), (2, True), (2, False)])
def test_reads_text_columns_plain_or_gzip_required_or_optional(codec: int, optional: bool) -> None:
    table = nb.parse_neighbourhoods(parquet(COLUMNS, codec=codec, optional=optional), "t.parquet")
    assert table.wijk == {"1234AB": "WK1", "1235AB": "WK1", "1236AB": "WK2"} and table.ambiguous == {"1235AB"}
    assert table.rows == 3


def test_a_null_is_a_missing_value_with_its_row() -> None:
    columns = dict(COLUMNS, neighbourhood_code=["WK1", None, "WK2"])
    with pytest.raises(InputError, match=r"^t.parquet: row 2, column 2: no wijk code$"):
        nb.parse_neighbourhoods(parquet(columns), "t.parquet")


@pytest.mark.parametrize(("data", "fragment"), [
    (parquet(COLUMNS, codec=1), "cannot read this Parquet file (SNAPPY-compressed); pass the table as CSV instead"),
    (parquet(COLUMNS, physical_type=1), "(a column is not plain text)"),
    (parquet(COLUMNS, page_encoding=4), "(values in encoding 4)"),
    (parquet({"zip_code": ["1234AB"], "wijk": ["WK1"]}), "the columns are zip_code,wijk; expected zip_code,neighbourhood_code,ambiguous"),
    (b"PAR1" + b"\0" * 8, "(not a complete Parquet file)"),
    (parquet(COLUMNS)[:-8] + struct.pack("<I", 10**6) + b"PAR1", "(the footer is longer than the file)"),
])
def test_what_it_does_not_read_is_one_clear_error(data: bytes, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        nb.parse_neighbourhoods(data, "t.parquet")
    assert err.value.message.startswith("t.parquet: ") and fragment in err.value.message
    assert err.value.problem.nl


def test_a_row_count_bomb_is_refused_unread() -> None:
    data = parquet(COLUMNS)
    footer_len = struct.unpack("<I", data[-8:-4])[0]
    footer = bytearray(data[-8 - footer_len : -8])
    # num_rows (field 3, i64 zigzag 3 -> 6) claims 10**9 rows
    at = footer.find(bytes([0x16, 6]))
    claim = bytes([0x16]) + bytes.fromhex("80a8d6b907")  # zigzag varint of 10**9
    mutated = data[: -8 - footer_len] + bytes(footer[:at]) + claim + bytes(footer[at + 2 :])
    mutated += struct.pack("<I", footer_len + len(claim) - 2) + b"PAR1"
    with pytest.raises(InputError, match="claims 1000000000 rows"):
        nb.parse_neighbourhoods(mutated, "t.parquet")


def test_every_truncation_and_byte_flip_is_a_read_or_one_input_error() -> None:
    data = parquet(COLUMNS, codec=2)
    rng = random.Random(13)
    variants = [data[:n] for n in range(4, len(data))]
    for i in range(len(data)):
        b = bytearray(data)
        b[i] ^= rng.randrange(1, 256)
        variants.append(bytes(b))
    for v in variants:
        try:
            nb.parse_neighbourhoods(v, "t.parquet")
        except InputError as err:
            assert err.message.startswith("t.parquet: ") and "\n" not in err.message


@pytest.mark.realdata
def test_cbs_parquet_is_the_same_table_as_the_csv(real_data: Path) -> None:
    cbs = real_data / "hcp/cbs"
    from_parquet = nb.read_neighbourhoods(cbs / "zip_to_neighbourhood_2024.parquet")
    from_csv = nb.read_neighbourhoods(cbs / "zip_to_neighbourhood_2024.csv")
    assert from_parquet.rows == from_csv.rows == 465_606
    assert from_parquet.wijk == from_csv.wijk and from_parquet.ambiguous == from_csv.ambiguous


@pytest.mark.realdata
def test_hcp_test_parquet_reads(real_data: Path) -> None:
    # polars' other layout: data pages v2, dictionary-encoded wijk codes, last bit-packed group cut short
    table = nb.read_neighbourhoods(real_data / "hcp/neighbourhood_files/valid.parquet", wanted={"1011AB"})
    assert table.rows == 464_658 and table.wijk == {"1011AB": "WK0363AF"}


@pytest.mark.realdata
def test_zstd_without_libzstd_is_refused_with_advice(real_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pq, "_libzstd", lambda: None)
    with pytest.raises(InputError, match=r"ZSTD-compressed, and this system has no libzstd\); pass the table as CSV instead"):
        nb.read_neighbourhoods(real_data / "hcp/cbs/zip_to_neighbourhood_2024.parquet")
