"""The trainers' router (/trainer), included by create_app only when `trainer_enabled` is set.

The page itself is a static shell with no data (a browser cannot send a header when it navigates); every API call
needs the token from the settings in the `X-Trainer-Token` header, compared in constant time. Without a configured
token nothing is accepted. Sync handlers: FastAPI runs them in its thread pool, and the turn gate still bounds them.
"""

from __future__ import annotations

import hmac
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel

from ..api.deps import GateDep, ServicesDep, SettingsDep
from ..api.routes import STATIC
from ..errors import Unauthorized
from ..pipeline import Trace
from ..schemas import TOPICS, ChatRequest
from .explain import AskResult, explain, reviewed_dates
from .store import ERROR_KINDS, OVERALL, Verdict, VerdictIn, VerdictStore

PAGE = STATIC / "trainer" / "index.html"


def require_token(settings: SettingsDep,
                  token: Annotated[str | None, Header(alias="X-Trainer-Token")] = None) -> None:
    expected = settings.trainer_token
    if not expected or not token or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized()


def get_store(settings: SettingsDep) -> VerdictStore:
    return VerdictStore(settings.verdicts_db)


@lru_cache(maxsize=1)
def server_commit() -> str:
    from ..evaluation.runner import git_commit

    return git_commit()


StoreDep = Annotated[VerdictStore, Depends(get_store)]
router = APIRouter(prefix="/trainer", include_in_schema=False)
api = APIRouter(prefix="/api", dependencies=[Depends(require_token)])


class Options(BaseModel):
    topics: list[str]
    levels: list[str]
    overall: list[str]
    errors: list[str]


class VerdictList(BaseModel):
    verdicts: list[Verdict]


@router.get("")
def page() -> FileResponse:
    return FileResponse(str(PAGE), media_type="text/html; charset=utf-8")


@api.get("/options")
def options() -> Options:
    return Options(topics=list(TOPICS), levels=["acute", "urgent", "none"], overall=list(OVERALL),
                   errors=list(ERROR_KINDS))


@api.post("/ask")
def ask(body: ChatRequest, services: ServicesDep, settings: SettingsDep, gate: GateDep) -> AskResult:
    """One turn through the real pipeline: what the visitor would get, and why."""
    with gate:
        trace = Trace()
        response = services.pipeline.run(body, trace)
    return AskResult(response=response, explanation=explain(response, trace, reviewed_dates(settings.knowledge_dir)))


@api.post("/verdicts", status_code=201)
def add_verdict(body: VerdictIn, services: ServicesDep, store: StoreDep) -> Verdict:
    redactor = services.pipeline.redactor
    return store.add(body, redact=lambda text: redactor.redact_text(text)[0], commit=server_commit())


@api.get("/verdicts")
def list_verdicts(store: StoreDep, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> VerdictList:
    return VerdictList(verdicts=list(reversed(store.all(limit=limit))))


router.include_router(api)
