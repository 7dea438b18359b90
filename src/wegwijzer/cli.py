"""Command line: `wegwijzer serve | ingest | eval [compare] | review report|export`.

Thin: each command wires settings to a module that does the work."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console

from .config import get_settings
from .trainer.cli import review_app

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Wegwijzer: anoniem advies bij huiselijk geweld.")
console = Console(stderr=True)


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = typer.Option(
        1, min=1, max=16, envvar="WEGWIJZER_WORKERS",
        help="Server processes, each with its own models (~0.5-1 GB). 2 on a 2-core machine: a turn is mostly Python.",
    ),
) -> None:
    """Serve the API and the chat page; builds the embedded store first when it is missing or stale."""
    settings = get_settings()
    # Before any BLAS/OpenMP library loads (and inherited by the worker processes): turns already run in parallel,
    # extra native threads per call only spin on 2 cores and doubled the CPU per turn (services.limit_blas_threads).
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, str(settings.embed_threads))
    import uvicorn

    from .api.app import create_app
    from .backends.embedders import make_embedder
    from .errors import ConfigError
    from .logging_setup import LOG_CONFIG, configure
    from .services import build_services, prepare_store

    configure()
    try:
        embedder = make_embedder(settings.embedder, settings.embed_threads, settings.st_model_path)
        index = prepare_store(settings, embedder, show_progress=True)
    except (ConfigError, ValueError, FileNotFoundError) as exc:  # say what to do, no traceback
        console.print(f"[bold red]{getattr(exc, 'message', exc)}[/]")
        raise typer.Exit(2) from None
    options = {"host": host, "port": port, "access_log": False, "server_header": False, "date_header": False,
               "log_config": LOG_CONFIG, "proxy_headers": False}
    if workers == 1:
        services = build_services(settings, embedder=embedder, index=index, build_store=False)
        uvicorn.run(create_app(settings, services=services), **options)
    else:  # each worker process loads its own models in the app's lifespan; the store is built by now
        del embedder, index
        uvicorn.run("wegwijzer.api.app:create_app", factory=True, workers=workers, **options)


@app.command()
def ingest() -> None:
    """(Re)build the vector store from knowledge/."""
    from .backends.embedders import make_embedder
    from .knowledge.ingest import ingest as run_ingest
    from .services import open_index

    settings = get_settings()
    embedder = make_embedder(settings.embedder, settings.embed_threads, settings.st_model_path)
    report = run_ingest(settings.knowledge_dir, embedder, open_index(settings), show_progress=True)
    console.print(f"{report.documents} documenten, {report.chunks} stukken, {report.seconds:.1f} s")


eval_app = typer.Typer(help="The answer-quality benchmark, and comparing two of its reports.")
app.add_typer(eval_app, name="eval")


@eval_app.callback(invoke_without_command=True)
def evaluate(
    ctx: typer.Context,
    split: str = typer.Option("test", help="test (frozen, for reported figures) | dev (for tuning) | all | heldout "
                              "(eval/data/*_heldout.jsonl: probes no model has learned from; danger only)"),
    out: Path = typer.Option(Path("eval/reports"), help="Folder for the JSON and HTML report."),
    only: str = typer.Option("", help="Comma-separated suites to run (retrieval,danger,pii,answers,refusals); empty: all."),
) -> None:
    """Run every dev set through the real pipeline and write a versioned report (without a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    from .evaluation.runner import run_all

    run_all(get_settings(), split=split, out=out, only=[s for s in only.split(",") if s], console=console)


@eval_app.command("compare")
def eval_compare(
    old: Path = typer.Argument(..., exists=True, dir_okay=False, help="The earlier report (eval-*.json)."),
    new: Path = typer.Argument(..., exists=True, dir_okay=False, help="The later report (eval-*.json)."),
    tolerance: float = typer.Option(0.01, help="Absolute change for the worse that is still not a regression."),
    latency_tolerance: float = typer.Option(0.25, help="Relative latency increase still not a regression."),
) -> None:
    """Each headline metric of two reports side by side; exit code 1 when one regressed beyond the tolerance."""
    from .evaluation import compare as cmp

    before, after = cmp.load_report(old), cmp.load_report(new)
    changes = cmp.compare(before, after, tolerance=tolerance, latency_tolerance=latency_tolerance)
    Console().print(cmp.table(changes, before, after))
    for note in cmp.notes(before, after):
        console.print(f"[yellow]let op[/]: {note}")
    regressions = [c for c in changes if c.regression]
    if regressions:
        console.print(f"[bold red]{len(regressions)} regressie(s)[/]: {', '.join(c.metric for c in regressions)}")
        raise typer.Exit(1)


app.add_typer(review_app, name="review")


if __name__ == "__main__":
    app()
