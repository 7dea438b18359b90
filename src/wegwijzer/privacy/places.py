"""LOCATION: towns and neighbourhoods, as a Presidio recognizer.

Three ways to find a place, strongest first:
1. a listed town or neighbourhood (`places.yaml`), in any case; places that are ordinary words ("Best", "Buren")
   only with a capital and a place context before them ("in", a postcode, a house number);
2. an unlisted capitalised word after a place trigger ("woont in Kloosterhaar", "komt uit Lathum"), after a postcode,
   a word ending like a neighbourhood after "in de" ("in de Oosterparkwijk"), or any after living "in de" ("we wonen
   in de Boekzetel");
3. a capitalised word after a comma that follows a place ("Rotterdam, Spangen").
Countries, provinces and nationalities are never places (they stay). A place's suffix belongs to it:
"Amsterdam-Noord", "Tilburg Noord".
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import RecognizerResult

from .base import LexiconRecognizer
from .gazetteer import Cue, Hit, words
from .lexicon import CAP, Lexicon, alternation

STREET = r"(?:straat|weg|laan|plein|gracht|kade|singel|dijk|hof|park|pad|steeg|dreef|markt|veld|baan|wal|ring)"
POSTCODE = r"\b[1-9]\d{3}[ \t]?[A-Z]{2}\b,?[ \t]+"
# What may stand right before a place: a preposition, a postcode, a street with its number.
CONTEXT = re.compile(
    rf"(?:(?i:\b(?:in|uit|naar|te|bij|van|vanuit|rond|richting|omgeving|nabij|vlakbij|gemeente|woonplaats|wijk|"
    rf"regio|dorp)[ \t]+(?:de[ \t]+|het[ \t]+)?)|{POSTCODE}|{STREET}[ \t]\d{{1,4}}[ \t]?[a-zA-Z]?(?:-\w+)?,?[ \t]+)$"
)
# A place typed in lower case that is also a word ("weert", "leiden") only right after living somewhere.
LIVING = re.compile(r"\b(?i:(?:woon|woont|wonen|woonde|woonden|woonachtig|verhuisd|verhuizen|verhuisde|opgegroeid|"
                    r"geboren)(?:[ \t]+\w+){0,2}|ik|wij|we|hij|zij|ze)[ \t]+(?i:in|naar|uit|te)[ \t]+$")
# Parts that open a hyphenated place name and are ordinary words on their own: "Nieuw-Weerdinge", "Oud-Beijerland".
PREFIXES = {"nieuw", "nieuwe", "oud", "oude", "groot", "klein", "sint", "st", "hoog", "laag", "noord", "oost", "zuid",
            "west", "midden", "boven", "beneden", "neder", "over", "ter", "den", "de", "het"}
SEPARATOR = re.compile(r"([ \t-])")
TRAILING_LOWER = re.compile(r"(?:[ \t-]+[a-z/]+)+$")
ARTICLE = re.compile(r"^(?:'s-|'t |De |Den )")
Found = tuple[int, int, float, str]  # start, end, score, rule
PHRASE = rf"{CAP}(?:(?:-|[ \t](?:aan den|aan de|aan|op|bij|in|onder|ter|de|den|a/d)[ \t]|[ \t]){CAP})*"


class PlaceFinder:
    """The place logic, shared with the workplace recognizer: listed places and 'is this a place' checks."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self._last: tuple[str | None, list[Hit]] = (None, [])
        compass = alternation(list(lexicon.compass))
        self.suffix = re.compile(rf"(?:-(?i:{compass})\b|-{CAP}|[ \t](?i:{compass})\b)")

    def listed(self, text: str) -> list[Hit]:
        """Listed places in the text, with their suffixes, leaving out ordinary words without context."""
        if text != self._last[0]:
            self._last = (text, self._listed(text))
        return self._last[1]

    def _listed(self, text: str) -> list[Hit]:
        out = []
        for hit in self.lex.place_list.find(text, words(text)):
            if hit.key.lower() in self.lex.strict_places and not self.strict_ok(text, hit.start):
                continue
            end = hit.end
            while m := self.suffix.match(text, end):
                end = m.end()
            out.append(Hit(hit.start, end, hit.key, text[hit.start:end]))
        return out

    def strict_ok(self, text: str, start: int) -> bool:
        first = text[start + 1] if text[start] in "'’" else text[start]
        before = text[max(0, start - 40):start]
        if first.isupper():
            return CONTEXT.search(before) is not None
        return LIVING.search(before) is not None

    def plausible(self, phrase: str) -> bool:
        """An unlisted capitalised phrase that may be a place: not a country, function word, app or chain."""
        word = phrase.split()[0]
        first = word.split("-")[0]
        if first.lower() in PREFIXES and "-" in word:
            first = word  # "Nieuw-Weerdinge": the prefix is no reason to refuse
        if self.lex.is_stop(first) or phrase in self.lex.not_places or phrase in self.lex.blocked:
            return False
        return not (first.isupper() and len(first) <= 4)  # acronyms: AZC, COA, GGD

    def trim(self, phrase: str) -> str:
        """Cut a phrase before the first word that cannot be part of a place ('Utrecht Veilig ...' -> 'Utrecht')."""
        kept: list[str] = []
        parts = SEPARATOR.split(phrase)
        for i, part in enumerate(parts):
            if part.strip(" \t-") and part[0].isupper() and self.lex.is_stop(part) and kept:
                after = parts[i + 2] if i + 2 < len(parts) else ""
                if not (part.lower() in self.lex.particles and after[:1].isupper()):  # "Van Wijnen" stays whole
                    break
            kept.append(part)
        return TRAILING_LOWER.sub("", "".join(kept).rstrip(" \t-"))


