"""The chat page: static files shipped in the package and served by the app itself (no third-party requests)."""
