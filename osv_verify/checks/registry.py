"""The catalogue of checks: one ``Rule`` per code, the single source of code, severity and words.

``osv-verify verify --list-checks`` prints it and ``docs/checks.md`` is generated from it, so
code and documentation cannot drift. Kiesraad codes (F.xxx, W.xxx) keep the meaning they have
in Abacus (see ``shared/reference/abacus.md`` section 3); our own codes are dotted names.
A code is never reused for another rule.

Message templates may use ``{where}``, ``{field}``, ``{expected}``, ``{actual}``,
``{derivation}``, ``{diff}`` and any extra keyword a check passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from osv_verify.core.findings import Finding, Location, Severity
from osv_verify.core.model import FIELD_BY_KEY


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    title: str
    titel: str  # Dutch title
    en: str  # message template, English
    nl: str  # message template, Dutch
    mirrors: str | None = None  # the Kiesraad/OSV check it reproduces
    law: str | None = None
    scope: str = ""

    def finding(
        self,
        location: Location,
        *,
        field: str | None = None,
        expected: int | str | None = None,  # text becomes Finding.expected_text
        actual: int | str | None = None,
        derivation: str | None = None,
        source: str | None = None,
        element: str | None = None,
        severity: Severity | None = None,
        **words: object,
    ) -> Finding:
        diff = actual - expected if isinstance(actual, int) and isinstance(expected, int) else None
        values = {
            "expected": expected,
            "actual": actual,
            "derivation": derivation or "",
            "diff": f"{diff:+d}" if diff is not None else "",
            **words,
        }
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            location=location,
            message_nl=self.nl.format(field=field_label(field, "nl"), where=location.label("nl"), **values),
            message_en=self.en.format(field=field_label(field, "en"), where=location.label("en"), **values),
            field=field,
            expected=expected,
            actual=actual,
            derivation=derivation,
            source=source,
            element=element,
        )


def field_label(field: str | None, lang: str) -> str:
    """A stable field key ("blank", "list 3", "candidate 3.7") in words of the language."""
    if not field:
        return ""
    if field in FIELD_BY_KEY:
        f = FIELD_BY_KEY[field]
        return f.nl if lang == "nl" else f.en
    if lang == "nl":
        return field.replace("candidate ", "kandidaat ").replace("list ", "lijst ")
    return field


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_RULES: tuple[Rule, ...] = (
    # ---- one PV or one total on its own ------------------------------------------------
    Rule(
        "F.201", "admitted-voters-sum", E,
        "poll cards + proxy certificates + voter cards differ from admitted voters",
        "stempassen + volmachtbewijzen + kiezerspassen wijkt af van toegelaten kiezers",
        "{where}: admitted voters {actual}, but poll cards + proxies + voter cards = {expected}",
        "{where}: toegelaten kiezers {actual}, maar stempassen + volmachten + kiezerspassen = {expected}",
        mirrors="Abacus F.201; OSV warning 7", law="Kieswet N 10 / model N 10-1",
        scope="every unit and total that gives A, B and D (C counted when given)",
    ),
    Rule(
        "F.202", "valid-votes-sum", E,
        "votes on candidates (TotalCounted) differ from the sum of the list totals",
        "stemmen op kandidaten (TotalCounted) wijkt af van de som van de lijsttotalen",
        "{where}: votes on candidates {actual}, but the list totals add up to {expected}",
        "{where}: stemmen op kandidaten {actual}, maar de lijsttotalen tellen op tot {expected}",
        mirrors="Abacus F.202 (with list totals for E.i); OSV import check", law="model N 10-1 / Na 31-2",
    ),
    Rule(
        "F.402", "list-total-vs-candidates", E,
        "a list total differs from the sum of its candidates' votes",
        "een lijsttotaal wijkt af van de som van de stemmen op de kandidaten",
        "{where}: list total {actual}, but its candidates' votes add up to {expected}",
        "{where}: lijsttotaal {actual}, maar de stemmen op de kandidaten tellen op tot {expected}",
        mirrors="Abacus F.401/F.402; OSV error 'lijsttotaal'",
    ),
    Rule(
        "F.305", "equal-but-difference-given", E,
        "admitted voters equal counted ballots, yet a difference is recorded",
        "toegelaten kiezers gelijk aan getelde stembiljetten, toch een verschil ingevuld",
        "{where}: admitted voters = ballots found = {total}, but {field} = {actual}",
        "{where}: toegelaten kiezers = aangetroffen stembiljetten = {total}, maar {field} = {actual}",
        mirrors="Abacus F.305", scope="polling stations",
    ),
    Rule(
        "F.306", "more-ballots-wrong", E,
        "more ballots than admitted voters, and 'meer getelde stembiljetten' is not the difference",
        "meer stembiljetten dan toegelaten kiezers, en 'meer getelde stembiljetten' is niet het verschil",
        "{where}: {found} ballots found for {admitted} admitted voters, so 'more ballots' should be {expected}, not {actual}",
        "{where}: {found} stembiljetten voor {admitted} toegelaten kiezers, dus 'meer getelde' moet {expected} zijn, niet {actual}",
        mirrors="Abacus F.306; OSV warning 8", scope="polling stations",
    ),
    Rule(
        "F.307", "more-ballots-but-fewer-given", E,
        "more ballots than admitted voters, yet 'minder getelde stembiljetten' is filled in",
        "meer stembiljetten dan toegelaten kiezers, toch 'minder getelde stembiljetten' ingevuld",
        "{where}: {found} ballots found for {admitted} admitted voters, but 'fewer ballots' = {actual} (should be 0)",
        "{where}: {found} stembiljetten voor {admitted} toegelaten kiezers, maar 'minder getelde' = {actual} (moet 0 zijn)",
        mirrors="Abacus F.307", scope="polling stations",
    ),
    Rule(
        "F.308", "fewer-ballots-wrong", E,
        "fewer ballots than admitted voters, and 'minder getelde stembiljetten' is not the difference",
        "minder stembiljetten dan toegelaten kiezers, en 'minder getelde stembiljetten' is niet het verschil",
        "{where}: {found} ballots found for {admitted} admitted voters, so 'fewer ballots' should be {expected}, not {actual}",
        "{where}: {found} stembiljetten voor {admitted} toegelaten kiezers, dus 'minder getelde' moet {expected} zijn, niet {actual}",
        mirrors="Abacus F.308; OSV warning 8", scope="polling stations",
    ),
    Rule(
        "F.309", "fewer-ballots-but-more-given", E,
        "fewer ballots than admitted voters, yet 'meer getelde stembiljetten' is filled in",
        "minder stembiljetten dan toegelaten kiezers, toch 'meer getelde stembiljetten' ingevuld",
        "{where}: {found} ballots found for {admitted} admitted voters, but 'more ballots' = {actual} (should be 0)",
        "{where}: {found} stembiljetten voor {admitted} toegelaten kiezers, maar 'meer getelde' = {actual} (moet 0 zijn)",
        mirrors="Abacus F.309", scope="polling stations",
    ),
    Rule(
        "F.312", "total-difference", E,
        "a total's difference between admitted voters and ballots is not 'more' minus 'fewer'",
        "het verschil tussen toegelaten kiezers en stembiljetten van een totaal is niet 'meer' min 'minder'",
        "{where}: ballots found - admitted voters = {actual}, but 'more ballots' - 'fewer ballots' = {expected}",
        "{where}: stembiljetten - toegelaten kiezers = {actual}, maar 'meer getelde' - 'minder getelde' = {expected}",
        mirrors="Abacus F.312", scope="totals (gemeente, kieskring, national) and units that are totals",
    ),
    Rule(
        "TALLY.EXPLANATIONS", "explanations-sum", E,
        "the explanations of a difference do not add up to that difference",
        "de verklaringen van een verschil tellen niet op tot dat verschil",
        "{where}: the explanation counts add up to {actual}, but the difference to explain ({derivation}) is {expected}",
        "{where}: de verklaringen tellen op tot {actual}, maar het te verklaren verschil ({derivation}) is {expected}",
        mirrors="Kiesraad controleprotocol (HCP 'verklaringen tellen niet op')",
        scope="stations (error); totals, where it follows from their stations (warning)",
    ),
    Rule(
        "TALLY.BALLOTS_FOUND", "ballots-found", E,
        "'aangetroffen stembiljetten' differs from valid + blank + invalid",
        "'aangetroffen stembiljetten' wijkt af van geldig + blanco + ongeldig",
        "{where}: ballots found {actual}, but valid + blank + invalid = {expected}",
        "{where}: aangetroffen stembiljetten {actual}, maar geldig + blanco + ongeldig = {expected}",
        mirrors="OSV warning 5", scope="OSV4-3 CSV (EML does not carry H)",
    ),
    Rule(
        "W.201", "many-blank", W,
        "blank votes are 3 % or more of the ballots",
        "blanco stemmen zijn 3 % of meer van de stembiljetten",
        "{where}: {actual} blank votes of {total} ballots ({pct} % = {expected})",
        "{where}: {actual} blanco stemmen van {total} stembiljetten ({pct} % = {expected})",
        mirrors="Abacus W.201; controleprotocol", scope="polling stations",
    ),
    Rule(
        "W.202", "many-invalid", W,
        "invalid votes are 3 % or more of the ballots",
        "ongeldige stemmen zijn 3 % of meer van de stembiljetten",
        "{where}: {actual} invalid votes of {total} ballots ({pct} % = {expected})",
        "{where}: {actual} ongeldige stemmen van {total} stembiljetten ({pct} % = {expected})",
        mirrors="Abacus W.202; controleprotocol", scope="polling stations",
    ),
    Rule(
        "W.203", "large-difference", W,
        "admitted voters and ballots differ by 2 % or more, or by 15 or more",
        "toegelaten kiezers en stembiljetten verschillen 2 % of meer, of 15 of meer",
        "{where}: {actual} ballots found for {expected} admitted voters (difference {diff})",
        "{where}: {actual} stembiljetten voor {expected} toegelaten kiezers (verschil {diff})",
        mirrors="Abacus W.203 (or, as implemented); controleprotocol", scope="polling stations",
    ),
    Rule(
        "W.204", "no-votes", W,
        "no ballots at all",
        "helemaal geen stembiljetten",
        "{where}: 0 ballots found",
        "{where}: 0 aangetroffen stembiljetten",
        mirrors="Abacus W.204; controleprotocol",
    ),
    Rule(
        "W.205", "no-eligible-voters", W,
        "the number of eligible voters is 0",
        "het aantal kiesgerechtigden is 0",
        "{where}: eligible voters (Cast) is 0 while {total} ballots were found",
        "{where}: het aantal kiesgerechtigden (Cast) is 0 terwijl er {total} stembiljetten zijn",
        mirrors="Abacus W.205", scope="totals and units that are totals (stations carry 0 when unknown)",
    ),
    Rule(
        "W.206", "more-admitted-than-eligible", W,
        "more admitted voters (or ballots, where admitted voters are not published) than eligible voters",
        "meer toegelaten kiezers (of stembiljetten, waar die niet gepubliceerd zijn) dan kiesgerechtigden",
        "{where}: {actual} {field}, but only {expected} eligible voters",
        "{where}: {actual} {field}, maar slechts {expected} kiesgerechtigden",
        mirrors="Abacus W.206 (there: eligible < poll cards)", scope="where both are given and eligible > 0",
    ),
    Rule(
        "W.ZERO", "implausible-zero", W,
        "a zero where the rate in the rest of the file makes zero very unlikely",
        "een nul waar het percentage in de rest van het bestand een nul zeer onwaarschijnlijk maakt",
        "{where}: {field} is 0 among {total} ballots; at the rate of the other units about {expected} were expected (chance of 0 below 1 in a million)",
        "{where}: {field} is 0 bij {total} stembiljetten; naar het percentage van de andere eenheden werden er ongeveer {expected} verwacht (kans op 0 kleiner dan 1 op een miljoen)",
        mirrors="Kiesraad notes TK2021 (Stein: 0 invalid votes, officially 24)",
        scope="totals of gemeenten and kieskringen; the rest of the same file is the reference",
    ),
    # ---- aggregation ---------------------------------------------------------------
    Rule(
        "AGG.TOTAL", "total-vs-units", E,
        "a total differs from the sum of its reporting units",
        "een totaal wijkt af van de som van zijn eenheden",
        "{where}: {field} is {actual} in the total, but the {units_en} add up to {expected}",
        "{where}: {field} is {actual} in het totaal, maar de {units_nl} tellen op tot {expected}",
        mirrors="OSV import check; eml2sql views", law="Kieswet N 11, O 3, P 1",
    ),
    Rule(
        "AGG.LEVEL", "level-vs-level", E,
        "a total was not copied correctly into the file of the level above",
        "een totaal is niet goed overgenomen in het bestand van het niveau erboven",
        "{where}: {field} is {expected} in {lower}, but {actual} in {upper}",
        "{where}: {field} is {expected} in {lower}, maar {actual} in {upper}",
        mirrors="OSV import check (510 of the level below)", law="Kieswet O 3, P 1",
    ),
    Rule(
        "AGG.SOURCES", "publication-vs-publication", E,
        "two publications of the same count disagree (e.g. EML and OSV CSV)",
        "twee publicaties van dezelfde telling verschillen (bijv. EML en OSV-CSV)",
        "{where}: {field} is {expected} in {first}, but {actual} in {second}",
        "{where}: {field} is {expected} in {first}, maar {actual} in {second}",
    ),
    Rule(
        "AGG.MISSING_UNIT", "missing-unit", E,
        "a reporting unit is missing",
        "een eenheid ontbreekt",
        "{where}: {what} {unit} is in {reference} but not in this file",
        "{where}: {what} {unit} staat in {reference} maar niet in dit bestand",
    ),
    Rule(
        "AGG.NO_LEVEL_ABOVE", "no-level-above", I,
        "the file of the level above is not among the inputs: the upward comparison was not made",
        "het bestand van het niveau erboven is niet bij de invoer: de vergelijking naar boven is niet gemaakt",
        "{where}: {files_en} not compared with the level above: {needs_en} is not among the inputs",
        "{where}: {files_nl} niet vergeleken met het niveau erboven: {needs_nl} is niet bij de invoer",
    ),
    Rule(
        "AGG.EXTRA_UNIT", "unexpected-unit", W,
        "a reporting unit that the election definition does not know",
        "een eenheid die de verkiezingsdefinitie niet kent",
        "{where}: unit {unit} is not in {reference}",
        "{where}: eenheid {unit} staat niet in {reference}",
    ),
    Rule(
        "AGG.DUPLICATE_UNIT", "duplicate-unit", E,
        "a reporting unit appears more than once",
        "een eenheid komt meer dan eens voor",
        "{where}: reporting unit {unit} appears {actual} times",
        "{where}: eenheid {unit} komt {actual} keer voor",
    ),
    Rule(
        "AGG.UNIT_LEFT_OUT", "unit-left-out-of-total", E,
        "the total leaves out one reporting unit",
        "het totaal laat één eenheid weg",
        "{where}: the total leaves out {unit}: {actual} of its numbers are short by exactly what {unit} counted",
        "{where}: het totaal laat {unit} weg: {actual} getallen zijn precies zoveel te laag als {unit} telde",
    ),
    Rule(
        "AGG.UNIT_TWICE", "unit-twice-in-total", E,
        "the total counts one reporting unit twice",
        "het totaal telt één eenheid dubbel",
        "{where}: the total counts {unit} twice: {actual} of its numbers are too high by exactly what {unit} counted",
        "{where}: het totaal telt {unit} dubbel: {actual} getallen zijn precies zoveel te hoog als {unit} telde",
    ),
    Rule(
        "AGG.MISSING_COUNT", "missing-count", E,
        "a unit lacks a list or candidate that its total has",
        "een eenheid mist een lijst of kandidaat die het totaal wel heeft",
        "{where}: no {field} in this unit, although the total has it",
        "{where}: geen {field} in deze eenheid, hoewel het totaal het wel heeft",
    ),
    Rule(
        "AGG.NOT_COMPARABLE", "not-comparable", I,
        "a number is absent on one side, so it cannot be compared",
        "een getal ontbreekt aan een kant en is dus niet te vergelijken",
        "{where}: {field} not compared: {why}",
        "{where}: {field} niet vergeleken: {why_nl}",
    ),
    # ---- the election as a whole ---------------------------------------------------
    Rule(
        "META.ELECTION", "election-mismatch", E,
        "files of one election disagree on its name, date or category",
        "bestanden van één verkiezing verschillen in naam, datum of categorie",
        "{where}: {field} is {expected} in {first}, but {actual} in {second}",
        "{where}: {field} is {expected} in {first}, maar {actual} in {second}",
    ),
    Rule(
        "META.ELECTION_ID", "election-id-spelling", I,
        "two publications of one count spell the election id differently",
        "twee publicaties van dezelfde telling schrijven het verkiezings-id verschillend",
        "{where}: the election id is {expected} in {first}, but {actual} in {second}; same category, date, "
        "authority and level, so they are taken as one election",
        "{where}: het verkiezings-id is {expected} in {first}, maar {actual} in {second}; zelfde categorie, datum, "
        "gebied en niveau, dus als één verkiezing genomen",
    ),
    Rule(
        "META.CREATED_EARLY", "created-before-election", W,
        "a count file says it was created before election day",
        "een telbestand zegt dat het vóór de verkiezingsdag is gemaakt",
        "{where}: created {actual}, before election day {expected}",
        "{where}: aangemaakt op {actual}, vóór de verkiezingsdag {expected}",
    ),
    Rule(
        "CHECK.NOT_RUN", "not-run", I,
        "a check could not run on these files",
        "een controle kon op deze bestanden niet draaien",
        "{where}: {check} not run: {why}",
        "{where}: {check} niet uitgevoerd: {why_nl}",
    ),
    # ---- double entry (compare) ----------------------------------------------------
    Rule(
        "DOUBLE.DIFFERENT", "entries-differ", E,
        "the two entries of a PV differ in this number",
        "de twee invoeren van een proces-verbaal verschillen in dit getal",
        "{where}: {field}{name} is {expected} in A, but {actual} in B",
        "{where}: {field}{name} is {expected} in A, maar {actual} in B",
        mirrors="Abacus double entry (W.001, EntriesDifferent); OSV compareWithFirstResult",
    ),
    Rule(
        "DOUBLE.EMPTY", "entry-empty", E,
        "a number is not filled in on one side",
        "een getal is aan een kant niet ingevuld",
        "{where}: {field}{name} not filled in on side {side} ({other} has {value}); cell: {cell}",
        "{where}: {field}{name} niet ingevuld in invoer {side} ({other} heeft {value}); cel: {cell_nl}",
    ),
    Rule(
        "DOUBLE.NOT_FILLED_IN", "entry-unit-not-filled-in", E,
        "a whole reporting unit is not filled in (on one side or both): nothing to compare",
        "een hele eenheid is niet ingevuld (aan een kant of allebei): niets te vergelijken",
        "{where}: nothing filled in {side}; not compared",
        "{where}: niets ingevuld {side_nl}; niet vergeleken",
    ),
    Rule(
        "DOUBLE.BAD_CELL", "entry-bad-cell", E,
        "a cell of an entry cannot be read as a number (text, a negative number, ...)",
        "een cel van een invoer is geen leesbaar getal (tekst, een negatief getal, ...)",
        "{where}: {field}{name}: cell {cell} in {side} cannot be read: {problem} ({other} has {value})",
        "{where}: {field}{name}: cel {cell_nl} in invoer {side} is niet te lezen: {problem_nl} ({other} heeft {value_nl})",
    ),
    # DOUBLE.OTHER_COUNT is retired (never reuse it): files of different counts are not compared
    # at all, ``osv-verify compare`` says so in one line and exits 2 (osv_verify.app.compare).
    Rule(
        "DOUBLE.UNIT_MISSING", "entry-unit-missing", E,
        "a reporting unit is in one entry only",
        "een eenheid staat maar in één invoer",
        "{where}: reporting unit {unit} is in {present} only",
        "{where}: eenheid {unit} staat alleen in {present}",
    ),
    # ---- plausibility (verify --plausibility) ------------------------------------------
    Rule(
        "P.NO_EXPLANATION", "unexplained-difference-recorded", W,
        "the station recorded a difference it could not explain ('geen verklaring')",
        "het stembureau noteerde een verschil zonder verklaring ('geen verklaring')",
        "{where}: recorded under 'geen verklaring': {actual}",
        "{where}: genoteerd onder 'geen verklaring': {actual}",
        mirrors="Controleprotocol CSB part A; HCP", scope="polling stations, with --plausibility",
    ),
    Rule(
        "P.MISSING_EXPLANATION", "explanations-of-direction-missing", W,
        "the explanations of the difference's own direction (more or fewer ballots than admitted voters) do not add up to it",
        "de verklaringen voor de richting van het verschil (meer of minder stembiljetten dan toegelaten kiezers) tellen er niet op tot",
        "{where}: {direction}: the difference is {expected}, the explanations for this direction add up to {actual} (off by {missing})",
        "{where}: {direction_nl}: het verschil is {expected}, de verklaringen voor deze richting tellen op tot {actual} (verschil {missing})",
        mirrors="Controleprotocol CSB part A; HCP", scope="polling stations, with --plausibility",
    ),
    Rule(
        "P.PARTY_SHARE", "party-share-deviates", W,
        "a list's share in the station differs 50 percentage points or more from the rest of the municipality",
        "het aandeel van een lijst in het stembureau wijkt 50 procentpunt of meer af van de rest van de gemeente",
        "{where}: {field} has {actual} of the votes here, {expected} in the rest of the municipality (threshold {threshold} points)",
        "{where}: {field} heeft hier {actual} van de stemmen, in de rest van de gemeente {expected} (drempel {threshold} procentpunt)",
        mirrors="Controleprotocol CSB part A; HCP", scope="polling stations, with --plausibility; setting party_share_pp",
    ),
    Rule(
        "P.CANDIDATE_SWAP", "candidates-possibly-swapped", W,
        "within a list, one candidate far above and another far below the votes expected from the rest of the municipality (the protocol's rule, every pair)",
        "binnen een lijst ligt één kandidaat ver boven en een ander ver onder wat de rest van de gemeente doet verwachten (de regel van het protocol, elk paar)",
        "{where}: {field} has {actual} votes (expected: about {expected}), and candidate {other} has {other_actual} (expected: about {other_expected}): possibly swapped",
        "{where}: {field} heeft {actual} stemmen (verwacht: ongeveer {expected}), en kandidaat {other} heeft er {other_actual} (verwacht: ongeveer {other_expected}): mogelijk verwisseld",
        mirrors="Controleprotocol CSB part A; CBS Toetsingskader 2024; HCP",
        scope="polling stations, with --plausibility; settings candidate_factor, candidate_min_votes, candidate_min_stations",
    ),
    Rule(
        "P.CANDIDATE_SWAP_FIT", "candidates-possibly-swapped-fit", W,
        "P.CANDIDATE_SWAP, and exchanging the two counts fits both candidates' expectations (osv-verify's stricter reading)",
        "P.CANDIDATE_SWAP, en na het terugwisselen passen beide kandidaten bij hun verwachting (de strengere lezing van osv-verify)",
        "{where}: {field} has {actual} votes (expected: about {expected}), and candidate {other} has {other_actual} (expected: about {other_expected}); swapped back both fit: possibly swapped",
        "{where}: {field} heeft {actual} stemmen (verwacht: ongeveer {expected}), en kandidaat {other} heeft er {other_actual} (verwacht: ongeveer {other_expected}); teruggewisseld passen beide: mogelijk verwisseld",
        mirrors="beyond the protocol",
        scope="polling stations, with --plausibility; settings candidate_factor, candidate_min_votes, candidate_fit",
    ),
    Rule(
        "P.LIST_SWAP", "lists-possibly-swapped", W,
        "two lists' columns in a station look exchanged compared with the stations most like it",
        "de kolommen van twee lijsten in een stembureau lijken verwisseld vergeleken met de stembureaus die er het meest op lijken",
        "{where}: list {a} has {xa} votes here and list {b} {xb}; in the {k} stations that vote most like this one on the other lists, list {a} has about {ea} and list {b} about {eb}{reversed}, and each column's votes per candidate follow the other list's pattern: possibly swapped{adjacent}. {rate}",
        "{where}: lijst {a} heeft hier {xa} stemmen en lijst {b} {xb}; in de {k} stembureaus die op de andere lijsten het meest op dit stembureau lijken heeft lijst {a} ongeveer {ea} en lijst {b} ongeveer {eb}{reversed_nl}, en de stemmen per kandidaat van elke kolom volgen het patroon van de andere lijst: mogelijk verwisseld{adjacent_nl}. {rate_nl}",
        mirrors="beyond the protocol",
        scope="polling stations, with --plausibility; settings list_swap_*",
    ),
    Rule(
        "P.ZERO", "implausible-zero-at-station", W,
        "a zero where the rest of the municipality makes zero very unlikely",
        "een nul waar de rest van de gemeente een nul zeer onwaarschijnlijk maakt",
        "{where}: {field} is 0 among {total}; at the rate of the rest of the municipality about {expected} were expected (chance of 0 below 10^-{power})",
        "{where}: {field} is 0 bij {total}; naar het percentage in de rest van de gemeente werden er ongeveer {expected} verwacht (kans op 0 kleiner dan 10^-{power})",
        mirrors="Kiesraad notes TK2021 (Stein)", scope="polling stations, with --plausibility; setting zero_expected",
    ),
    # ---- election definition (110a) and candidate lists (230b) -------------------------
    Rule(
        "DEF.PREFERENCE_THRESHOLD", "preference-threshold-not-the-law", E,
        "the 110a states a preference threshold other than the law's; the seats use the law's",
        "de 110a noemt een andere voorkeurdrempel dan de wet; de zetels gebruiken die van de wet",
        "{where}: {field} is {actual}% in this 110a, but Kieswet P 15 gives {expected}% for {category} with {seats} seats; "
        "the seat allocation uses {expected}%",
        "{where}: {field} is {actual}% in deze 110a, maar Kieswet P 15 geeft {expected}% voor {category} met {seats} zetels; "
        "de zetelverdeling gebruikt {expected}%",
        law="Kieswet P 15, Y 23a, U 15",
    ),
    Rule(
        "DEF.SEATS", "seat-count-not-legal", E,
        "the 110a's number of seats is not one the law allows for the election",
        "het aantal zetels in de 110a is niet een aantal dat de wet voor deze verkiezing toestaat",
        "{where}: {field} is {actual}, which the law does not allow for {category} ({legal})",
        "{where}: {field} is {actual}, wat de wet voor {category} niet toestaat ({legal_nl})",
        law="Gemeentewet art. 8, Provinciewet art. 8, Grondwet art. 51",
    ),
    Rule(
        "DEF.SUBCATEGORY", "subcategory-does-not-fit", E,
        "the 110a's subcategory does not fit its category, seats or kieskringen",
        "de subcategorie in de 110a past niet bij de categorie, de zetels of de kieskringen",
        "{where}: {field} is {actual}, but {why} makes it {expected}; the seat allocation follows the number of seats",
        "{where}: {field} is {actual}, maar {why_nl} maakt het {expected}; de zetelverdeling volgt het aantal zetels",
        law="EML_NL ElectionSubcategory; Kieswet P 7, P 8",
    ),
    Rule(
        "DEF.CONFLICT", "definitions-differ", E,
        "two election definitions (110a) of one election differ; neither is used",
        "twee verkiezingsdefinities (110a) van één verkiezing verschillen; geen van beide wordt gebruikt",
        "{where}: {first} and {second} differ in {field}; neither is used (give the one that was set)",
        "{where}: {first} en {second} verschillen in {field}; geen van beide wordt gebruikt (geef de vastgestelde)",
    ),
    Rule(
        "DEF.LISTS_CONFLICT", "candidate-lists-differ", E,
        "two candidate list files (230b) give one list different content",
        "twee kandidatenlijstbestanden (230b) geven één lijst een andere inhoud",
        "{where}: {field} differs between {first} and {second}; names are taken from {first}",
        "{where}: {field} verschilt tussen {first} en {second}; namen komen uit {first}",
    ),
    # ---- seats -------------------------------------------------------------------
    Rule(
        "SEATS.ALLOCATION", "seat-allocation", E,
        "the seats per list differ from the recomputed allocation",
        "de zetels per lijst wijken af van de herberekende zetelverdeling",
        "{where}: {field} won {actual} seats in the result, but the law gives {expected}",
        "{where}: {field} heeft {actual} zetels in de uitslag, maar de wet geeft {expected}",
        law="Kieswet P 5 - P 10",
    ),
    Rule(
        "SEATS.ELECTED", "elected-candidates", E,
        "the elected candidates differ from the recomputed nomination",
        "de gekozen kandidaten wijken af van de herberekende toewijzing",
        "{where}: {field}: {why}",
        "{where}: {field}: {why_nl}",
        law="Kieswet P 15 - P 19",
    ),
    Rule(
        "SEATS.NAME_SPELLING", "name-spelled-differently", I,
        "the 520 spells an elected candidate differently from the candidate list; taken as the same person",
        "de 520 schrijft de naam van een gekozen kandidaat anders dan de kandidatenlijst; als dezelfde persoon genomen",
        "{where}: {field}: the 520 writes '{actual}', {listed_in} writes '{expected}'; taken as the same person ({why})",
        "{where}: {field}: de 520 schrijft '{actual}', {listed_in} schrijft '{expected}'; als dezelfde persoon genomen ({why_nl})",
        law="Kieswet P 15 - P 19",
    ),
    Rule(
        "SEATS.LOTS", "lots-required", I,
        "the law requires drawing lots; the published result shows the drawn outcome",
        "de wet vereist loting; de uitslag toont de uitkomst",
        "{where}: lots decide {why}",
        "{where}: loting beslist {why_nl}",
        law="Kieswet P 7 - P 9, P 15",
    ),
)

RULES: dict[str, Rule] = {r.code: r for r in _RULES}
assert len(RULES) == len(_RULES), "a rule code is defined twice"


def rule(code: str) -> Rule:
    return RULES[code]
