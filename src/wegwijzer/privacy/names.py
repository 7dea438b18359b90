"""Names and places, as Presidio recognizers. No Dutch NER model ships offline (shared/DEPS.md), so these combine
a first-name list, context (titles such as 'meester', relations such as 'mijn ex', triggers such as 'ik heet'),
capitals and tussenvoegsels. The lists live in `names.yaml`.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import yaml
from presidio_analyzer import EntityRecognizer, RecognizerResult

NAMES_FILE = Path(__file__).with_name("names.yaml")
LANG = "nl"
_WORD = r"[A-Za-zÀ-ÖØ-öø-ÿĞğİıŞşÇç][A-Za-zÀ-ÖØ-öø-ÿĞğİıŞşÇç'-]*"
_CAP = r"[A-ZÀ-ÖØ-ÞĞİŞÇ][A-Za-zÀ-ÖØ-öø-ÿĞğİıŞşÇç'-]+"


class NameData:
    def __init__(self, path: Path = NAMES_FILE) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.first = set(data["first_names"].split())
        self.ambiguous = set(data["ambiguous"].split())
        self.not_names = set(data["not_names"].split())
        self.tussen = sorted(data["tussenvoegsels"], key=len, reverse=True)
        self.titles = data["titles"]
        self.triggers = data["triggers"]
        self.relations = data["relations"]
        self.place_triggers = data["places"]["triggers"]

    @cached_property
    def surname_tail(self) -> str:
        tv = "|".join(re.escape(t) for t in self.tussen)
        return rf"(?:\s(?:(?:{tv})\s)?{_CAP})*"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class DutchNameRecognizer(EntityRecognizer):
    """PERSON: a listed first name, or a capitalised word after a title, relation or trigger, with its surname."""

    def __init__(self, data: NameData | None = None) -> None:
        self.data = data or NameData()
        super().__init__(supported_entities=["PERSON"], name="nl-names", supported_language=LANG)

    def load(self) -> None:
        d = self.data
        tail = d.surname_tail
        self.titled = re.compile(rf"(?i:\b(?:{_alt(d.titles)}))\s+({_CAP}{tail})")
        self.related = re.compile(rf"(?i:\b(?:mijn|m'n|mn|onze|haar|zijn|de|die)\s+(?:{_alt(d.relations)}))\s*,?\s+({_WORD}{tail})")
        self.triggered = re.compile(rf"(?i:\b(?:{_alt(d.triggers)}))\s+({_CAP}{tail})")
        self.full = re.compile(rf"\b({_CAP}\s(?:(?:{_alt(d.tussen)})\s)?{_CAP}(?:\s(?:(?:{_alt(d.tussen)})\s)?{_CAP})*)")
        self.word = re.compile(rf"\b({_WORD})")

    def _ok(self, name: str, strict: bool) -> bool:
        first = name.split()[0].lower()
        if first in self.data.not_names:
            return False
        if strict:
            return first in self.data.first and first not in self.data.ambiguous
        return True

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:  # noqa: ANN001
        spans: list[tuple[int, int, float]] = []
        for rx, score in ((self.titled, 0.85), (self.triggered, 0.6)):
            spans += [(m.start(1), m.end(1), score) for m in rx.finditer(text) if self._ok(m.group(1), False)]
        for m in self.related.finditer(text):
            name = m.group(1)
            if name[0].isupper() or name.split()[0].lower() in self.data.first:
                if self._ok(name, strict=not name[0].isupper()) and name.split()[0].lower() not in self.data.not_names:
                    spans.append((m.start(1), m.end(1), 0.8))
        for m in self.full.finditer(text):
            words = m.group(1).split()
            # A listed first name followed by a capitalised surname is a name, also at the start of a sentence.
            caps = [w for w in words if w[0].isupper()]
            if words[0].lower() in self.data.first and all(w.lower() not in self.data.not_names for w in caps):
                spans.append((m.start(1), m.end(1), 0.75))
        spans += self._listed(text)
        return [
            RecognizerResult("PERSON", s, e, score, analysis_explanation=None, recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
            for s, e, score in spans
        ]

    def _listed(self, text: str) -> list[tuple[int, int, float]]:
        out = []
        for m in self.word.finditer(text):
            w = m.group(1)
            low = w.lower()
            if low not in self.data.first or low in self.data.not_names:
                continue
            if low in self.data.ambiguous and (not w[0].isupper() or self._sentence_start(text, m.start(1))):
                continue
            tail = re.match(self.data.surname_tail, text[m.end(1):])
            end = m.end(1) + (tail.end() if tail else 0)
            out.append((m.start(1), end, 0.7 if w[0].isupper() else 0.55))
        return out

    @staticmethod
    def _sentence_start(text: str, pos: int) -> bool:
        before = text[:pos].rstrip()
        return not before or before[-1] in ".!?\n:"


class DutchPlaceRecognizer(EntityRecognizer):
    """LOCATION: a capitalised place name after 'ik woon in', 'uit', 'in de wijk', ... (countries excluded)."""

    def __init__(self, data: NameData | None = None) -> None:
        self.data = data or NameData()
        super().__init__(supported_entities=["LOCATION"], name="nl-places", supported_language=LANG)

    def load(self) -> None:
        tv = r"(?:\s(?:aan den|aan de|op|in|de|den|ter|a/d|aan)\s?" + _CAP + r"|\s" + _CAP + r"|-" + _CAP + ")*"
        self.rx = re.compile(rf"(?i:\b(?:{_alt(self.data.place_triggers)}))\s+(?:de |het |'s-)?({_CAP}{tv})")

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:  # noqa: ANN001
        out = []
        for m in self.rx.finditer(text):
            if m.group(1).split()[0].lower() in self.data.not_names:
                continue
            out.append(RecognizerResult("LOCATION", m.start(1), m.end(1), 0.6, recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return out
