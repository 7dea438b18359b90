"""Wegwijzer: an anonymous Dutch advice assistant on domestic violence and child abuse.

Importing the package is instant: models and the vector store load in the app's lifespan, never at import.
"""

__version__ = "0.1.0"
