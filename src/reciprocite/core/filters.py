"""Whitelisted list filters, shared by pages, the API and the CLI."""

from __future__ import annotations


class FilterError(ValueError):
    """A filter that is not allowed or a value out of range; the message names the parameter."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(f"{param}: {message}")


def reject_unknown(params, allowed) -> None:
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise FilterError(
            unknown[0], f"unknown filter; allowed filters are {', '.join(sorted(allowed))}"
        )
