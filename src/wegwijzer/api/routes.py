"""Thin routers: the chat turn, health, and the chat page."""

from __future__ import annotations

import asyncio
from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel

from ..errors import StoreUnavailable, WegwijzerError
from ..schemas import ChatRequest, ChatResponse
from .deps import GateDep, ServicesDep, SettingsDep
from .errors import ERROR_RESPONSES

api = APIRouter(prefix="/api")
page = APIRouter()
STATIC = files("wegwijzer") / "web" / "static"


class Health(BaseModel):
    status: str
    chunks: int
    embedder: str


class DeadlineExceeded(WegwijzerError):
    status = 503
    code = "te_traag"
    message = "Het antwoord duurde te lang."


@api.post("/chat", response_model=ChatResponse, responses=ERROR_RESPONSES)
async def chat(request: Request, body: ChatRequest, services: ServicesDep, gate: GateDep,
               settings: SettingsDep) -> ChatResponse:
    with gate:
        try:
            # An executor future can be abandoned at the deadline; the visitor gets the helplines at once.
            pool = getattr(request.app.state, "turns", None)
            turn = asyncio.get_running_loop().run_in_executor(pool, services.pipeline.run, body)
            return await asyncio.wait_for(turn, timeout=settings.request_deadline_s)
        except asyncio.TimeoutError as exc:
            raise DeadlineExceeded() from exc


@api.get("/health", response_model=Health, responses={503: ERROR_RESPONSES[503]})
async def health(services: ServicesDep) -> JSONResponse:
    info = services.index.info()
    if info is None or services.retriever is None:  # running degraded: a load balancer should prefer another replica
        raise StoreUnavailable()
    return JSONResponse({"status": "ok", "chunks": info.count if info else 0, "embedder": services.embedder.name})


@page.get("/", include_in_schema=False)
async def index() -> FileResponse:
    return FileResponse(str(STATIC / "index.html"), media_type="text/html; charset=utf-8")
