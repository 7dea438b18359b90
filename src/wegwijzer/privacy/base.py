"""The shared base of the list-and-context recognizers (names, places, workplaces): one Lexicon, Dutch, and results
that say which rule found them (shown by the review tool)."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult

from .lexicon import Lexicon

LANG = "nl"


class LexiconRecognizer(EntityRecognizer):
    """A Presidio recognizer for one entity, built on the word lists of a Lexicon; `load` compiles its rules."""

    ENTITY = ""
    NAME = ""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lex = lexicon or Lexicon()
        super().__init__(supported_entities=[self.ENTITY], name=self.NAME, supported_language=LANG)

    def load(self) -> None:  # rules are compiled in the subclasses' load
        pass

    def result(self, start: int, end: int, score: float, rule: str) -> RecognizerResult:
        return RecognizerResult(self.ENTITY, start, end, score, recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: self.NAME, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            "rule": rule})
