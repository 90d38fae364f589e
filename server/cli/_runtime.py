"""What every CLI command shares: settings, the database, and error reporting."""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
from piccolo.engine.base import Engine

from server.settings import Settings, SettingsError
from surveys.db.engine import close_database, migrate, open_database, pending_migrations
from surveys.db.urls import make_engine
from surveys.errors import DomainError

__all__ = ["fail", "load_settings", "run_db", "reports_errors"]

T = TypeVar("T")


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit (no traceback)."""
    click.echo(f"trivsel: {message}", err=True)
    sys.exit(code)


def load_settings(*, require_keys: bool = True) -> Settings:
    try:
        return Settings.from_env(require_keys=require_keys)
    except SettingsError as exc:
        fail(str(exc), 2)
        raise  # unreachable


async def _prepare(engine: Engine, *, migrate_if_empty: bool) -> None:
    pending = await pending_migrations(engine)
    if not pending:
        return
    from piccolo.apps.migrations.tables import Migration

    applied = await Migration.count().where(Migration.app_name == "surveys")
    if applied == 0 and migrate_if_empty:
        await migrate(engine)
        return
    raise DomainError(
        "the database is empty; run `trivsel db upgrade` first"
        if applied == 0
        else f"the database needs {len(pending)} migration(s); run `trivsel db upgrade`"
    )


def run_db(
    settings: Settings,
    action: Callable[[Engine], Awaitable[T]],
    *,
    migrate_if_empty: bool = False,
    check_schema: bool = True,
) -> T:
    """Open the database, check its schema, run ``action(engine)``, close."""

    async def main() -> T:
        engine = make_engine(settings.database_url)
        try:
            await open_database(engine, pool_size=4)
        except (OSError, ConnectionError) as exc:
            raise DomainError(f"cannot reach the database in TRIVSEL_DATABASE_URL ({type(exc).__name__})") from None
        try:
            if check_schema:
                await _prepare(engine, migrate_if_empty=migrate_if_empty)
            return await action(engine)
        finally:
            await close_database(engine)

    return asyncio.run(main())


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain and settings errors into one-line messages with a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SettingsError as exc:
            fail(str(exc), 2)
        except DomainError as exc:
            reasons = getattr(exc, "problems", {}) or {}
            detail = "; ".join(f"{k}: {v}" for k, v in reasons.items())
            fail(exc.message + (f" ({detail})" if detail and detail not in exc.message else ""))

    return wrapper