class DutchPlaceRecognizer(LexiconRecognizer):
    """LOCATION: listed towns and neighbourhoods, and unlisted places recognised by their context."""

    ENTITY, NAME = "LOCATION", "nl-places"

    def __init__(self, lexicon: Lexicon | None = None, finder: PlaceFinder | None = None) -> None:
        super().__init__(lexicon)
        self.finder = finder or PlaceFinder(self.lex)

    def load(self) -> None:
        p = self.lex.places
        article = r"(?:'s-|'t[ \t]|De[ \t]|Den[ \t])?"
        self.triggered = Cue(p.triggers, rf"(?i:\b(?:{alternation(p.triggers)}))[ \t]+({article}{PHRASE})")
        self.after_postcode = re.compile(rf"{POSTCODE}((?:'s-|Den[ \t]|De[ \t])?{PHRASE})")
        self.after_street = re.compile(rf"{STREET}[ \t]\d{{1,4}}[ \t]?[a-zA-Z]?(?:-\w+)?,?[ \t]+({PHRASE})")
        endings = alternation(p.neighbourhood_endings)
        self.by_ending = re.compile(rf"(?i:\bin[ \t]+(?:de|het)[ \t]+)([A-ZÀ-Þ][\w'’-]*?(?:{endings}))\b")
        # "we wonen in de Boekzetel": any capitalised name after living "in de/het"
        living = r"woon|woont|wonen|woonde|woonden|verhuisd|opgegroeid"
        self.living_in = re.compile(rf"(?i:\b(?:{living})(?:[ \t]+\w+){{0,2}}?"
                                    rf"[ \t]+in[ \t]+(?:de|het)[ \t]+)({PHRASE})")
        self.after_place = re.compile(rf",[ \t]*({PHRASE})(?=[ \t]*[,.;:!?)]|[ \t]+(?:op|in|aan|bij)\b|$)")

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        found = [(h.start, h.end, 0.75, "listed") for h in self.finder.listed(text)]
        for rx, score, rule in ((self.triggered, 0.6, "trigger"), (self.after_postcode, 0.65, "postcode"),
                                (self.after_street, 0.6, "address"), (self.by_ending, 0.6, "wijk"),
                                (self.living_in, 0.6, "wonen")):
            found += self._context(text, rx, score, rule)
        for start, end, _, _ in list(found):
            if m := self.after_place.match(text, end):
                found += self._context_match(m, 0.5, "after-place")
        return [self.result(s, e, score, rule) for s, e, score, rule in found]

    def _context(self, text: str, rx: re.Pattern[str] | Cue, score: float, rule: str) -> list[Found]:
        out = []
        for m in rx.finditer(text):
            out += self._context_match(m, score, rule)
        return out

    def _context_match(self, m: re.Match[str], score: float, rule: str) -> list[Found]:
        phrase = self.finder.trim(m.group(1))
        bare = ARTICLE.sub("", phrase)
        if not phrase or not self.finder.plausible(bare):
            return []
        return [(m.start(1), m.start(1) + len(phrase), score, rule)]
