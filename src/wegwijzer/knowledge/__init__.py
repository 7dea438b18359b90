"""The curated guidance: loading knowledge/*.md (schema-checked front matter), chunking by headings, indexing."""
