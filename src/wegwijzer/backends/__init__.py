"""Pluggable backends behind small protocols, each with a real in-process default."""
