"""The one place where exceptions become HTTP responses. Every error body is the contract's
`{"error": {"code", "message"}}` in Dutch, and names 112 and 0800-2000, whatever went wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import BadRequest, NotFound, WegwijzerError
from ..schemas import Escalation

log = logging.getLogger("wegwijzer.api")
HELPLINES = "Ben je in acuut gevaar? Bel 112. Voor advies of zorgen: bel Veilig Thuis op 0800-2000 (gratis, dag en nacht)."
ESCALATION = {
    "level": "urgent",
    "reasons": ["fout"],
    "actions": [
        {"kind": "call", "label": "Bel Veilig Thuis: 0800-2000 (gratis, dag en nacht)", "number": "0800-2000",
         "open_now": True, "opens_at": None},
        {"kind": "call", "label": "Bel 112: acuut gevaar, nu", "number": "112", "open_now": True, "opens_at": None},
    ],
}
FIELD_MESSAGES = {
    "message": "Typ een bericht van 1 tot 4000 tekens.",
    "history": "De eerdere berichten kloppen niet (hoogstens 20, elk met 'role' user of assistant en 'content').",
    "locale": "De taalcode klopt niet.",
}


class ErrorDetail(BaseModel):
    code: str
    message: str = Field(description="Dutch text; always names 112 and 0800-2000.")


class ErrorBody(BaseModel):
    """The one error body of the contract, with the escalation a visitor needs even when something failed."""

    error: ErrorDetail
    escalation: Escalation


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Invalid input (empty, too long, wrong shape, not JSON)."},
    413: {"model": ErrorBody, "description": "Body larger than allowed, refused before parsing."},
    503: {"model": ErrorBody, "description": "Overloaded, too slow, or the store is unavailable: helplines."},
}


def error_response(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": f"{message} {HELPLINES}"}, "escalation": ESCALATION}
    return JSONResponse(body, status_code=status, headers={**(headers or {}), "Cache-Control": "no-store"})


def drop_default_422(app: FastAPI) -> None:
    """FastAPI documents a 422 for every body; this API answers bad input with 400 (ERROR_RESPONSES) instead."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original()
            for path in schema.get("paths", {}).values():
                for operation in path.values():
                    operation.get("responses", {}).pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _validation_message(exc: RequestValidationError) -> tuple[str, str]:
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        if err.get("type") == "json_invalid" or loc == ["body"] and err.get("type") != "missing":
            return "ongeldige_json", "Je bericht kon niet worden gelezen (geen geldige JSON)."
        for part in loc:
            if part in FIELD_MESSAGES:
                return f"ongeldig_{part}", FIELD_MESSAGES[part]
    return "ongeldige_vraag", BadRequest.message


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WegwijzerError)
    async def _domain(_: Request, exc: WegwijzerError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        code, message = _validation_message(exc)
        return error_response(400, code, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return error_response(404, NotFound.code, NotFound.message)
        if exc.status_code == 405:
            return error_response(405, "methode_niet_toegestaan", "Deze manier van vragen werkt hier niet.",
                                  headers={"Allow": (exc.headers or {}).get("Allow", "")})
        return error_response(exc.status_code if exc.status_code < 500 else 503, "fout", WegwijzerError.message)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected %s", type(exc).__name__)  # only the type: the exception itself may quote the visitor
        return error_response(503, "tijdelijk_niet_beschikbaar", "Er ging iets mis aan onze kant.")
