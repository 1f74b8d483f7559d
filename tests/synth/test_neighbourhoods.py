"""``generate(..., neighbourhoods=True)``: stations differ by neighbourhood as in real
municipalities (village parties, local candidates), the set still verifies clean, and the
neighbourhoods change nothing but the votes (fixtures/demo, generated without them, is
reproduced byte for byte by tests/synth/test_demo_fixture.py)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from osv_verify.core.findings import Severity
from osv_verify.io.discover import discover, load
from osv_verify.core.model import CountFile, Level
from osv_verify.devtools.synth import generate
from osv_verify.app.verify import verify


def _count(out: Path) -> CountFile:
    (entry,) = [e for e in discover([out]).entries if e.kind == "510b" and e.level is Level.MUNICIPALITY]
    return load(entry)  # type: ignore[return-value]


def _widest_share_range(count: CountFile) -> Fraction:
    """The largest difference, over lists, between a list's highest and lowest station share."""
    shares = [{k: Fraction(v, sum(u.lists.values())) for k, v in u.lists.items()} for u in count.units]
    return max(max(s[k] for s in shares) - min(s[k] for s in shares) for k in shares[0])


@pytest.mark.parametrize("seed", range(3))
def test_neighbourhoods_vary_more_and_verify_clean(tmp_path: Path, seed: int) -> None:
    kw = dict(category="GR", stations=40, lists=6, candidates=10, seed=seed, csv=False)
    plain, hoods = tmp_path / "plain", tmp_path / "hoods"
    generate(plain, **kw)
    generate(hoods, neighbourhoods=True, **kw)
    assert _widest_share_range(_count(hoods)) > _widest_share_range(_count(plain))
    run = verify([hoods])
    assert [f.code for f in run.findings if f.severity is not Severity.INFO] == []


def test_neighbourhoods_change_only_the_votes(tmp_path: Path) -> None:
    """The neighbourhoods have their own random generator: the same seed gives the same
    stations (eligible, admitted, ballots), only the division of the votes differs."""
    kw = dict(category="GR", stations=8, lists=4, candidates=5, seed=7, csv=False)
    generate(tmp_path / "a", **kw)
    generate(tmp_path / "b", neighbourhoods=True, **kw)
    a, b = _count(tmp_path / "a"), _count(tmp_path / "b")
    keep = ("eligible", "admitted", "valid", "blank", "invalid")
    assert [[u.counts[k] for k in keep] for u in a.units] == [[u.counts[k] for k in keep] for u in b.units]
    assert [u.lists for u in a.units] != [u.lists for u in b.units]
