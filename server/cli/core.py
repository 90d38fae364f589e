"""Core commands: demo, serve, db upgrade."""

from __future__ import annotations

import click

from server.cli._runtime import fail, load_settings, reports_errors, run_db
from server.settings import ensure_secret_key_file
from surveys.answering.links import LinkSigner, format_code
from surveys.db.engine import migrate

__all__ = ["register"]


@click.command()
@click.option("--no-serve", is_flag=True, help="Stop after printing the logins and links.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to serve on.")
@click.option("--no-answers", is_flag=True, help="No synthetic answers, example targets or reference figures.")
@reports_errors
def demo(no_serve: bool, host: str, port: int, no_answers: bool) -> None:
    """Create a demo municipality (schools, classes, an open wave, a theme day, an admin, and five
    years of synthetic answers marked as demo data, with example targets and reference figures),
    print the admin login and a few pupil and staff links, then serve on http://HOST:PORT."""
    from surveys.demo import seed_demo

    settings = load_settings(require_keys=False)
    if not settings.secret_keys:
        settings = settings.with_(secret_keys=ensure_secret_key_file(settings.data_dir))
    signer = LinkSigner(settings.secret_keys)

    async def seed(engine):
        return await seed_demo(signer, settings.base_url, answers=not no_answers)

    result = run_db(settings, seed, migrate_if_empty=True)
    click.echo(f"Database: {settings.database_url}")
    click.echo("")
    click.echo(f"Console login:  {settings.base_url}/console/login")
    click.echo(f"  e-mail:       {result.admin_email}")
    click.echo(f"  password:     {result.admin_password}   (a one-time password: the first login asks for a new one)")
    if result.answers:
        click.echo(f"Demo data:      {result.answers} synthetic answers (marked as demo data), example targets and")
        click.echo("                reference figures: Console → Rapport og eksport builds a report at once")
    click.echo("")
    click.echo(f"Pupil links (wave {result.wave_id}):")
    for label, link in result.pupil_links:
        click.echo(f"  {label:<24} {link.url}   code {format_code(link.code)}")
    click.echo(f"Staff links (event {result.event_id}):")
    for link in result.staff_links:
        click.echo(f"  {'':<24} {link.url}   code {format_code(link.code)}")
    click.echo(f"Codes can be typed at {settings.base_url}/")
    if not no_serve:
        click.echo("")
        from server.serving import serve

        serve(settings, host=host, port=port)


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to serve on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@reports_errors
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve trivsel (migrates an empty database first, and stores new instrument versions and
    translations added to a stored version)."""
    from server.serving import serve
    from surveys.errors import Conflict
    from surveys.instruments.catalog import sync_instruments

    settings = load_settings()

    async def instruments(engine):
        try:
            return await sync_instruments()
        except Conflict as exc:  # a changed file without a new version: serve the stored copies
            click.echo(f"trivsel: {exc.message}", err=True)
            return []

    run_db(settings, instruments, migrate_if_empty=True)
    serve(settings, host=host, port=port, workers=workers)


@click.group()
def db() -> None:
    """Database schema commands."""


@db.command()
@reports_errors
def upgrade() -> None:
    """Apply every pending migration."""
    settings = load_settings(require_keys=False)

    async def apply(engine):
        return await migrate(engine)

    applied = run_db(settings, apply, check_schema=False)
    click.echo(f"applied {len(applied)} migration(s)" if applied else "the database is up to date")


def register(main: click.Group) -> None:
    main.add_command(demo)
    main.add_command(serve_command)
    main.add_command(db)
