"""Split a document by its `##` headings (langchain's Markdown splitter) into chunks with stable ids.

The opening paragraph (before the first heading) is chunk `intro`. Title and summary travel with each chunk's
indexed text, so a chunk stands on its own for both rankers.
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
    return chunks
