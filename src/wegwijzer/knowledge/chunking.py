"""Split a document by its `##` headings (langchain's Markdown splitter) into chunks with stable ids.

The opening paragraph (before the first heading) is chunk `intro`. Title and summary travel with each chunk's
indexed text, so a chunk stands on its own for both rankers. Each of the document's `questions` (the ways visitors
ask for it) becomes a chunk of kind `vraag` too: indexed with the question, shown as the document's opening answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_text_splitters import MarkdownHeaderTextSplitter

from .documents import Document

_SPLITTER = MarkdownHeaderTextSplitter(headers_to_split_on=[("##", "h2")], strip_headers=True)


@dataclass(frozen=True)
class DocChunk:
    id: str
    doc_id: str
    title: str
    topic: str
    heading: str
    text: str          # the chunk as shown to a visitor
    index_text: str    # what the rankers see: title, summary, heading and text
    order: int
    kind: str = "tekst"  # "tekst": a part of the document; "vraag": one of its example questions (index only)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "deel"


def chunk_document(doc: Document) -> list[DocChunk]:
    chunks: list[DocChunk] = []
    seen: set[str] = set()
    for order, part in enumerate(_SPLITTER.split_text(doc.body)):
        heading = part.metadata.get("h2", "")
        text = part.page_content.strip()
        if not text:
            continue
        cid = f"{doc.id}#{slug(heading) if heading else 'intro'}"
        cid = cid if cid not in seen else f"{cid}-{order}"
        seen.add(cid)
        index_text = f"{doc.meta.title}\n{doc.meta.summary}\n{heading}\n{text}"
        chunks.append(DocChunk(cid, doc.id, doc.meta.title, doc.meta.topic, heading, text, index_text, order))
    intro = next((c.text for c in chunks if c.heading == ""), doc.meta.summary)
    for i, question in enumerate(doc.meta.questions):
        chunks.append(DocChunk(f"{doc.id}#vraag-{i}", doc.id, doc.meta.title, doc.meta.topic, "", intro,
                               f"{question}\n{doc.meta.title}", 1000 + i, kind="vraag"))
    return chunks
