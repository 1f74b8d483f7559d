"""Shared test helpers: the real-data location and a tiny hand-written EML 510 builder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=60)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REAL = Path(os.environ.get("OSV_VERIFY_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture(scope="session")
def real_data() -> Path:
    if not REAL.is_dir():
        pytest.skip(f"real published data not found at {REAL} (set OSV_VERIFY_DATA)")
    return REAL


NS = (
    'xmlns="urn:oasis:names:tc:evs:schema:eml" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" '
    'xmlns:kr="http://www.kiesraad.nl/extensions" xmlns:xal="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" '
    'xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0"'
)


def vote_group(lists: dict[int, list[int]], counts: dict[str, int], unit: str | None = None, extra: str = "") -> str:
    """A TotalVotes/ReportingUnitVotes body: list totals = sum of candidates unless given."""
    parts = []
    if unit:
        parts.append(f'<ReportingUnitIdentifier Id="{unit}">Stembureau {unit}</ReportingUnitIdentifier>')
    for n, cands in lists.items():
        parts.append(
            f'<Selection><AffiliationIdentifier Id="{n}"><RegisteredName>Lijst {n}</RegisteredName>'
            f"</AffiliationIdentifier><ValidVotes>{sum(cands)}</ValidVotes></Selection>"
        )
        for i, v in enumerate(cands, 1):
            parts.append(
                f'<Selection><Candidate><CandidateIdentifier Id="{i}"></CandidateIdentifier></Candidate>'
                f"<ValidVotes>{v}</ValidVotes></Selection>"
            )
    tags = {"eligible": "Cast", "valid": "TotalCounted"}
    rejected = {"invalid": "ongeldig", "blank": "blanco"}
    uncounted = {
        "poll_cards": "geldige stempassen", "proxy_certificates": "geldige volmachtbewijzen",
        "voter_cards": "geldige kiezerspassen", "admitted": "toegelaten kiezers",
        "more_ballots": "meer getelde stembiljetten", "fewer_ballots": "minder getelde stembiljetten",
        "no_explanation": "geen verklaring", "other_explanation": "andere verklaring",
    }
    for key, value in counts.items():
        if key in tags:
            parts.append(f"<{tags[key]}>{value}</{tags[key]}>")
        elif key in rejected:
            parts.append(f'<RejectedVotes ReasonCode="{rejected[key]}">{value}</RejectedVotes>')
        else:
            parts.append(f'<UncountedVotes ReasonCode="{uncounted[key]}">{value}</UncountedVotes>')
    return "".join(parts) + extra


def station_counts(lists: dict[int, list[int]], blank: int = 1, invalid: int = 1, eligible: int = 500) -> dict[str, int]:
    valid = sum(sum(c) for c in lists.values())
    h = valid + blank + invalid
    return {
        "eligible": eligible, "valid": valid, "invalid": invalid, "blank": blank,
        "poll_cards": h - 2, "proxy_certificates": 2, "voter_cards": 0, "admitted": h,
        "more_ballots": 0, "fewer_ballots": 0, "no_explanation": 0, "other_explanation": 0,
    }


def make_510b(
    stations: dict[str, dict[int, list[int]]],
    authority: str = "0999",
    election: str = "GR2030_Testdorp",
    total_override: dict[str, int] | None = None,
    created: str = "2030-03-21T10:00:00.000",
) -> bytes:
    """A small, consistent 510b written by hand (not by the project's writer)."""
    units = []
    total_lists: dict[int, list[int]] = {}
    total_counts: dict[str, int] = {}
    for sb, lists in stations.items():
        counts = station_counts(lists)
        units.append(f"<ReportingUnitVotes>{vote_group(lists, counts, f'{authority}::{sb}')}</ReportingUnitVotes>")
        for n, cands in lists.items():
            acc = total_lists.setdefault(n, [])
            acc.extend([0] * (len(cands) - len(acc)))
            for i, v in enumerate(cands):
                acc[i] += v
        for k, v in counts.items():
            total_counts[k] = total_counts.get(k, 0) + v
    total_counts.update(total_override or {})
    return (
        f'<EML {NS} Id="510b" SchemaVersion="5"><TransactionId>1</TransactionId><ManagingAuthority>'
        f'<AuthorityIdentifier Id="{authority}">Testdorp</AuthorityIdentifier><AuthorityAddress></AuthorityAddress>'
        f"</ManagingAuthority><kr:CreationDateTime>{created}</kr:CreationDateTime><Count><EventIdentifier></EventIdentifier>"
        f'<Election><ElectionIdentifier Id="{election}"><ElectionName>Gemeenteraad Testdorp 2030</ElectionName>'
        f"<ElectionCategory>GR</ElectionCategory><kr:ElectionSubcategory>GR1</kr:ElectionSubcategory>"
        f'<kr:ElectionDomain Id="{authority}">Testdorp</kr:ElectionDomain><kr:ElectionDate>2030-03-20</kr:ElectionDate>'
        f'</ElectionIdentifier><Contests><Contest><ContestIdentifier Id="geen"></ContestIdentifier>'
        f"<TotalVotes>{vote_group(total_lists, total_counts)}</TotalVotes>{''.join(units)}</Contest></Contests>"
        f"</Election></Count></EML>"
    ).encode()


STATIONS = {
    "SB1": {1: [50, 20, 5], 2: [40, 10], 3: [7]},
    "SB2": {1: [30, 25, 1], 2: [60, 3], 3: [12]},
    "SB3": {1: [44, 2, 9], 2: [15, 15], 3: [0]},
}


@pytest.fixture
def demo_510b(tmp_path: Path) -> Path:
    path = tmp_path / "Telling_GR2030_Testdorp.eml.xml"
    path.write_bytes(make_510b(STATIONS))
    return path
