"""A small writer of 510b files in the shape Abacus will publish for PS/AB 2027 (EML_NL 1.3 and
rust-eml-nl's "1.3.1"), for tests: XML declaration, two-space indents, a timestamp with UTC
offset, no ``ds:CanonicalizationMethod``, ``ContestIdentifier Id="geen"``, blanco before ongeldig,
and the 1.3 elements (``kr:Schema``, ``kr:CountingMethod``, ``kr:Phase`` in either place,
``kr:ReportingUnitType``, ``kr:SharedLocation``, the corrigendum twins in either spelling).

Written from the schemas in ``shared/reference/eml_nl_xsd`` and the description of Abacus's
output in ``shared/reference/abacus-2027.md`` (sections 2.3-2.5), not from any of their files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

UNCOUNTED = {"poll_cards": "geldige stempassen", "proxy_certificates": "geldige volmachtbewijzen",
             "voter_cards": "geldige kiezerspassen", "admitted": "toegelaten kiezers",
             "more_ballots": "meer getelde stembiljetten", "fewer_ballots": "minder getelde stembiljetten"}
REJECTED = {"blank": "blanco", "invalid": "ongeldig"}


def station(lists: dict[int, list[int]], *, blank: int = 1, invalid: int = 1, proxies: int = 2,
            cards: int | None = 1, eligible: int = 1000) -> dict[str, int]:
    """The numbers of one PV that add up: D = H, A = D - B - C; ``cards`` None leaves C out (GR)."""
    out: dict[str, int] = {f"list {n}": sum(c) for n, c in lists.items()}
    out.update({f"candidate {n}.{i}": v for n, c in lists.items() for i, v in enumerate(c, 1)})
    valid = sum(sum(c) for c in lists.values())
    admitted = valid + blank + invalid
    out.update(eligible=eligible, valid=valid, blank=blank, invalid=invalid, proxy_certificates=proxies,
               poll_cards=admitted - proxies - (cards or 0), admitted=admitted, more_ballots=0, fewer_ballots=0)
    if cards is not None:
        out["voter_cards"] = cards
    return out


@dataclass
class Unit:
    numbers: dict[str, int]
    earlier: dict[str, int] = field(default_factory=dict)  # field -> the value before the correction
    unit_type: str | None = None
    shared: bool | None = None


def total_of(units: dict[str, Unit], earlier: bool = False) -> Unit:
    """The municipal total: the sum of the stations, with twins where the sum changed."""
    now: dict[str, int] = {}
    before: dict[str, int] = {}
    for u in units.values():
        for k, v in u.numbers.items():
            now[k] = now.get(k, 0) + v
            before[k] = before.get(k, 0) + u.earlier.get(k, v)
    return Unit(now, {k: v for k, v in before.items() if v != now[k]} if earlier else {})


def write_510b(units: dict[str, Unit], *, eid: str = "PS2027_Noordland", category: str = "PS",
               authority: tuple[str, str] = ("0999", "Dorpum"), schema: str | None = "1.3",
               phase: str | None = "eerste zitting", phase_before_event: bool = False, spelling: str = "Initial",
               method: str | None = "centrale stemopneming", created: str = "2027-03-18T22:14:05.904+01:00",
               total: Unit | None = None, extra_header: str = "", kind: str = "510b", contest: str = "geen") -> bytes:
    """A 510b of ``units`` (station code -> Unit); the total is their sum unless given. With
    ``kind`` 510c or 510d the units are municipalities or kieskringen (their code is their Id)."""
    gem, name = authority
    total = total or total_of(units, earlier=any(u.earlier for u in units.values()))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<EML xmlns="urn:oasis:names:tc:evs:schema:eml" xmlns:kr="http://www.kiesraad.nl/extensions" '
             'xmlns:rg="http://www.kiesraad.nl/reportgenerator" xmlns:xal="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" '
             'xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             f'Id="{kind}" SchemaVersion="5">',
             "  <TransactionId>1</TransactionId>",
             f'  <ManagingAuthority>\n    <AuthorityIdentifier Id="{gem}">{name}</AuthorityIdentifier>\n'
             "    <AuthorityAddress/>\n  </ManagingAuthority>"]
    if schema:
        lines.append(f'  <kr:Schema Version="{schema}"/>')
    lines.append(f"  <kr:CreationDateTime>{created}</kr:CreationDateTime>")
    lines.append(extra_header)
    lines.append("  <Count>")
    if method:
        lines.append(f'    <kr:CountingMethod MethodCode="{method}"/>')
    phase_el = f'    <kr:Phase PhaseCode="{phase}"/>' if phase else ""
    if phase_before_event:
        lines.append(phase_el)
    lines.append("    <EventIdentifier/>")
    if not phase_before_event:
        lines.append(phase_el)
    domain = eid.split("_", 1)[-1]
    lines += ["    <Election>", f'      <ElectionIdentifier Id="{eid}">', f"        <ElectionName>{category} {domain}</ElectionName>",
              f"        <ElectionCategory>{category}</ElectionCategory>",
              f"        <kr:ElectionSubcategory>{category}2</kr:ElectionSubcategory>",
              f'        <kr:ElectionDomain Id="{domain}">{domain}</kr:ElectionDomain>',
              "        <kr:ElectionDate>2027-03-17</kr:ElectionDate>", "      </ElectionIdentifier>",
              "      <Contests>", "        <Contest>", f'          <ContestIdentifier Id="{contest}"/>']
    lines.append(_group("TotalVotes", None, total, spelling))
    for code, unit in units.items():
        ident = (f"{gem}::{code}", f"Stembureau {code}") if kind == "510b" else (code, f"Eenheid {code}")
        lines.append(_group("ReportingUnitVotes", ident, unit, spelling))
    lines += ["        </Contest>", "      </Contests>", "    </Election>", "  </Count>", "</EML>", ""]
    return "\n".join(line for line in lines if line).encode()


def _group(tag: str, ident: tuple[str, str] | None, unit: Unit, spelling: str) -> str:
    pad = " " * 12
    out = [" " * 10 + f"<{tag}>"]
    if ident:
        out.append(f'{pad}<ReportingUnitIdentifier Id="{ident[0]}">{ident[1]}</ReportingUnitIdentifier>')
        if unit.unit_type:
            out.append(f"{pad}<kr:ReportingUnitType>{unit.unit_type}</kr:ReportingUnitType>")
        if unit.shared is not None:
            out.append(f"{pad}<kr:SharedLocation>{str(unit.shared).lower()}</kr:SharedLocation>")
    n, before = unit.numbers, unit.earlier

    def twin(key: str, element: str, reason: str = "") -> str:
        if key not in before:
            return ""
        attr = f' ReasonCode="{reason}"' if reason else ""
        return f"{pad}<kr:{spelling}{element}{attr}>{before[key]}</kr:{spelling}{element}>\n"

    for key in sorted((k for k in n if k.startswith("list ")), key=lambda k: int(k.split()[1])):
        number = key.split()[1]
        out.append(f'{pad}<Selection>\n{pad}  <AffiliationIdentifier Id="{number}">\n'
                   f"{pad}    <RegisteredName>Lijst {number}</RegisteredName>\n{pad}  </AffiliationIdentifier>\n"
                   + twin(key, "ValidVotes").replace(pad, pad + "  ") + f"{pad}  <ValidVotes>{n[key]}</ValidVotes>\n{pad}</Selection>")
        for cand in sorted((k for k in n if k.startswith(f"candidate {number}.")), key=lambda k: int(k.rsplit(".", 1)[1])):
            cid = cand.rsplit(".", 1)[1]
            out.append(f'{pad}<Selection>\n{pad}  <Candidate>\n{pad}    <CandidateIdentifier Id="{cid}"/>\n{pad}  </Candidate>\n'
                       + twin(cand, "ValidVotes").replace(pad, pad + "  ") + f"{pad}  <ValidVotes>{n[cand]}</ValidVotes>\n{pad}</Selection>")
    out.append(twin("eligible", "Cast") + f"{pad}<Cast>{n['eligible']}</Cast>")
    out.append(twin("valid", "TotalCounted") + f"{pad}<TotalCounted>{n['valid']}</TotalCounted>")
    out.append("".join(twin(k, "RejectedVotes", r) for k, r in REJECTED.items())
               + "\n".join(f'{pad}<RejectedVotes ReasonCode="{r}">{n[k]}</RejectedVotes>' for k, r in REJECTED.items()))
    present = [(k, r) for k, r in UNCOUNTED.items() if k in n]
    out.append("".join(twin(k, "UncountedVotes", r) for k, r in present)
               + "\n".join(f'{pad}<UncountedVotes ReasonCode="{r}">{n[k]}</UncountedVotes>' for k, r in present))
    out.append(" " * 10 + f"</{tag}>")
    return "\n".join(out)
