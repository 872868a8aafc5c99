"""Placeholder, filled in by its feature."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to a command group."""
