"""The published zips of PS/AB 2027 (abacus-2027.md §2.2): names as Abacus makes them, nested
zips written in memory, deterministic (fixed member times), so a seed gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping

#: the time every member carries (zip has no time zone and the files' own times are inside them)
MEMBER_TIME = (2027, 3, 18, 12, 0, 0)


def _plain(name: str) -> str:
    """Accents and punctuation removed (``Súdwest-Fryslân`` -> ``Sudwest Fryslan``)."""
    t = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9 ]", " ", t).strip()


def hyphen(name: str) -> str:
    """Abacus's ``hyphen``: lowercase, accents and punctuation removed, spaces become ``-``."""
    return re.sub(r"\s+", "-", _plain(name).lower())


def slugify(name: str) -> str:
    """Abacus's ``slugify``: accents and punctuation removed, spaces become ``_``."""
    return re.sub(r"\s+", "_", _plain(name))


def stamp(when: dt.datetime) -> str:
    """``20270318-132835``, the download time in a zip's name."""
    return when.strftime("%Y%m%d-%H%M%S")


def zip_bytes(members: Mapping[str, bytes]) -> bytes:
    """A zip of ``members`` (name -> bytes), in the order given, deflated."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, MEMBER_TIME), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def counts_zip(eml_name: str, eml: bytes) -> tuple[str, bytes]:
    """The inner ``Telling_...zip`` / ``Totaaltelling_...zip`` / ``Resultaat_...zip`` of an EML
    (no ``.signature``: these files are not signed here)."""
    return eml_name.removesuffix(".eml.xml") + ".zip", zip_bytes({eml_name: eml})


def definitive(eid: str, region_category: str, region: str, when: dt.datetime, members: Mapping[str, bytes]) -> tuple[str, bytes]:
    """``definitieve-documenten_<eid>_<category>_<region>-<time>.zip``."""
    return f"definitieve-documenten_{eid.lower()}_{region_category}_{hyphen(region)}-{stamp(when)}.zip", zip_bytes(members)


def correction(eid: str, region: str, when: dt.datetime, members: Mapping[str, bytes]) -> tuple[str, bytes]:
    """``correctie_<eid>_gemeente_<region>-<time>.zip``: a later session with corrections."""
    return f"correctie_{eid.lower()}_gemeente_{hyphen(region)}-{stamp(when)}.zip", zip_bytes(members)


def determination(eid: str, when: dt.datetime, members: Mapping[str, bytes]) -> tuple[str, bytes]:
    """``vaststelling-uitslag_<eid>-<time>.zip``: the central bureau's result (520)."""
    return f"vaststelling-uitslag_{eid.lower()}-{stamp(when)}.zip", zip_bytes(members)


def station_list(election_name: str, when: dt.datetime, eml_name: str, eml: bytes) -> tuple[str, bytes]:
    """``abacus-exporteren_stemgebieden-<election>-eml_110b_stembureaus-<time>.zip``."""
    return (f"abacus-exporteren_stemgebieden-{slugify(election_name).lower()}-eml_110b_stembureaus-{stamp(when)}.zip",
            zip_bytes({eml_name: eml}))
