"""The knowledge base: schema, coverage of all 18 topics, only checked numbers and facts, no forbidden claims,
B1 readability. These run on the real knowledge/ folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wegwijzer.config import ROOT
from wegwijzer.knowledge.chunking import chunk_document
from wegwijzer.knowledge.documents import KnowledgeError, fact_registry, load_documents, parse
from wegwijzer.schemas import TOPICS

DOCS = load_documents(ROOT / "knowledge")
# Phone-number-like strings: 3+ digits, optionally with a dash/space group (0800-2000, 0900 8844, 113).
NUMBER = re.compile(r"(?<![\d-])(?:0\d{2,3}[- ]?\d{4,7}|\+?\d{3,}(?:[- ]\d{2,})*)(?![\d-])")
# Flesch-Douma (Dutch): 206.835 - 0.93 * words/sentence - 77 * syllables/word. B1 text scores about 60 or higher;
# we require 60 per document (guidance for scared readers in a hurry: easier is better).
B1_THRESHOLD = 60.0


def test_every_topic_has_at_least_three_documents_and_60_in_all():
    per = {t: sum(1 for d in DOCS if d.meta.topic == t) for t in TOPICS}
    assert min(per.values()) >= 3, per
    assert len(DOCS) >= 60


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.id)
def test_document_uses_only_checked_phone_numbers(doc):
    allowed = set(fact_registry()["numbers"])
    text = doc.body + " " + doc.meta.summary + " " + doc.meta.title
    found = {n for n in NUMBER.findall(text) if not re.fullmatch(r"(19|20)\d{2}", n)}
    assert found <= allowed, found - allowed


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.id)
def test_document_makes_no_forbidden_claim(doc):
    text = (doc.body + " " + doc.meta.summary).lower()
    hits = [n["id"] for n in fact_registry()["never"] if re.search(n["pattern"], text)]
    assert hits == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.id)
def test_document_is_b1_readable_and_has_headed_sections(doc):
    textstat = pytest.importorskip("textstat")
    textstat.set_lang("nl")
    plain = re.sub(r"[#*\-]+", " ", doc.body)
    score = textstat.flesch_reading_ease(plain)
    assert score >= B1_THRESHOLD, f"Flesch-Douma {score:.0f} < {B1_THRESHOLD}"
    chunks = chunk_document(doc)
    assert chunks[0].heading == "" and len(chunks) >= 4
    assert len({c.id for c in chunks}) == len(chunks)


def test_when_front_matter_is_wrong_then_error_names_file_and_field(tmp_path: Path):
    bad = tmp_path / "x.md"
    bad.write_text("---\nid: x-doc\ntitle: Een titel\ntopic: onbekend\naudience: [slachtoffer]\nsummary: Een zin hier.\n"
                   "reviewed: 2026-11-25\nfacts: [veilig-thuis]\n---\nTekst.\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"x\.md: field 'topic'"):
        parse(bad)


def test_when_fact_key_is_unknown_then_refused(tmp_path: Path):
    bad = tmp_path / "y.md"
    bad.write_text("---\nid: y-doc\ntitle: Een titel\ntopic: contact\naudience: [slachtoffer]\nsummary: Een zin hier.\n"
                   "reviewed: 2026-11-25\nfacts: [verzonnen]\n---\nTekst.\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="facts"):
        parse(bad)


def test_the_never_patterns_catch_what_they_must():
    never = {n["id"]: n["pattern"] for n in fact_registry()["never"]}
    assert re.search(never["huisverbod-10-plus-28"], "het huisverbod duurt 10 + 28 dagen")
    assert re.search(never["anoniem-onbekend"], "veilig thuis weet niet wie er meldt")
    assert re.search(never["chat-24-7"], "de chat is 24/7 open")
