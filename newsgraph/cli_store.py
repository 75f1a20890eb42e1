"""Store commands of the `newsgraph` CLI: ingest, recluster, search, export,
stats. Each is a standalone click command; the main group attaches them
with `main.add_command(...)`."""

from __future__ import annotations

import json
import sys

import click

from newsgraph import limits
from newsgraph.readers import FORMATS as INPUT_FORMATS

DB_OPTION = click.option(
    "--db", default="news.db", show_default=True, envvar="NEWSGRAPH_DB",
    help="The store: a SQLite file path or sqlite:/// URL, or postgresql://user@host/db (env NEWSGRAPH_DB).",
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@DB_OPTION
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default="auto", show_default=True,
              help="How to read the inputs; 'auto' decides per file by its content.")
@click.option("--batch-size", type=click.IntRange(1), default=200, show_default=True,
              help="Pages per transaction: an interrupted run redoes at most one batch.")
@click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when stderr is a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where the pipeline runs: a local process pool, or Dask (pip install 'newsgraph[dask]').")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Worker processes (default: the number of CPUs); local with 1 runs in this process.")
@click.option("--scheduler", help="Address of a running Dask scheduler, e.g. tcp://host:8786 (--engine dask).")
@limits.options
def ingest(paths: tuple[str, ...], db: str, input_format: str, batch_size: int, progress: bool | None,
           as_json: bool, engine: str, workers: int | None, scheduler: str | None) -> None:
    """Process PATHS (files or directories) and store the results in the
    --db store. Unchanged pages are skipped; changed ones become new
    versions. Bad pages are recorded as errors and reported; the exit
    status is non-zero only when nothing could be read at all."""
    from newsgraph.engines import make_engine
    from newsgraph.ingest import ingest as run
    from newsgraph.store.base import StoreBusy

    show = sys.stderr.isatty() if progress is None else progress

    def on_batch(report) -> None:
        if show:
            click.echo(f"\r{report.pages} pages, {report.articles} new, {report.skipped} unchanged, "
                       f"{len(report.errors)} errors", err=True, nl=False)

    try:
        # Local with one worker: no engine, ingest runs its own pipeline in this process.
        in_process = (engine, workers, scheduler) == ("local", 1, None)
        processor = None if in_process else make_engine(engine, workers, scheduler)
    except (ValueError, ImportError, OSError) as exc:  # OSError: no scheduler at that address
        raise click.UsageError(str(exc)) from exc
    try:
        report = run(list(paths), db, input_format=input_format, batch_size=batch_size,
                     processor=processor, on_batch=on_batch)
    except StoreBusy as exc:  # another ingest is writing to this store
        raise click.ClickException(str(exc)) from exc
    finally:
        if processor is not None:
            processor.close()
    if show:
        click.echo("", err=True)
    for error in report.errors:
        click.echo(f"newsgraph: {error.origin}: {error.error}", err=True)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, default=str))
    else:
        click.echo(
            f"{report.pages} pages: {report.articles} articles stored ({report.versions} new versions), "
            f"{report.skipped} unchanged, {report.known} already known, {report.duplicates} near-duplicates, "
            f"{report.stories_created} new stories, {len(report.errors)} errors in {report.seconds:.1f}s"
        )
    if report.pages == 0 and report.errors:
        raise SystemExit(1)


@click.command()
@DB_OPTION
def recluster(db: str) -> None:
    """Cluster every article into stories again from scratch, in
    (published, id) order, and merge events again; print the agreement
    with the previous clustering."""
    from newsgraph.ingest import recluster as run

    click.echo(json.dumps(run(db).to_dict()))


