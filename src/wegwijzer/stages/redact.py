"""Stage 1, redact: Presidio with Dutch recognizers replaces personal data by typed Dutch placeholders, in the
message and in every history turn, before any other stage sees the text.

Overlaps are resolved by Presidio's anonymizer (a span inside a longer one goes, the higher score wins a tie). Every
occurrence goes: a last pass (`privacy/recurrence.py`) adds the other occurrences of each detected name, place,
school and handle, also where no context gives them away.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from presidio_analyzer import AnalyzerEngine, RecognizerResult
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig

from ..privacy.recognizers import LANG, load_patterns
from ..privacy.recurrence import Recurrences
from ..schemas import Redacted


class Analyzer(Protocol):
    def analyze(self, text: str, language: str, **kwargs: object) -> list[RecognizerResult]: ...


class Redactor:
    def __init__(self, analyzer: Analyzer | AnalyzerEngine, min_score: float = 0.4,
                 recurrences: Recurrences | None = None) -> None:
        self.analyzer = analyzer
        self.recurrences = recurrences or Recurrences()
        self.anonymizer = AnonymizerEngine()
        self.placeholders = load_patterns().placeholders
        self.min_score = min_score
        self.operators = {
            entity: OperatorConfig("replace", {"new_value": ph}) for entity, ph in self.placeholders.items()
        }
        self.operators["DEFAULT"] = OperatorConfig("replace", {"new_value": "<GEGEVEN>"})

    def redact_text(self, text: str) -> tuple[str, Counter[str], list[RecognizerResult]]:
        results = [r for r in self.analyzer.analyze(text=text, language=LANG) if r.score >= self.min_score]
        results = self.recurrences.extend(text, results)
        if not results:
            return text, Counter(), []
        # Only the operators in use: the anonymizer copies what it is given, for every message.
        operators = {t: self.operators.get(t, self.operators["DEFAULT"]) for t in {r.entity_type for r in results}}
        out = self.anonymizer.anonymize(text=text, analyzer_results=results, operators=operators)
        counts = Counter(item.entity_type for item in out.items)
        return out.text, counts, results

    def run(self, message: str, history: list[tuple[str, str]]) -> Redacted:
        text, counts, results = self.redact_text(message)
        turns: list[tuple[str, str]] = []
        for role, content in history:
            red, _, _ = self.redact_text(content)
            turns.append((role, red))
        spans = [(r.entity_type, str((r.recognition_metadata or {}).get("recognizer_name", "")), r.start, r.end,
                  round(r.score, 2)) for r in results]
        return Redacted(message=text, history=turns, counts=dict(counts), spans=spans)
