"""The neighbourhood table as Parquet, read through pyarrow (the extra ``parquet``)."""

from __future__ import annotations

import builtins
import io
import random
from pathlib import Path

import pytest

from osv_verify.core.errors import InputError, UsageError
from osv_verify.io import neighbourhoods as nb

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

COLUMNS = {"zip_code": ["1234AB", "1235AB", "1236AB"], "neighbourhood_code": ["WK1", "WK1", "WK2"],
           "ambiguous": ["no", "yes, selected largest", "no"]}


def parquet(columns: dict, compression: str = "zstd") -> bytes:
    out = io.BytesIO()
    pq.write_table(pa.table(columns), out, compression=compression)
    return out.getvalue()


@pytest.mark.parametrize("compression", ["none", "zstd", "snappy", "gzip"])
def test_reads_text_columns_in_any_compression(compression: str) -> None:
    table = nb.parse_neighbourhoods(parquet(COLUMNS, compression), "t.parquet")
    assert table.wijk == {"1234AB": "WK1", "1235AB": "WK1", "1236AB": "WK2"} and table.ambiguous == {"1235AB"}
    assert table.rows == 3


def test_a_null_is_a_missing_value_with_its_row() -> None:
    columns = dict(COLUMNS, neighbourhood_code=["WK1", None, "WK2"])
    with pytest.raises(InputError, match=r"^t.parquet: row 2, column 2: no wijk code$"):
        nb.parse_neighbourhoods(parquet(columns), "t.parquet")


@pytest.mark.parametrize(("data", "fragment"), [
    (parquet({"zip_code": ["1234AB"], "wijk": ["WK1"]}), "the columns are zip_code,wijk; expected zip_code,neighbourhood_code,ambiguous"),
    (parquet(dict(COLUMNS, zip_code=[1234, 1235, 1236])), "a column is not text"),
    (b"PAR1" + b"\0" * 8, "not a readable Parquet file ("),
])
def test_what_it_does_not_read_is_one_clear_error(data: bytes, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        nb.parse_neighbourhoods(data, "t.parquet")
    assert err.value.message.startswith("t.parquet: ") and fragment in err.value.message
    assert "\n" not in err.value.message and err.value.problem.nl


def test_every_truncation_and_some_byte_flips_are_a_read_or_one_input_error() -> None:
    data = parquet(COLUMNS)
    rng = random.Random(13)
    variants = [data[:n] for n in range(4, len(data), 7)]
    for i in rng.sample(range(len(data)), 60):
        b = bytearray(data)
        b[i] ^= rng.randrange(1, 256)
        variants.append(bytes(b))
    for v in variants:
        try:
            nb.parse_neighbourhoods(v, "t.parquet")
        except InputError as err:
            assert err.message.startswith("t.parquet: ") and "\n" not in err.message


def test_without_the_extra_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args, **kwargs):
        if name.split(".")[0] == "pyarrow":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    monkeypatch.delitem(__import__("sys").modules, "pyarrow", raising=False)
    with pytest.raises(UsageError) as err:
        nb.parse_neighbourhoods(parquet(COLUMNS), "t.parquet")
    assert err.value.message_in("en") == "reading a Parquet table needs the extra 'parquet': pip install 'osv-verify[parquet]'"
    assert "pip install 'osv-verify[parquet]'" in err.value.message_in("nl")


@pytest.mark.realdata
def test_cbs_parquet_is_the_same_table_as_the_csv(real_data: Path) -> None:
    cbs = real_data / "hcp/cbs"
    from_parquet = nb.read_neighbourhoods(cbs / "zip_to_neighbourhood_2024.parquet")
    from_csv = nb.read_neighbourhoods(cbs / "zip_to_neighbourhood_2024.csv")
    assert from_parquet.rows == from_csv.rows == 465_606
    assert from_parquet.wijk == from_csv.wijk and from_parquet.ambiguous == from_csv.ambiguous


@pytest.mark.realdata
def test_hcp_test_parquet_reads(real_data: Path) -> None:
    # polars' other layout: data pages v2, dictionary-encoded wijk codes
    table = nb.read_neighbourhoods(real_data / "hcp/neighbourhood_files/valid.parquet", wanted={"1011AB"})
    assert table.rows == 464_658 and table.wijk == {"1011AB": "WK0363AF"}
