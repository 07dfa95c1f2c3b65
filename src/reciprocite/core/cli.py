"""What every app's commands share (docs/cli.md): Django set up, quiet migrations, user errors
as one line and exit code 1, progress bars, ``--as`` users, figures, atomic writes.

Each app owns its commands in its own ``cli.py`` and imports only this module; the root
``reciprocite.cli`` assembles them into the ``reciprocite`` command and never the reverse.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

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


def error(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)


def info(message: str) -> None:
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
            error(str(exc))
            raise typer.Exit(EXIT_ERROR) from None
        except InvalidRows as exc:
            for line in exc.lines():
                typer.echo(line, err=True)
            source = exc.errors[0].source if exc.errors else "the file"
            plural = "s" if exc.total != 1 else ""
            error(f"{source}: {exc.total} error{plural}; nothing was written")
            raise typer.Exit(EXIT_ERROR) from None
        except FilterError as exc:
            error(f"--{exc.param.replace('_', '-')}: {str(exc).split(': ', 1)[-1]}")
            raise typer.Exit(EXIT_ERROR) from None
        except ValidationError as exc:
            error("; ".join(exc.messages))
            raise typer.Exit(EXIT_ERROR) from None
        except DatabaseError as exc:
            error(f"database: {str(exc).strip() or type(exc).__name__}")
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            error("interrupted")
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


def user_named(username: str | None):
    """The active user of that name (``--as``), None without a name; a CliError otherwise."""
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        raise CliError(f"no active user named {username!r}")
    return user


def print_figures(figures: dict[str, int], labels: dict[str, str]) -> None:
    width = max(len(label) for label in labels.values())
    for key, label in labels.items():
        typer.echo(f"{label + ':':<{width + 1}} {figures[key]}")


# The words of an import's figures, the same for every importer that reports them: what was
# read, then what happened to each record (created, updated, unchanged, published, refused).
IMPORT_FIGURES = {
    "created": "Created",
    "updated": "Updated",
    "unchanged": "Unchanged",
    "published": "Published",
    "conflicts": "Conflicts",
}


def print_import_figures(figures: dict[str, int], *, read: str, extra: dict[str, str]) -> None:
    """Print an import's figures: ``read`` labels the records read, then the figures of
    IMPORT_FIGURES the report has, in that order, then ``extra`` ({key: label})."""
    labels = {"read": read}
    labels |= {key: label for key, label in IMPORT_FIGURES.items() if key in figures}
    print_figures(figures, labels | extra)


def write_atomically(path: Path, write, *, binary: bool) -> None:
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


# --- options shared by the commands of several apps -----------------------------------------


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
