"""Kieswet chapter P: seat allocation and candidate nomination, exact and with lots as input."""

from osv_verify.seats.apportion import (
    Allocation,
    InvalidLots,
    ListInput,
    ListSeats,
    LotsRequired,
    SeatWarning,
    Step,
    StepKind,
    allocate,
)
from osv_verify.seats.groups import (
    GroupElected,
    GroupResult,
    PartyElection,
    PartyInput,
    SubList,
    UnsupportedCase,
    elect,
)
from osv_verify.seats.nominate import Elected, Nomination, Reason, nominate
from osv_verify.seats.rules import SeatRules, rules_for

__all__ = [
    "Allocation",
    "Elected",
    "GroupElected",
    "GroupResult",
    "InvalidLots",
    "ListInput",
    "ListSeats",
    "LotsRequired",
    "Nomination",
    "PartyElection",
    "PartyInput",
    "Reason",
    "SeatRules",
    "SeatWarning",
    "Step",
    "StepKind",
    "SubList",
    "UnsupportedCase",
    "allocate",
    "elect",
    "nominate",
    "rules_for",
]
