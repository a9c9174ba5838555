"""`quizgen serve`: serve the built folder to phones, and with --watch rebuild it on every save."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import typer

from generator.commands.app import app
from generator.commands.build import build_defaults, installed_builders
from generator.commands.build_options import plugin_options
from generator.commands.config import config_checked
from generator.commands.output import EXIT_CONTENT, Session, echo, guard, session
from generator.errors import UsageError


@app.command()
def serve(
    ctx: typer.Context,
    out: Path = typer.Option(Path("decks"), "--out", "-o", help="The folder to serve: where quizgen build wrote its outputs."),
    host: str = typer.Option("0.0.0.0", "--host", help="Address to listen on; 0.0.0.0 is every network of this computer, for phones."),
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535,
                             help="Port to listen on (0: any free port). Keep the same one: the pages keep progress per address."),
    teacher: bool = typer.Option(False, "--teacher", help="Also serve the printable quizzes, the answer keys and the full index."),
    cert: Path | None = typer.Option(None, "--cert", help="Serve over https with this certificate (PEM; it may hold the key too)."),
    key: Path | None = typer.Option(None, "--key", help="The private key of --cert (PEM), if it is in a file of its own."),
    https: bool = typer.Option(False, "--https", help="Serve over https with a certificate quizgen makes; trust its authority once on each phone (docs/how-to/teachers.md, 'Serving over https')."),
    watch: bool = typer.Option(False, "--watch", help="Build CONTENT into --out now and on every save, and reload the open pages (live preview)."),
    content: Path = typer.Option(Path("questions"), "--content", help="With --watch: the content folder to build and watch."),
) -> None:
    """Serve the built folder to phones on the same network (students' pages only unless --teacher)."""
    state = session(ctx)
    # the server (http.server, ssl, the builders): not for `quizgen --help`
    from generator.tools.serve import Site, StudyServer, qr_code, tls_context

    guard(state, lambda: config_checked(state))
    if watch:  # a busy port is found before the first build, not after it
        guard(state, lambda: _port_free(host, port))
    rebuilder = guard(state, lambda: _start_watch(state, content, out)) if watch else None

    def start() -> StudyServer:
        if key is not None and cert is None:
            raise UsageError("--key needs --cert")
        if https and cert is not None:
            raise UsageError("--https makes its own certificate: give --https or --cert, not both")
        tls = tls_context(cert, key) if cert is not None else None
        if https:
            # cryptography: only with --https
            from generator.tools.local_ca import ensure
            from generator.tools.serve import network_addresses

            made.append(ensure(out.resolve(), network_addresses() if host in ("0.0.0.0", "") else [host]))
            tls = tls_context(made[0].cert, made[0].key)
        if rebuilder is not None:
            # watchfiles: only with --watch
            from generator.tools.watch import WatchSite

            site: Site = WatchSite(out, rebuilder, teacher=teacher)
        else:
            site = Site(out, teacher=teacher)
        return StudyServer(site, host, port, tls=tls, log=request_log)

    made: list = []  # with --https: the certificates quizgen made
    server = guard(state, start)
    if made:
        server.ca_certificate = made[0].ca
        echo(f"https with a certificate of quizgen's local authority, {made[0].ca}: trust it once on each phone "
                   f"(docs/how-to/teachers.md, 'Serving over https'); phones can download it from /api/ca.pem", err=True)
    stop_watching = rebuilder.start() if rebuilder is not None else None
    if rebuilder is not None:
        echo(f"watching {content}: every save rebuilds {out} and reloads the open pages", err=True)
    what = "every page, answer keys too" if teacher else "students' pages only: study pages and Anki decks; --teacher adds keys"
    echo(f"serving {out} ({what})")
    urls = server.urls()
    for url, who in urls:
        echo(f"  {url}" + (f"  {who}" if who else ""))
    code = qr_code(urls[0][0], ansi=sys.stdout.isatty())
    if code is None:
        echo("(pip install -e '.[serve]' in the quizgen folder to show the address as a QR code for phones)")
    else:
        echo(code.rstrip("\n"))
    echo("Ctrl-C stops the server.", err=True)

    def run() -> None:
        try:
            server.serve_forever()
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (see _terminate): the way to stop, not an error
            pass
        finally:
            if stop_watching is not None:
                stop_watching.set()
            server.server_close()

    guard(state, run)
    echo(f"stopped serving {out}", err=True)


def _port_free(host: str, port: int) -> None:
    """Raise the server's own UsageError when `host:port` cannot be listened on now."""

    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as e:
        raise UsageError(f"cannot listen on {host}:{port}: {e} (choose another --port or --host)") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
        try:
            probe.bind(address)
        except OSError as e:
            raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e} (choose another --port or --host)") from None


def request_log(line: str) -> None:
    if "/__quizgen/" not in line:  # the open pages' questions about builds, every few seconds
        echo(line, err=True)


def _start_watch(state: Session, content: Path, out: Path):
    """The first build of serve --watch; without any build to serve, its problems end the command."""
    # the build pipeline and watchfiles: only with --watch
    from generator.pipeline.build import build as run_build
    from generator.pipeline.manifest import MANIFEST
    from generator.tools.watch import Rebuilder, watch_available

    watch_available()
    options = build_defaults(state)  # the configuration file's quiz and decks, as quizgen build makes them
    settings = plugin_options(installed_builders(), options)

    def rebuild():
        return run_build(content, out, deck_parent=options["deck_parent"], options=settings, ui_language=options["ui_language"],
                         export=options["export"] or [],
                         durable=False)  # a preview can always be rebuilt: no waiting for the disk

    rebuilder = Rebuilder(content, out, rebuild, lambda line: echo(line, err=True))
    if not rebuilder.rebuild() and not (out / MANIFEST).is_file():
        echo(f"quizgen: error: nothing to serve: {content} has never built into {out}; fix the problems above", err=True)
        raise typer.Exit(EXIT_CONTENT)
    return rebuilder
