"""WORKPLACE: an employer together with its branch location, as a Presidio recognizer.

A chain on its own is not personal data ("de Albert Heijn"); with where it is, it is ("de Jumbo in Vathorst",
"HEMA op de Lange Elisabethstraat in Utrecht", "Erasmus MC in Rotterdam"). Also a named workplace after a kind of
workplace ("huisartsenpraktijk De Linde", "kinderopvang Partou in Houten"; the kind stays), and any capitalised
employer after "bij" when a location follows ("bij Rijnstate in Arnhem"). The span covers employer and location.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import RecognizerResult

from .base import LexiconRecognizer
from .gazetteer import Cue, Hit
from .lexicon import CAP, Lexicon, alternation
from .places import PHRASE, PlaceFinder

CONNECTOR = re.compile(r"[ \t]+(?i:in|op|aan|bij|te|vlakbij|nabij|naast|tegenover)[ \t]+(?:(?i:de|het|'t)[ \t]+)?")
SECOND = re.compile(r",?[ \t]+(?i:in|te)[ \t]+")
GAP = re.compile(r"[ \t]+")
# Words between a chain and its location: "het Gelre ziekenhuis in Apeldoorn", "de Lidl vestiging in Ede".
BRANCH_WORD = re.compile(r"[ \t]+(?i:ziekenhuis|kliniek|vestiging|filiaal|winkel|supermarkt|locatie|kantoor|magazijn|"
                         r"distributiecentrum|depot|restaurant)\b")
# A street as the branch location, in any case: "de Jumbo aan de kerkstraat", "AH op de Dorpsstraat".
STREET_WORD = re.compile(r"[\w'’-]{2,}(?i:straat|weg|laan|plein|gracht|kade|singel|dijk|markt|dreef|steeg|boulevard|"
                         r"passage|promenade|winkelcentrum)\b")


class WorkplaceRecognizer(LexiconRecognizer):
    """WORKPLACE: chain or employer + location, or a named workplace after its kind."""

    ENTITY, NAME = "WORKPLACE", "nl-workplaces"

    def __init__(self, lexicon: Lexicon | None = None, finder: PlaceFinder | None = None) -> None:
        super().__init__(lexicon)
        self.finder = finder or PlaceFinder(self.lex)

    def load(self) -> None:
        kinds, tv = alternation(self.lex.places.employer_kinds), self.lex.tussen
        # 'De Linde', 'Erasmus MC', 'Van der Veen', 'Bagels & Beans'
        name = rf"(?:(?i:{tv}|het)[ \t])?{CAP}(?:[ \t](?:{CAP}|[A-Z]{{2,4}}\b|&[ \t]{CAP}|(?i:{tv})[ \t]{CAP}))*"
        self.kinds = Cue(self.lex.places.employer_kinds, rf"(?i:\b(?:{kinds}))[ \t]+({name})")
        self.bij = Cue(["bij"], rf"(?i:\bbij[ \t]+(?:de[ \t]+|het[ \t]+|'t[ \t]+)?)({name})")
        self.phrase = re.compile(PHRASE)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        places = {h.start: h.end for h in self.finder.listed(text)}
        spans = []
        for chain in self.lex.chains.find(text):
            after = BRANCH_WORD.match(text, chain.end)  # "het Gelre ziekenhuis in Apeldoorn"
            if self._case_ok(chain) and (end := self._location(text, after.end() if after else chain.end, places)):
                spans.append((chain.start, end, 0.8, "chain"))
        for m in self.kinds.finditer(text):
            if name := self._name(m):
                end = m.start(1) + len(name)
                spans.append((m.start(1), self._location(text, end, places) or end, 0.7, "kind"))
        for m in self.bij.finditer(text):
            if (name := self._name(m)) and (end := self._location(text, m.start(1) + len(name), places)):
                spans.append((m.start(1), end, 0.7, "bij"))
        return [self.result(s, e, score, rule) for s, e, score, rule in spans]

    @staticmethod
    def _case_ok(chain: Hit) -> bool:
        """Short all-capital chains ('AH', 'NS', 'ING') only as written or capitalised, never as 'ah' or 'ing'."""
        return not (chain.key.isupper() and len(chain.key) <= 3) or chain.text in (chain.key, chain.key.title())

    def _name(self, m: re.Match[str]) -> str:
        name = self.finder.trim(m.group(1))
        if not name or self.lex.is_stop(self.lex.head(name)):
            return ""
        return "" if name in self.lex.blocked and name not in self.lex.chains else name

    def _location(self, text: str, pos: int, places: dict[int, int]) -> int | None:
        """End of 'in Vathorst' / 'op de Lange Elisabethstraat in Utrecht' / ' Vathorst' after pos, or None."""
        m = CONNECTOR.match(text, pos)
        if m:
            end = self._place_at(text, m.end(), places)
        else:
            gap = GAP.match(text, pos)
            end = places.get(gap.end()) if gap else None
        if end is None:
            return None
        if (m2 := SECOND.match(text, end)) and (end2 := self._place_at(text, m2.end(), places)):
            end = end2
        return end

    def _place_at(self, text: str, pos: int, places: dict[int, int]) -> int | None:
        if pos in places:
            return places[pos]
        if street := STREET_WORD.match(text, pos):
            return street.end()
        m = self.phrase.match(text, pos)
        if not m:
            return None
        phrase = self.finder.trim(m.group())
        return pos + len(phrase) if phrase and self.finder.plausible(phrase) else None
