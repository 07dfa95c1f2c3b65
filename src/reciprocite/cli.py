"""The ``reciprocite`` command (docs/cli.md): serve, demo, import, export, tokens, users, manage.

Thin: every command sets Django up, migrates a fresh database quietly where it needs tables,
calls services and selectors, and turns user errors into one line on stderr and exit code 1
(no traceback). Data goes to stdout, messages and progress bars to stderr.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

HELP = "Réciprocité: the platform of local governments cooperating on social action."

app = typer.Typer(
    name="reciprocite",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Import files into the registry.", no_args_is_help=True)
export_app = typer.Typer(help="Export the registry.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(token_app, name="token")
app.add_typer(user_app, name="user")


def _add_app_commands() -> None:
    from reciprocite.knowledge.cli import knowledge_app
    from reciprocite.panorama.cli import report_app
    from reciprocite.surveys.cli import survey_app

    app.add_typer(survey_app, name="survey")
    app.add_typer(report_app, name="report")
    app.add_typer(knowledge_app, name="knowledge")


_add_app_commands()

EXIT_ERROR = 1


class CliError(Exception):
    """A failure the user can fix: shown as one line, exit code 1."""


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


# --- plumbing --------------------------------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reciprocite.config.settings")
    import django

    django.setup()


@app.callback()
def _root() -> None:
    """Set Django up before any command (not for --help)."""
    try:
        setup_django()
    except Exception as exc:  # noqa: BLE001 - a broken configuration is a user error here
        _error(f"cannot start: {type(exc).__name__}: {exc}")
        raise typer.Exit(EXIT_ERROR) from None


def _error(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)


def _info(message: str) -> None:
    typer.echo(message, err=True)


def migrate_quietly() -> None:
    """Apply pending migrations without a word (nothing to do costs one query)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


@contextmanager
def command(*, migrate: bool = True) -> Iterator[None]:
    """Run a command body: Django set up, English messages, user errors as one line."""
    setup_django()
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError
    from django.utils import translation

    from reciprocite.core.filters import FilterError
    from reciprocite.interop.errors import FileRefused, InvalidRows

    with translation.override("en"):
        try:
            if migrate:
                migrate_quietly()
            yield
        except (CliError, FileRefused) as exc:
            _error(str(exc))
            raise typer.Exit(EXIT_ERROR) from None
        except InvalidRows as exc:
            for line in exc.lines():
                typer.echo(line, err=True)
            source = exc.errors[0].source if exc.errors else "the file"
            plural = "s" if exc.total != 1 else ""
            _error(f"{source}: {exc.total} error{plural}; nothing was written")
            raise typer.Exit(EXIT_ERROR) from None
        except FilterError as exc:
            _error(f"--{exc.param.replace('_', '-')}: {str(exc).split(': ', 1)[-1]}")
            raise typer.Exit(EXIT_ERROR) from None
        except ValidationError as exc:
            _error("; ".join(exc.messages))
            raise typer.Exit(EXIT_ERROR) from None
        except DatabaseError as exc:
            _error(f"database: {str(exc).strip() or type(exc).__name__}")
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            _error("interrupted")
            raise typer.Exit(130) from None


@contextmanager
def progress_bars() -> Iterator:
    """A ``progress(step, done, total)`` callable drawing one rich bar per step on stderr."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=not console.is_terminal,
        disable=not console.is_terminal,
    ) as bar:
        tasks: dict[str, int] = {}

        def update(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total or None)
            bar.update(tasks[step], completed=done, total=total or None)

        yield update


def _user(username: str | None):
    if not username:
        return None
    from reciprocite.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None or not user.is_active:
        raise CliError(f"no active user named {username!r}")
    return user


def _figures(figures: dict[str, int], labels: dict[str, str]) -> None:
    width = max(len(label) for label in labels.values())
    for key, label in labels.items():
        typer.echo(f"{label + ':':<{width + 1}} {figures[key]}")


# --- serve and demo --------------------------------------------------------------------------


def load_demo() -> dict[str, int]:
    try:
        from reciprocite.demo import load_demo as load
    except ImportError:
        raise CliError(
            "the demo data is not available in this installation (no reciprocite.demo)"
        ) from None
    with progress_bars() as progress:
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
    with command():
        summary = load_demo()
        typer.echo("Demo data loaded.")
        _print_demo_summary(summary)


def _check_port(host: str, port: int) -> None:
    """Say plainly when the address is taken, rather than through gunicorn's retries."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CliError(f"--host {host}: {exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


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
    with command():
        if demo:
            _print_demo_summary(load_demo())
        from django.conf import settings
        from django.db import connections

        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        _check_port(host, port)
        connections.close_all()  # the workers are forked: each opens its own connection
        run_worker = task_worker and settings.TASK_BACKEND == "database"
    supervisor = _start_task_worker() if run_worker else None
    _info(f"Serving Réciprocité on http://{host}:{port}/ (Ctrl-C stops it)")
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

    _info("Starting the background-job worker")
    return Supervisor(_task_worker_command(), log=_info).start()


