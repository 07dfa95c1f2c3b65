"""Réciprocité: an open platform for local governments cooperating on social action."""

__version__ = "0.1.0"
