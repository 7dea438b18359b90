"""create_app(): settings in, a FastAPI app out. Heavy components load once in the lifespan, never at import."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ..config import Settings, get_settings
from ..services import Services, build_services
from .deps import TurnGate
from .errors import drop_default_422, install_error_handlers
from .middleware import BodyLimit, SecurityHeaders
from .routes import STATIC, api, page

log = logging.getLogger("wegwijzer.api")


def create_app(settings: Settings | None = None, services: Services | None = None,
               builder: Callable[[Settings], Services] = build_services) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = services or builder(settings)
        # Turns run on a small pool of their own: more threads than cores only make concurrent turns share the
        # GIL and the caches (benchmarks/load.py); the rest wait in line, within the deadline and the gate.
        turns = ThreadPoolExecutor(max_workers=settings.turn_threads, thread_name_prefix="turn")
        app.state.turns = turns
        log.info("ready")
        yield
        app.state.services = None
        turns.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="Wegwijzer", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.services = None
    app.state.settings = settings
    app.state.gate = TurnGate(settings.max_concurrent)
    install_error_handlers(app)
    drop_default_422(app)
    app.include_router(api)
    app.include_router(page)
    if settings.trainer_enabled:  # the trainers' page and API exist only when switched on
        from ..trainer.router import router as trainer_router

        if not settings.trainer_token:
            log.warning("trainer_enabled without trainer_token: every trainer API call is refused")
        app.include_router(trainer_router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