@app.command()
def worker(
    batch: Annotated[
        bool, typer.Option("--batch", help="Run the jobs waiting now, then exit.")
    ] = False,
) -> None:
    """Run background jobs (imports, reports, campaigns) queued from the web pages."""
    with command():
        from django.conf import settings

        if settings.TASK_BACKEND != "database":
            raise CliError(
                "RECIPROCITE_TASK_BACKEND is not 'database': jobs run inside requests, "
                "there is nothing for a worker to do."
            )
    from django.core.management import call_command

    from reciprocite.core.jobs import jobs_interrupted_fail
    from reciprocite.core.worker import Heartbeat

    interrupted = jobs_interrupted_fail()
    if interrupted:
        _info(f"{interrupted} job(s) left running by a stopped worker are marked as failed")
    heartbeat = Heartbeat().start()  # /healthz reads it: the worker is alive
    options = {"batch": batch, "reload": False, "startup_delay": not batch, "verbosity": 1}
    try:
        call_command("db_worker", **options)
    finally:
        heartbeat.stop()


# --- import and export -----------------------------------------------------------------------


FileArgument = Annotated[
    Path, typer.Argument(help="The file to read.", dir_okay=False, show_default=False)
]
AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Act as this user: their rights are checked and the history names them.",
        show_default=False,
    ),
]


@import_app.command("registry")
def import_registry(
    file: FileArgument,
    as_user: AsOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file only; write nothing.")
    ] = False,
    new_territories: Annotated[
        bool,
        typer.Option(
            "--new-territories",
            help="Create the territories whose name only resembles an existing one (by "
            "default such rows are reported, with the candidates).",
        ),
    ] = False,
) -> None:
    """Import partnerships and projects (CSV, XLSX or JSON in the registry layout).

    Every row is checked before anything is written; one bad row and nothing is written.
    """
    from reciprocite.interop.tabular import read_table
    from reciprocite.registry.imports import import_registry as run_import
    from reciprocite.registry.imports import plan_registry_import

    with command():
        actor = _user(as_user)
        table = read_table(file)
        if dry_run:
            with progress_bars() as progress:
                plans, territories = plan_registry_import(
                    table, actor=actor, progress=progress, new_territories=new_territories
                )
            typer.echo(
                f"{table.source}: {len(table.rows)} rows are valid "
                f"({len(plans)} partnerships, {len(territories.pending)} new territories); "
                "nothing was written (--dry-run)"
            )
            return
        with progress_bars() as progress:
            report = run_import(
                table, actor=actor, progress=progress, new_territories=new_territories
            )
        typer.echo(f"Imported {table.source} ({report.rows} rows).")
        _figures(
            report.as_dict(),
            {
                "partnerships_created": "Partnerships created",
                "partnerships_updated": "Partnerships updated",
                "partnerships_unchanged": "Partnerships unchanged",
                "projects_created": "Projects created",
                "projects_updated": "Projects updated",
                "projects_unchanged": "Projects unchanged",
                "territories_created": "Territories created",
                "funders_created": "Funders created",
            },
        )


