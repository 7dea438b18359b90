"""PERSON, as a Presidio recognizer. No Dutch NER model ships offline (shared/DEPS.md), so names are found from a
first-name list and from context, in `names.yaml`:

- a title before a capitalised word ("meester Ruud", "mevrouw El Khatib", "dokter de Boer", "de familie Pronk");
- a relation ("mijn ex kevin", "mijn beste vriendin Sterre", "mijn nicht van 19, Shanice", "schoonmoeder (Hatice)");
- a trigger ("ik heet", "mijn naam is", "naam:");
- a listed first name, with the surname after it ("Frits Kamphuis", "Hendrik 'Henk' Boersma");
- initials with a surname ("A. El Idrissi", "J.P. de Vries");
- a nickname after "ze noemen hem", "alias", or quoted before "noemt" ("die ze 'Papi' noemt"), and a second
  one after it ("bijnaam Stef of de Beer");
- unlisted and lower-case names in a context only a name fits (name_cues.py: "ik ben dani (15)", "bram zei").
Words in `not_names`, countries, nationalities, chains and organisations are never a name.
"""

from __future__ import annotations

import regex as re
from presidio_analyzer import RecognizerResult

from .base import LexiconRecognizer
from .gazetteer import Cue
from .lexicon import CAP, WORD, alternation
from .name_cues import NameCues

QUOTE_OPEN, QUOTE_CLOSE = "['\"‘“]", "['\"’”]"
ARTICLE_BEFORE = re.compile(r"\b(?i:de|het|een|'t|die|deze|dat|dit)[ \t]+$")
INITIAL = re.compile(r"[A-Z]\.")
ACRONYM = re.compile(r"[A-Z]{2}")
NAME_SPLIT = re.compile(r"[ \t'‘’“”\"]+")
# One initial ("A. Jansen") is only a name after a context like these; "groep 3 B. Daarna" is not.
INITIAL_CONTEXT = re.compile(r"(?:naam is|naam:|heet|ben|dhr\.?|mevr\.?|meneer|mevrouw)[ \t]*$")
PET_ENDINGS = ("tje", "pje", "kje", "je", "ie")
STREET_END = re.compile(r"(?:straat|weg|laan|plein|gracht|kade|singel|dijk|park|steeg|dreef|markt)$", re.IGNORECASE)
Span = tuple[int, int, float, str]


