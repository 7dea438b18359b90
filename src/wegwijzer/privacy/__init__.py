"""Dutch personal-data recognition for Presidio: pattern recognizers as data, checksums and names as code."""
