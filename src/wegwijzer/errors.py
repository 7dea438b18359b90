"""Typed exceptions, each carrying its HTTP status and a Dutch message. One handler (api/errors.py) renders them.

    WegwijzerError (500)
    ├── BadRequest (400)            invalid input: empty, too long, wrong type, malformed JSON
    │   └── PayloadTooLarge (413)   body larger than allowed, refused before parsing
    ├── Unauthorized (401)          trainer page without a valid token
    ├── NotFound (404)
    ├── Overloaded (503)            too many turns in progress
    ├── StoreUnavailable (503)      vector store missing or unreadable
    └── ConfigError (500)           wiring that does not fit, raised at start-up
"""

from __future__ import annotations


class WegwijzerError(Exception):
    status = 500
    code = "interne_fout"
    message = "Er ging iets mis aan onze kant."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class BadRequest(WegwijzerError):
    status = 400
    code = "ongeldige_vraag"
    message = "Je bericht kon niet worden gelezen."


class PayloadTooLarge(BadRequest):
    status = 413
    code = "te_groot"
    message = "Je bericht is te lang."


class Unauthorized(WegwijzerError):
    status = 401
    code = "geen_toegang"
    message = "Je hebt geen toegang tot deze pagina."


class NotFound(WegwijzerError):
    status = 404
    code = "niet_gevonden"
    message = "Deze pagina bestaat niet."


class Overloaded(WegwijzerError):
    status = 503
    code = "te_druk"
    message = "Het is nu erg druk."


class StoreUnavailable(WegwijzerError):
    status = 503
    code = "kennisbank_onbereikbaar"
    message = "De informatie is nu niet bereikbaar."


class ConfigError(WegwijzerError):
    status = 500
    code = "configuratiefout"
    message = "De dienst is verkeerd ingesteld."
