"""Thin routers: the chat turn, health, and the chat page."""

from __future__ import annotations

import asyncio
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse

from ..errors import WegwijzerError
from ..schemas import ChatRequest, ChatResponse
from .deps import GateDep, ServicesDep, SettingsDep

api = APIRouter(prefix="/api")
page = APIRouter()
STATIC = files("wegwijzer") / "web" / "static"


class DeadlineExceeded(WegwijzerError):
    status = 503
    code = "te_traag"
    message = "Het antwoord duurde te lang."


@api.post("/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, services: ServicesDep, gate: GateDep, settings: SettingsDep) -> ChatResponse:
    with gate:
        try:
            # An executor future can be abandoned at the deadline; the visitor gets the helplines at once.
            turn = asyncio.get_running_loop().run_in_executor(None, services.pipeline.run, body)
            return await asyncio.wait_for(turn, timeout=settings.request_deadline_s)
        except asyncio.TimeoutError as exc:
            raise DeadlineExceeded() from exc


@api.get("/health")
async def health(services: ServicesDep) -> JSONResponse:
    info = services.index.info()
    return JSONResponse({"status": "ok", "chunks": info.count if info else 0, "embedder": services.embedder.name})


@page.get("/", include_in_schema=False)
async def index() -> FileResponse:
    return FileResponse(str(STATIC / "index.html"), media_type="text/html; charset=utf-8")
