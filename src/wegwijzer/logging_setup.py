"""Logging: decisions and timings to stderr, never user text, never client addresses (no access log)."""

from __future__ import annotations

import logging
import logging.config

LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {
        "wegwijzer": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "presidio-analyzer": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "chromadb": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}

def configure() -> None:
    logging.config.dictConfig(LOG_CONFIG)