class DutchNameRecognizer(LexiconRecognizer):
    """PERSON: listed first names, and capitalised words after a title, relation or trigger, with their surnames."""

    ENTITY, NAME = "PERSON", "nl-names"

    def load(self) -> None:
        n, lex = self.lex.names, self.lex
        tail, tv = lex.name_tail, lex.tussen
        quoted = rf"(?:[ \t]{QUOTE_OPEN}{CAP}{QUOTE_CLOSE})?"  # Cornelis 'Kees' de Jong
        name = rf"(?:(?i:{tv})[ \t])?{CAP}{quoted}{tail}"
        self.titled = Cue(n.titles, rf"(?i:\b(?:{alternation(n.titles)}))[ \t]+({name})")
        age = r"(?:[ \t]+van[ \t]+(?:een[ \t]+jaar[ \t]+of[ \t]+|ongeveer[ \t]+|rond[ \t]+de[ \t]+)?\d{1,2}"
        age += r"(?:[ \t]+jaar)?)?"  # "mijn nicht van 19, Shanice", "buurjongen van een jaar of 9, Kyan"
        self.related = Cue(n.determiners,
            rf"(?i:\b(?:{alternation(n.determiners)})[ \t]+(?:(?:{alternation(n.adjectives)})[ \t]+)?"
            rf"(?:{alternation(n.relations)})){age}[ \t]*[,(]?[ \t]*({name}|{WORD})")
        self.triggered = Cue(n.triggers, rf"(?i:\b(?:{alternation(n.triggers)}))[:,]?[ \t]+({name})")
        self.of_relation = Cue(n.relations, rf"(?i:\b(?:{alternation(n.relations)})[ \t]+van)[ \t]+({CAP}{tail})")
        self.named = Cue(n.naming_triggers, rf"(?i:\b(?:{alternation(n.naming_triggers)}))[ \t]+({WORD})")
        self.weak = Cue(n.weak_triggers, rf"(?i:\b(?:{alternation(n.weak_triggers)}))[ \t]+({CAP}{tail})")
        self.full = re.compile(rf"\b({CAP}{quoted}(?:[ \t](?:(?i:{tv})[ \t])?{CAP})+)")
        self.initials = re.compile(rf"(?<![\w.])((?:[A-Z]\.[ \t]?){{1,3}}[ \t]?(?:(?i:{tv})[ \t])?{CAP}{tail})")
        fill = alternation(n.fillers)  # "ze noemen me hier Smurf"
        self.nick = Cue(n.nickname_triggers, rf"(?i:\b(?:{alternation(n.nickname_triggers)}))[:,]?[ \t]+"
                        rf"(?:(?i:{fill})[ \t]+){{0,2}}(?:(?i:de|het)[ \t]+)?{QUOTE_OPEN}?({CAP}|[A-Z]{{2,4}}\b)")
        self.nick_or = re.compile(rf"{QUOTE_CLOSE}?[ \t]+(?:of|en)[ \t]+(?:(?i:de|het)[ \t]+)?{QUOTE_OPEN}?({CAP})")
        self.nick_before = re.compile(rf"{QUOTE_OPEN}({CAP}){QUOTE_CLOSE}[ \t]+(?i:noem|genoemd|heet)")
        self.word = re.compile(rf"\b({WORD})")
        self.and_after = re.compile(rf"(?:[ \t]*\(\d{{1,2}}\))?[ \t]+(?:en(?:[ \t]+niet)?|&|of)[ \t]+({CAP})\b")
        self.bracket_after = re.compile(rf"[ \t]*\(({CAP})\)")
        self.and_before = re.compile(rf"\b({CAP})[ \t]+(?:en|&)[ \t]+$")
        self.tail = re.compile(tail)
        self.lower_surname = re.compile(rf"[ \t](?:{tv})[ \t][a-zà-ÿ][\w'-]+")
        self.initial_particle = re.compile(rf"\.[ \t]?(?i:{tv})[ \t]")
        self.cues = NameCues(self.lex)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        spans: list[Span] = []
        rules = ((self.titled, 0.85, "title"), (self.triggered, 0.6, "trigger"), (self.weak, 0.5, "trigger"),
                 (self.of_relation, 0.6, "relation"), (self.initials, 0.7, "initials"), (self.nick, 0.7, "nickname"),
                 (self.nick_before, 0.7, "nickname"))
        for rx, score, rule in rules:
            spans += [s for m in rx.finditer(text) if (s := self._context_name(text, m, score, rule))]
        spans += [(m.start(1), m.end(1), 0.6, "trigger") for m in self.named.finditer(text)
                  if m.group(1).lower() in self.lex.first]  # "hij heet frank": lower case after "heet"
        spans += self._related(text) + self._full(text) + self._listed(text) + self.cues.find(text)
        spans += self._coordinated(text, spans)
        blocked = [(h.start, h.end) for h in self.lex.blocked.find(text)]
        spans = [s for s in spans if not any(s[0] < e and b < s[1] for b, e in blocked)]
        return [self.result(s, e, score, rule) for s, e, score, rule in spans]

    def _context_name(self, text: str, m: re.Match[str], score: float, rule: str) -> Span | None:
        """A capitalised name after context, trimmed at the first word that is not a name."""
        name = self._trim(m.group(1))
        if not name or (rule == "trigger" and self._acronym(name)):
            return None
        if rule == "initials" and not self._initials_ok(text, m, name):
            return None
        return (m.start(1), m.start(1) + len(name), score, rule)

    def _trim(self, name: str) -> str:
        words = name.split()
        kept: list[str] = []
        for i, w in enumerate(words):
            particle = w.lower() in self.lex.particles and i + 1 < len(words)
            if w[0].isupper() and not particle and not INITIAL.fullmatch(w) and self.lex.is_stop(w.rstrip(".")):
                break
            kept.append(w)
        while kept and not kept[-1][0].isupper():
            kept.pop()  # a trailing tussenvoegsel without its surname
        return " ".join(kept) if kept and name.startswith(kept[0]) else ""

    @staticmethod
    def _acronym(name: str) -> bool:
        """'POH-ggz', 'AZC': two capitals at the start of a word that is not a listed name."""
        return bool(ACRONYM.match(name))

    def _initials_ok(self, text: str, m: re.Match[str], name: str) -> bool:
        """One initial needs a tussenvoegsel or a context before it; two or more initials are enough on their own."""
        if len(INITIAL.findall(name)) >= 2 or self.initial_particle.search(name):
            return True
        return bool(INITIAL_CONTEXT.search(text[max(0, m.start(1) - 25):m.start(1)].lower()))

    def _related(self, text: str) -> list[Span]:
        out = []
        for m in self.related.finditer(text):
            raw = m.group(1)
            if any(w[0].isupper() for w in raw.split()):
                name = self._trim(raw)  # "Sterre", "van der Linden"
            elif raw.lower() in self.lex.first and raw.lower() not in self.lex.ambiguous:
                # "mijn ex kevin", "mijn ex kevin de vries": lower case only for a listed, unambiguous first name
                surname = self.lower_surname.match(text, m.end(1))
                name = raw + (surname.group() if surname else "")
            elif raw.islower() and self.cues.after_relation(text, m.start(), m.start(1), m.end(1)):
                name = raw  # "mijn ex marnik blijft appen": unlisted, but a verb follows
            else:
                continue
            if name and not self.lex.is_stop(self.lex.head(name)):
                out.append((m.start(1), m.start(1) + len(name), 0.8, "relation"))
        return out

    def _full(self, text: str) -> list[Span]:
        """A listed first name with capitalised surname words is a name, also at the start of a sentence; two or
        more capitalised words in the middle of a sentence that are no place, organisation or ordinary word are a
        name too ('gezien door Mart Oosterhuis')."""
        out = []
        for m in self.full.finditer(text):
            name = self._trim(m.group(1))
            if len(name.split()) < 2:
                continue
            if self._listed_name(name.split()[0].lower()):
                out.append((m.start(1), m.start(1) + len(name), 0.75, "first+surname"))
            elif self._unknown_name(text, m.start(1), name):
                out.append((m.start(1), m.start(1) + len(name), 0.45, "capitals"))
        return out

    def _unknown_name(self, text: str, start: int, name: str) -> bool:
        caps = [w for w in NAME_SPLIT.split(name) if w and w[0].isupper()]
        if len(caps) < 2 or any(w.isupper() for w in caps) or self._sentence_start(text, start):
            return False
        if name in self.lex.place_list:
            return False
        if ARTICLE_BEFORE.search(text, 0, start):
            return False  # 'het Meldpunt Kinderporno', 'de Nationale Ombudsman': names of things, not people
        return not any(self.lex.is_stop(w) or w in self.lex.place_list or STREET_END.search(w) for w in caps)

    def _coordinated(self, text: str, spans: list[Span]) -> list[Span]:
        """'Jip en Sep', 'Kevin & Tjalling', 'Jip of Sep', 'X te heten en niet Nasrat': a capitalised word joined
        to a name is a name too."""
        out = []
        for start, end, _, rule in spans:
            after = self.and_after.match(text, end)
            before = self.and_before.search(text, max(0, start - 40), start)
            second = self.nick_or.match(text, end) if rule == "nickname" else None  # "Stef of de Beer"
            alias = self.bracket_after.match(text, end)  # "Mijn ex van der Linden (Quenten)"
            if alias and alias.group(1).isupper():
                alias = None  # "Kevin (ADHD)"
            for m in (after, before, second, alias):
                if m and not self.lex.is_stop(m.group(1)) and not self._thing(m.group(1)):
                    out.append((m.start(1), m.end(1), 0.5, "coordination"))
        return out

    def _thing(self, word: str) -> bool:
        """A place, chain, organisation or series: never a person."""
        return word in self.lex.place_list or word in self.lex.blocked

    def _listed(self, text: str) -> list[Span]:
        out = []
        for m in self.word.finditer(text):
            w = m.group(1)
            if not self._listed_name(w.lower()) and (owner := self._genitive(w.lower())):
                out.append((m.start(1), m.start(1) + owner, 0.6, "first name"))  # "Kevins moeder", "Fatima's broer"
                continue
            low = w.lower()
            if not self._listed_name(low) or low in self.lex.context_only:
                continue
            if low in self.lex.ambiguous and (not w[0].isupper() or self._sentence_start(text, m.start(1))):
                continue
            tail = self.tail.match(text, m.end(1))
            end = m.end(1) + len(self._trim(w + tail.group())) - len(w) if tail and tail.group() else m.end(1)
            out.append((m.start(1), max(end, m.end(1)), 0.7 if w[0].isupper() else 0.55, "first name"))
        return out

    def _listed_name(self, low: str) -> bool:
        """A listed first name, a double name of listed parts ('anne-marie', 'jan-peter'), or a pet form."""
        if low in self.lex.stop:
            return False
        if low in self.lex.first or "-" in low and all(p in self.lex.first for p in low.split("-")):
            return True
        return self._pet_form(low)

    def _genitive(self, low: str) -> int:
        """Length of the owner in 'fatima's', 'kevins' (a listed name that is no ordinary word), else 0."""
        for ending in ("'s", "’s", "s"):
            base = low.removesuffix(ending)
            plain = base not in self.lex.ambiguous and base not in self.lex.stop
            if base != low and len(base) >= 3 and base in self.lex.first and plain:
                return len(base)
        return 0

    def _pet_form(self, low: str) -> bool:
        """'henkie', 'stijntje', 'pietje': a listed name that is no ordinary word, with a pet-name ending."""
        for ending in PET_ENDINGS:
            if low.endswith(ending):
                base = low[:-len(ending)]
                doubled = base[:-1] if len(base) > 3 and base[-1] == base[-2] else ""  # 'robbie' -> 'rob'
                if any(len(b) >= 3 and b in self.lex.first and b not in self.lex.ambiguous for b in (base, doubled)):
                    return True
        return False

    @staticmethod
    def _sentence_start(text: str, pos: int) -> bool:
        before = text[:pos].rstrip(" \t\"'‘“(")
        return not before or before[-1] in ".!?\n:-#*•>"  # also after a list bullet or a heading mark