@import_app.command("twinnings")
def import_twinnings(
    file: FileArgument,
    as_user: AsOption = None,
    show_rows: Annotated[
        int, typer.Option(min=0, help="Row numbers listed per unresolved value.")
    ] = 10,
) -> None:
    """Import twin-town pairs (city1,country1,lat1,lng1,city2,country2,lat2,lng2).

    One published, active twinning per pair; running it again creates nothing new. Rows that
    cannot be resolved are reported at the end.
    """
    from reciprocite.interop.tabular import read_table
    from reciprocite.registry.imports import import_twinnings as run_import

    with command():
        actor = _user(as_user)
        table = read_table(file)
        with progress_bars() as progress:
            report = run_import(table, actor=actor, progress=progress)
        typer.echo(f"Imported {table.source}.")
        _figures(
            report.as_dict(),
            {
                "pairs_read": "Pairs read",
                "duplicates": "Pairs listed twice",
                "pairs_resolved": "Pairs resolved",
                "partnerships_created": "Partnerships created",
                "partnerships_present": "Partnerships already present",
                "territories_created": "Territories created",
                "territories_reused": "Territories reused",
                "rows_unresolved": "Rows not imported",
            },
        )
        if report.unresolved:
            from rich.console import Console
            from rich.table import Table

            table_out = Table(title="Not imported", title_justify="left")
            table_out.add_column("Reason")
            table_out.add_column("Value")
            table_out.add_column("Rows", justify="right")
            table_out.add_column("Row numbers")
            for item in report.unresolved:
                numbers = ", ".join(str(n) for n in item.rows[:show_rows])
                if item.count > show_rows:
                    numbers += ", …"
                table_out.add_row(item.reason_label, item.value, str(item.count), numbers)
            Console(soft_wrap=False, width=max(Console().width, 120)).print(table_out)


def _filters(**options):
    from reciprocite.registry.selectors import RegistryFilters

    params = {k: str(v) for k, v in options.items() if v not in (None, "")}
    return RegistryFilters.parse(params, for_projects=True, strict=True)


def _write_atomically(path: Path, write, *, binary: bool) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half-written file."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise CliError(f"{path}: no such directory {directory}")
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".part")
    try:
        if binary:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                write(fh)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@export_app.command("registry")
def export_registry(
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="File format.")
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: stdout, for csv and json).",
            dir_okay=False,
        ),
    ] = None,
    q: Annotated[str | None, typer.Option(help="Words in the project title or summary.")] = None,
    country: Annotated[
        str | None, typer.Option(help="ISO 3166-1 code of a partner territory.")
    ] = None,
    zone: Annotated[
        str | None, typer.Option(help="Zone of a partner territory (e.g. Maghreb).")
    ] = None,
    theme: Annotated[str | None, typer.Option(help="Theme code (e.g. jeunesse).")] = None,
    authority_kind: Annotated[
        str | None, typer.Option(help="Kind of a territory (commune…).")
    ] = None,
    year_from: Annotated[
        int | None, typer.Option(help="Projects starting that year or later.")
    ] = None,
    year_to: Annotated[
        int | None, typer.Option(help="Projects starting that year or earlier.")
    ] = None,
    status: Annotated[str | None, typer.Option(help="Project status (planned, ongoing…).")] = None,
    budget_band: Annotated[str | None, typer.Option(help="Budget band (lt10k, 10k-50k…).")] = None,
    kind: Annotated[str | None, typer.Option(help="Kind of partnership (cooperation…).")] = None,
    partnership: Annotated[int | None, typer.Option(help="Id of one partnership.")] = None,
    include_unpublished: Annotated[
        bool, typer.Option("--include-unpublished", help="Unpublished partnerships too.")
    ] = False,
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Export what this user may see.", show_default=False),
    ] = None,
    delimiter: Annotated[str, typer.Option(help="CSV delimiter: ',' or ';'.")] = ",",
    bom: Annotated[
        bool, typer.Option("--bom", help="Start a CSV with a byte-order mark (Excel).")
    ] = False,
) -> None:
    """Export partnerships and projects, one row per project, in the registry layout."""
    from reciprocite.accounts.permissions import Principal
    from reciprocite.interop import registry_layout as layout
    from reciprocite.interop import tabular
    from reciprocite.registry.exports import registry_export_rows

    with command():
        if delimiter not in (",", ";", "\t", "tab"):
            raise CliError("--delimiter: use ',' or ';' (or 'tab')")
        delimiter = "\t" if delimiter == "tab" else delimiter
        if format is ExportFormat.xlsx and output is None:
            raise CliError("--format xlsx needs --output FILE")
        filters = _filters(
            q=q,
            country=country,
            zone=zone,
            theme=theme,
            authority_kind=authority_kind,
            year_from=year_from,
            year_to=year_to,
            status=status,
            budget_band=budget_band,
            kind=kind,
            partnership=partnership,
        )
        viewer = _user(as_user)
        if include_unpublished:
            if viewer is not None:
                raise CliError("--include-unpublished and --as cannot go together")
            viewer = Principal(is_authenticated=True, is_admin=True)
        rows = [
            layout.export_cells(values)
            for values in registry_export_rows(filters=filters, viewer=viewer)
        ]
        columns = list(layout.COLUMNS)

        def write_csv(fh):
            tabular.write_csv(
                columns,
                ({c: layout.cell_text(v) for c, v in row.items()} for row in rows),
                fh,
                delimiter=delimiter,
                bom=bom,
            )

        def write_json(fh):
            tabular.write_json(
                {
                    "layout": layout.LAYOUT_NAME,
                    "version": layout.LAYOUT_VERSION,
                    "columns": columns,
                    "rows": [{c: (None if v == "" else v) for c, v in row.items()} for row in rows],
                },
                fh,
            )

        def write_xlsx(fh):
            tabular.write_xlsx(
                columns, ({c: layout.xlsx_value(v) for c, v in row.items()} for row in rows), fh
            )

        writer = {"csv": write_csv, "json": write_json, "xlsx": write_xlsx}[format.value]
        if output is None:
            writer(sys.stdout)
            sys.stdout.flush()
        else:
            _write_atomically(output, writer, binary=format is ExportFormat.xlsx)
            _info(f"Exported {len(rows)} rows to {output}")


