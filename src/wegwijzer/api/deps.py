"""Dependency aliases for the routers: the loaded services and the gate that bounds turns in progress."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from ..errors import Overloaded, StoreUnavailable
from ..config import Settings
from ..services import Services


class TurnGate:
    """At most `limit` chat turns at once; the next one gets a fast 503 with the helplines instead of a queue."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active = 0
        self._lock = threading.Lock()

    def __enter__(self) -> "TurnGate":
        with self._lock:
            if self.active >= self.limit:
                raise Overloaded()
            self.active += 1
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.active -= 1


def get_services(request: Request) -> Services:
    services = getattr(request.app.state, "services", None)
    if services is None:
        raise StoreUnavailable()
    return services


def get_gate(request: Request) -> TurnGate:
    return request.app.state.gate


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


ServicesDep = Annotated[Services, Depends(get_services)]
GateDep = Annotated[TurnGate, Depends(get_gate)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
