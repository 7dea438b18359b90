"""The Presidio AnalyzerEngine for Dutch: a blank Dutch spaCy pipeline (tokenizer + sentencizer, saved to a folder
once, because no Dutch spaCy model ships offline) and only our Dutch recognizers in the registry.
"""

from __future__ import annotations

from pathlib import Path

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from .names import DutchNameRecognizer, DutchPlaceRecognizer, NameData
from .recognizers import LANG, email_recognizer, pattern_recognizers


def ensure_spacy_model(folder: Path) -> Path:
    """Save `spacy.blank('nl')` with a sentencizer to `folder` if it is not there yet (a build step, not a download)."""
    if not (folder / "meta.json").exists():
        import spacy

        nlp = spacy.blank("nl")
        nlp.add_pipe("sentencizer")
        folder.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(folder)
    return folder


def build_analyzer(spacy_dir: Path) -> AnalyzerEngine:
    model = ensure_spacy_model(spacy_dir)
    nlp_engine = SpacyNlpEngine(models=[{"lang_code": LANG, "model_name": str(model)}])
    registry = RecognizerRegistry(supported_languages=[LANG])
    names = NameData()
    for recognizer in [*pattern_recognizers(), email_recognizer(), DutchNameRecognizer(names), DutchPlaceRecognizer(names)]:
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANG])
