"""Command line: `wegwijzer serve | ingest | eval`. Thin: each command wires settings to a module that does the work."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from .config import get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Wegwijzer: anoniem advies bij huiselijk geweld.")
console = Console(stderr=True)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and the chat page; builds the store first when it is missing or stale."""
    import uvicorn

    from .api.app import create_app
    from .logging_setup import LOG_CONFIG, configure
    from .services import build_services, ensure_store, make_index
    from .backends.embedders import make_embedder

    configure()
    settings = get_settings()
    embedder = make_embedder(settings.embedder, settings.embed_threads, settings.st_model_path)
    index = make_index(settings)
    ensure_store(settings, embedder, index, show_progress=True)
    services = build_services(settings, embedder=embedder, index=index)
    uvicorn.run(create_app(settings, services=services), host=host, port=port, access_log=False,
                server_header=False, date_header=False, log_config=LOG_CONFIG, proxy_headers=False)


@app.command()
def ingest() -> None:
    """(Re)build the vector store from knowledge/."""
    from .backends.embedders import make_embedder
    from .knowledge.ingest import ingest as run_ingest
    from .services import make_index

    settings = get_settings()
    embedder = make_embedder(settings.embedder, settings.embed_threads, settings.st_model_path)
    report = run_ingest(settings.knowledge_dir, embedder, make_index(settings), show_progress=True)
    console.print(f"{report.documents} documenten, {report.chunks} stukken, {report.seconds:.1f} s")


@app.command("eval")
def evaluate(
    split: str = typer.Option("test", help="test (frozen, for reported figures) | dev (for tuning) | all"),
    out: Path = typer.Option(Path("eval/reports"), help="Folder for the JSON and HTML report."),
    only: str = typer.Option("", help="Comma-separated suites to run (retrieval,danger,pii,answers); empty: all."),
) -> None:
    """Run every dev set through the real pipeline and write a versioned report."""
    from .evaluation.runner import run_all

    run_all(get_settings(), split=split, out=out, only=[s for s in only.split(",") if s], console=console)


if __name__ == "__main__":
    app()
