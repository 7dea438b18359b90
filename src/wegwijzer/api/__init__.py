"""The HTTP API: create_app() with a lifespan that loads everything once, thin routers, one error handler."""
