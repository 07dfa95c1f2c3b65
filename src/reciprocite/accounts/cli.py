"""Accounts commands (docs/cli.md): ``reciprocite user create`` and ``reciprocite token create``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from reciprocite.core import cli as shared

token_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)


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
    with shared.command():
        from django.contrib.auth.password_validation import validate_password
        from django.db import transaction

        from reciprocite.accounts import services
        from reciprocite.accounts.models import Organisation, Role, User

        if password_stdin and no_password:
            raise shared.CliError("--password-stdin and --no-password cannot go together")
        if User.objects.filter(username=username).exists():
            raise shared.CliError(f"a user named {username!r} already exists")
        if (organisation is None) != (role is None):
            raise shared.CliError("--organisation and --role go together")
        org = None
        if organisation is not None:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise shared.CliError(f"no organisation with the slug {organisation!r}")
            if role not in Role.values:
                raise shared.CliError(f"--role: must be one of {', '.join(Role.values)}")
        password = None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise shared.CliError("no password on stdin")
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
    with shared.command():
        from reciprocite.accounts import services
        from reciprocite.accounts.models import Membership, Organisation, Role

        account = shared.user_named(user)
        if role not in Role.values:
            raise shared.CliError(f"--role: must be one of {', '.join(Role.values)}")
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise shared.CliError(f"no organisation with the slug {organisation!r}")
        name = name.strip()
        if not name or len(name) > 100:
            raise shared.CliError("--name: give 1 to 100 characters")
        membership = Membership.objects.filter(user=account, organisation=org, role=role).first()
        if membership is None:
            raise shared.CliError(
                f"{account.username} is not {role} of {org.slug}: add the membership first "
                "(reciprocite user create … --organisation --role, or the admin site)"
            )
        token, secret = services.api_token_create(membership=membership, name=name)
        shared.info(
            f"Token {token.name!r} ({token.prefix}…) for {account.username}, {role} of "
            f"{org.slug}. Store the secret now: it is not shown again."
        )
        typer.echo(secret)
