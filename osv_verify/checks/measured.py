"""How often each plausibility check fires on real published stations, and how much of an
injected fault it finds: measured by ``benchmarks/plausibility_real.py`` on the real files in
``../shared/data`` (83 municipal counts, 3,323 polling stations: GR2022 510b A-D and West Maas
en Waal, the GR2022 OSV CSVs of Almere, Amersfoort, Amsterdam, Apeldoorn and Breda, TK2025 West
Maas en Waal, GR2026 Renswoude, PS2019/AB2019 Tytsjerksteradiel). Shown by ``--list-checks``,
``docs/checks.md`` and, for P.LIST_SWAP, in each finding. Re-run the harness and update these
figures when a check changes (docs/plausibility.md has the full tables).
"""

from __future__ import annotations

from osv_verify.core.text import Text

#: code -> what was measured (Dutch first)
MEASURED: dict[str, Text] = {
    "P.LIST_SWAP": Text(
        "Op echte gemeentelijke tellingen (3.323 stembureaus) sloeg deze controle aan bij 1,8 per 1.000 "
        "onaangeroerde stembureaus en vond zij 71,1 % van de ingebrachte lijstverwisselingen (beide lijsten "
        ">= 50 stemmen, totalen >= 25 % verschillend).",
        "On real municipal counts (3,323 stations) this check fired on 1.8 per 1,000 untouched stations and "
        "named 71.1 % of injected list swaps (both lists >= 50 votes, totals >= 25 % apart).",
    ),
    "P.CANDIDATE_SWAP": Text(
        "De regel van het protocol (elk paar): slaat aan bij 89,4 per 1.000 echte stembureaus; vindt 71,7 % "
        "van de ingebrachte kandidaatverwisselingen (>= 15 stemmen verschil).",
        "The protocol's rule (every pair): fires on 89.4 per 1,000 real stations; names 71.7 % of injected "
        "candidate swaps (>= 15 votes apart).",
    ),
    "P.CANDIDATE_SWAP_FIT": Text(
        "Slaat aan bij 34,9 per 1.000 echte stembureaus; vindt 46,5 % van de ingebrachte "
        "kandidaatverwisselingen (>= 15 stemmen verschil).",
        "Fires on 34.9 per 1,000 real stations; names 46.5 % of injected candidate swaps (>= 15 votes apart).",
    ),
    "P.PARTY_SHARE": Text(
        "Slaat aan bij 7,2 per 1.000 echte stembureaus (de regel van het protocol; niet gemeten op "
        "ingebrachte fouten).",
        "Fires on 7.2 per 1,000 real stations (the protocol's rule; no injected fault measured).",
    ),
    "P.NO_EXPLANATION": Text(
        "Slaat aan bij 136 per 1.000 echte stembureaus: elk daarvan vermeldt 'geen verklaring' (exact, geen "
        "schatting).",
        "Fires on 136 per 1,000 real stations: every one records 'geen verklaring' (exact, not a guess).",
    ),
    "P.MISSING_EXPLANATION": Text(
        "Slaat aan bij 15,3 per 1.000 echte stembureaus (de regel van het protocol; exact, geen schatting).",
        "Fires on 15.3 per 1,000 real stations (the protocol's rule; exact, not a guess).",
    ),
    "P.ZERO": Text(
        "Slaat aan bij 0 van 3.323 echte stembureaus; ongeldige stemmen per stembureau zijn te weinig (1 "
        "stembureau had >= 14 ongeldige stemmen om op 0 te zetten; niet gevonden).",
        "Fires on 0 of 3,323 real stations; station-level invalid counts are too small for it (1 station had "
        ">= 14 invalid votes to zero out; not found).",
    ),
    "W.201": Text(
        "Slaat aan bij 1,8 per 1.000 echte stembureaus.",
        "Fires on 1.8 per 1,000 real stations.",
    ),
    "W.202": Text(
        "Slaat aan bij 2,1 per 1.000 echte stembureaus.",
        "Fires on 2.1 per 1,000 real stations.",
    ),
    "W.203": Text(
        "Slaat aan bij 0,3 per 1.000 echte stembureaus.",
        "Fires on 0.3 per 1,000 real stations.",
    ),
    "W.204": Text(
        "Slaat aan bij 1,2 per 1.000 echte stembureaus.",
        "Fires on 1.2 per 1,000 real stations.",
    ),
}