@click.command()
@click.argument("query", required=False, default="")
@DB_OPTION
@click.option("--entity", help="Only articles mentioning this entity (id or any name).")
@click.option("--language", help="Only articles in this language (uk, ru, en).")
@click.option("--outlet", help="Only articles from this outlet.")
@click.option("--topic", help="Only articles with this topic.")
@click.option("--from", "date_from", help="Published on or after YYYY-MM-DD.")
@click.option("--to", "date_to", help="Published on or before YYYY-MM-DD.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
def search(query: str, db: str, entity: str | None, language: str | None, outlet: str | None, topic: str | None,
           date_from: str | None, date_to: str | None, limit: int, as_json: bool) -> None:
    """Search the store for QUERY in any inflection or script
    ("Умєровим", "Умеров", "Umerov"); best matches first."""
    from newsgraph.search import search as run

    hits = run(db, query, entity=entity, language=language, outlet=outlet, topic=topic,
               date_from=date_from, date_to=date_to, limit=limit)
    for hit in hits:
        if as_json:
            click.echo(json.dumps(hit.to_dict(), ensure_ascii=False))
        else:
            click.echo(f"{hit.day}  {hit.language or '?'}  {hit.id}  {hit.title or ''}")
            click.echo(f"    {hit.snippet}")
    if not hits and not as_json:
        click.echo("no matches", err=True)


@click.command()
@DB_OPTION
@click.option("--what", type=click.Choice(["articles", "entities", "meetings", "events", "quotes", "stories", "graph"]),
              required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "graphml", "gdelt"]), default="jsonl",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="-", show_default=True,
              help="File to write; '-' for stdout.")
def export(db: str, what: str, fmt: str, output: str) -> None:
    """Export a table (articles, entities, meetings, events, quotes,
    stories) as jsonl/csv/parquet, the who-met-whom graph as graphml, or
    events as GDELT-style CAMEO rows (--what events --format gdelt)."""
    from newsgraph.export import MissingDependency, check
    from newsgraph.export import export as run

    try:
        check(what, fmt)
        if output == "-":
            binary = fmt in ("parquet", "graphml")
            stream = click.get_binary_stream("stdout") if binary else sys.stdout
            n = run(db, what, fmt, stream)
            stream.flush()
        else:
            n = run(db, what, fmt, output)
    except (ValueError, MissingDependency) as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"{n} {'edges' if what == 'graph' else 'rows'} exported", err=True)


@click.command()
@DB_OPTION
@click.option("--json", "as_json", is_flag=True)
def stats(db: str, as_json: bool) -> None:
    """Row counts of the store's tables."""
    from newsgraph.store import open_store

    with open_store(db) as store:
        counts = {"schema_version": store.schema_version(), **store.stats()}
    if as_json:
        click.echo(json.dumps(counts))
    else:
        for name, value in counts.items():
            click.echo(f"{name:20s} {value}")


@click.command()
@click.argument("sources", nargs=-1, required=True)
@DB_OPTION
@click.option("--interval", type=click.FloatRange(min=1), default=300, show_default=True,
              help="Seconds between two passes over the sources.")
@click.option("--once", is_flag=True, help="Make one pass, then exit.")
@click.option("--host-delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between two requests to the same host.")
@click.option("--timeout", type=click.FloatRange(min=1), default=20, show_default=True,
              help="Seconds before a request is given up.")
def watch(sources: tuple[str, ...], db: str, interval: float, once: bool, host_delay: float, timeout: float) -> None:
    """Follow SOURCES (folders and RSS/Atom feed URLs) and ingest what is
    new, a pass every --interval seconds until interrupted. Feeds are asked
    with conditional GET (ETag/Last-Modified kept in the store) and the
    pages they link are fetched and ingested once; errors are recorded and
    the watch goes on."""
    from newsgraph.watch import Watcher

    def on_pass(report) -> None:
        for error in report.all_errors():
            click.echo(f"newsgraph: {error.origin}: {error.error}", err=True)
        click.echo(
            f"{report.feeds_changed} feeds changed, {report.feeds_unchanged} unchanged; "
            f"{report.pages_fetched} pages fetched; {report.articles} articles stored, "
            f"{len(report.all_errors())} errors"
        )

    try:
        watcher = Watcher(db, sources, host_delay=host_delay, timeout=timeout)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    with watcher:
        try:
            watcher.run(interval, once=once, on_pass=on_pass)
        except KeyboardInterrupt:
            click.echo("stopped", err=True)


COMMANDS = (ingest, recluster, search, export, stats, watch)
