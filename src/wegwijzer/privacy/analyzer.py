"""The Presidio AnalyzerEngine for Dutch: a blank Dutch spaCy pipeline (tokenizer + sentencizer, saved to a folder
once, because no Dutch spaCy model ships offline) and only our Dutch recognizers in the registry.
"""

from __future__ import annotations

from pathlib import Path

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from .lexicon import Lexicon
from .names import DutchNameRecognizer
from .places import DutchPlaceRecognizer, PlaceFinder
from .recognizers import LANG, email_recognizer, pattern_recognizers
from .workplaces import WorkplaceRecognizer


def ensure_spacy_model(folder: Path) -> Path:
    """Save `spacy.blank('nl')` with a sentencizer to `folder` if it is not there yet (a build step, not a download)."""
    if not (folder / "meta.json").exists():
        import spacy

        nlp = spacy.blank("nl")
        nlp.add_pipe("sentencizer")
        folder.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(folder)
    return folder


def build_analyzer(spacy_dir: Path, lexicon: Lexicon | None = None) -> AnalyzerEngine:
    """Patterns (patterns.yaml: numbers, addresses, schools, handles), email, and the list-and-context recognizers
    for names, places and workplaces, which share one Lexicon (names.yaml, places.yaml)."""
    model = ensure_spacy_model(spacy_dir)
    nlp_engine = SpacyNlpEngine(models=[{"lang_code": LANG, "model_name": str(model)}])
    registry = RecognizerRegistry(supported_languages=[LANG])
    lex = lexicon or Lexicon()
    places = PlaceFinder(lex)  # shared, so the places of a message are looked up once
    recognizers = [*pattern_recognizers(), email_recognizer(), DutchNameRecognizer(lex),
                   DutchPlaceRecognizer(lex, places), WorkplaceRecognizer(lex, places)]
    for recognizer in recognizers:
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANG])
