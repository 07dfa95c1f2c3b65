from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reciprocite.accounts import throttle


class Command(BaseCommand):
    help = (
        "Lift a sign-in lock before its window ends: an account (user name), and/or a client "
        "address (--address), and/or an e-mail address asking for resets (--email)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--address", default="", help="a client address (IPv4 or IPv6)")
        parser.add_argument("--email", default="", help="an e-mail address (password resets)")

    def handle(
        self, *args: Any, username: str = "", address: str = "", email: str = "", **options: Any
    ) -> None:
        if not (username or address or email):
            raise CommandError("give a user name, --address or --email")
        scopes = throttle.unlock(username=username, address=address, email=email)
        self.stdout.write(f"Unlocked: {', '.join(scopes)}.")
