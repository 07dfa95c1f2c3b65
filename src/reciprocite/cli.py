"""The ``reciprocite`` command (docs/cli.md): assembles the commands each app owns (in its
``cli.py``) and adds the project's own: serve, worker, demo, manage.

Thin: every command sets Django up, migrates a fresh database quietly where it needs tables,
calls services and selectors, and turns user errors into one line on stderr and exit code 1
(no traceback). Data goes to stdout, messages and progress bars to stderr. What the commands
share is in ``reciprocite.core.cli``; no app imports this module.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reciprocite.accounts.cli import token_app, user_app
from reciprocite.coordination.cli import coordination_app
from reciprocite.core import cli as shared
from reciprocite.core.cli import EXIT_ERROR, migrate_quietly, setup_django
from reciprocite.knowledge.cli import knowledge_app
from reciprocite.matching.cli import matching_app
from reciprocite.panorama.cli import report_app
from reciprocite.registry.cli import export_app, import_app
from reciprocite.surveys.cli import survey_app

__all__ = ["app", "main", "migrate_quietly", "setup_django"]

HELP = "Réciprocité: the platform of local governments cooperating on social action."

app = typer.Typer(
    name="reciprocite",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(token_app, name="token")
app.add_typer(user_app, name="user")
app.add_typer(survey_app, name="survey")
app.add_typer(report_app, name="report")
app.add_typer(knowledge_app, name="knowledge")
app.add_typer(matching_app, name="matching")
app.add_typer(coordination_app, name="coordination")


@app.callback()
def _root() -> None:
    """Set Django up before any command (not for --help)."""
    try:
        setup_django()
    except Exception as exc:  # noqa: BLE001 - a broken configuration is a user error here
        shared.error(f"cannot start: {type(exc).__name__}: {exc}")
        raise typer.Exit(EXIT_ERROR) from None


# --- serve and demo --------------------------------------------------------------------------


def load_demo() -> dict[str, int]:
    try:
        from reciprocite.demo import load_demo as load
    except ImportError:
        raise shared.CliError(
            "the demo data is not available in this installation (no reciprocite.demo)"
        ) from None
    with shared.progress_bars() as progress:
        return load(progress=progress)


def _print_demo_summary(summary: dict[str, int]) -> None:
    width = max((len(str(k)) for k in summary), default=0)
    for key, value in summary.items():
        typer.echo(f"{str(key).replace('_', ' ') + ':':<{width + 1}} {value}")
    import reciprocite.demo as demo_package

    accounts = getattr(demo_package, "demo_accounts", None)
    password = getattr(demo_package, "DEMO_PASSWORD", None)
    if accounts is not None and password:
        typer.echo(f"Demo accounts (password {password}):")
        for account in accounts():
            detail = ", ".join(v for v in (account["role"], account["organisation"]) if v)
            typer.echo(f"  {account['username']} ({detail})")


@app.command()
def demo() -> None:
    """Create the tables if needed and load the demo data (running it again changes nothing)."""
    with shared.command():
        summary = load_demo()
        typer.echo("Demo data loaded.")
        _print_demo_summary(summary)


def _check_port(host: str, port: int) -> None:
    """Say plainly when the address is taken, rather than through gunicorn's retries."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise shared.CliError(f"--host {host}: {exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise shared.CliError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def _gunicorn_application(options: dict):
    from gunicorn.app.base import BaseApplication

    class ReciprociteServer(BaseApplication):
        def __init__(self):
            self.options = options
            super().__init__()

        def load_config(self):
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self):
            from reciprocite.config.wsgi import application

            return application

    return ReciprociteServer()


@app.command()
def serve(
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo data first.")] = False,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes (gunicorn).")] = 2,
    timeout: Annotated[
        int, typer.Option(min=5, help="Seconds before a busy worker is restarted.")
    ] = 60,
    task_worker: Annotated[
        bool,
        typer.Option(
            "--task-worker/--no-task-worker",
            help="Also run the background-job worker (imports, reports, campaigns).",
        ),
    ] = True,
) -> None:
    """Migrate, optionally load the demo, and serve the application with gunicorn.

    Background jobs started from the pages run in a worker process started beside the web
    server (unless --no-task-worker, or RECIPROCITE_TASK_BACKEND=immediate), started again
    whenever it stops; /healthz says whether it is alive.
    """
    with shared.command():
        if demo:
            _print_demo_summary(load_demo())
        from django.conf import settings
        from django.db import connections

        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        _check_port(host, port)
        connections.close_all()  # the workers are forked: each opens its own connection
        run_worker = task_worker and settings.TASK_BACKEND == "database"
    supervisor = _start_task_worker() if run_worker else None
    shared.info(f"Serving Réciprocité on http://{host}:{port}/ (Ctrl-C stops it)")
    server = _gunicorn_application(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "timeout": timeout,
            "graceful_timeout": 10,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "reciprocite",
        }
    )
    try:
        server.run()
    finally:
        if supervisor is not None:
            supervisor.stop()


def _task_worker_command() -> list[str]:
    return [sys.executable, "-m", "reciprocite.cli", "worker"]


def _start_task_worker():
    """The worker in its own process, supervised: started again (after 1 s, then 2, 4… up to
    a minute) whenever it exits or is killed, each restart said on stderr."""
    from reciprocite.core.worker import Supervisor

    shared.info("Starting the background-job worker")
    return Supervisor(_task_worker_command(), log=shared.info).start()


@app.command()
def worker(
    batch: Annotated[
        bool, typer.Option("--batch", help="Run the jobs waiting now, then exit.")
    ] = False,
) -> None:
    """Run background jobs (imports, reports, campaigns) queued from the web pages."""
    with shared.command():
        from django.conf import settings

        if settings.TASK_BACKEND != "database":
            raise shared.CliError(
                "RECIPROCITE_TASK_BACKEND is not 'database': jobs run inside requests, "
                "there is nothing for a worker to do."
            )
    from django.core.management import call_command

    from reciprocite.core.jobs import jobs_interrupted_fail
    from reciprocite.core.worker import Heartbeat

    interrupted = jobs_interrupted_fail()
    if interrupted:
        shared.info(f"{interrupted} job(s) left running by a stopped worker are marked as failed")
    heartbeat = Heartbeat().start()  # /healthz reads it: the worker is alive
    options = {"batch": batch, "reload": False, "startup_delay": not batch, "verbosity": 1}
    try:
        call_command("db_worker", **options)
    finally:
        heartbeat.stop()


# --- Django's own commands -------------------------------------------------------------------


@app.command(
    context_settings={
        "allow_extra_args": True,
        "ignore_unknown_options": True,
        "help_option_names": [],
    },
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run one of Django's management commands (e.g. reciprocite manage createsuperuser)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["reciprocite manage", *ctx.args])


def main() -> None:
    app(prog_name="reciprocite")


if __name__ == "__main__":  # pragma: no cover
    main()
