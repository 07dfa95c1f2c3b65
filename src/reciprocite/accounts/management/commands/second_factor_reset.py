from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reciprocite.accounts import services
from reciprocite.accounts.models import User


class Command(BaseCommand):
    help = (
        "Turn off the second factor of a user who lost their authenticator and their recovery "
        "codes (check who is asking first); they sign in with their password and enrol again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if services.second_factor_disable(user=user):
            self.stdout.write(f"The second factor of {username} is off.")
        else:
            self.stdout.write(f"{username} had no second factor.")