# --- users and tokens ------------------------------------------------------------------------


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="The login name.", show_default=False)],
    admin: Annotated[bool, typer.Option("--admin", help="A platform administrator.")] = False,
    email: Annotated[str, typer.Option(help="E-mail address.")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
    ] = False,
    no_password: Annotated[
        bool,
        typer.Option(
            "--no-password", help="No password: the account only acts through API tokens."
        ),
    ] = False,
    organisation: Annotated[
        str | None, typer.Option(help="Slug of an organisation to make the user a member of.")
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(help="Role in that organisation: analyst, member_editor, partner_editor."),
    ] = None,
) -> None:
    """Create a user (the password is prompted for, unless --password-stdin or --no-password)."""
    with command():
        from django.contrib.auth.password_validation import validate_password
        from django.db import transaction

        from reciprocite.accounts import services
        from reciprocite.accounts.models import Organisation, Role, User

        if password_stdin and no_password:
            raise CliError("--password-stdin and --no-password cannot go together")
        if User.objects.filter(username=username).exists():
            raise CliError(f"a user named {username!r} already exists")
        if (organisation is None) != (role is None):
            raise CliError("--organisation and --role go together")
        org = None
        if organisation is not None:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CliError(f"no organisation with the slug {organisation!r}")
            if role not in Role.values:
                raise CliError(f"--role: must be one of {', '.join(Role.values)}")
        password = None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CliError("no password on stdin")
        elif not no_password:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        if password is not None:
            validate_password(password, User(username=username, email=email))
        with transaction.atomic():
            user = services.user_create(
                username=username, password=password, email=email, is_superuser=admin
            )
            if org is not None:
                services.membership_add(user=user, organisation=org, role=role)
        kind = "administrator" if admin else "user"
        typer.echo(f"Created {kind} {user.username}.")
        if org is not None:
            typer.echo(f"Member of {org.slug} as {role}.")


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Option("--user", help="Username.", show_default=False)],
    organisation: Annotated[str, typer.Option(help="Organisation slug.", show_default=False)],
    role: Annotated[
        str, typer.Option(help="analyst, member_editor or partner_editor.", show_default=False)
    ],
    name: Annotated[str, typer.Option(help="What the token is for.", show_default=False)],
) -> None:
    """Create an API token for one membership; the secret is printed once, on stdout."""
    with command():
        from reciprocite.accounts import services
        from reciprocite.accounts.models import Membership, Organisation, Role

        account = _user(user)
        if role not in Role.values:
            raise CliError(f"--role: must be one of {', '.join(Role.values)}")
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CliError(f"no organisation with the slug {organisation!r}")
        name = name.strip()
        if not name or len(name) > 100:
            raise CliError("--name: give 1 to 100 characters")
        membership = Membership.objects.filter(user=account, organisation=org, role=role).first()
        if membership is None:
            raise CliError(
                f"{account.username} is not {role} of {org.slug}: add the membership first "
                "(reciprocite user create … --organisation --role, or the admin site)"
            )
        token, secret = services.api_token_create(membership=membership, name=name)
        _info(
            f"Token {token.name!r} ({token.prefix}…) for {account.username}, {role} of "
            f"{org.slug}. Store the secret now: it is not shown again."
        )
        typer.echo(secret)


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
