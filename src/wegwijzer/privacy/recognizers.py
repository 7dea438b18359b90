"""Presidio recognizers for Dutch chat text.

Patterns come from `patterns.yaml` (data); checksums decide in code: the BSN elfproef, IBAN mod-97, and a length check
for phone numbers. Helpline numbers (112, 0800-2000, ...) are never personal data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import regex
import yaml
from presidio_analyzer import Pattern, PatternRecognizer
from pydantic import BaseModel, ConfigDict, Field, field_validator

PATTERNS_FILE = Path(__file__).with_name("patterns.yaml")
LANG = "nl"
# 112, 113, Veilig Thuis, 113 Zelfmoordpreventie, Kindertelefoon, Centrum Seksueel Geweld, Slachtofferhulp, politie
# zonder spoed: only numbers that are rows of shared/FACTS.md (an unlisted helpline is redacted: a small loss, never a leak)
HELPLINES = {"112", "113", "08002000", "08000113", "08000432", "08000188", "09000101", "08007000", "09008844"}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def elfproef(text: str) -> bool:
    """BSN check: sum(d_i * w_i) with weights 9..2 and -1 is divisible by 11 (8-digit numbers get a leading 0)."""
    d = digits(text).zfill(9)
    if len(d) != 9 or d == "000000000":
        return False
    total = sum(int(c) * w for c, w in zip(d, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0


def mod97(text: str) -> bool:
    """IBAN check: move the first four characters to the end, letters to numbers, remainder mod 97 must be 1."""
    s = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", s):
        return False
    if s.startswith("NL") and not re.fullmatch(r"NL\d{2}[A-Z]{4}\d{10}", s):
        return False
    num = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(num) % 97 == 1


def phone_length(text: str) -> bool:
    d = digits(text)
    if d in HELPLINES or d.startswith(("0800", "0900")) and len(d) <= 8:
        return False
    if d.startswith("0031"):
        d = "0" + d[4:].lstrip("0") if len(d) > 4 else d
    elif d.startswith("31") and text.strip().startswith("+"):
        d = "0" + d[2:].lstrip("0")
    return len(d) == 10


VALIDATORS: dict[str, Callable[[str], bool]] = {"elfproef": elfproef, "mod97": mod97, "phone_length": phone_length}


class PatternSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    score: float = Field(ge=0.0, le=1.0)
    regex: str

    @field_validator("regex")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        regex.compile(pattern)  # the `regex` module, as Presidio uses it: lookbehinds may vary in width
        return pattern


class RecognizerSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    entity: str
    patterns: list[PatternSpec] = Field(min_length=1)
    flags: str = ""
    validate_with: str | None = Field(None, alias="validate")
    context: list[str] = []

    @field_validator("validate_with")
    @classmethod
    def _known(cls, v: str | None) -> str | None:
        if v is not None and v not in VALIDATORS:
            raise ValueError(f"unknown validator '{v}' (known: {sorted(VALIDATORS)})")
        return v


class PatternFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    placeholders: dict[str, str]
    recognizers: list[RecognizerSpec]


def load_patterns(path: Path = PATTERNS_FILE) -> PatternFile:
    return PatternFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


class DutchPatternRecognizer(PatternRecognizer):
    """A PatternRecognizer built from one spec in patterns.yaml, with an optional checksum validator."""

    def __init__(self, spec: RecognizerSpec) -> None:
        self.validator = VALIDATORS[spec.validate_with] if spec.validate_with else None
        flags = re.IGNORECASE | re.MULTILINE if "i" in spec.flags else re.MULTILINE
        patterns = [Pattern(p.name, p.regex, p.score) for p in spec.patterns]
        super().__init__(
            supported_entity=spec.entity, name=spec.name, patterns=patterns, context=spec.context or None,
            supported_language=LANG, global_regex_flags=flags,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        if self.validator is None:
            return None
        return self.validator(pattern_text)


def pattern_recognizers(spec: PatternFile | None = None) -> list[PatternRecognizer]:
    spec = spec or load_patterns()
    return [DutchPatternRecognizer(r) for r in spec.recognizers]


def email_recognizer() -> PatternRecognizer:
    """Presidio's email recognizer, with tldextract told not to fetch the public suffix list (offline)."""
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    extractor("warm.nl")  # reads the bundled suffix list now, at start-up, not inside the first visitor's message

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return extractor(pattern_text.split("@")[-1]).suffix != ""

    return OfflineEmailRecognizer(supported_language=LANG)
