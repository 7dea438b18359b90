"""The stages of one chat turn, in the order pipeline.py runs them: redact, danger, retrieve, compose, escalate."""
