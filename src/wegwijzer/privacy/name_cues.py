"""Names that neither the first-name list nor a capital gives away, found by a context that only a name fits
(word lists in `names.yaml`):

- after a strong naming trigger, any word ("zijn echte naam is jaylano", "ik heet dani");
- before an age in brackets ("ik ben dani (15)", "Tobbe (3)") or after "ik ben" with an age ("ik ben dani, 15 jaar");
- a listed first name, also one that is an ordinary word, acting at the start of a clause ("bram zei", "tess en ik"),
  and a capitalised subject after an opening adverb and a verb ("Gisteren stond Marnik voor de deur");
- a signature at the very end ("groeten, ymre");
- after a title (no article before it), a listed name in lower case, also one that is an ordinary word
  ("juf roos"), or any lower-case word followed by a verb ("meester okke heeft", "dokter visser zei");
- an apposition after a relation ("een man daar, Habtom, valt haar lastig"), a name in brackets after a pronoun
  ("hij (Wiecher) gooide"), a name joined to a relation by "is" ("Wiecher is mijn ex", "mijn ex is Wiecher",
  "dat Orlin zijn vriendin is").
Relations, titles, function words, verbs and places are never taken.
"""

from __future__ import annotations

import regex as re

from .gazetteer import Cue
from .lexicon import CAP, WORD, Lexicon, alternation

Span = tuple[int, int, float, str]
AGE = r"[ \t]*\((?:[mvfjMVFJ][ \t]?)?\d{1,2}(?:[ \t]?(?:jaar|jr))?\)"
NO_PRONOUN_AFTER = r"(?![ \t]+(?i:ik|hij|ze|zij|we|wij|jij|je|u|men)\b)"
# A clause starts here: the start of the text or a sentence, a comma, or a conjunction ("en bram zei").
CLAUSE_START = re.compile(r"(?:^|[.!?\n:;,(\"“‘]|\b(?i:en|maar|want|dus|omdat|toen|dat|als|of|ook))[ \t]*$")
# Lower-case words shaped like Dutch verbs: participles (gekregen, gepraat) and finite or infinitive forms.
VERB_SHAPED = re.compile(r"\w*ge\w{3,}|\w+(?:en|t|d|de|te)")
PARTICIPLE = re.compile(r"\w*ge\w{3,}(?:d|t|en)")
LOWER = "[a-zß-öø-ÿğışçłśżźćńęąó]"
# A clause with one of these before the relation is subordinate and its verb comes last ("omdat mijn vader werkloos
# is", "waarin ze bij haar man terug wil"): a lower-case word between a relation and a verb there is no name.
SUBORDINATE = re.compile(r"\b(?i:dat|omdat|doordat|zodat|opdat|als|toen|wanneer|of|terwijl|nadat|voordat|hoewel|"
                         r"zodra|totdat|tenzij|indien|mits|waardoor|waarin|waarbij|waarmee|waarop|waarom|hoe|wat|"
                         r"die|sinds|wie|waar)\b")
CLAUSE_END = re.compile(r"[.,;:!?\n]")


