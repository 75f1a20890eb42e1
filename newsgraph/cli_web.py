"""The `newsgraph serve` command: the web UI and JSON API over a store.
A standalone click command; the main group attaches it with
`main.add_command(serve)`."""

from __future__ import annotations

import ipaddress
import threading
import webbrowser

import click


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--db", default="news.db", show_default=True, envvar="NEWSGRAPH_DB",
              help="The store: a SQLite file path, sqlite:/// URL or postgresql://user@host/db URL (env NEWSGRAPH_DB).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Keep the loopback default unless you mean to expose the store.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--open/--no-open", "open_browser", default=False, show_default=True,
              help="Open the UI in a web browser once the server is up.")
@click.option("--lang", type=click.Choice(["en", "uk"]), default="en", show_default=True,
              help="Default interface language (users switch with ?lang= or the header links).")
@click.option("--write-token", envvar="NEWSGRAPH_WRITE_TOKEN", default=None, metavar="TOKEN",
              help="Enable POST /api/ingest for clients sending 'Authorization: Bearer TOKEN' "
                   "(env NEWSGRAPH_WRITE_TOKEN; prefer the env var: options show in the process list). "
                   "Without it the server is read-only.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(0.1, 600), default=5.0, show_default=True,
              help="Seconds of database work allowed per request.")
def serve(db: str, host: str, port: int, open_browser: bool, lang: str, write_token: str | None,
          timeout_s: float) -> None:
    """Serve the web UI and JSON API for the --db store (read-only unless
    a write token is set). Pages: stories, meetings, entities, search;
    JSON under /api, described at /openapi.json."""
    import uvicorn

    from newsgraph.web.app import create_app

    if not _is_loopback(host):
        click.echo(f"newsgraph: warning: listening on {host}: the store is visible to other machines", err=True)
    try:
        app = create_app(db, write_token, lang=lang, timeout_s=timeout_s)
    except (FileNotFoundError, NotImplementedError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    config = uvicorn.Config(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
    server = uvicorn.Server(config)
    if open_browser:
        def open_when_up() -> None:
            for _ in range(100):
                if server.started:
                    webbrowser.open(url)
                    return
                threading.Event().wait(0.1)

        threading.Thread(target=open_when_up, daemon=True).start()
    click.echo(f"newsgraph: serving {db} at {url} (Ctrl+C to stop)", err=True)
    server.run()


if __name__ == "__main__":
    serve()