class NameCues:
    """The context rules above; `find` returns (start, end, score, rule) spans."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lex = lexicon
        n = lex.names
        self.not_name = lex.stop | {w.lower() for w in [*n.relations, *n.titles, *n.adjectives, *n.determiners]}
        fill = alternation(n.fillers)
        self.strong = Cue(n.strong_naming_triggers, rf"(?i:\b(?:{alternation(n.strong_naming_triggers)}))[:,]?"
                          rf"[ \t]+(?:(?i:{fill})[ \t]+)?({WORD})")
        self.lower_surname = re.compile(rf"[ \t](?:{lex.tussen})[ \t]{LOWER}[\w'-]+")
        self.age = re.compile(rf"(?<![\w'’-])({WORD}){AGE}|(?i:\bik[ \t]+ben)[ \t]+({WORD})"
                              rf"(?=[ \t]*,[ \t]*\d{{1,2}}[ \t]*(?:jaar|jr)\b)")
        verbs = alternation(n.subject_verbs)
        self.subject = re.compile(rf"(?<![\w'’-])({WORD})[ \t]+(?i:{verbs})\b{NO_PRONOUN_AFTER}"
                                  rf"|(?<![\w'’-])({WORD})[ \t]+en[ \t]+(?i:ik)\b|\b(?i:ik)[ \t]+en[ \t]+({WORD})\b")
        follow = alternation([*n.subject_verbs, *n.auxiliaries])
        self.titled = Cue(n.lower_titles, rf"(?i:\b(?:{alternation(n.lower_titles)})\.?)[ \t]+({LOWER}[\w'’-]+)")
        self.pronoun_after = re.compile(r"[ \t]+(?i:ik|hij|ze|zij|we|wij|jij|je|u|men)\b")
        self.verb_after = re.compile(rf"[ \t]+(?i:{follow})\b")
        tail = lex.name_tail
        self.bracketed = re.compile(rf"\b(?i:hij|zij|ze|die)[ \t]*\(({CAP}{tail})\)")
        poss, rel = r"(?:mijn|m'n|mn|haar|zijn|z'n|onze|ons)", alternation(n.relations)
        # "Wiecher is mijn ex", "mijn ex heet/is Wiecher": a capitalised word joined to a relation by a copula
        self.copula = re.compile(rf"(?<![\w'’-])({CAP})[ \t]+(?i:is|was)[ \t]+(?i:{poss})[ \t]+(?i:{rel})\b"
                                 rf"|\b(?i:{poss})[ \t]+(?i:{rel})[ \t]+(?i:is|was|heet|heette)[ \t]+({CAP}{tail})")
        adj = alternation(n.adjectives)
        # "dat Orlin zijn nieuwe vriendin is": the same in a subordinate clause
        self.copula_last = re.compile(rf"(?<![\w'’-])({CAP})[ \t]+(?i:{poss})[ \t]+(?:(?i:{adj})[ \t]+)?(?i:{rel})"
                                      rf"[ \t]+(?i:is|was|wordt|werd)\b")
        # "Gisteren stond Marnik weer voor de deur": a capitalised subject after an opening adverb and a verb
        self.inverted = re.compile(rf"\b(?i:gisteren|vandaag|toen|daarna|vanochtend|vanmorgen|vanmiddag|vanavond|"
                                   rf"vannacht|soms|dan|nu|later|eerst|opeens|ineens|laatst|net|vorige week|elke dag|"
                                   rf"altijd|nooit)[ \t]+(?i:{follow})[ \t]+({CAP})(?![\w'’-])")
        # "groeten, ymre" at the very end: a signature
        self.signature = re.compile(rf"\b(?i:groetjes|groeten|groet|gr|mvg|liefs|xx|xxx|doei)[,.!]?[ \t]+"
                                    rf"({WORD})[ \t.!]*$")
        self.determiner_before = re.compile(rf"\b(?i:{alternation(n.determiners)})[ \t]+$")
        self.apposition = Cue(n.determiners, rf"(?i:\b(?:{alternation(n.determiners)})[ \t]+"
                              rf"(?:(?:{alternation(n.adjectives)})[ \t]+)?(?:{alternation(n.relations)}))"
                              rf"(?:[ \t]+(?:{LOWER}|\d)[\w'’-]*){{1,4}}?[ \t]*,[ \t]*({CAP})"
                              rf"(?=[ \t]*[,.;:)!?]|[ \t]+(?i:en|die)\b)")

    def find(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for m in self.strong.finditer(text):
            if self._possible(m.group(1)):
                surname = self.lower_surname.match(text, m.end(1)) if m.group(1).islower() else None
                spans.append((m.start(1), surname.end() if surname else m.end(1), 0.6, "trigger"))
        for m in self.age.finditer(text):
            g = 1 if m.group(1) else 2
            if self._possible(m.group(g)) and (m.group(g)[0].isupper() or not VERB_SHAPED.fullmatch(m.group(g))):
                spans.append((m.start(g), m.end(g), 0.6, "age"))
        for m in self.subject.finditer(text):
            g = next(i for i in (1, 2, 3) if m.group(i))
            if self._acting(text, m, g):
                spans.append((m.start(g), m.end(g), 0.55, "subject"))
        for m in self.titled.finditer(text):
            w = m.group(1)
            if self.determiner_before.search(text, 0, m.start()):
                continue  # "omdat de juf ziek is", "toen mijn oma boos was": a title used as a noun
            # "juf roos", "tante els": also a name that is an ordinary word, but not "bij oma ben ik veilig"
            listed = w in self.lex.first and not (w in self.lex.ambiguous and self.pronoun_after.match(text, m.end(1)))
            verb = self.verb_after.match(text, m.end(1)) and not VERB_SHAPED.fullmatch(w)
            if self._possible(w) and (listed or verb):
                spans.append((m.start(1), m.end(1), 0.6, "title"))
        for m in self.copula.finditer(text):
            g = 1 if m.group(1) else 2
            if self._possible(self.lex.head(m.group(g))) and not m.group(g).isupper():
                spans.append((m.start(g), m.end(g), 0.6, "copula"))
        for rx, rule in ((self.copula_last, "copula"), (self.inverted, "subject"), (self.signature, "signature")):
            for m in rx.finditer(text):
                if self._possible(m.group(1)) and not m.group(1).isupper():
                    spans.append((m.start(1), m.end(1), 0.55, rule))
        for m in self.bracketed.finditer(text):
            if self._possible(self.lex.head(m.group(1))):
                spans.append((m.start(1), m.end(1), 0.6, "brackets"))
        for m in self.apposition.finditer(text):
            if self._possible(m.group(1)):
                spans.append((m.start(1), m.end(1), 0.6, "apposition"))
        return spans

    def _possible(self, word: str) -> bool:
        """A word that may be a name: no function word, verb, relation, title, place or organisation."""
        low = word.lower()
        return (len(word) >= 2 and low not in self.not_name and not self.lex.is_stop(word)
                and word not in self.lex.place_list and word not in self.lex.blocked)

    def _acting(self, text: str, m: re.Match[str], g: int) -> bool:
        """'bram zei', 'tess en ik': a listed first name (any case) or a capitalised word, at the start of a clause."""
        word = m.group(g)
        if not self._possible(word) or not (word.lower() in self.lex.first or word[0].isupper()):
            return False
        return g == 3 or bool(CLAUSE_START.search(text, 0, m.start(g)))

    def after_relation(self, text: str, cue_start: int, start: int, end: int) -> bool:
        """'mijn ex marnik blijft', 'mn vriend ymre zegt': an unlisted lower-case word between a relation and a
        verb, in a main clause (not 'omdat mijn vader werkloos is')."""
        word = text[start:end]
        if text[start - 1].isalnum() or not self._possible(word) or PARTICIPLE.fullmatch(word):
            return False  # also not "vrouw|enopvang": the relation must end before the word
        clause = max((m.end() for m in CLAUSE_END.finditer(text, 0, cue_start)), default=0)
        return bool(self.verb_after.match(text, end)) and not SUBORDINATE.search(text, clause, cue_start)
